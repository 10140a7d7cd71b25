"""Shipping policies, rate tables and pickup events: who may change them, the rules
their inputs must follow, and the reads the manage screens need.

Scope: a member's team (owners and staff) changes its member's policy; a cluster's
admins change the cluster's default policy and its pickup events; platform staff
read everything and change nothing. Every change is one transaction with an audit
row; every refusal of input is a ``ValidationFailed`` with per-field messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.money import PriceInvalid, format_cents, parse_price_cents
from purei.members.models import Member, Membership
from purei.orders.models import PickupEvent, ShippingPolicy, ShippingRate, Zone
from purei.orders.pickup import restricted_trading_day

MAX_WEIGHT_GRAMS = 1_000_000  # one tonne: heavier is freight, quoted by hand
MAX_RATE_ROWS = 60
TEXT_LIMITS = {"pickup_address": 300, "pickup_instructions": 300}
EVENT_TEXT_LIMITS = {
    "name_en": 160,
    "name_mi": 160,
    "venue": 200,
    "address": 300,
    "collection_point": 200,
}
EVENT_REQUIRED = ("name_en", "venue", "collection_point")
POLICY_FIELDS = (
    "rural_surcharge_cents",
    "free_over_cents",
    "pickup_at_premises",
    "pickup_address",
    "pickup_instructions",
)
EVENT_FIELDS = (
    "name_en",
    "name_mi",
    "venue",
    "address",
    "collection_point",
    "time_zone",
    "starts_at",
    "ends_at",
    "order_cutoff",
    "restricted_day_exemption",
    "is_active",
)

PRICE_MESSAGES = {
    "empty": gettext_lazy("Give an amount, like 8.50."),
    "not_a_price": gettext_lazy("Give the amount in dollars and cents, like 8.50."),
    "negative": gettext_lazy("An amount can't be negative."),
    "too_many_decimals": gettext_lazy(
        "An amount has at most two decimal places, like 8.50."
    ),
    "too_large": gettext_lazy("That amount is too large: check it."),
}


class ShippingErrorCode(StrEnum):
    LOGIN_REQUIRED = "login_required"
    NOT_MEMBER_TEAM = "not_member_team"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    INVALID_POLICY = "invalid_shipping_policy"
    INVALID_RATES = "invalid_shipping_rates"
    INVALID_EVENT = "invalid_pickup_event"


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


def _require_admin(actor: Actor, cluster: Cluster) -> None:
    if not actor.is_authenticated:
        raise NotPermitted(
            ShippingErrorCode.LOGIN_REQUIRED, _("Log in to change pickup events.")
        )
    if not actor.is_cluster_admin(cluster.pk):
        raise NotPermitted(
            ShippingErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the admins of %(cluster)s can change its pickup events.")
            % {"cluster": cluster},
        )


def _owner(member: Member | None, cluster: Cluster | None) -> Member | Cluster:
    if (member is None) == (cluster is None):
        raise TypeError("give exactly one of member= or cluster=")
    owner = member if member is not None else cluster
    assert owner is not None  # noqa: S101  # for mypy: checked just above
    return owner


def _audit_ids(owner: Member | Cluster) -> dict[str, int | None]:
    if isinstance(owner, Member):
        return {"member_id": owner.pk, "cluster_id": None}
    return {"member_id": None, "cluster_id": owner.pk}


# --- Shipping policy --------------------------------------------------------------


def _policy_values(
    owner: Member | Cluster, data: Mapping[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "rural_surcharge_cents": _cents(
            data.get("rural_surcharge"), "rural_surcharge", errors, blank=0
        ),
        "free_over_cents": _cents(
            data.get("free_over"), "free_over", errors, blank=None
        ),
    }
    if values["free_over_cents"] == 0 and "free_over" not in errors:
        _add(
            errors,
            "free_over",
            _("Leave it empty for no free shipping, or give an amount over 0."),
        )
    pickup = _flag(data.get("pickup_at_premises"))
    address = _text(data.get("pickup_address"))
    instructions = _text(data.get("pickup_instructions"))
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
    data: Mapping[str, Any],
) -> ShippingPolicy:
    """Save a member's (or a cluster's default) shipping policy.

    ``data``: ``rural_surcharge`` and ``free_over`` as text like ``"5.75"`` (blank:
    no surcharge, no free shipping); for a member, ``pickup_at_premises`` with the
    ``pickup_address`` (then required) and ``pickup_instructions``.
    """
    owner = _owner(member, cluster)
    _require_owner_of(actor, owner)
    errors: dict[str, list[str]] = {}
    values = _policy_values(owner, data, errors)
    if errors:
        raise ValidationFailed(ShippingErrorCode.INVALID_POLICY, errors)
    return _policy_apply(actor, owner, values)


# --- Rate tables --------------------------------------------------------------------


def _blank_row(row: Mapping[str, Any]) -> bool:
    return not any(_text(row.get(name)) for name in ("zone", "max_weight", "price"))


def _rate_rows(
    rows: Sequence[Mapping[str, Any]], errors: dict[str, list[str]]
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
        zone = _text(row.get("zone"))
        if zone not in Zone.values:
            _add(errors, prefix + "zone", _("Choose a zone."))
        grams = _grams(row.get("max_weight"), prefix + "max_weight", errors)
        price = _cents(row.get("price"), prefix + "price", errors, blank=None)
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
    *, actor: Actor, policy: ShippingPolicy, rows: Sequence[Mapping[str, Any]]
) -> list[ShippingRate]:
    """Replace the policy's whole rate table with ``rows``.

    Each row: ``zone`` (a ``Zone`` value), ``max_weight`` (whole grams; blank for
    the open-ended tier) and ``price`` (text like ``"8.50"``, GST-inclusive). A zone
    may not have two rates for the same weight. Any bad row means nothing changes.
    """
    owner = _policy_owner(policy)
    _require_owner_of(actor, owner)
    errors: dict[str, list[str]] = {}
    clean = _rate_rows(rows, errors)
    if errors:
        raise ValidationFailed(ShippingErrorCode.INVALID_RATES, errors)
    locked = ShippingPolicy.objects.select_for_update().get(pk=policy.pk)
    return _rates_apply(actor, locked, owner, clean)


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
    data: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
) -> ShippingPolicy:
    """Save the policy and its whole rate table together (the manage form): every
    problem of both is reported at once, and nothing changes unless all is well."""
    owner = _owner(member, cluster)
    _require_owner_of(actor, owner)
    errors: dict[str, list[str]] = {}
    values = _policy_values(owner, data, errors)
    clean = _rate_rows(rows, errors)
    if errors:
        raise ValidationFailed(ShippingErrorCode.INVALID_POLICY, errors)
    policy = _policy_apply(actor, owner, values)
    _rates_apply(actor, policy, owner, clean)
    return policy


# --- Reads for the manage screens ------------------------------------------------


def shipping_policy_get_for(
    *, actor: Actor, member: Member | None = None, cluster: Cluster | None = None
) -> ShippingPolicy | None:
    """The member's (or cluster's) policy with its rates, for those who may see it:
    the member's team, the cluster's admins, platform staff. None if it has none."""
    owner = _owner(member, cluster)
    if not actor.is_platform_staff:
        allowed = (
            actor.is_member_team(owner.pk)
            if isinstance(owner, Member)
            else actor.is_cluster_admin(owner.pk)
        )
        if not allowed:
            raise Http404(_("No shipping you manage lives here."))
    lookup = {"member": owner} if isinstance(owner, Member) else {"cluster": owner}
    return ShippingPolicy.objects.prefetch_related("rates").filter(**lookup).first()


@dataclass(frozen=True)
class ClusterDefault:
    """A cluster a member sells in, and the default shipping it falls back to."""

    cluster: Cluster
    policy: ShippingPolicy | None

    @property
    def rates(self) -> list[ShippingRate]:
        return list(self.policy.rates.all()) if self.policy else []


def cluster_defaults_for_member(
    *, actor: Actor, member: Member
) -> list[ClusterDefault]:
    """The default shipping of each cluster the member is approved in (two queries)."""
    if not (actor.is_platform_staff or actor.is_member_team(member.pk)):
        raise Http404(_("No shipping you manage lives here."))
    clusters = list(
        Cluster.objects.filter(
            memberships__member=member,
            memberships__status=Membership.Status.APPROVED,
        ).order_by("name_en", "pk")
    )
    policies = {
        p.cluster_id: p
        for p in ShippingPolicy.objects.filter(cluster__in=clusters).prefetch_related(
            "rates"
        )
    }
    return [ClusterDefault(cluster=c, policy=policies.get(c.pk)) for c in clusters]


def rate_rows_initial(policy: ShippingPolicy | None) -> list[dict[str, str]]:
    """The policy's rates as form rows (text, as typed)."""
    if policy is None:
        return []
    return [
        {
            "zone": rate.zone,
            "max_weight": ""
            if rate.max_weight_grams is None
            else str(rate.max_weight_grams),
            "price": format_cents(rate.price_cents),
        }
        for rate in sorted(
            policy.rates.all(),
            key=lambda r: (
                Zone.values.index(r.zone),
                r.max_weight_grams is None,
                r.max_weight_grams or 0,
            ),
        )
    ]


