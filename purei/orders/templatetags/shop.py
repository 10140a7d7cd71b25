"""The shopper's tags: ``{% cart_count cluster as n %}`` for the storefront header
(from the session, no query) and ``{{ order.number|order_link }}``, the signed path
of an order page that the confirmation email carries."""

from __future__ import annotations

from typing import Any

from django import template

from purei.clusters.models import Cluster
from purei.orders.shopper_access import cart_count_in_session
from purei.orders.shopper_access import order_link as signed_order_link

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context: template.Context, cluster: Cluster) -> int:
    request = context.get("request")
    if request is None or cluster is None:
        return 0
    return cart_count_in_session(request, cluster)


@register.filter
def order_link(number: str) -> str:
    return signed_order_link(str(number))


@register.filter
def buyable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The product page's variant rows that can go in a cart now: in stock, made
    to order or unlimited."""
    return [row for row in rows if row["variant"].in_stock]
