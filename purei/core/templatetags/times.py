"""``{{ moment|nz_datetime }}``, ``{{ moment|nz_time }}``: see ``purei.core.times``."""

from __future__ import annotations

import datetime as dt

from django import template

from purei.core.times import datetime_nz, time_nz

register = template.Library()


@register.filter
def nz_datetime(value: object, style: str = "long") -> str:
    """ "7 December 2026, 12:24 am"; ``"short"`` or ``"day"`` for the date part."""
    if isinstance(value, dt.datetime):
        return datetime_nz(value, style)
    return ""


@register.filter
def nz_time(value: object) -> str:
    """ "12:24 am"."""
    if isinstance(value, dt.datetime | dt.time):
        return time_nz(value)
    return ""
