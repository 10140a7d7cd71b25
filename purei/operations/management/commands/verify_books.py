"""``purei verify_books``: journals balance, invoices gap-free, orders complete,
and (with ``--stock FILE``) stock equal to a snapshot's less what was sold since.
``--snapshot FILE`` writes that snapshot instead. Exit status 1 when any check
fails (docs/scaling.md "Verification")."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from purei.operations.verify import stock_snapshot, verify


class Command(BaseCommand):
    help = "Check the books and the orders: exit 1 if anything is wrong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--snapshot",
            type=Path,
            help="write the counted stock of every variant (or --variants) to FILE",
        )
        parser.add_argument(
            "--variants",
            help="with --snapshot: comma-separated variant ids (default: all)",
        )
        parser.add_argument(
            "--stock",
            type=Path,
            help="a snapshot written earlier: check stock = then - sold since",
        )
        parser.add_argument(
            "--since",
            type=dt.datetime.fromisoformat,
            help="check only orders placed since (ISO time; default: all)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["snapshot"] is not None:
            ids = None
            if options["variants"]:
                try:
                    ids = [int(v) for v in options["variants"].split(",") if v]
                except ValueError as error:
                    raise CommandError("--variants takes ids: 1,2,3") from error
            count = stock_snapshot(options["snapshot"], ids)
            self.stdout.write(
                f"Stock of {count:,} variants kept in {options['snapshot']}."
            )
            return
        stock = options["stock"]
        if stock is not None and not stock.exists():
            raise CommandError(f"No snapshot at {stock}.")
        result = verify(since=options["since"], snapshot=stock)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        else:
            for check in result.checks:
                self.stdout.write(check.line())
            self.stdout.write("Verification: " + ("PASSED" if result.ok else "FAILED"))
        if not result.ok:
            raise SystemExit(1)
