from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The search index, the shelf of public products and the catalogue version.

    No signals: the services that change products, listings, memberships and
    clusters tell this app explicitly, with plain values (ADR 0006)."""

    name = "purei.search"
    label = "search"
    verbose_name = _("Search")
