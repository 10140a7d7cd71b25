"""``purei images_render [--missing-only]``: make the WebP and JPEG renditions of
pictures stored before they existed (or again, for all of them): product photos,
clusters' logos and heroes, members' logos and photos."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from purei.catalogue.services.photos import RENDER_BATCH, product_photos_render
from purei.clusters.brand import cluster_pictures_render
from purei.members.services import member_pictures_render

HELP = gettext_noop(
    "Make the smaller WebP and JPEG copies of product photos, cluster logos and "
    "heroes, member logos and photos (all of them, or only those without any with "
    "--missing-only)."
)


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="only photos that have no renditions yet",
        )
        parser.add_argument("--batch-size", type=int, default=RENDER_BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        report = product_photos_render(
            missing_only=options["missing_only"],
            batch_size=max(1, options["batch_size"]),
        )
        brands = cluster_pictures_render(missing_only=options["missing_only"])
        members = member_pictures_render(missing_only=options["missing_only"])
        for name in report.failed:
            self.stderr.write(_("Could not read %(name)s.") % {"name": name})
        self.stdout.write(
            _("Made renditions of %(count)s photos in %(seconds).1f s.")
            % {"count": report.rendered, "seconds": report.seconds}
        )
        self.stdout.write(
            _(
                "Made renditions of %(brands)s cluster logos and heroes and "
                "%(members)s member logos and photos."
            )
            % {"brands": brands, "members": members}
        )
