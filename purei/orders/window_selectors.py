"""Reads of sales windows (ADR 0016): the public ones of a cluster (the shop,
the product page, the calendar, the ``.ics`` feed, the API), a cluster admin's,
and a member's pick lists. Anything outside the actor's scope is ``Http404``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.catalogue.models import Product
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member

from .models import Order, OrderLine, PickupEvent, SalesWindow, SalesWindowItem
from .pickup import event_cutoff_label, event_window_label
from .shipping_selectors import approved_members_of
from .windows import (
    OPEN,
    UPCOMING,
    WindowTerms,
    closes_label,
    opens_label,
    terms_for,
    window_items_by_product,
    window_state,
)

# --- Public --------------------------------------------------------------------------


def _points() -> Any:
    return Prefetch(
        "pickup_points",
        queryset=PickupEvent.objects.filter(is_active=True).order_by("starts_at", "pk"),
    )


def public_windows(
    cluster: Cluster, now: dt.datetime | None = None
) -> QuerySet[SalesWindow]:
    """The cluster's active windows not yet closed, soonest first, with their
    pickup points and how many products take part."""
    now = now or timezone.now()
    return (
        SalesWindow.objects.filter(cluster=cluster, is_active=True, closes_at__gt=now)
        .prefetch_related(_points())
        .annotate(product_count=Count("items"))
        .order_by("opens_at", "pk")
    )


def public_window_get(cluster: Cluster, window_id: int) -> SalesWindow:
    """An active window of the cluster (closed ones too), or ``Http404``."""
    found = (
        SalesWindow.objects.filter(cluster=cluster, is_active=True, pk=window_id)
        .prefetch_related(
            _points(),
            Prefetch(
                "items",
                queryset=SalesWindowItem.objects.select_related(
                    "product", "member"
                ).order_by("member__trading_name", "product__title_en"),
            ),
        )
        .first()
    )
    if found is None:
        raise Http404(_("No such sales window."))
    return found


def upcoming_pickup_events(
    cluster: Cluster, now: dt.datetime | None = None
) -> QuerySet[PickupEvent]:
    """The cluster's active pickup events still to come (the calendar)."""
    now = now or timezone.now()
    return PickupEvent.objects.filter(
        cluster=cluster, is_active=True, ends_at__gt=now
    ).order_by("starts_at", "pk")


@dataclass(frozen=True)
class PointView:
    name: str
    where: str
    when: str
    order_by: str


def point_view(event: PickupEvent) -> PointView:
    return PointView(
        name=event.name,
        where=", ".join(
            p for p in (event.collection_point, event.venue, event.address) if p
        ),
        when=event_window_label(event),
        order_by=event_cutoff_label(event),
    )


@dataclass(frozen=True)
class WindowView:
    """A window as the shop shows it: when it opens and closes (its zone), its
    pickup points and delivery days."""

    window: SalesWindow
    state: str
    opens: str
    closes: str
    points: tuple[PointView, ...]
    delivery: str

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    @property
    def is_upcoming(self) -> bool:
        return self.state == UPCOMING


def delivery_label(window: SalesWindow) -> str:
    if window.delivery_from is None:
        return ""
    first = window.delivery_from.strftime("%-d %B %Y")
    if window.delivery_until in (None, window.delivery_from):
        return _("Delivered on %(day)s") % {"day": first}
    last = window.delivery_until.strftime("%-d %B %Y")
    return _("Delivered %(first)s to %(last)s") % {"first": first, "last": last}


def window_view(window: SalesWindow, now: dt.datetime | None = None) -> WindowView:
    """Needs ``pickup_points`` prefetched or costs one query."""
    now = now or timezone.now()
    return WindowView(
        window=window,
        state=window_state(window, now),
        opens=opens_label(window),
        closes=closes_label(window),
        points=tuple(point_view(e) for e in window.pickup_points.all() if e.is_active),
        delivery=delivery_label(window),
    )


@dataclass(frozen=True)
class ProductWindow:
    """The window a product page's product is sold through, or (window-only)
    will be or was: ``terms`` for the rules, ``view`` for the page."""

    terms: WindowTerms
    view: WindowView

    @property
    def orderable(self) -> bool:
        return self.terms.state == OPEN


