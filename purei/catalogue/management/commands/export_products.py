"""``purei export-products --member <slug> --format purei|shopify [-o FILE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from purei.catalogue.spreadsheets import FORMATS, PUREI, products_export
from purei.core.actor import Actor
from purei.members.models import Member

HELP = gettext_noop("Export a member's products as CSV (Pūrei's columns or Shopify's).")


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--member", required=True, help="the member's slug")
        parser.add_argument("--format", choices=FORMATS, default=PUREI)
        parser.add_argument("-o", "--output", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        member = Member.objects.filter(slug=options["member"]).first()
        if member is None:
            raise CommandError(_("No member “%(slug)s”.") % {"slug": options["member"]})
        text = products_export(
            actor=Actor.system(), member=member, fmt=options["format"]
        )
        if options["output"] is None:
            self.stdout.write(text, ending="")
        else:
            options["output"].write_text(text, encoding="utf-8")
