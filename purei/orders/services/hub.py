"""Hub delivery (docs/orders.md "Hub delivery"): a cluster's settings, the one
parcel an order's parts become, members dropping their parts at the hub, and the
hub dispatching the parcel.

Scope: a cluster's admins change its hub delivery and dispatch its parcels (the
hub is theirs: the cluster's depot or a member's premises they name); a member's
team (owners and staff) marks its own part dropped at the hub; platform staff
read and change nothing. Each change is one transaction with an audit row.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.csv_safe import formula_start_message, starts_like_formula
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.orders.hub import WEEKDAYS
from purei.orders.models import (
    Consignment,
    Fulfilment,
    HubDelivery,
    HubSplitRule,
    Order,
    ShippingPolicy,
    ShippingRate,
)
from purei.orders.services.shipping import (
    RateRow,
    _cents,
    _rate_rows,
    _rates_apply,
)

S = Fulfilment.Status
HUB_FIELDS = (
    "enabled",
    "hub_name",
    "hub_address",
    "cutoff_kind",
    "cutoff_weekday",
    "cutoff_time",
    "cutoff_hours",
    "split_rule",
)
MAX_CUTOFF_HOURS = 24 * 14
MAX_TEXT = 64


class HubErrorCode(StrEnum):
    LOGIN_REQUIRED = "login_required"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    NOT_MEMBER_TEAM = "not_member_team"
    INVALID_HUB = "invalid_hub_delivery"
    NOT_VIA_HUB = "not_via_hub"
    NOT_PAID = "order_not_paid"
    PARTS_MISSING = "hub_parts_missing"
    PARCEL_LEFT = "hub_parcel_left"
    INVALID_INPUT = "invalid_input"


class HubRefused(DomainError):
    """The order or part is not in a state that allows this: 409."""

    status = 409


@dataclass(frozen=True)
class HubSettingsInput:
    """Hub delivery as typed. ``cutoff_kind`` is "weekly" (``cutoff_weekday`` 0
    Monday … 6 Sunday, ``cutoff_time`` "HH:MM" New Zealand time) or "hours"
    (``cutoff_hours``, whole hours after the order is paid); ``split_rule`` is
    "weight", "value" or "equal"; the rates are rows like a shipping rate table,
    with the rural surcharge and free-shipping threshold as text ("5.75")."""

    enabled: bool | str = False
    hub_name: str = ""
    hub_address: str = ""
    cutoff_kind: str = HubDelivery.Cutoff.HOURS
    cutoff_weekday: str | int | None = None
    cutoff_time: str = ""
    cutoff_hours: str | int | None = None
    split_rule: str = HubSplitRule.WEIGHT
    rural_surcharge: str = ""
    free_over: str = ""
    rates: Sequence[RateRow] = field(default_factory=tuple)


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(str(message))


def _flag(value: bool | str) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "on", "yes"}


def _text(errors: dict[str, list[str]], name: str, value: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        _add(errors, name, _("Keep it to %(max)s characters.") % {"max": limit})
    elif starts_like_formula(text):
        _add(errors, name, formula_start_message())
    return text


def _whole(value: str | int | None) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _require_admin(actor: Actor, cluster_id: int) -> None:
    if not actor.is_authenticated:
        raise NotPermitted(HubErrorCode.LOGIN_REQUIRED, _("Log in first."))
    if not actor.is_cluster_admin(cluster_id):
        raise NotPermitted(
            HubErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins run its hub delivery."),
        )


# --- Settings -------------------------------------------------------------------


def _hub_values(
    details: HubSettingsInput, errors: dict[str, list[str]]
) -> dict[str, object]:
    enabled = _flag(details.enabled)
    name = _text(errors, "hub_name", details.hub_name, 120)
    address = _text(errors, "hub_address", details.hub_address, 300)
    values: dict[str, object] = {
        "enabled": enabled,
        "hub_name": name,
        "hub_address": address,
        "cutoff_weekday": None,
        "cutoff_time": None,
        "cutoff_hours": None,
    }
    if enabled and not name:
        _add(errors, "hub_name", _("Name the hub: the depot or member's premises."))
    if enabled and not address:
        _add(errors, "hub_address", _("Give the hub's address for members."))
    kind = (details.cutoff_kind or "").strip()
    if kind not in HubDelivery.Cutoff.values:
        _add(errors, "cutoff_kind", _("Choose how the drop-off cutoff works."))
    values["cutoff_kind"] = kind
    if kind == HubDelivery.Cutoff.WEEKLY:
        day = _whole(details.cutoff_weekday)
        if day not in WEEKDAYS:
            _add(errors, "cutoff_weekday", _("Choose the day of the week."))
        values["cutoff_weekday"] = day
        try:
            values["cutoff_time"] = datetime.time.fromisoformat(
                (details.cutoff_time or "").strip()
            )
        except ValueError:
            _add(
                errors,
                "cutoff_time",
                _("Give the time as hours and minutes, like 12:00."),
            )
    elif kind == HubDelivery.Cutoff.HOURS:
        hours = _whole(details.cutoff_hours)
        if hours is None or not 1 <= hours <= MAX_CUTOFF_HOURS:
            _add(
                errors,
                "cutoff_hours",
                _("Give a whole number of hours from 1 to %(max)s.")
                % {"max": MAX_CUTOFF_HOURS},
            )
        values["cutoff_hours"] = hours
    rule = (details.split_rule or "").strip()
    if rule not in HubSplitRule.values:
        _add(errors, "split_rule", _("Choose how the charge is shared."))
    values["split_rule"] = rule
    return values


@transaction.atomic
def hub_settings_save(
    *, actor: Actor, cluster: Cluster, details: HubSettingsInput
) -> HubDelivery:
    """Save the cluster's hub delivery and its whole rate table together: every
    problem is reported at once and nothing changes unless all is well. Offering
    it needs the hub's name and address and at least one rate."""
    _require_admin(actor, cluster.pk)
    errors: dict[str, list[str]] = {}
    values = _hub_values(details, errors)
    rural = _cents(details.rural_surcharge, "rural_surcharge", errors, blank=0)
    free_over = _cents(details.free_over, "free_over", errors, blank=None)
    if free_over == 0 and "free_over" not in errors:
        _add(
            errors,
            "free_over",
            _("Leave it empty for no free delivery, or give an amount over 0."),
        )
    rows = _rate_rows(details.rates, errors)
    if (
        values["enabled"]
        and not rows
        and not any(k.startswith("rates") for k in errors)
    ):
        _add(errors, "rates", _("Give at least one rate to offer hub delivery."))
    if errors:
        raise ValidationFailed(HubErrorCode.INVALID_HUB, errors)
    hub = HubDelivery.objects.select_for_update().filter(cluster=cluster).first()
    if hub is None:
        hub = HubDelivery(cluster=cluster)
        before: dict[str, object] = {}
    else:
        before = snapshot(hub, HUB_FIELDS)
    for name, value in values.items():
        setattr(hub, name, value)
    hub.save()
    policy, _created = ShippingPolicy.objects.get_or_create(hub=hub)
    policy.rural_surcharge_cents = rural or 0
    policy.free_over_cents = free_over
    policy.save(update_fields=["rural_surcharge_cents", "free_over_cents"])
    _rates_apply(actor, policy, cluster, rows)
    after = snapshot(hub, HUB_FIELDS) | {
        "rural_surcharge_cents": policy.rural_surcharge_cents,
        "free_over_cents": policy.free_over_cents,
    }
    audit_record(
        actor=actor,
        verb="hub_delivery.saved",
        target=hub,
        cluster_id=cluster.pk,
        before=before,
        after=after,
    )
    return hub


