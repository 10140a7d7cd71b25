"""Where the money goes, for templates (only when the cluster shows it).

- ``{% variant_price_split cluster member price_cents as split %}``: one item's
  price on the product page (one query, for the member's commission rate).
- ``{% order_price_split order as split %}``: an order as it stands.
- ``{% price_includes_gst cluster member as taxed %}``: whether a price of that
  member's goods includes GST (the supplier's registration: see
  ``purei.orders.services.checkout.supplier_gst_registered``).

Each split tag gives ``None`` when ``cluster.show_price_split`` is off.
"""

from __future__ import annotations

from django import template

from purei.clusters.models import Cluster
from purei.ledger.price_split import PriceSplit, order_price_split, price_split
from purei.members.models import Member
from purei.orders.models import Order
from purei.orders.money import gst_in
from purei.orders.services.checkout import supplier_gst_registered

register = template.Library()

# Shoppers are shown the card fee: the one most payments go through.
PRODUCT_PAGE_GATEWAY = "stripe"


@register.simple_tag(name="price_includes_gst")
def price_includes_gst_tag(cluster: Cluster, member: Member) -> bool:
    return supplier_gst_registered(cluster, member.gst_registered)


@register.simple_tag(name="variant_price_split")
def variant_price_split_tag(
    cluster: Cluster, member: Member, price_cents: int
) -> PriceSplit | None:
    if not cluster.show_price_split:
        return None
    taxed = supplier_gst_registered(cluster, member.gst_registered)
    return price_split(
        cluster=cluster,
        member=member,
        price_cents=price_cents,
        gst_cents=gst_in(price_cents) if taxed else 0,
        gateway=PRODUCT_PAGE_GATEWAY,
    )


@register.simple_tag(name="order_price_split")
def order_price_split_tag(order: Order) -> PriceSplit | None:
    if not order.cluster.show_price_split:
        return None
    return order_price_split(order)
