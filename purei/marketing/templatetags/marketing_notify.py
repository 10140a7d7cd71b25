"""``{% notify_me cluster product variants %}``: the "Notify me" form of a product
whose counted stock has run out (``marketing/_notify_me.html``); nothing when every
option can be bought. ``variants`` are the product's ``Variant`` rows, or the
product page's rows (``{"variant": …}``) — it reads no database.

On the product page (catalogue), below the options::

    {% load marketing_notify %}{% notify_me cluster product variants %}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from purei.catalogue.models import Variant

register = template.Library()


def _variant(row: Any) -> Variant | None:
    if isinstance(row, Variant):
        return row
    if isinstance(row, dict):
        found = row.get("variant")
        return found if isinstance(found, Variant) else None
    return None


def sold_out(rows: Iterable[Any]) -> list[Variant]:
    variants = [variant for row in rows if (variant := _variant(row)) is not None]
    return [
        variant
        for variant in variants
        if variant.stock_policy == Variant.StockPolicy.TRACKED and not variant.in_stock
    ]


@register.simple_tag(takes_context=True)
def notify_me(
    context: template.Context, cluster: Any, product: Any, variants: Any
) -> SafeString:
    waiting = sold_out(variants or [])
    if not waiting:
        return SafeString("")
    request = context.get("request")
    user = getattr(request, "user", None)
    email = user.email if user is not None and user.is_authenticated else ""
    return SafeString(
        render_to_string(
            "marketing/_notify_me.html",
            {
                "cluster": cluster,
                "product": product,
                "sold_out": waiting,
                "email": email,
                "next": request.get_full_path() if request is not None else "",
            },
            request=request,
        )
    )
