"""Pickup at cluster events and market days: restricted trading days, pickup codes,
the events open for orders, and their times in the event's own time zone.

Times are stored in UTC and shown in the event's IANA zone (domain-nz.md §4.1, §7):
the Chatham Islands (``Pacific/Chatham``) are 45 minutes ahead of the mainland.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from dateutil.easter import easter  # type: ignore[import-untyped]  # no stubs
from django.utils import dateformat
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster

from .models import Fulfilment, PickupEvent
from .shipping import ResolvedPolicy, policies_for

# No 0/O or 1/I: a code read aloud at a stall or typed from a phone can't be misread.
PICKUP_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PICKUP_CODE_LENGTH = 6
ANZAC_DAY_RESTRICTED_UNTIL = dt.time(13, 0)


def _restricted_days(year: int) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """The restricted shop-trading windows of one year, as naive local times
    (domain-nz.md §5): Good Friday, Easter Sunday, Anzac Day until 1 pm and
    Christmas Day."""
    easter_sunday: dt.date = easter(year)
    good_friday = easter_sunday - dt.timedelta(days=2)
    anzac = dt.date(year, 4, 25)
    christmas = dt.date(year, 12, 25)

    def whole(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(day, dt.time())
        return start, start + dt.timedelta(days=1)

    return [
        (*whole(good_friday), _("Good Friday")),
        (*whole(easter_sunday), _("Easter Sunday")),
        (
            dt.datetime.combine(anzac, dt.time()),
            dt.datetime.combine(anzac, ANZAC_DAY_RESTRICTED_UNTIL),
            _("Anzac Day (before 1 pm)"),
        ),
        (*whole(christmas), _("Christmas Day")),
    ]


def restricted_trading_day(
    start_local: dt.datetime, end_local: dt.datetime
) -> str | None:
    """The name of the restricted shop-trading day the local window
    ``[start_local, end_local)`` touches, or None.

    Give the window in the event's own local time (aware or naive: the wall-clock
    time is what counts). Anzac Day is restricted only until 1 pm, so a window that
    starts at 1 pm or later that day is fine.
    """
    start = start_local.replace(tzinfo=None)
    end = end_local.replace(tzinfo=None)
    if end <= start:
        end = start + dt.timedelta(microseconds=1)
    for year in range(start.year, end.year + 1):
        for day_start, day_end, name in _restricted_days(year):
            if start < day_end and end > day_start:
                return name
    return None


def pickup_code() -> str:
    """A short code for one pickup order, e.g. ``"K7QX3M"`` (no 0/O/1/I)."""
    return "".join(
        secrets.choice(PICKUP_CODE_ALPHABET) for _i in range(PICKUP_CODE_LENGTH)
    )


def open_pickup_events(
    cluster: Cluster, member_ids: Iterable[int], now: dt.datetime
) -> dict[int, list[PickupEvent]]:
    """For each member, the cluster's active events it takes part in whose orders
    are still open (``order_cutoff`` after ``now``), earliest first.

    An event with no members listed is for every member. Two queries whatever the
    number of members and events: the events, and who takes part in them.
    """
    ids = list(dict.fromkeys(member_ids))
    if not ids:
        return {}
    events = list(
        PickupEvent.objects.filter(
            cluster=cluster, is_active=True, order_cutoff__gt=now
        ).order_by("starts_at", "pk")
    )
    taking_part: dict[int, set[int]] = {event.pk: set() for event in events}
    if events:
        through = PickupEvent.members.through.objects.filter(
            pickupevent_id__in=list(taking_part)
        ).values_list("pickupevent_id", "member_id")
        for event_id, member_id in through:
            taking_part[event_id].add(member_id)
    return {
        member_id: [
            event
            for event in events
            if not taking_part[event.pk] or member_id in taking_part[event.pk]
        ]
        for member_id in ids
    }


def local_window(event: PickupEvent) -> tuple[dt.datetime, dt.datetime]:
    """The event's start and end in its own time zone."""
    zone = ZoneInfo(event.time_zone)
    return event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)


def zone_abbreviation(moment: dt.datetime) -> str:
    """``NZDT``/``NZST``, or ``UTC+13:45`` where the zone has no letters (Chatham)."""
    name = moment.tzname() or ""
    if name.isalpha():
        return name
    offset = moment.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")


def clock_label(moment: dt.datetime) -> str:
    """``9 am``, ``1:30 pm``, ``12 pm`` (noon)."""
    hour = moment.hour % 12 or 12
    time = f"{hour}:{moment.minute:02d}" if moment.minute else str(hour)
    if moment.hour < 12:
        return _("%(time)s am") % {"time": time}
    return _("%(time)s pm") % {"time": time}


def day_label(moment: dt.datetime) -> str:
    """``Saturday 6 December`` (weekday and month names in the active language)."""
    return dateformat.format(moment, "l j F")


def moment_label(moment: dt.datetime) -> str:
    """``Friday 5 December, 6 pm (NZDT)``: one local moment, e.g. an order cutoff."""
    return _("%(day)s, %(time)s (%(zone)s)") % {
        "day": day_label(moment),
        "time": clock_label(moment),
        "zone": zone_abbreviation(moment),
    }


def window_label(start: dt.datetime, end: dt.datetime) -> str:
    """``Saturday 6 December, 9 am \u2013 1 pm (NZDT)`` for two local times."""
    start_zone, end_zone = zone_abbreviation(start), zone_abbreviation(end)
    if start.date() == end.date() and start_zone == end_zone:
        return _("%(day)s, %(start)s \u2013 %(end)s (%(zone)s)") % {
            "day": day_label(start),
            "start": clock_label(start),
            "end": clock_label(end),
            "zone": start_zone,
        }
    return _("%(start)s \u2013 %(end)s") % {
        "start": moment_label(start),
        "end": moment_label(end),
    }


def event_window_label(event: PickupEvent) -> str:
    """The event's pickup window in its own time zone, for people to read."""
    return window_label(*local_window(event))


def event_cutoff_label(event: PickupEvent) -> str:
    """When orders for the event close, in its own time zone."""
    return moment_label(event.order_cutoff.astimezone(ZoneInfo(event.time_zone)))


def pickup_details(
    fulfilment: Fulfilment,
    cluster: Cluster,
    policies: Mapping[int, ResolvedPolicy] | None = None,
) -> dict[str, str]:
    """Where and when the customer collects a part, for the manage screens and
    the packing slip (empty for a delivery). ``policies``: the members' shipping,
    read once for a page of many parts."""
    event = fulfilment.pickup_event
    if fulfilment.method == Fulfilment.Method.DELIVERY:
        return {}
    if event is not None:
        return {
            "name": event.name,
            "where": ", ".join(
                p for p in (event.collection_point, event.venue, event.address) if p
            ),
            "when": event_window_label(event),
        }
    if policies is None:
        policies = policies_for(cluster, [fulfilment.member_id])
    policy = policies.get(fulfilment.member_id)
    return {
        "name": _("At the maker's premises"),
        "where": policy.pickup_address if policy else "",
        "when": policy.pickup_instructions if policy else "",
    }
