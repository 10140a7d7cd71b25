"""Sales windows, kept by a cluster's admins (docs/orders.md "Sales windows",
ADR 0016): the window itself (kind, names, zone, when orders open and close,
delivery days), its products with their caps and per-customer limits, and its
pickup points — the cluster's ``PickupEvent`` rows linked to it, so checkout's
pickup choice is the one it has.

Times are typed as local dates and times in the window's zone
(``pickup_events.local_to_utc``). Delivery days on a restricted shop-trading day
need a recorded exemption, as pickup events do (``restricted_trading_day``); its
pickup points are pickup events and are checked by their own service. Every
change is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from purei.catalogue.models import Product
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import NotPermitted, ValidationFailed
from purei.orders.errors import OrderErrorCode
from purei.orders.models import PickupEvent, SalesWindow, SalesWindowItem
from purei.orders.pickup import restricted_trading_day
from purei.orders.shipping_selectors import approved_members_of

from .pickup_events import _date, _moment, _zone
from .shipping import _add, _text

WINDOW_FIELDS = (
    "kind",
    "name_en",
    "name_mi",
    "description",
    "time_zone",
    "opens_at",
    "closes_at",
    "delivery_from",
    "delivery_until",
    "restricted_day_exemption",
    "is_active",
)
DESCRIPTION_LIMIT = 2000


@dataclass(frozen=True)
class SalesWindowInput:
    """A window as typed: ``kind`` (``SalesWindow.Kind``), ``time_zone`` (IANA),
    local dates (``YYYY-MM-DD``) and times (``HH:MM``) in it when orders open
    (``open_date``/``open_time``) and close (``close_date``/``close_time``, the
    cutoff); ``delivery_from``/``delivery_until``: delivery days (blank: it
    doesn't deliver; until blank: the one day); ``restricted_day_exemption``:
    who granted one, needed when a delivery day is a restricted trading day."""

    kind: str = SalesWindow.Kind.MARKET_DAY
    name_en: str = ""
    name_mi: str = ""
    description: str = ""
    time_zone: str = "Pacific/Auckland"
    open_date: str | dt.date = ""
    open_time: str | dt.time = ""
    close_date: str | dt.date = ""
    close_time: str | dt.time = ""
    delivery_from: str | dt.date = ""
    delivery_until: str | dt.date = ""
    restricted_day_exemption: str = ""
    is_active: bool = True


@dataclass(frozen=True)
class WindowItemRow:
    """One product in a window: its cap (None: no cap beyond stock), its limit
    per customer (None: none), and whether it sells only through windows."""

    product_id: int
    cap: int | None = None
    per_customer_limit: int | None = None
    window_only: bool = True


def _require_admin(actor: Actor, cluster: Cluster) -> None:
    if not actor.is_authenticated:
        raise NotPermitted(
            OrderErrorCode.LOGIN_REQUIRED, _("Log in to change sales windows.")
        )
    if not actor.is_cluster_admin(cluster.pk):
        raise NotPermitted(
            OrderErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the admins of %(cluster)s can change its sales windows.")
            % {"cluster": cluster},
        )


def _optional_date(
    value: Any, field: str, errors: dict[str, list[str]]
) -> dt.date | None:
    if not _text(value) and not isinstance(value, dt.date):
        return None
    return _date(value, field, errors)


def _apply(
    window: SalesWindow, details: SalesWindowInput, errors: dict[str, list[str]]
) -> None:
    if details.kind not in SalesWindow.Kind.values:
        _add(errors, "kind", _("Choose a market day, a release or a box."))
    else:
        window.kind = details.kind
    for name, limit in (("name_en", 160), ("name_mi", 160)):
        text = _text(getattr(details, name))
        if name == "name_en" and not text:
            _add(errors, name, _("This is needed."))
        elif len(text) > limit:
            _add(errors, name, _("Keep it to %(max)s characters.") % {"max": limit})
        setattr(window, name, text[:limit])
    description = _text(details.description)
    if len(description) > DESCRIPTION_LIMIT:
        _add(
            errors,
            "description",
            _("Keep it to %(max)s characters.") % {"max": DESCRIPTION_LIMIT},
        )
    window.description = description[:DESCRIPTION_LIMIT]
    zone = _zone(details.time_zone, errors)
    if zone is not None:
        window.time_zone = zone.key
    opens = _moment(details.open_date, details.open_time, "open", zone, errors)
    closes = _moment(
        details.close_date,
        details.close_time,
        "close",
        zone,
        errors,
        later=True,
        default_date=details.open_date,
    )
    if opens is not None and closes is not None:
        if closes <= opens:
            _add(errors, "close_time", _("Orders must close after they open."))
        window.opens_at, window.closes_at = opens, closes
    first = _optional_date(details.delivery_from, "delivery_from", errors)
    last = _optional_date(details.delivery_until, "delivery_until", errors)
    if last is not None and first is None:
        _add(errors, "delivery_from", _("Give the first delivery day."))
    if first is not None:
        last = last or first
        if last < first:
            _add(
                errors,
                "delivery_until",
                _("The last delivery day can't be before the first."),
            )
        elif (
            closes is not None
            and zone is not None
            and first < closes.astimezone(zone).date()
        ):
            _add(
                errors,
                "delivery_from",
                _("Deliveries start on or after the day orders close."),
            )
    window.delivery_from, window.delivery_until = first, last
    exemption = _text(details.restricted_day_exemption)
    window.restricted_day_exemption = exemption
    if first is not None and last is not None and last >= first:
        restricted = restricted_trading_day(
            dt.datetime.combine(first, dt.time()),
            dt.datetime.combine(last + dt.timedelta(days=1), dt.time()),
        )
        if restricted and not exemption:
            _add(
                errors,
                "restricted_day_exemption",
                _(
                    "%(day)s is a restricted shop-trading day: the window can't "
                    "deliver then unless you record who granted an exemption."
                )
                % {"day": restricted},
            )
        elif not restricted:
            window.restricted_day_exemption = ""
    else:
        window.restricted_day_exemption = ""
    window.is_active = bool(details.is_active)


def _audit_exemption(actor: Actor, window: SalesWindow) -> None:
    if window.restricted_day_exemption:
        audit_record(
            actor=actor,
            verb="sales_window.restricted_day_exempted",
            target=window,
            cluster_id=window.cluster_id,
            after={"restricted_day_exemption": window.restricted_day_exemption},
        )


@transaction.atomic
def sales_window_create(
    *, actor: Actor, cluster: Cluster, details: SalesWindowInput
) -> SalesWindow:
    """Open a sales window in ``cluster`` (see ``SalesWindowInput``)."""
    _require_admin(actor, cluster)
    window = SalesWindow(cluster=cluster)
    errors: dict[str, list[str]] = {}
    _apply(window, details, errors)
    if errors:
        raise ValidationFailed(OrderErrorCode.INVALID_WINDOW, errors)
    window.save()
    audit_record(
        actor=actor,
        verb="sales_window.created",
        target=window,
        cluster_id=cluster.pk,
        after=snapshot(window, WINDOW_FIELDS),
    )
    _audit_exemption(actor, window)
    return window


@transaction.atomic
def sales_window_update(
    *, actor: Actor, window: SalesWindow, details: SalesWindowInput
) -> SalesWindow:
    """Change a window (the same inputs as ``sales_window_create``)."""
    cluster = Cluster.objects.get(pk=window.cluster_id)
    _require_admin(actor, cluster)
    window = SalesWindow.objects.select_for_update().get(pk=window.pk)
    before = snapshot(window, WINDOW_FIELDS)
    errors: dict[str, list[str]] = {}
    _apply(window, details, errors)
    if errors:
        raise ValidationFailed(OrderErrorCode.INVALID_WINDOW, errors)
    window.save()
    after = snapshot(window, WINDOW_FIELDS)
    if after != before:
        audit_record(
            actor=actor,
            verb="sales_window.updated",
            target=window,
            cluster_id=cluster.pk,
            before=before,
            after=after,
        )
        if before["restricted_day_exemption"] != after["restricted_day_exemption"]:
            _audit_exemption(actor, window)
    return window


def _limit(value: Any, field: str, errors: dict[str, list[str]]) -> int | None:
    if value is None or _text(value) == "":
        return None
    try:
        number = int(_text(value))
    except ValueError:
        number = 0
    if not 1 <= number <= 1_000_000:
        _add(errors, field, _("Give a whole number from 1, or leave it blank."))
        return None
    return number


@transaction.atomic
def sales_window_items_set(
    *, actor: Actor, window: SalesWindow, rows: Sequence[WindowItemRow]
) -> list[SalesWindowItem]:
    """Set the window's products (each a product of an approved member of its
    cluster) with their caps and limits; products left out are taken out,
    unless some were sold (then lower its cap instead). A cap can't go below
    what is sold."""
    cluster = Cluster.objects.get(pk=window.cluster_id)
    _require_admin(actor, cluster)
    window = SalesWindow.objects.select_for_update().get(pk=window.pk)
    errors: dict[str, list[str]] = {}
    wanted: dict[int, WindowItemRow] = {}
    for row in rows:
        try:
            wanted[int(row.product_id)] = row
        except (TypeError, ValueError):
            _add(errors, "items", _("Choose products from the list."))
    products = {
        p.pk: p
        for p in Product.objects.filter(
            pk__in=list(wanted), member__in=approved_members_of(cluster)
        ).select_related("member")
    }
    if set(wanted) - set(products):
        _add(
            errors,
            "items",
            _("Only products of approved members of %(cluster)s can take part.")
            % {"cluster": cluster},
        )
    existing = {
        item.product_id: item
        for item in SalesWindowItem.objects.select_for_update().filter(window=window)
    }
    for product_id, item in existing.items():
        if product_id not in wanted and item.sold:
            _add(
                errors,
                f"items.{product_id}",
                _("%(n)s of it are sold in this window: it can't be taken out.")
                % {"n": item.sold},
            )
    kept: list[SalesWindowItem] = []
    for product_id, row in wanted.items():
        cap = _limit(row.cap, f"items.{product_id}.cap", errors)
        limit = _limit(
            row.per_customer_limit, f"items.{product_id}.per_customer_limit", errors
        )
        product = products.get(product_id)
        if product is None:
            continue
        item = existing.get(product_id) or SalesWindowItem(
            window=window, product=product, member=product.member
        )
        if cap is not None and cap < item.sold:
            _add(
                errors,
                f"items.{product_id}.cap",
                _("%(n)s are sold already: the cap can't be lower.") % {"n": item.sold},
            )
        item.cap, item.per_customer_limit = cap, limit
        item.window_only = bool(row.window_only)
        kept.append(item)
    if errors:
        raise ValidationFailed(OrderErrorCode.INVALID_WINDOW, errors)
    before = {
        str(pid): [i.cap, i.per_customer_limit, i.window_only]
        for pid, i in existing.items()
    }
    SalesWindowItem.objects.filter(window=window).exclude(
        product_id__in=list(wanted)
    ).delete()
    for item in kept:
        item.save()
    after = {
        str(i.product_id): [i.cap, i.per_customer_limit, i.window_only] for i in kept
    }
    if before != after:
        audit_record(
            actor=actor,
            verb="sales_window.items_set",
            target=window,
            cluster_id=cluster.pk,
            before=before,
            after=after,
        )
    return kept


@transaction.atomic
def sales_window_pickups_set(
    *, actor: Actor, window: SalesWindow, event_ids: Sequence[int | str]
) -> list[PickupEvent]:
    """Make these pickup events of the cluster the window's pickup points (an
    event belongs to one window at most; its own service checked its day)."""
    cluster = Cluster.objects.get(pk=window.cluster_id)
    _require_admin(actor, cluster)
    errors: dict[str, list[str]] = {}
    ids: set[int] = set()
    for value in event_ids:
        try:
            ids.add(int(str(value)))
        except ValueError:
            _add(errors, "pickup_points", _("Choose pickup events from the list."))
    events = list(
        PickupEvent.objects.select_for_update().filter(cluster=cluster, pk__in=ids)
    )
    if len(events) != len(ids):
        _add(errors, "pickup_points", _("Choose pickup events of this cluster."))
    for event in events:
        if event.sales_window_id not in (None, window.pk):
            _add(
                errors,
                "pickup_points",
                _("%(event)s is a pickup point of another window.")
                % {"event": event.name_en},
            )
    if errors:
        raise ValidationFailed(OrderErrorCode.INVALID_WINDOW, errors)
    before = sorted(
        PickupEvent.objects.filter(sales_window=window).values_list("pk", flat=True)
    )
    PickupEvent.objects.filter(sales_window=window).exclude(pk__in=ids).update(
        sales_window=None
    )
    PickupEvent.objects.filter(pk__in=ids).update(sales_window=window)
    if before != sorted(ids):
        audit_record(
            actor=actor,
            verb="sales_window.pickup_points_set",
            target=window,
            cluster_id=cluster.pk,
            before={"pickup_points": before},
            after={"pickup_points": sorted(ids)},
        )
    return sorted(events, key=lambda e: (e.starts_at, e.pk))
