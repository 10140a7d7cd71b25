"""``purei notify_back_in_stock``: email everyone waiting for a product that has
stock again, once each. The catalogue, below marketing in the layers, never calls
up to it: run this from cron every few minutes (docs/marketing.md "Back in
stock")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from purei.marketing.tasks import back_in_stock_notify


class Command(BaseCommand):
    help = "Email shoppers waiting for a product that is back in stock (once each)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = back_in_stock_notify.call()
        self.stdout.write(f"Back in stock: {sent} emails sent.")