def product_window(
    cluster: Cluster, product_id: int, now: dt.datetime | None = None
) -> tuple[ProductWindow | None, dt.datetime | None]:
    """The product page's window (one query; two when there is one), and the next
    moment what the page shows of it changes by the clock alone: one of the
    product's windows opening or closing (None when none will), for a kept page
    (``page_cache.changes_at``)."""
    now = now or timezone.now()
    items = window_items_by_product(cluster, [product_id]).get(product_id, [])
    moments = [
        moment
        for item in items
        for moment in (item.window.opens_at, item.window.closes_at)
        if moment > now
    ]
    return _product_window(items, now), min(moments, default=None)


def _product_window(
    items: list[SalesWindowItem], now: dt.datetime
) -> ProductWindow | None:
    terms = terms_for(items, now)
    if terms is None:
        return None
    window = next(i.window for i in items if i.window_id == terms.window_id)
    points = PickupEvent.objects.filter(sales_window=window, is_active=True).order_by(
        "starts_at", "pk"
    )
    view = WindowView(
        window=window,
        state=terms.state,
        opens=terms.opens,
        closes=terms.closes,
        points=tuple(point_view(e) for e in points),
        delivery=delivery_label(window),
    )
    return ProductWindow(terms=terms, view=view)


# --- A cluster's admins -------------------------------------------------------------


def _require_cluster_reader(actor: Actor, cluster: Cluster) -> None:
    if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
        raise Http404(_("No cluster you manage lives here."))


def admin_windows(*, actor: Actor, cluster: Cluster) -> QuerySet[SalesWindow]:
    """Every window of the cluster, newest first, for its admins."""
    _require_cluster_reader(actor, cluster)
    return (
        SalesWindow.objects.filter(cluster=cluster)
        .annotate(product_count=Count("items"), sold=Sum("items__sold"))
        .order_by("-opens_at", "-pk")
    )


def admin_window_get(*, actor: Actor, cluster: Cluster, window_id: int) -> SalesWindow:
    _require_cluster_reader(actor, cluster)
    found = (
        SalesWindow.objects.filter(cluster=cluster, pk=window_id)
        .prefetch_related(
            "pickup_points",
            Prefetch(
                "items",
                queryset=SalesWindowItem.objects.select_related("product", "member"),
            ),
        )
        .first()
    )
    if found is None:
        raise Http404(_("No such sales window."))
    return found


# --- A member's pick lists ------------------------------------------------------------


def member_windows(*, member: Member) -> QuerySet[SalesWindow]:
    """The windows the member has products in, newest first (the caller found
    ``member`` through ``member_get_for_team``)."""
    return (
        SalesWindow.objects.filter(items__member=member)
        .annotate(
            product_count=Count("items", filter=Q(items__member=member)),
            sold=Sum("items__sold", filter=Q(items__member=member)),
        )
        .select_related("cluster")
        .order_by("-opens_at", "-pk")
    )


def member_window_get(*, member: Member, window_id: int) -> SalesWindow:
    found = member_windows(member=member).filter(pk=window_id).first()
    if found is None:
        raise Http404(_("No such sales window."))
    return found


@dataclass
class PickGroup:
    """One pickup point's (or delivery's) orders and totals per product."""

    label: str
    when: str
    totals: list[tuple[str, int]] = field(default_factory=list)
    orders: list[dict[str, object]] = field(default_factory=list)


def pick_list(*, member: Member | None, window: SalesWindow) -> list[PickGroup]:
    """The live orders in ``window``, grouped by pickup point (then delivery),
    with totals per product and option; cancelled items left out. ``member``:
    only that member's lines (its pick list); None: every member's (the
    window's admins, who found ``window`` through ``admin_window_get``). Each
    order entry is one member's part of an order (its own pickup code). One
    query."""
    lines = OrderLine.objects.filter(window_item__window=window)
    if member is not None:
        lines = lines.filter(fulfilment__member=member)
    lines = (
        lines.exclude(order__status=Order.Status.CANCELLED)
        .exclude(fulfilment__status="cancelled")
        .filter(quantity__gt=F("cancelled_quantity"))
        .select_related("order", "fulfilment__pickup_event")
        .order_by(
            "fulfilment__pickup_event__starts_at",
            "fulfilment__pickup_event_id",
            "order__number",
            "fulfilment__supplier_name",
            "pk",
        )
    )
    groups: dict[object, PickGroup] = {}
    totals: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    orders: dict[object, dict[int, dict[str, object]]] = defaultdict(dict)
    for line in lines:
        event = line.fulfilment.pickup_event
        key: object = event.pk if event is not None else "delivery"
        if key not in groups:
            if event is not None:
                groups[key] = PickGroup(
                    label=f"{event.name} — {event.collection_point}",
                    when=event_window_label(event),
                )
            else:
                groups[key] = PickGroup(label=str(_("Delivery")), when="")
        name = (
            f"{line.title} ({line.variant_name})" if line.variant_name else line.title
        )
        totals[key][name] += line.live_quantity
        delivery_on = line.fulfilment.delivery_on
        entry = orders[key].setdefault(
            line.fulfilment_id,
            {
                "number": line.order.number,
                "name": line.order.name,
                "pickup_code": line.fulfilment.pickup_code,
                "status": line.fulfilment.get_status_display(),
                "member": line.fulfilment.supplier_name,
                "delivery_on": delivery_on.isoformat() if delivery_on else "",
                "items": [],
            },
        )
        entry["items"].append((name, line.live_quantity))  # type: ignore[attr-defined]
    for group_key, group in groups.items():
        group.totals = sorted(totals[group_key].items())
        group.orders = list(orders[group_key].values())
    # Delivery last, after every pickup point.
    return sorted(groups.values(), key=lambda g: g.label == str(_("Delivery")))


