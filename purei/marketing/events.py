"""A cluster's upcoming sales windows and pickup events, for people and machines
(issue 14): schema.org ``Event`` JSON-LD for the calendar and a window's page,
and the iCalendar feed ``/c/<slug>/events.ics`` (``icalendar``). Read from the
orders' selectors; only what the pages show publicly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.html import strip_tags
from icalendar import Calendar, Event

from purei.clusters.models import Cluster
from purei.orders.models import PickupEvent, SalesWindow

from .schema import CONTEXT

UID_DOMAIN = "purei.nz"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def window_event(window: SalesWindow, url: str, cluster: Cluster) -> dict[str, Any]:
    """A sales window as a schema.org ``Event``: orders open to the cutoff, at
    its pickup points (or online when it has none)."""
    points = [p for p in window.pickup_points.all() if p.is_active]
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Event",
        "name": window.name_en,
        "startDate": _iso(window.opens_at),
        "endDate": _iso(window.closes_at),
        "eventStatus": "https://schema.org/EventScheduled",
        "url": url,
        "organizer": {"@type": "Organization", "name": cluster.name_en},
    }
    if window.description:
        data["description"] = strip_tags(window.description)[:500]
    if points:
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        data["location"] = [
            {
                "@type": "Place",
                "name": point.venue,
                "address": point.address or point.venue,
            }
            for point in points
        ]
    else:
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        data["location"] = {"@type": "VirtualLocation", "url": url}
    return data


def pickup_event(event: PickupEvent, url: str, cluster: Cluster) -> dict[str, Any]:
    """A pickup event (a market day) as a schema.org ``Event``."""
    return {
        "@context": CONTEXT,
        "@type": "Event",
        "name": event.name_en,
        "startDate": _iso(event.starts_at),
        "endDate": _iso(event.ends_at),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": url,
        "location": {
            "@type": "Place",
            "name": event.venue,
            "address": event.address or event.venue,
        },
        "organizer": {"@type": "Organization", "name": cluster.name_en},
    }


def events_calendar(
    cluster: Cluster,
    windows: list[SalesWindow],
    events: list[PickupEvent],
    *,
    calendar_url: str,
    window_url: Any,
    now: dt.datetime,
) -> bytes:
    """The iCalendar text of the cluster's upcoming windows (from opening to the
    cutoff) and pickup events (``window_url``: a window's page address)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Pūrei//Sales windows and events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{cluster.name_en}: events")
    for window in windows:
        entry = Event()
        entry.add("uid", f"window-{window.pk}@{UID_DOMAIN}")
        entry.add("dtstamp", now)
        entry.add("summary", f"{window.name_en} (orders open)")
        entry.add("dtstart", window.opens_at.astimezone(dt.UTC))
        entry.add("dtend", window.closes_at.astimezone(dt.UTC))
        entry.add("url", window_url(window))
        if window.description:
            entry.add("description", strip_tags(window.description))
        calendar.add_component(entry)
    for event in events:
        entry = Event()
        entry.add("uid", f"pickup-{event.pk}@{UID_DOMAIN}")
        entry.add("dtstamp", now)
        entry.add("summary", event.name_en)
        entry.add("dtstart", event.starts_at.astimezone(dt.UTC))
        entry.add("dtend", event.ends_at.astimezone(dt.UTC))
        entry.add(
            "location",
            ", ".join(
                p for p in (event.collection_point, event.venue, event.address) if p
            ),
        )
        entry.add("url", calendar_url)
        calendar.add_component(entry)
    return bytes(calendar.to_ical())
