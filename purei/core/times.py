"""Times read the same way everywhere people read them (issue 19).

New Zealand English writes a clock time as "12:24 am" and "3:05 pm": hour without a
leading zero, minutes, then a lower-case "am"/"pm" with no full stops (Django's own
``a`` format writes "a.m."). Pages, emails and PDFs use these helpers; machine
formats (CSV, ISO 8601 in ``<time datetime>``, the API) keep "00:24".

In templates: ``{% load times %}`` then ``{{ order.created_at|nz_datetime }}``
→ "7 December 2026, 12:24 am", ``|nz_datetime:"short"`` → "7 Dec 2026, 12:24 am",
``|nz_datetime:"day"`` → "Monday 7 December 2026, 12:24 am", ``|nz_time`` →
"12:24 am". In Python (an email's text part, a PDF): ``datetime_nz(value)`` and
``time_nz(value)``. Aware datetimes are shown in New Zealand time
(``settings.TIME_ZONE``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format

DATE_FORMATS = {
    "long": "j F Y",
    "short": "j M Y",
    "day": "l j F Y",
    "this_year": "j F",
}


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def time_nz(value: dt.datetime | dt.time) -> str:
    """``value``'s clock time as "12:24 am" (a datetime in New Zealand time)."""
    moment = _local(value).time() if isinstance(value, dt.datetime) else value
    hour = moment.hour % 12 or 12
    half = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d} {half}"


def datetime_nz(value: dt.datetime, style: str = "long") -> str:
    """``value`` as "7 December 2026, 12:24 am" (``style`` "short": "7 Dec 2026";
    "day": "Monday 7 December 2026"), in New Zealand time."""
    local = _local(value)
    day = date_format(local, DATE_FORMATS.get(style, DATE_FORMATS["long"]))
    return f"{day}, {time_nz(local)}"
