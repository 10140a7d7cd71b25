"""Sales windows as checkout and the shop see them (docs/orders.md "Sales
windows", ADR 0016): which window a product is sold through now, and when one
opens or closed, in the window's own time zone.

A product in a window's items is sold through the window while it is open (its
cap and per-customer limit apply). A window-only product (``window_only``) can't
be ordered otherwise: before its window opens the shop says when, after the
cutoff it is refused. A product in no window, or in none that is window-only,
sells as usual outside its windows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster

from .models import PickupEvent, SalesWindow, SalesWindowItem
from .pickup import moment_label

State = Literal["upcoming", "open", "closed"]
UPCOMING: State = "upcoming"
OPEN: State = "open"
CLOSED: State = "closed"


def window_state(window: SalesWindow, now: dt.datetime) -> State:
    """Before ``opens_at``: upcoming; until ``closes_at`` (the cutoff): open."""
    if now < window.opens_at:
        return UPCOMING
    if now < window.closes_at:
        return OPEN
    return CLOSED


def opens_label(window: SalesWindow) -> str:
    """``Friday 5 December, 9 am (NZDT)``: when orders open, in its zone."""
    return moment_label(window.opens_at.astimezone(ZoneInfo(window.time_zone)))


def closes_label(window: SalesWindow) -> str:
    """When orders close (the cutoff), in the window's zone."""
    return moment_label(window.closes_at.astimezone(ZoneInfo(window.time_zone)))


@dataclass(frozen=True)
class WindowTerms:
    """The window a cart's product is sold through, or the window-only one that
    is not open (``state``), as plain values for checkout."""

    item_id: int
    window_id: int
    window_name: str
    state: State
    cap: int | None
    sold: int
    per_customer_limit: int | None
    pickups: bool  # it has pickup points: its goods are collected there
    delivers: bool  # it has delivery days
    opens: str  # opens_label
    closes: str  # closes_label
    delivery_from: dt.date | None = None  # its delivery days, when it delivers
    delivery_until: dt.date | None = None

    @property
    def left(self) -> int | None:
        return None if self.cap is None else max(0, self.cap - self.sold)

    @property
    def restricts_ways(self) -> bool:
        """Its goods go only by its own pickup points or delivery."""
        return self.pickups or self.delivers


def window_items_by_product(
    cluster: Cluster | int, product_ids: Iterable[int]
) -> dict[int, list[SalesWindowItem]]:
    """The active windows' items of these products in ``cluster`` (one query),
    each with ``window`` and ``has_pickups``."""
    ids = list(set(product_ids))
    found: dict[int, list[SalesWindowItem]] = defaultdict(list)
    if not ids:
        return found
    cluster_id = cluster if isinstance(cluster, int) else cluster.pk
    items = (
        SalesWindowItem.objects.filter(
            product_id__in=ids,
            window__cluster_id=cluster_id,
            window__is_active=True,
        )
        .select_related("window")
        .annotate(
            has_pickups=Exists(
                PickupEvent.objects.filter(
                    sales_window_id=OuterRef("window_id"), is_active=True
                )
            )
        )
        .order_by("window__closes_at", "pk")
    )
    for item in items:
        found[item.product_id].append(item)
    return found


def in_window_exists(cluster_id: int, product_ref: str) -> Exists:
    """An ``Exists`` to annotate rows whose product (``product_ref``, an
    ``OuterRef`` path) is in an active window of the cluster: no query more for
    a cart with no window's products."""
    return Exists(
        SalesWindowItem.objects.filter(
            product_id=OuterRef(product_ref),
            window__cluster_id=cluster_id,
            window__is_active=True,
        )
    )


def _terms(item: SalesWindowItem, state: State) -> WindowTerms:
    window = item.window
    return WindowTerms(
        item_id=item.pk,
        window_id=window.pk,
        window_name=window.name,
        state=state,
        cap=item.cap,
        sold=item.sold,
        per_customer_limit=item.per_customer_limit,
        pickups=bool(getattr(item, "has_pickups", False)),
        delivers=window.delivers,
        opens=opens_label(window),
        closes=closes_label(window),
        delivery_from=window.delivery_from,
        delivery_until=window.delivery_until or window.delivery_from,
    )


def terms_for(items: Iterable[SalesWindowItem], now: dt.datetime) -> WindowTerms | None:
    """The window a product is sold through now (the open one closing first);
    else, for a window-only product, the next to open or the last closed; None
    when it sells as usual."""
    items = list(items)
    opened = [i for i in items if window_state(i.window, now) == OPEN]
    if opened:
        return _terms(min(opened, key=lambda i: (i.window.closes_at, i.pk)), OPEN)
    only = [i for i in items if i.window_only]
    if not only:
        return None
    upcoming = [i for i in only if window_state(i.window, now) == UPCOMING]
    if upcoming:
        return _terms(min(upcoming, key=lambda i: (i.window.opens_at, i.pk)), UPCOMING)
    return _terms(max(only, key=lambda i: (i.window.closes_at, i.pk)), CLOSED)


def not_open_message(terms: WindowTerms, item_name: str) -> str:
    """What the shopper is told about a window-only product not on sale now."""
    if terms.state == UPCOMING:
        return _("%(item)s is sold in %(window)s: orders open %(when)s.") % {
            "item": item_name,
            "window": terms.window_name,
            "when": terms.opens,
        }
    return _(
        "Orders for %(window)s closed %(when)s: %(item)s can't be ordered now."
    ) % {"item": item_name, "window": terms.window_name, "when": terms.closes}


def quantity_problem(terms: WindowTerms, item_name: str, quantity: int) -> str:
    """Whether ``quantity`` (of the product, all its options) fits the open
    window's cap and per-customer limit; "" when it does."""
    if terms.left is not None and quantity > terms.left:
        if terms.left == 0:
            return _("%(item)s has sold out in %(window)s.") % {
                "item": item_name,
                "window": terms.window_name,
            }
        return _("Only %(n)s of %(item)s left in %(window)s.") % {
            "n": terms.left,
            "item": item_name,
            "window": terms.window_name,
        }
    if terms.per_customer_limit is not None and quantity > terms.per_customer_limit:
        return limit_message(terms, item_name)
    return ""


def limit_message(terms: WindowTerms, item_name: str) -> str:
    return _("%(window)s sells at most %(n)s of %(item)s to each customer.") % {
        "window": terms.window_name,
        "n": terms.per_customer_limit,
        "item": item_name,
    }
