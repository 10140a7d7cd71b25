"""Shipping policies and rate tables: who may change them and the rules their
inputs must follow. Pickup events are in ``pickup_events``; the reads the manage
screens need are in ``purei.orders.shipping_selectors``.

Scope: a member's team (owners and staff) changes its member's policy; a cluster's
admins change the cluster's default policy and its pickup events; platform staff
read everything and change nothing. Every change is one transaction with an audit
row; every refusal of input is a ``ValidationFailed`` with per-field messages.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.money import PriceInvalid, parse_price_cents
from purei.members.models import Member
from purei.orders.models import ChilledRate, ShippingPolicy, ShippingRate, Zone
from purei.orders.shipping import NZ_ZONES
from purei.orders.shipping_selectors import shipping_owner

MAX_WEIGHT_GRAMS = 1_000_000  # one tonne: heavier is freight, quoted by hand
MAX_RATE_ROWS = 60
TEXT_LIMITS = {"pickup_address": 300, "pickup_instructions": 300}
POLICY_FIELDS = (
    "rural_surcharge_cents",
    "free_over_cents",
    "pickup_at_premises",
    "pickup_address",
    "pickup_instructions",
    "dispatch_weekdays",
    "dispatch_cutoff",
    "transit_days",
)
MAX_TRANSIT_DAYS = 14

PRICE_MESSAGES = {
    "empty": gettext_lazy("Give an amount, like 8.50."),
    "not_a_price": gettext_lazy("Give the amount in dollars and cents, like 8.50."),
    "negative": gettext_lazy("An amount can't be negative."),
    "too_many_decimals": gettext_lazy(
        "An amount has at most two decimal places, like 8.50."
    ),
    "too_large": gettext_lazy("That amount is too large: check it."),
}


@dataclass(frozen=True)
class ShippingPolicyInput:
    """A shipping policy as typed: the amounts are text like ``"5.75"`` (blank: no
    surcharge, no free shipping). The pickup at the premises is a member's only,
    with the ``pickup_address`` (then required) and ``pickup_instructions``; a
    checkbox's ``"on"`` counts as ticked."""

    rural_surcharge: str = ""
    free_over: str = ""
    pickup_at_premises: bool | str = False
    pickup_address: str = ""
    pickup_instructions: str = ""
    # Delivery days (a member's only; None leaves them as they are): the weekdays
    # it dispatches (0 Monday … 6 Sunday, numbers or their text), the order
    # cutoff as "HH:MM" New Zealand time (needed with any day), and its ordinary
    # courier days from dispatch to arrival (blank: 2).
    dispatch_weekdays: Sequence[int | str] | None = None
    dispatch_cutoff: str | None = None
    transit_days: str | int | None = None


@dataclass(frozen=True)
class ChilledRateRow:
    """One chilled courier rate as typed (a member's only): ``zone`` (North
    Island, South Island or Chatham Islands), ``price`` a parcel (text like
    "24.00", GST-inclusive) and ``transit_days`` (whole days, blank: 1). A row
    with all three blank is skipped."""

    zone: str = ""
    price: str = ""
    transit_days: str = ""


@dataclass(frozen=True)
class RateRow:
    """One row of a rate table as typed: ``zone`` (a ``Zone`` value), ``max_weight``
    (whole grams, like ``"1,000"``; blank for the open-ended tier) and ``price``
    (text like ``"8.50"``, GST-inclusive). A row with all three blank is skipped."""

    zone: str = ""
    max_weight: str = ""
    price: str = ""


class ShippingErrorCode(StrEnum):
    LOGIN_REQUIRED = "login_required"
    NOT_MEMBER_TEAM = "not_member_team"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    INVALID_POLICY = "invalid_shipping_policy"
    INVALID_RATES = "invalid_shipping_rates"
    INVALID_EVENT = "invalid_pickup_event"
    INVALID_CHILLED_RATES = "invalid_chilled_rates"


# --- Small helpers ------------------------------------------------------------------


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(str(message))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return _text(value).lower() in {"1", "true", "on", "yes"}


