"""Promotions on the shopper's pages (``orders/shop/_promo.html``):

- ``{% cart_promotions cluster summary as found %}``: what the cluster's automatic
  promotions take off the cart's goods (``Discounts``; delivery is priced at
  checkout);
- ``{% order_promotions order as uses %}``: the promotions an order got, what each
  took off and who paid (no query when it got none).
"""

from __future__ import annotations

from typing import Any

from django import template

from purei.clusters.models import Cluster
from purei.orders.models import Order
from purei.orders.services.cart import CartSummary
from purei.orders.services.promotions import cart_discounts, shopper_facts
from purei.promotions.models import PromotionUse
from purei.promotions.rules import Discounts
from purei.promotions.selectors import uses_of_order

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_promotions(
    context: template.Context, cluster: Cluster, summary: CartSummary
) -> Discounts:
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    return cart_discounts(cluster, summary, shopper=shopper_facts(user))


@register.simple_tag
def order_promotions(order: Order) -> list[PromotionUse]:
    if not order.discount_cents:
        return []
    return [use for use in uses_of_order(order.pk) if use.discount_cents]
