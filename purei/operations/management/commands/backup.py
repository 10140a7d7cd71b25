"""``purei backup [PATH]``: the database and every stored file in one archive
(docs/operations.md). Safe while the site serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from purei.operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the stored files into one .tar.gz archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help=(
                "the archive to write (default: "
                "<PUREI_DATA_DIR>/backups/purei-<time>.tar.gz)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        if path is None:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            path = Path(settings.DATA_DIR) / "backups" / f"purei-{stamp}.tar.gz"
        try:
            manifest = backup_create(Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backed up {manifest['engine']}: {len(manifest['tables'])} tables, "
            f"{rows} rows, {manifest['ledger']['journals']} journals, "
            f"{manifest['media']['files']} files → {path}"
        )
