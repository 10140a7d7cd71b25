"""``purei trade_reminders [--as-of YYYY-MM-DD]``: email trade buyers about their
invoices — those due within three days, and a statement to each buyer with an
invoice newly in an aging bucket (1-30, 31-60, 61-90, over 90 days overdue). Each
reminder is recorded, so running it again the same day sends nothing twice; run it
once a day from cron (docs/trade.md "Reminders")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from purei.trade.tasks import (
    trade_due_soon_reminders_send,
    trade_overdue_reminders_send,
)


class Command(BaseCommand):
    help = "Email trade buyers about invoices due soon and overdue (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", default=None, help="the New Zealand day (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"]
        soon = trade_due_soon_reminders_send.call(as_of=as_of)
        overdue = trade_overdue_reminders_send.call(as_of=as_of)
        self.stdout.write(
            f"Reminders sent: {soon} about invoices due soon, {overdue} overdue "
            "statements."
        )
