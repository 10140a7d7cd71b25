"""``purei seed_demo``: load the demo's seed clusters and logins (safe to run twice)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from purei.clusters.seed import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    SEED_CLUSTERS,
    SeedError,
    seed_load,
)


class Command(BaseCommand):
    help = "Load the demo's seed clusters and demo logins (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changes = seed_load()
        except SeedError as error:
            raise CommandError(f"The demo seed breaks a rule:\n{error}") from error
        verb = "loaded" if changes else "already up to date"
        self.stdout.write(
            f"Seed: {len(SEED_CLUSTERS)} clusters and {len(DEMO_LOGINS)} demo "
            f"logins {verb}."
        )
        width = max(len(login.email) for login in DEMO_LOGINS)
        lines = [
            "",
            "Demo logins:",
            *(
                f"  {login.email:<{width}}  password: {DEMO_PASSWORD}  — {login.can}"
                for login in DEMO_LOGINS
            ),
            "Log in at /accounts/login/.",
            "",
        ]
        self.stdout.write("\n".join(lines))