def _cents(
    value: Any, field: str, errors: dict[str, list[str]], *, blank: int | None
) -> int | None:
    """Text like ``"8.50"`` as cents; ``blank`` when nothing was given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return blank
    try:
        return parse_price_cents(value)
    except PriceInvalid as exc:
        _add(errors, field, str(PRICE_MESSAGES.get(str(exc), PRICE_MESSAGES["empty"])))
        return None


def _grams(value: Any, field: str, errors: dict[str, list[str]]) -> int | None:
    """A weight limit in whole grams; None (no limit) when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | float):
        _add(errors, field, _("Give the weight in whole grams, like 1000."))
        return None
    try:
        grams = int(str(value).strip().replace(",", "").replace(" ", ""))
    except ValueError:
        _add(errors, field, _("Give the weight in whole grams, like 1000."))
        return None
    if grams <= 0:
        _add(errors, field, _("A weight limit must be more than 0 g."))
        return None
    if grams > MAX_WEIGHT_GRAMS:
        _add(
            errors,
            field,
            _("At most %(max)s g: heavier goods go by freight.")
            % {"max": MAX_WEIGHT_GRAMS},
        )
        return None
    return grams


def _require_owner_of(actor: Actor, policy_owner: Member | Cluster) -> None:
    """A member's team changes its policy; a cluster's admins change the cluster's."""
    if not actor.is_authenticated:
        raise NotPermitted(
            ShippingErrorCode.LOGIN_REQUIRED, _("Log in to change shipping.")
        )
    if isinstance(policy_owner, Member):
        if not actor.is_member_team(policy_owner.pk):
            raise NotPermitted(
                ShippingErrorCode.NOT_MEMBER_TEAM,
                _("Only the team of %(member)s can change its shipping.")
                % {"member": policy_owner},
            )
    elif not actor.is_cluster_admin(policy_owner.pk):
        raise NotPermitted(
            ShippingErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the admins of %(cluster)s can change its shipping.")
            % {"cluster": policy_owner},
        )


def _audit_ids(owner: Member | Cluster) -> dict[str, int | None]:
    if isinstance(owner, Member):
        return {"member_id": owner.pk, "cluster_id": None}
    return {"member_id": None, "cluster_id": owner.pk}


# --- Shipping policy --------------------------------------------------------------


def _policy_values(
    owner: Member | Cluster,
    details: ShippingPolicyInput,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "rural_surcharge_cents": _cents(
            details.rural_surcharge, "rural_surcharge", errors, blank=0
        ),
        "free_over_cents": _cents(details.free_over, "free_over", errors, blank=None),
    }
    if values["free_over_cents"] == 0 and "free_over" not in errors:
        _add(
            errors,
            "free_over",
            _("Leave it empty for no free shipping, or give an amount over 0."),
        )
    pickup = _flag(details.pickup_at_premises)
    address = _text(details.pickup_address)
    instructions = _text(details.pickup_instructions)
    if isinstance(owner, Cluster):
        if pickup or address or instructions:
            _add(
                errors,
                "pickup_at_premises",
                _("Pickup at the premises is each member's own choice."),
            )
        pickup, address, instructions = False, "", ""
    for name, text in (
        ("pickup_address", address),
        ("pickup_instructions", instructions),
    ):
        if len(text) > TEXT_LIMITS[name]:
            _add(
                errors,
                name,
                _("Keep it to %(max)s characters.") % {"max": TEXT_LIMITS[name]},
            )
    if pickup and not address:
        _add(
            errors,
            "pickup_address",
            _("Give the address customers collect from."),
        )
    values.update(
        pickup_at_premises=pickup,
        pickup_address=address,
        pickup_instructions=instructions,
    )
    values.update(_delivery_day_values(owner, details, errors))
    return values


def _days_in_transit(
    value: Any, field: str, errors: dict[str, list[str]], *, blank: int
) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return blank
    try:
        days = int(str(value).strip())
    except ValueError:
        days = -1
    if isinstance(value, bool | float) or not 1 <= days <= MAX_TRANSIT_DAYS:
        _add(
            errors,
            field,
            _("Give a whole number of days from 1 to %(max)s.")
            % {"max": MAX_TRANSIT_DAYS},
        )
        return blank
    return days


