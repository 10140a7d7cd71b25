"""Reads of freight quote requests (docs/orders.md "Freight on quote"): a cluster's
for its admins (and platform staff, who read), one request by id, and an
order's for its shopper or the member whose part it is."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor

from .models import FreightQuote, Order, OrderLine

# What the admins' list shows: the requests waiting, or every one.
FREIGHT_FILTERS = ("open", "all")


def _quotes() -> QuerySet[FreightQuote]:
    return FreightQuote.objects.select_related(
        "order", "order__region", "fulfilment", "fulfilment__member", "cluster"
    ).prefetch_related(
        Prefetch("fulfilment__lines", queryset=OrderLine.objects.order_by("pk"))
    )


def _can_see(actor: Actor, cluster_id: int) -> bool:
    return actor.is_platform_staff or actor.is_cluster_admin(cluster_id)


def freight_quotes_for_cluster(
    *, actor: Actor, cluster: Cluster, show: str = "open"
) -> QuerySet[FreightQuote]:
    """``cluster``'s freight quote requests: waiting for an answer (``open``,
    soonest to lapse first) or all (newest first). ``Http404`` outside scope."""
    if not _can_see(actor, cluster.pk):
        raise Http404(_("No cluster you manage lives at this address."))
    quotes = _quotes().filter(cluster=cluster)
    if show == "open":
        return quotes.filter(
            status=FreightQuote.Status.REQUESTED,
            order__status=Order.Status.AWAITING_PAYMENT,
        ).order_by("expires_at", "pk")
    return quotes.order_by("-created_at", "-pk")


def freight_quote_get_for(*, actor: Actor, quote_id: int) -> FreightQuote:
    """One request, for the admins of its cluster and platform staff; ``Http404``
    for anyone else, as for a missing one."""
    quotes = _quotes().filter(pk=quote_id)
    if not actor.is_platform_staff:
        quotes = quotes.filter(cluster_id__in=actor.admin_cluster_ids)
    quote = quotes.first()
    if quote is None:
        raise Http404(_("No such freight quote."))
    return quote


def freight_quotes_of(order: Order) -> list[FreightQuote]:
    """``order``'s freight quotes, by part (for whoever may already see it)."""
    return list(
        FreightQuote.objects.filter(order=order)
        .select_related("fulfilment")
        .order_by("fulfilment__supplier_name", "pk")
    )


def freight_for_order_page(order: Order) -> dict[str, Any]:
    """What the order page shows of the freight: every quote, the one of each
    part (by fulfilment id), and whether one still waits (then no payment)."""
    quotes = freight_quotes_of(order)
    return {
        "freight_quotes": quotes,
        "freight_by_part": {quote.fulfilment_id: quote for quote in quotes},
        "freight_waiting": any(quote.is_open for quote in quotes),
        "freight_quoted": any(
            quote.status == FreightQuote.Status.QUOTED for quote in quotes
        )
        and order.status == Order.Status.AWAITING_PAYMENT,
    }
