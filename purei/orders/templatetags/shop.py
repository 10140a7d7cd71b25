"""The shopper's tags: ``{% cart_count cluster as n %}`` for the storefront header
(from the session, no query), ``{{ order.number|order_link }}``, the signed path
of an order page that the confirmation email carries, and
``{% delivery_estimate cluster product variants region as estimate %}``, the
product page's delivery and pickup (``purei.orders.delivery_selectors``)."""

from __future__ import annotations

from typing import Any

from django import template

from purei.catalogue import page_cache
from purei.catalogue.models import Product
from purei.clusters.models import Cluster
from purei.orders.delivery_selectors import DeliveryEstimate, delivery_estimate_for
from purei.orders.links import order_link as signed_order_link
from purei.orders.shopper import cart_count_in_session

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context: template.Context, cluster: Cluster) -> int:
    request = context.get("request")
    if request is None or cluster is None or page_cache.rendering(request):
        return 0  # a kept page's cart link is filled per answer (cart_link_hole)
    return cart_count_in_session(request, cluster)


@register.filter
def order_link(number: str) -> str:
    return signed_order_link(str(number))


@register.filter
def buyable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The product page's variant rows that can go in a cart now: in stock, made
    to order or unlimited."""
    return [row for row in rows if row["variant"].in_stock]


@register.simple_tag
def delivery_estimate(
    cluster: Cluster, product: Product, rows: list[dict[str, Any]], region: str
) -> DeliveryEstimate:
    """Delivery to ``region`` (a region code, "" for none yet) and the pickups of
    the product page's options that can go in a cart now."""
    return delivery_estimate_for(
        cluster=cluster,
        product=product,
        variants=[row["variant"] for row in buyable(rows)],
        region_code=str(region or ""),
    )
