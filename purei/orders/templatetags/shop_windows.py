"""``{% sales_window_of cluster product as sales_window %}``: the sales window a
product page's product is sold through, or, window-only, opens in or closed in
(``purei.orders.window_selectors.product_window``; ADR 0016). One query, two
when the product is in a window. A kept product page is not served past the
moment one of its windows opens or closes (``page_cache.changes_at``)."""

from __future__ import annotations

from django import template

from purei.catalogue import page_cache
from purei.catalogue.models import Product
from purei.clusters.models import Cluster
from purei.orders.window_selectors import ProductWindow, product_window

register = template.Library()


@register.simple_tag(takes_context=True)
def sales_window_of(
    context: template.Context, cluster: Cluster, product: Product
) -> ProductWindow | None:
    if cluster is None or product is None:
        return None
    found, changes = product_window(cluster, product.pk)
    # A kept product page is rendered anew when a window opens or closes.
    page_cache.changes_at(context.get("request"), changes)
    return found
