"""``purei notify_windows_open``: email everyone waiting for a sales window that
has opened, once each. Orders, below marketing in the layers, never calls up to
it: run this from cron every few minutes (docs/orders.md "Sales windows")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from purei.marketing.window_tasks import window_opens_notify


class Command(BaseCommand):
    help = "Email shoppers waiting for a sales window that has opened (once each)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = window_opens_notify.call()
        self.stdout.write(f"Windows open: {sent} emails sent.")