def hub_rates(hub: HubDelivery | None) -> list[ShippingRate]:
    """The hub's rate table (for its settings screen and the API)."""
    if hub is None:
        return []
    return list(ShippingRate.objects.filter(policy__hub=hub))


# --- The parcel ------------------------------------------------------------------


def hub_parcel_open(
    *, order: Order, point: str, charge_cents: int, split_rule: str
) -> Consignment:
    """The order's one parcel, gathering at the hub (inside checkout's
    transaction: called by ``order_place`` only)."""
    return Consignment.objects.create(
        order=order,
        kind=Consignment.Kind.HUB,
        consolidation_point=point[:200],
        charge_cents=charge_cents,
        split_rule=split_rule,
    )


def _live_hub_parts(order: Order) -> list[Fulfilment]:
    return list(
        Fulfilment.objects.select_for_update()
        .filter(order=order, via_hub=True)
        .exclude(status=S.CANCELLED)
        .order_by("pk")
    )


@transaction.atomic
def hub_drop_mark(
    *, actor: Actor, fulfilment: Fulfilment, now: datetime.datetime | None = None
) -> Fulfilment:
    """The member has dropped its part at the hub (a new part is packed by then).
    Marking it again changes nothing."""
    if not actor.is_authenticated:
        raise NotPermitted(HubErrorCode.LOGIN_REQUIRED, _("Log in first."))
    if not actor.is_member_team(fulfilment.member_id):
        raise NotPermitted(
            HubErrorCode.NOT_MEMBER_TEAM,
            _("Only the business's own team can say its part is at the hub."),
        )
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=fulfilment.order_id)
    locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
    if not locked.via_hub:
        raise HubRefused(
            HubErrorCode.NOT_VIA_HUB, _("This part is not sent through the hub.")
        )
    if order.status != Order.Status.PAID:
        raise HubRefused(
            HubErrorCode.NOT_PAID,
            _("This order is not paid: keep the part until it is."),
        )
    if locked.status not in (S.NEW, S.PACKED):
        raise HubRefused(
            HubErrorCode.PARCEL_LEFT,
            _("A part that is %(status)s can't be dropped at the hub.")
            % {"status": S(locked.status).label.lower()},
        )
    if locked.hub_dropped_at is not None:
        return locked
    locked.hub_dropped_at = now
    fields = ["hub_dropped_at", "updated_at"]
    if locked.status == S.NEW:
        locked.status = S.PACKED
        locked.packed_at = now
        fields += ["status", "packed_at"]
    locked.save(update_fields=fields)
    audit_record(
        actor=actor,
        verb="fulfilment.hub_dropped",
        target=locked,
        cluster_id=order.cluster_id,
        member_id=locked.member_id,
        after={"order": order.number, "status": locked.status},
    )
    return locked


