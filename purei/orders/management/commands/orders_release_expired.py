"""``purei orders_release_expired``: cancel unpaid orders whose stock hold ran out
and put their stock back. Run it every minute (cron or a systemd timer): a
checkout no longer sweeps every expired hold first; it releases only those that
stand in its own way (``orders_release_expired_holding``, ADR 0004), so the
shop's "in stock" shows what an expired hold kept until this runs."""

from typing import Any

from django.core.management.base import BaseCommand

from purei.orders.services.checkout import order_release_expired


class Command(BaseCommand):
    help = "Cancel unpaid orders whose hold ran out and put their stock back."

    def handle(self, *args: Any, **options: Any) -> None:
        released = order_release_expired()
        self.stdout.write(f"Released {released} unpaid order(s).")