def _delivery_day_values(
    owner: Member | Cluster,
    details: ShippingPolicyInput,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    """The delivery days as typed, checked; only those given (None: unchanged)."""
    values: dict[str, Any] = {}
    if isinstance(owner, Cluster):
        if details.dispatch_weekdays or _text(details.dispatch_cutoff):
            _add(
                errors,
                "dispatch_weekdays",
                _("Delivery days are each member's own choice."),
            )
        return values
    if details.dispatch_weekdays is not None:
        days: set[int] = set()
        for value in details.dispatch_weekdays:
            text = _text(value)
            if isinstance(value, bool) or text not in {str(n) for n in range(7)}:
                _add(errors, "dispatch_weekdays", _("Choose days of the week."))
                break
            days.add(int(text))
        values["dispatch_weekdays"] = sorted(days)
    if details.dispatch_cutoff is not None:
        text = _text(details.dispatch_cutoff)
        cutoff = None
        if text:
            try:
                cutoff = datetime.time.fromisoformat(text)
            except ValueError:
                _add(
                    errors,
                    "dispatch_cutoff",
                    _("Give the time as hours and minutes, like 12:00."),
                )
        values["dispatch_cutoff"] = cutoff
    if details.transit_days is not None:
        values["transit_days"] = _days_in_transit(
            details.transit_days, "transit_days", errors, blank=2
        )
    if (
        values.get("dispatch_weekdays")
        and "dispatch_cutoff" in values
        and values["dispatch_cutoff"] is None
        and "dispatch_cutoff" not in errors
    ):
        _add(
            errors,
            "dispatch_cutoff",
            _("Say by what time an order must come in to go the same day."),
        )
    return values


def _policy_locked(owner: Member | Cluster) -> ShippingPolicy:
    """The owner's policy, locked; created (with no rates) when it has none."""
    lookup = {"member": owner} if isinstance(owner, Member) else {"cluster": owner}
    policy = ShippingPolicy.objects.select_for_update().filter(**lookup).first()
    if policy is None:
        policy, _created = ShippingPolicy.objects.get_or_create(**lookup)
        policy = ShippingPolicy.objects.select_for_update().get(pk=policy.pk)
    return policy


def _policy_apply(
    actor: Actor, owner: Member | Cluster, values: Mapping[str, Any]
) -> ShippingPolicy:
    policy = _policy_locked(owner)
    before = snapshot(policy, POLICY_FIELDS)
    for name, value in values.items():
        setattr(policy, name, value)
    after = snapshot(policy, POLICY_FIELDS)
    if after != before:
        policy.save()
        audit_record(
            actor=actor,
            verb="shipping_policy.saved",
            target=policy,
            before=before,
            after=after,
            **_audit_ids(owner),
        )
    return policy


@transaction.atomic
def shipping_policy_save(
    *,
    actor: Actor,
    member: Member | None = None,
    cluster: Cluster | None = None,
    details: ShippingPolicyInput,
) -> ShippingPolicy:
    """Save a member's (or a cluster's default) shipping policy (see
    ``ShippingPolicyInput``)."""
    owner = shipping_owner(member, cluster)
    _require_owner_of(actor, owner)
    errors: dict[str, list[str]] = {}
    values = _policy_values(owner, details, errors)
    _chilled_needs_days(_current_policy(owner), values, None, errors)
    if errors:
        raise ValidationFailed(ShippingErrorCode.INVALID_POLICY, errors)
    return _policy_apply(actor, owner, values)


def _current_policy(owner: Member | Cluster) -> ShippingPolicy | None:
    lookup = {"member": owner} if isinstance(owner, Member) else {"cluster": owner}
    return ShippingPolicy.objects.filter(**lookup).first()


# --- Rate tables --------------------------------------------------------------------


def _blank_row(row: RateRow) -> bool:
    return not any(_text(value) for value in (row.zone, row.max_weight, row.price))


def _rate_rows(
    rows: Sequence[RateRow], errors: dict[str, list[str]]
) -> list[tuple[str, int | None, int]]:
    """Each row's (zone, max grams or None, price cents); blank rows are skipped.

    Errors are keyed ``rates.<index>.<zone|max_weight|price>`` by the row's index
    in ``rows`` (so a form can show each under its own input).
    """
    if len([row for row in rows if not _blank_row(row)]) > MAX_RATE_ROWS:
        _add(
            errors,
            "rates",
            _("At most %(max)s rates: merge some weight tiers.")
            % {"max": MAX_RATE_ROWS},
        )
        return []
    seen: dict[tuple[str, int | None], int] = {}
    out: list[tuple[str, int | None, int]] = []
    for index, row in enumerate(rows):
        if _blank_row(row):
            continue
        prefix = f"rates.{index}."
        zone = _text(row.zone)
        if zone not in Zone.values:
            _add(errors, prefix + "zone", _("Choose a zone."))
        grams = _grams(row.max_weight, prefix + "max_weight", errors)
        price = _cents(row.price, prefix + "price", errors, blank=None)
        if price is None and prefix + "price" not in errors:
            _add(errors, prefix + "price", str(PRICE_MESSAGES["empty"]))
        if any(key.startswith(prefix) for key in errors):
            continue
        assert price is not None  # noqa: S101  # for mypy: errors checked above
        key = (zone, grams)
        if key in seen:
            _add(
                errors,
                prefix + "max_weight",
                _("%(zone)s already has a rate for this weight (row %(row)s).")
                % {"zone": Zone(zone).label, "row": seen[key] + 1},
            )
            continue
        seen[key] = index
        out.append((zone, grams, price))
    return out


def _rates_snapshot(policy: ShippingPolicy) -> list[list[Any]]:
    return [
        [rate.zone, rate.max_weight_grams, rate.price_cents]
        for rate in ShippingRate.objects.filter(policy=policy).order_by(
            "zone", "max_weight_grams", "pk"
        )
    ]


def _rates_apply(
    actor: Actor,
    policy: ShippingPolicy,
    owner: Member | Cluster,
    rows: list[tuple[str, int | None, int]],
) -> list[ShippingRate]:
    before = _rates_snapshot(policy)
    wanted = sorted(
        ([zone, grams, price] for zone, grams, price in rows),
        key=lambda r: (r[0], r[1] is None, r[1] or 0),
    )
    current = sorted(before, key=lambda r: (r[0], r[1] is None, r[1] or 0))
    if wanted != current:
        ShippingRate.objects.filter(policy=policy).delete()
        ShippingRate.objects.bulk_create(
            ShippingRate(
                policy=policy, zone=zone, max_weight_grams=grams, price_cents=price
            )
            for zone, grams, price in rows
        )
        audit_record(
            actor=actor,
            verb="shipping_rates.replaced",
            target=policy,
            before={"rates": current},
            after={"rates": wanted},
            **_audit_ids(owner),
        )
    return list(ShippingRate.objects.filter(policy=policy))


@transaction.atomic
def shipping_rates_replace(
    *, actor: Actor, policy: ShippingPolicy, rows: Sequence[RateRow]
) -> list[ShippingRate]:
    """Replace the policy's whole rate table with ``rows`` (see ``RateRow``).

    A zone may not have two rates for the same weight. Any bad row means nothing
    changes.
    """
    owner = _policy_owner(policy)
    _require_owner_of(actor, owner)
    errors: dict[str, list[str]] = {}
    clean = _rate_rows(rows, errors)
    if errors:
        raise ValidationFailed(ShippingErrorCode.INVALID_RATES, errors)
    locked = ShippingPolicy.objects.select_for_update().get(pk=policy.pk)
    return _rates_apply(actor, locked, owner, clean)


# --- Chilled courier rates (a member's only) ----------------------------------------


def _chilled_rows(
    owner: Member | Cluster,
    rows: Sequence[ChilledRateRow],
    errors: dict[str, list[str]],
) -> list[tuple[str, int, int]]:
    """Each row's (zone, price cents, transit days); a row with neither price
    nor days is skipped.
    Errors are keyed ``chilled.<index>.<zone|price|transit_days>``."""
    given = [
        (index, row)
        for index, row in enumerate(rows)
        if _text(row.price) or _text(row.transit_days)
    ]
    if given and isinstance(owner, Cluster):
        _add(errors, "chilled", _("Chilled rates are each member's own."))
        return []
    seen: dict[str, int] = {}
    out: list[tuple[str, int, int]] = []
    for index, row in given:
        prefix = f"chilled.{index}."
        zone = _text(row.zone)
        if zone not in NZ_ZONES:
            _add(
                errors,
                prefix + "zone",
                _("Choose a zone in New Zealand: chilled goods are not sent abroad."),
            )
        price = _cents(row.price, prefix + "price", errors, blank=None)
        if price is None and prefix + "price" not in errors:
            _add(errors, prefix + "price", str(PRICE_MESSAGES["empty"]))
        days = _days_in_transit(
            row.transit_days, prefix + "transit_days", errors, blank=1
        )
        if any(key.startswith(prefix) for key in errors):
            continue
        assert price is not None  # noqa: S101  # for mypy: errors checked above
        if zone in seen:
            _add(
                errors,
                prefix + "zone",
                _("%(zone)s already has a chilled rate (row %(row)s).")
                % {"zone": Zone(zone).label, "row": seen[zone] + 1},
            )
            continue
        seen[zone] = index
        out.append((zone, price, days))
    return out


def _chilled_apply(
    actor: Actor,
    policy: ShippingPolicy,
    owner: Member | Cluster,
    rows: list[tuple[str, int, int]],
) -> None:
    before = sorted(
        [rate.zone, rate.price_cents, rate.transit_days]
        for rate in ChilledRate.objects.filter(policy=policy)
    )
    wanted = sorted([zone, price, days] for zone, price, days in rows)
    if wanted == before:
        return
    ChilledRate.objects.filter(policy=policy).delete()
    ChilledRate.objects.bulk_create(
        ChilledRate(policy=policy, zone=zone, price_cents=price, transit_days=days)
        for zone, price, days in rows
    )
    audit_record(
        actor=actor,
        verb="shipping_chilled_rates.replaced",
        target=policy,
        before={"chilled_rates": before},
        after={"chilled_rates": wanted},
        **_audit_ids(owner),
    )


def _chilled_needs_days(
    policy: ShippingPolicy | None,
    values: Mapping[str, Any],
    chilled: list[tuple[str, int, int]] | None,
    errors: dict[str, list[str]],
) -> None:
    """Chilled rates need delivery days: cold goods arrive only on weekdays."""
    if chilled is None:
        has_chilled = (
            policy is not None
            and ChilledRate.objects.filter(policy_id=policy.pk).exists()
        )
    else:
        has_chilled = bool(chilled)
    days = values.get(
        "dispatch_weekdays", policy.dispatch_weekdays if policy is not None else []
    )
    if has_chilled and not days and "dispatch_weekdays" not in errors:
        _add(
            errors,
            "dispatch_weekdays",
            _(
                "Choose the days you dispatch: chilled and frozen goods are sent "
                "only on delivery days."
            ),
        )


def _policy_owner(policy: ShippingPolicy) -> Member | Cluster:
    if policy.member_id is not None:
        return Member.objects.get(pk=policy.member_id)
    if policy.cluster_id is None:  # pragma: no cover - the check constraint forbids
        raise ValueError("a shipping policy belongs to a member or a cluster")
    return Cluster.objects.get(pk=policy.cluster_id)


@transaction.atomic
def shipping_settings_save(
    *,
    actor: Actor,
    member: Member | None = None,
    cluster: Cluster | None = None,
    details: ShippingPolicyInput,
    rows: Sequence[RateRow],
    chilled: Sequence[ChilledRateRow] | None = None,
) -> ShippingPolicy:
    """Save the policy, its whole rate table and (a member's, when ``chilled`` is
    given) its whole chilled rate table together (the manage form): every problem
    is reported at once, and nothing changes unless all is well. Chilled rates
    need delivery days."""
    owner = shipping_owner(member, cluster)
    _require_owner_of(actor, owner)
    errors: dict[str, list[str]] = {}
    values = _policy_values(owner, details, errors)
    clean = _rate_rows(rows, errors)
    chilled_clean = None if chilled is None else _chilled_rows(owner, chilled, errors)
    _chilled_needs_days(_current_policy(owner), values, chilled_clean, errors)
    if errors:
        raise ValidationFailed(ShippingErrorCode.INVALID_POLICY, errors)
    policy = _policy_apply(actor, owner, values)
    _rates_apply(actor, policy, owner, clean)
    if chilled_clean is not None:
        _chilled_apply(actor, policy, owner, chilled_clean)
    return policy
