"""``purei orders_release_expired``: cancel unpaid orders whose stock hold ran out
and put their stock back (checkout does it too; run this from cron to keep stock
honest between checkouts)."""

from typing import Any

from django.core.management.base import BaseCommand

from purei.orders.services.checkout import order_release_expired


class Command(BaseCommand):
    help = "Cancel unpaid orders whose hold ran out and put their stock back."

    def handle(self, *args: Any, **options: Any) -> None:
        released = order_release_expired()
        self.stdout.write(f"Released {released} unpaid order(s).")
