"""``purei cooperation_close`` (cron, e.g. every 15 minutes): close the group
buys and votes whose deadline has passed (docs/cooperation.md). Safe to run
twice: what is closed stays as it closed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from purei.cooperation.services.group_buys import group_buys_close_due
from purei.cooperation.services.votes import motions_close_due


class Command(BaseCommand):
    help = "Close the group buys and votes whose deadline has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        group_buys = group_buys_close_due()
        motions = motions_close_due()
        for gb in group_buys:
            self.stdout.write(f"Group buy {gb.pk} ({gb.title}): {gb.status}.")
        for motion in motions:
            self.stdout.write(f"Vote {motion.pk} ({motion.title}): {motion.result}.")
        self.stdout.write(
            f"Closed {len(group_buys)} group buys and {len(motions)} votes."
        )
