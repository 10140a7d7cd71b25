"""What checkout takes of a sales window's caps, and gives back (ADR 0016).

``window_sales_take`` runs in checkout's transaction after the order's lines are
written: each window item's ``sold`` is raised with one conditional ``UPDATE …
SET sold = sold + n WHERE cap IS NULL OR cap >= sold + n`` (and only while the
window is open), in item order, exactly as stock is taken (ADR 0004). The update
locks the item's row until the order commits, so the per-customer limit, counted
next from the orders themselves (this one included), sees every other order for
the item that committed first: two checkouts of one customer can't both slip
under it on PostgreSQL. Any refusal rolls the whole order back.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from purei.core.errors import ValidationFailed
from purei.orders.errors import OrderErrorCode
from purei.orders.models import Order, OrderLine, SalesWindowItem
from purei.orders.windows import OPEN, WindowTerms, limit_message

if TYPE_CHECKING:
    from .cart import CartItem


def window_sales_take(
    *, order: Order, items: Iterable[CartItem], now: datetime.datetime
) -> None:
    """Take the window items' caps for ``order`` and check each limited item's
    per-customer limit, or refuse (``sold_out`` / ``window_limit``). No query
    when nothing in the order is sold through a window."""
    wanted: dict[int, int] = {}
    terms_of: dict[int, tuple[WindowTerms, str]] = {}
    for item in items:
        terms = item.window
        if terms is None or terms.state != OPEN:
            continue
        wanted[terms.item_id] = wanted.get(terms.item_id, 0) + item.quantity
        terms_of[terms.item_id] = (terms, item.title)
    if not wanted:
        return
    for item_id in sorted(wanted):
        quantity = wanted[item_id]
        taken = (
            SalesWindowItem.objects.filter(
                pk=item_id,
                window__is_active=True,
                window__opens_at__lte=now,
                window__closes_at__gt=now,
            )
            .filter(Q(cap__isnull=True) | Q(cap__gte=F("sold") + quantity))
            .update(sold=F("sold") + quantity)
        )
        if not taken:
            terms, title = terms_of[item_id]
            raise ValidationFailed(
                OrderErrorCode.SOLD_OUT,
                {
                    "cart": [
                        _(
                            "Sorry, %(item)s sold out in %(window)s while you were "
                            "checking out, or its orders closed."
                        )
                        % {"item": title, "window": terms.window_name}
                    ]
                },
            )
    limited = {
        item_id: (terms, title, terms.per_customer_limit)
        for item_id, (terms, title) in terms_of.items()
        if terms.per_customer_limit is not None
    }
    if not limited:
        return
    same_customer = Q(order__email__iexact=order.email)
    if order.customer_id is not None:
        same_customer |= Q(order__customer_id=order.customer_id)
    bought = dict(
        OrderLine.objects.filter(same_customer, window_item_id__in=list(limited))
        .exclude(order__status=Order.Status.CANCELLED)
        .values("window_item_id")
        .annotate(n=Sum(F("quantity") - F("cancelled_quantity")))
        .values_list("window_item_id", "n")
    )
    for item_id, (terms, title, limit) in limited.items():
        had = bought.get(item_id, 0) or 0
        if had > limit:
            raise ValidationFailed(
                OrderErrorCode.WINDOW_LIMIT,
                {
                    "cart": [
                        limit_message(terms, title)
                        + " "
                        + _("You have ordered %(n)s already.")
                        % {"n": had - wanted[item_id]}
                    ]
                },
            )


def window_sales_release(
    cancelled: Mapping[int, int], lines: Sequence[OrderLine]
) -> None:
    """Give back to their windows' caps the items cancelled (``cancelled``: how
    many of each line, by line id). No query when no line was sold through a
    window."""
    back: dict[int, int] = {}
    for line in lines:
        n = cancelled.get(line.pk, 0)
        if n and line.window_item_id:
            back[line.window_item_id] = back.get(line.window_item_id, 0) + n
    for item_id in sorted(back):
        SalesWindowItem.objects.filter(pk=item_id, sold__gte=back[item_id]).update(
            sold=F("sold") - back[item_id]
        )
