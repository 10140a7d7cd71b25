"""``purei search_reindex``: rebuild the product search index from the catalogue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from purei.catalogue.indexing import reindex_all

HELP = gettext_noop("Rebuild the product search index from the catalogue.")


class Command(BaseCommand):
    help = HELP

    def handle(self, *args: Any, **options: Any) -> None:
        count = reindex_all()
        self.stdout.write(
            _("Indexed %(count)d products.") % {"count": count},
        )
