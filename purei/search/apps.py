from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _catalogue_changed(**_kwargs: Any) -> None:
    from purei.search.cache import catalogue_changed_on_commit

    catalogue_changed_on_commit()


def _membership_changed(instance: Any, **kwargs: Any) -> None:
    from purei.search.public import shelve_member

    shelve_member(instance.member_id)
    _catalogue_changed(**kwargs)


def _cluster_changed(instance: Any, **kwargs: Any) -> None:
    from purei.search.public import shelve_cluster

    if kwargs.get("signal") is post_save:
        shelve_cluster(instance.pk)
    _catalogue_changed(**kwargs)


def _listing_changed(instance: Any, **kwargs: Any) -> None:
    from purei.search.public import shelve

    shelve([instance.product_id])
    _catalogue_changed(**kwargs)


def _product_changed(instance: Any, **kwargs: Any) -> None:
    from purei.search.public import shelve

    if kwargs.get("signal") is post_save:  # a deleted one leaves with its rows
        shelve([instance.pk])
    _catalogue_changed(**kwargs)


class SearchConfig(AppConfig):
    name = "purei.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # What is public depends on products, listings, memberships and clusters:
        # each saved one updates the shelf of public products at once (bulk
        # writes call purei.search.index themselves), and cached shop and search
        # results become stale.
        receivers: dict[str, Callable[..., None]] = {
            "members.Membership": _membership_changed,
            "clusters.Cluster": _cluster_changed,
            "catalogue.Listing": _listing_changed,
            "catalogue.Product": _product_changed,
            "members.Member": _catalogue_changed,
            # Credentials are shop filters and facets (verified, lapsed…).
            "members.Credential": _catalogue_changed,
        }
        for model, receiver in receivers.items():
            for signal in (post_save, post_delete):
                signal.connect(
                    receiver,
                    sender=model,
                    dispatch_uid=f"search-{model}-{id(signal)}",
                )
        # Which credentials apply to a product.
        m2m_changed.connect(
            _catalogue_changed,
            sender="catalogue.Product_credentials",
            dispatch_uid="search-product-credentials",
        )