def pick_list_totals(groups: list[PickGroup]) -> list[tuple[str, int]]:
    """Every pickup point's totals added up, per product and option."""
    added: dict[str, int] = defaultdict(int)
    for group in groups:
        for name, n in group.totals:
            added[name] += n
    return sorted(added.items())


# --- The manage screens ---------------------------------------------------------------


def sales_window_initial(window: SalesWindow) -> dict[str, Any]:
    """The window as form values: when orders open and close in its own zone."""
    zone = ZoneInfo(window.time_zone)
    opens = window.opens_at.astimezone(zone)
    closes = window.closes_at.astimezone(zone)
    return {
        "kind": window.kind,
        "name_en": window.name_en,
        "name_mi": window.name_mi,
        "description": window.description,
        "time_zone": window.time_zone,
        "open_date": opens.date().isoformat(),
        "open_time": opens.strftime("%H:%M"),
        "close_date": closes.date().isoformat(),
        "close_time": closes.strftime("%H:%M"),
        "delivery_from": window.delivery_from.isoformat()
        if window.delivery_from
        else "",
        "delivery_until": window.delivery_until.isoformat()
        if window.delivery_until
        else "",
        "restricted_day_exemption": window.restricted_day_exemption,
        "is_active": window.is_active,
    }


def window_product_choices(
    *, cluster: Cluster, window: SalesWindow, keep: int | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Products of the cluster's approved members not yet in ``window`` (and
    ``keep``, the one being changed), grouped by member for a select. The
    caller found ``window`` through ``admin_window_get``."""
    taken = {i.product_id for i in window.items.all()} - {keep}
    products = (
        Product.objects.filter(member__in=approved_members_of(cluster))
        .exclude(status=Product.Status.ARCHIVED)
        .exclude(pk__in=taken)
        .select_related("member")
        .order_by("member__trading_name", "member__pk", "title_en", "pk")
    )
    grouped: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for product in products:
        _name, rows = grouped.setdefault(product.member_id, (product.member.name, []))
        rows.append((str(product.pk), product.title_en))
    return list(grouped.values())


def window_pickup_choices(*, window: SalesWindow) -> list[PickupEvent]:
    """The cluster's pickup events a window can take as its pickup points:
    those of no window or of this one, still to come or linked already."""
    now = timezone.now()
    return list(
        PickupEvent.objects.filter(cluster_id=window.cluster_id)
        .filter(Q(sales_window__isnull=True) | Q(sales_window=window))
        .filter(Q(ends_at__gt=now) | Q(sales_window=window))
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class ItemTotal:
    """One product of a window: sold against its cap."""

    item: SalesWindowItem
    title: str
    member: str
    sold: int
    cap: int | None
    left: int | None


def window_totals(window: SalesWindow) -> list[ItemTotal]:
    """Sold per product against its cap (``window`` from ``admin_window_get``,
    its items prefetched)."""
    items = sorted(
        window.items.all(),
        key=lambda i: (i.member.name, i.product.title_en, i.pk),
    )
    return [
        ItemTotal(
            item=i,
            title=i.product.title_en,
            member=i.member.name,
            sold=i.sold,
            cap=i.cap,
            left=i.left,
        )
        for i in items
    ]