def policy_initial(policy: ShippingPolicy | None) -> dict[str, Any]:
    """The policy as form values (text, as typed)."""
    if policy is None:
        return {}
    return {
        "rural_surcharge": format_cents(policy.rural_surcharge_cents)
        if policy.rural_surcharge_cents
        else "",
        "free_over": ""
        if policy.free_over_cents is None
        else format_cents(policy.free_over_cents),
        "pickup_at_premises": policy.pickup_at_premises,
        "pickup_address": policy.pickup_address,
        "pickup_instructions": policy.pickup_instructions,
    }


# --- Pickup events ----------------------------------------------------------------


def pickup_event_list_for_cluster(
    *, actor: Actor, cluster: Cluster
) -> QuerySet[PickupEvent]:
    """Every event of the cluster, soonest first, with who takes part."""
    if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
        raise Http404(_("No cluster you manage lives here."))
    return (
        PickupEvent.objects.filter(cluster=cluster)
        .prefetch_related("members")
        .order_by("-is_active", "starts_at", "pk")
    )


def pickup_event_get_for(
    *, actor: Actor, cluster: Cluster, event_id: int
) -> PickupEvent:
    """One of the cluster's events, or ``Http404``."""
    try:
        return pickup_event_list_for_cluster(actor=actor, cluster=cluster).get(
            pk=event_id
        )
    except PickupEvent.DoesNotExist:
        raise Http404(_("No such pickup event.")) from None


