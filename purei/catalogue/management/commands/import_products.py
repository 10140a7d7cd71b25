"""``purei import-products FILE --member <slug>``: import a member's products."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from purei.catalogue.spreadsheets import FORMATS, products_import
from purei.core.actor import Actor
from purei.members.models import Member

HELP = gettext_noop(
    "Import a member's products from a CSV file (Pūrei's columns or Shopify's). "
    "Every row is checked first: one bad row and nothing is imported."
)


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--member", required=True, help="the member's slug")
        parser.add_argument("--format", choices=FORMATS, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        member = Member.objects.filter(slug=options["member"]).first()
        if member is None:
            raise CommandError(_("No member “%(slug)s”.") % {"slug": options["member"]})
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        result = products_import(
            actor=Actor.system(),
            member=member,
            data=data,
            fmt=options["format"],
            dry_run=options["dry_run"],
        )
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(
                    _("row %(row)s, %(column)s: %(message)s")
                    % {
                        "row": problem.row,
                        "column": problem.column or "-",
                        "message": problem.message,
                    }
                )
            self.stderr.write(
                _("%(count)d problems: nothing was imported.")
                % {"count": len(result.problems)}
            )
            raise SystemExit(1)
        message = (
            _("Checked: would import %(products)d products, %(variants)d variants.")
            if options["dry_run"]
            else _("Imported %(products)d products, %(variants)d variants.")
        )
        self.stdout.write(
            message % {"products": result.products, "variants": result.variants}
        )
