"""Delivery days: which days a member's parcel can arrive, from the weekdays it
dispatches, its cutoff and the days in transit (docs/orders.md "Delivery days").

Pure rules on dates: no queries, no writes.

- **Arrival** is simply the dispatch day plus the transit days (the zone's chilled
  rate's days for chilled or frozen goods, the member's ordinary courier days
  otherwise).
- **Cold goods never meet a weekend**: for a part with chilled or frozen goods,
  the dispatch day, the arrival day and every day between are Monday to Friday
  (so no Friday dispatch for next-day delivery, which would arrive on Saturday).
- An order placed on a dispatch day before the cutoff (New Zealand time) can go
  that day; after it, from the next dispatch day.
- Public holidays are not skipped: no maintained holiday calendar is installed
  (docs/orders.md says so to members).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _

NZ_TIME = ZoneInfo("Pacific/Auckland")
HORIZON_DAYS = 14  # dispatch days offered: the next two weeks
WEEKDAYS = (0, 1, 2, 3, 4, 5, 6)  # Monday … Sunday, as ``date.weekday()``
SATURDAY = 5


def weekday_names() -> list[tuple[int, str]]:
    """Each weekday's number and name, Monday first, in the active language."""
    monday = datetime.date(2024, 1, 1)  # a Monday
    return [
        (n, formats.date_format(monday + datetime.timedelta(days=n), "l"))
        for n in WEEKDAYS
    ]


@dataclass(frozen=True)
class DeliveryDay:
    dispatch: datetime.date
    arrival: datetime.date

    @property
    def label(self) -> str:
        """Like "Tuesday 3 March (sent Monday 2 March)"."""
        return _("%(arrival)s (sent %(dispatch)s)") % {
            "arrival": day_label(self.arrival),
            "dispatch": day_label(self.dispatch),
        }


def day_label(day: datetime.date) -> str:
    return formats.date_format(day, "l j F")


def _weekend_free(start: datetime.date, end: datetime.date) -> bool:
    day = start
    while day <= end:
        if day.weekday() >= SATURDAY:
            return False
        day += datetime.timedelta(days=1)
    return True


def delivery_days(
    *,
    weekdays: Iterable[int],
    cutoff: datetime.time | None,
    transit_days: int,
    cold: bool,
    now: datetime.datetime,
) -> tuple[DeliveryDay, ...]:
    """The days a parcel can arrive, soonest first, for dispatches over the next
    two weeks. Empty when the member sets no dispatch days."""
    days = frozenset(weekdays)
    if not days:
        return ()
    local = now.astimezone(NZ_TIME)
    today = local.date()
    same_day = cutoff is not None and local.time() < cutoff
    out = []
    for offset in range(HORIZON_DAYS):
        dispatch = today + datetime.timedelta(days=offset)
        if dispatch.weekday() not in days or (offset == 0 and not same_day):
            continue
        arrival = dispatch + datetime.timedelta(days=transit_days)
        if cold and not _weekend_free(dispatch, arrival):
            continue
        out.append(DeliveryDay(dispatch=dispatch, arrival=arrival))
    return tuple(out)


def window_delivery_days(
    *,
    first: datetime.date,
    last: datetime.date,
    weekdays: Iterable[int],
    cutoff: datetime.time | None,
    transit_days: int,
    cold: bool,
    now: datetime.datetime,
) -> tuple[DeliveryDay, ...]:
    """The days a sales window's parcel can arrive: its delivery days
    (``first`` to ``last``, ADR 0016), each reached from one of the member's
    dispatch days (every day when it sets none), sent no earlier than it could
    go now (today only before its cutoff), cold goods never meeting a weekend.
    No horizon: a window may deliver weeks after its orders close."""
    days = frozenset(weekdays)
    local = now.astimezone(NZ_TIME)
    today = local.date()
    same_day = cutoff is not None and local.time() < cutoff
    out = []
    arrival = first
    while arrival <= last:
        dispatch = arrival - datetime.timedelta(days=transit_days)
        too_soon = dispatch < today or (dispatch == today and not same_day)
        if (
            not too_soon
            and (not days or dispatch.weekday() in days)
            and not (cold and not _weekend_free(dispatch, arrival))
        ):
            out.append(DeliveryDay(dispatch=dispatch, arrival=arrival))
        arrival += datetime.timedelta(days=1)
    return tuple(out)