def approved_members_of(cluster: Cluster) -> QuerySet[Member]:
    """The cluster's approved members, by name (choices for an event)."""
    return (
        Member.objects.filter(
            memberships__cluster=cluster,
            memberships__status=Membership.Status.APPROVED,
        )
        .distinct()
        .order_by("trading_name", "legal_name", "pk")
    )


@dataclass(frozen=True)
class LocalTime:
    """A wall-clock time in a zone, resolved to one instant."""

    at: dt.datetime  # aware, in the zone
    ambiguous: bool = False


def local_to_utc(
    day: dt.date, time: dt.time, zone: ZoneInfo, *, later: bool = False
) -> LocalTime | None:
    """The instant a local date and time names in ``zone``.

    None when the time does not exist that day (the hour skipped when daylight
    saving starts). When it happens twice (the hour repeated when daylight saving
    ends), the first occurrence is taken, or the second with ``later=True`` (used
    for the end of a window, so the window is never cut short).
    """
    naive = dt.datetime.combine(day, time)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None
    ambiguous = first.utcoffset() != second.utcoffset()
    chosen = second if (ambiguous and later) else first
    return LocalTime(at=chosen.astimezone(dt.UTC), ambiguous=ambiguous)


def _date(value: Any, field: str, errors: dict[str, list[str]]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        _add(errors, field, _("Give a date."))
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _add(errors, field, _("Give the date as YYYY-MM-DD, like 2027-02-06."))
        return None


def _time(value: Any, field: str, errors: dict[str, list[str]]) -> dt.time | None:
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    text = _text(value)
    if not text:
        _add(errors, field, _("Give a time."))
        return None
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        _add(errors, field, _("Give the time as HH:MM on a 24-hour clock, like 09:00."))
        return None


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def _zone(value: Any, errors: dict[str, list[str]]) -> ZoneInfo | None:
    name = _text(value)
    if not name:
        _add(errors, "time_zone", _("Choose the event's time zone."))
        return None
    if name not in _zone_names():
        _add(
            errors,
            "time_zone",
            _("“%(zone)s” is not a time zone name like Pacific/Auckland.")
            % {"zone": name},
        )
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        _add(errors, "time_zone", _("That time zone is not known."))
        return None


def _moment(
    data: Mapping[str, Any],
    prefix: str,
    zone: ZoneInfo | None,
    errors: dict[str, list[str]],
    *,
    later: bool = False,
    default_date: Any = None,
) -> dt.datetime | None:
    day_value = data.get(f"{prefix}_date")
    if not _text(day_value) and default_date is not None:
        day_value = default_date
    day = _date(day_value, f"{prefix}_date", errors)
    time = _time(data.get(f"{prefix}_time"), f"{prefix}_time", errors)
    if day is None or time is None or zone is None:
        return None
    local = local_to_utc(day, time, zone, later=later)
    if local is None:
        _add(
            errors,
            f"{prefix}_time",
            _(
                "%(time)s doesn't happen on %(day)s in this time zone: the clocks "
                "go forward. Choose a time an hour later."
            )
            % {"time": time.strftime("%H:%M"), "day": day.isoformat()},
        )
        return None
    return local.at


def _members_chosen(
    cluster: Cluster, value: Any, errors: dict[str, list[str]]
) -> list[Member]:
    raw: Iterable[Any]
    if value is None or value == "":
        raw = []
    elif isinstance(value, str | int):
        raw = [value]
    else:
        raw = value
    ids: list[int] = []
    for item in raw:
        pk = item.pk if isinstance(item, Member) else item
        try:
            ids.append(int(str(pk)))
        except ValueError:
            _add(errors, "members", _("Choose members from the list."))
            return []
    if not ids:
        return []
    members = list(approved_members_of(cluster).filter(pk__in=ids))
    if len({m.pk for m in members}) != len(set(ids)):
        _add(
            errors,
            "members",
            _("Only approved members of %(cluster)s can take part.")
            % {"cluster": cluster},
        )
        return []
    return members


def _event_apply(
    event: PickupEvent,
    cluster: Cluster,
    data: Mapping[str, Any],
    errors: dict[str, list[str]],
) -> list[Member] | None:
    """Check ``data`` and set it on ``event``; the members chosen (None: unchanged)."""
    for name, limit in EVENT_TEXT_LIMITS.items():
        text = _text(data.get(name))
        if name in EVENT_REQUIRED and not text:
            _add(errors, name, _("This is needed."))
        elif len(text) > limit:
            _add(errors, name, _("Keep it to %(max)s characters.") % {"max": limit})
        setattr(event, name, text[:limit])
    zone = _zone(data.get("time_zone"), errors)
    if zone is not None:
        event.time_zone = zone.key
    starts = _moment(data, "start", zone, errors)
    ends = _moment(
        data, "end", zone, errors, later=True, default_date=data.get("start_date")
    )
    cutoff = _moment(data, "cutoff", zone, errors)
    if starts is not None and ends is not None and ends <= starts:
        _add(errors, "end_time", _("The end must be after the start."))
    if cutoff is not None and ends is not None and cutoff > ends:
        _add(
            errors,
            "cutoff_time",
            _("Orders must close before the pickup ends."),
        )
    exemption = _text(data.get("restricted_day_exemption"))
    event.restricted_day_exemption = exemption
    if starts is not None and ends is not None and zone is not None:
        restricted = restricted_trading_day(
            starts.astimezone(zone), ends.astimezone(zone)
        )
        if restricted and not exemption:
            _add(
                errors,
                "restricted_day_exemption",
                _(
                    "%(day)s is a restricted shop-trading day: a market can't be "
                    "held then unless you record who granted an exemption."
                )
                % {"day": restricted},
            )
        elif not restricted and exemption:
            # Nothing to exempt: keep no stale note on an ordinary day.
            event.restricted_day_exemption = ""
    if starts is not None and ends is not None and cutoff is not None:
        event.starts_at, event.ends_at, event.order_cutoff = starts, ends, cutoff
    if "members" not in data:
        return None
    return _members_chosen(cluster, data.get("members"), errors)


def _event_snapshot(event: PickupEvent) -> dict[str, Any]:
    data = snapshot(event, EVENT_FIELDS)
    if event.pk is not None:
        data["members"] = sorted(m.pk for m in event.members.all())
    return data


def _audit_exemption(actor: Actor, event: PickupEvent) -> None:
    if event.restricted_day_exemption:
        audit_record(
            actor=actor,
            verb="pickup_event.restricted_day_exempted",
            target=event,
            cluster_id=event.cluster_id,
            after={
                "restricted_day_exemption": event.restricted_day_exemption,
                "starts_at": event.starts_at.isoformat(),
            },
        )


@transaction.atomic
def pickup_event_create(
    *, actor: Actor, cluster: Cluster, data: Mapping[str, Any]
) -> PickupEvent:
    """Add a pickup event (a market day or cluster event) to the cluster.

    ``data``: ``name_en`` (``name_mi``), ``venue``, ``address``, ``collection_point``,
    ``time_zone`` (IANA), ``start_date``/``start_time``, ``end_date`` (default: the
    start date)/``end_time`` and ``cutoff_date``/``cutoff_time`` as local dates
    (``YYYY-MM-DD``) and times (``HH:MM``) in that zone; ``members`` (ids of approved
    members; none = all); ``restricted_day_exemption`` (needed on Christmas Day,
    Good Friday, Easter Sunday or Anzac Day morning, and then audited).
    """
    _require_admin(actor, cluster)
    event = PickupEvent(cluster=cluster)
    errors: dict[str, list[str]] = {}
    members = _event_apply(event, cluster, data, errors)
    if errors:
        raise ValidationFailed(ShippingErrorCode.INVALID_EVENT, errors)
    event.save()
    if members:
        event.members.set(members)
    audit_record(
        actor=actor,
        verb="pickup_event.created",
        target=event,
        cluster_id=cluster.pk,
        after=_event_snapshot(event),
    )
    _audit_exemption(actor, event)
    return event


@transaction.atomic
def pickup_event_update(
    *, actor: Actor, event: PickupEvent, data: Mapping[str, Any]
) -> PickupEvent:
    """Change an event (the same inputs as ``pickup_event_create``)."""
    cluster = Cluster.objects.get(pk=event.cluster_id)
    _require_admin(actor, cluster)
    event = PickupEvent.objects.select_for_update().get(pk=event.pk)
    before = _event_snapshot(event)
    errors: dict[str, list[str]] = {}
    members = _event_apply(event, cluster, data, errors)
    if errors:
        raise ValidationFailed(ShippingErrorCode.INVALID_EVENT, errors)
    event.save()
    if members is not None:
        event.members.set(members)
    after = _event_snapshot(event)
    if after != before:
        audit_record(
            actor=actor,
            verb="pickup_event.updated",
            target=event,
            cluster_id=cluster.pk,
            before=before,
            after=after,
        )
        exemption_changed = before.get("restricted_day_exemption") != after.get(
            "restricted_day_exemption"
        ) or before.get("starts_at") != after.get("starts_at")
        if exemption_changed:
            _audit_exemption(actor, event)
    return event


@transaction.atomic
def pickup_event_cancel(*, actor: Actor, event: PickupEvent) -> PickupEvent:
    """Close an event for orders (it stays on record: orders may point at it)."""
    cluster = Cluster.objects.get(pk=event.cluster_id)
    _require_admin(actor, cluster)
    event = PickupEvent.objects.select_for_update().get(pk=event.pk)
    if not event.is_active:
        return event
    event.is_active = False
    event.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        verb="pickup_event.cancelled",
        target=event,
        cluster_id=cluster.pk,
        before={"is_active": True},
        after={"is_active": False},
    )
    return event


def pickup_event_initial(event: PickupEvent) -> dict[str, Any]:
    """The event as form values, in its own time zone."""
    zone = ZoneInfo(event.time_zone)
    start = event.starts_at.astimezone(zone)
    end = event.ends_at.astimezone(zone)
    cutoff = event.order_cutoff.astimezone(zone)
    return {
        "name_en": event.name_en,
        "name_mi": event.name_mi,
        "venue": event.venue,
        "address": event.address,
        "collection_point": event.collection_point,
        "time_zone": event.time_zone,
        "start_date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_date": end.date().isoformat(),
        "end_time": end.strftime("%H:%M"),
        "cutoff_date": cutoff.date().isoformat(),
        "cutoff_time": cutoff.strftime("%H:%M"),
        "members": [m.pk for m in event.members.all()],
        "restricted_day_exemption": event.restricted_day_exemption,
    }
