"""``purei board_digest --daily`` (cron, once a day) and ``--weekly`` (once a
week): enqueue the notice board's email digests that are due
(docs/cooperation.md "Digest")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from purei.cooperation.digest import digests_due, now
from purei.cooperation.tasks import board_digest_send


class Command(BaseCommand):
    help = "Send the notice board's daily or weekly email digests that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--daily", action="store_true")
        group.add_argument("--weekly", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        frequency = "daily" if options["daily"] else "weekly"
        due = digests_due(frequency=frequency, now=now())
        for user_id, cluster_id in due:
            board_digest_send.enqueue(
                user_id=user_id, cluster_id=cluster_id, frequency=frequency
            )
        self.stdout.write(f"Board digests ({frequency}): {len(due)} enqueued.")