@transaction.atomic
def hub_parcel_dispatch(
    *,
    actor: Actor,
    order: Order,
    carrier: str,
    tracking_number: str,
    now: datetime.datetime | None = None,
) -> Consignment:
    """Send the order's one parcel from the hub: every part still in it is
    marked shipped with the carrier and tracking number, and the shopper gets
    one "shipped" email. Every part must be at the hub first."""
    _require_admin(actor, order.cluster_id)
    now = now or timezone.now()
    locked_order = Order.objects.select_for_update().get(pk=order.pk)
    parcel = (
        Consignment.objects.select_for_update()
        .filter(order=locked_order, kind=Consignment.Kind.HUB)
        .first()
    )
    if parcel is None:
        raise HubRefused(
            HubErrorCode.NOT_VIA_HUB, _("This order is not sent through the hub.")
        )
    if parcel.status != Consignment.Status.GATHERING:
        raise HubRefused(HubErrorCode.PARCEL_LEFT, _("This parcel has left."))
    if locked_order.status != Order.Status.PAID:
        raise HubRefused(
            HubErrorCode.NOT_PAID, _("This order is not paid: nothing can be sent.")
        )
    errors: dict[str, list[str]] = {}
    carrier = _text(errors, "carrier", carrier, MAX_TEXT)
    tracking = _text(errors, "tracking_number", tracking_number, MAX_TEXT)
    if not carrier and "carrier" not in errors:
        _add(errors, "carrier", _("Say which carrier has the parcel."))
    if not tracking and "tracking_number" not in errors:
        _add(errors, "tracking_number", _("Give the parcel's tracking number."))
    if errors:
        raise ValidationFailed(HubErrorCode.INVALID_INPUT, errors)
    parts = _live_hub_parts(locked_order)
    missing = [part.supplier_name for part in parts if part.hub_dropped_at is None]
    if missing or not parts:
        raise HubRefused(
            HubErrorCode.PARTS_MISSING,
            _("Not every part is at the hub yet: waiting for %(members)s.")
            % {"members": ", ".join(missing) or "—"},
        )
    for part in parts:
        part.status = S.SHIPPED
        part.dispatched_at = now
        part.carrier = carrier
        part.tracking_number = tracking
        part.updated_at = now
    Fulfilment.objects.bulk_update(
        parts, ["status", "dispatched_at", "carrier", "tracking_number", "updated_at"]
    )
    parcel.status = Consignment.Status.LEFT
    parcel.carrier = carrier
    parcel.waybill = tracking
    parcel.left_on = timezone.localdate(now)
    parcel.save()
    audit_record(
        actor=actor,
        verb="hub_parcel.dispatched",
        target=parcel,
        cluster_id=locked_order.cluster_id,
        after={
            "order": locked_order.number,
            "carrier": carrier,
            "tracking_number": tracking,
            "parts": [part.pk for part in parts],
        },
    )
    from purei.orders.tasks import hub_parcel_shipped_notify

    transaction.on_commit(
        partial(hub_parcel_shipped_notify.enqueue, order_id=locked_order.pk)
    )
    return parcel
