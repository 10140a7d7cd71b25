"""``purei import-products FILE --member <slug> [--map-category "Kumara=Fresh
produce"]…``: import a member's products, mapping the file's own categories to
Pūrei's where asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from purei.catalogue.spreadsheets import FORMATS, products_import
from purei.core.actor import Actor
from purei.core.errors import ValidationFailed
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
        parser.add_argument(
            "--map-category",
            action="append",
            default=[],
            metavar="FILE'S=PŪREI'S",
            help=(
                "map a category the file uses to one of Pūrei's (its name or web "
                'address name), e.g. "Kumara=Fresh produce"; repeat for each'
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        member = Member.objects.filter(slug=options["member"]).first()
        if member is None:
            raise CommandError(_("No member “%(slug)s”.") % {"slug": options["member"]})
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        category_map = _category_map(options["map_category"])
        try:
            result = products_import(
                actor=Actor.system(),
                member=member,
                data=data,
                fmt=options["format"],
                dry_run=options["dry_run"],
                category_map=category_map,
            )
        except ValidationFailed as exc:
            raise CommandError(" ".join(exc.errors.get("category_map", []))) from exc
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
            if result.unknown_categories:
                names = [name for name, _rows in result.unknown_categories]
                self.stderr.write(
                    _(
                        "Not Pūrei's categories: %(names)s. Map each to one of "
                        'Pūrei\'s with --map-category "%(first)s=<category>".'
                    )
                    % {
                        "names": ", ".join(f"“{name}”" for name in names),
                        "first": names[0],
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


def _category_map(pairs: list[str]) -> dict[str, str]:
    """``["Kumara=Fresh produce", …]`` as ``{"Kumara": "Fresh produce", …}``."""
    mapping = {}
    for pair in pairs:
        source, equals, target = pair.partition("=")
        if not (equals and source.strip() and target.strip()):
            raise CommandError(
                _(
                    "Write --map-category as \"the file's category=Pūrei's "
                    'category", e.g. "Kumara=Fresh produce" (not “%(pair)s”).'
                )
                % {"pair": pair}
            )
        mapping[source.strip()] = target.strip()
    return mapping
