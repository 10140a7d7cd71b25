"""Pickup events: a cluster's market days and events where customers collect their
orders, kept by the cluster's admins (platform staff read them, through
``purei.orders.shipping_selectors``).

Times are entered as local dates and times in the event's own zone (mainland New
Zealand or the Chatham Islands) and stored as instants; an event on a restricted
shop-trading day needs a recorded exemption, which is audited apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import transaction
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.times import time_nz
from purei.members.models import Member
from purei.orders.models import PickupEvent
from purei.orders.pickup import restricted_trading_day
from purei.orders.shipping_selectors import approved_members_of

from .shipping import ShippingErrorCode, _add, _text

EVENT_TEXT_LIMITS = {
    "name_en": 160,
    "name_mi": 160,
    "venue": 200,
    "address": 300,
    "collection_point": 200,
}
EVENT_REQUIRED = ("name_en", "venue", "collection_point")
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


@dataclass(frozen=True)
class PickupEventInput:
    """A pickup event as typed: ``time_zone`` (IANA), local dates (``YYYY-MM-DD``)
    and times (``HH:MM``) in that zone: ``start_date``/``start_time``, ``end_date``
    (blank: the start date)/``end_time``, ``cutoff_date``/``cutoff_time``.
    ``members``: ids of approved members taking part (none: all); None leaves an
    event's members as they are. ``restricted_day_exemption``: who granted one
    (needed on Christmas Day, Good Friday, Easter Sunday or Anzac Day morning, and
    then audited)."""

    name_en: str = ""
    name_mi: str = ""
    venue: str = ""
    address: str = ""
    collection_point: str = ""
    time_zone: str = ""
    start_date: str | dt.date = ""
    start_time: str | dt.time = ""
    end_date: str | dt.date = ""
    end_time: str | dt.time = ""
    cutoff_date: str | dt.date = ""
    cutoff_time: str | dt.time = ""
    members: Sequence[int | str | Member] | None = None
    restricted_day_exemption: str = ""


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
    day_value: Any,
    time_value: Any,
    prefix: str,
    zone: ZoneInfo | None,
    errors: dict[str, list[str]],
    *,
    later: bool = False,
    default_date: Any = None,
) -> dt.datetime | None:
    if not _text(day_value) and default_date is not None:
        day_value = default_date
    day = _date(day_value, f"{prefix}_date", errors)
    time = _time(time_value, f"{prefix}_time", errors)
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
            % {"time": time_nz(time), "day": day.isoformat()},
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
    details: PickupEventInput,
    errors: dict[str, list[str]],
) -> list[Member] | None:
    """Check ``details`` and set them on ``event``; the members chosen (None:
    unchanged)."""
    for name, limit in EVENT_TEXT_LIMITS.items():
        text = _text(getattr(details, name))
        if name in EVENT_REQUIRED and not text:
            _add(errors, name, _("This is needed."))
        elif len(text) > limit:
            _add(errors, name, _("Keep it to %(max)s characters.") % {"max": limit})
        setattr(event, name, text[:limit])
    zone = _zone(details.time_zone, errors)
    if zone is not None:
        event.time_zone = zone.key
    starts = _moment(details.start_date, details.start_time, "start", zone, errors)
    ends = _moment(
        details.end_date,
        details.end_time,
        "end",
        zone,
        errors,
        later=True,
        default_date=details.start_date,
    )
    cutoff = _moment(details.cutoff_date, details.cutoff_time, "cutoff", zone, errors)
    if starts is not None and ends is not None and ends <= starts:
        _add(errors, "end_time", _("The end must be after the start."))
    if cutoff is not None and ends is not None and cutoff > ends:
        _add(
            errors,
            "cutoff_time",
            _("Orders must close before the pickup ends."),
        )
    exemption = _text(details.restricted_day_exemption)
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
    if details.members is None:
        return None
    return _members_chosen(cluster, details.members, errors)


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
    *, actor: Actor, cluster: Cluster, details: PickupEventInput
) -> PickupEvent:
    """Add a pickup event (a market day or cluster event) to the cluster (see
    ``PickupEventInput``)."""
    _require_admin(actor, cluster)
    event = PickupEvent(cluster=cluster)
    errors: dict[str, list[str]] = {}
    members = _event_apply(event, cluster, details, errors)
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
    *, actor: Actor, event: PickupEvent, details: PickupEventInput
) -> PickupEvent:
    """Change an event (the same inputs as ``pickup_event_create``)."""
    cluster = Cluster.objects.get(pk=event.cluster_id)
    _require_admin(actor, cluster)
    event = PickupEvent.objects.select_for_update().get(pk=event.pk)
    before = _event_snapshot(event)
    errors: dict[str, list[str]] = {}
    members = _event_apply(event, cluster, details, errors)
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
