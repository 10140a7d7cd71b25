from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _catalogue_changed(**_kwargs: Any) -> None:
    from purei.search.cache import catalogue_changed_on_commit

    catalogue_changed_on_commit()


class SearchConfig(AppConfig):
    name = "purei.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Memberships and clusters decide what is public without touching the
        # products: their changes make cached shop and search results stale.
        for model in ("members.Membership", "clusters.Cluster", "members.Member"):
            for signal in (post_save, post_delete):
                signal.connect(
                    _catalogue_changed,
                    sender=model,
                    dispatch_uid=f"search-catalogue-changed-{model}-{signal}",
                )
