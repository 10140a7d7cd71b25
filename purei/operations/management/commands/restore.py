"""``purei restore PATH [--force]``: load a backup into an empty database and
check it against its manifest (docs/operations.md "The restore drill")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from purei.operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `purei backup` into the configured database "
        "and storage, then check every table's row count and every ledger total."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the archive written by `purei backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(Path(options["path"]), force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {report.manifest['created_at']}: "
            f"{report.tables} tables and {report.rows} rows identical, "
            f"{report.manifest['ledger']['journals']} journals balanced, "
            f"invoice numbers gapless, {report.files} files."
        )
