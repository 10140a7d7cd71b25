"""A dashboard's dates: from, to and by (week or month), read from the URL
(``?from=2025-01-01&to=2025-03-31&by=week``), with presets that are plain links
carrying the same three values. Dates are New Zealand days, inclusive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.ledger.reports import EARLIEST_REPORT_DATE, LATEST_REPORT_DATE

By = Literal["week", "month"]
# Weekly bars up to this many weeks (two years and a bit); past it, by month.
MAX_WEEKS = 110
MAX_MONTHS = 120


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day shown (inclusive)
    end: dt.date  # last day shown (inclusive)

    @property
    def label(self) -> str:
        if self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1:
            return date_format(self.start, "M Y")
        return date_format(self.start, "j M")

    @property
    def long_label(self) -> str:
        start, end = date_format(self.start, "j M Y"), date_format(self.end, "j M Y")
        return start if self.start == self.end else f"{start} \u2013 {end}"


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date
    by: By

    @property
    def periods(self) -> list[Period]:
        """The Monday-to-Sunday weeks or calendar months from ``start`` to
        ``end``, the first and last cut to them."""
        out = []
        if self.by == "month":
            key = self.start.replace(day=1)
        else:
            key = self.start - dt.timedelta(days=self.start.weekday())
        while key <= self.end:
            if self.by == "month":
                following = (key.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            else:
                following = key + dt.timedelta(days=7)
            out.append(
                Period(
                    start=max(key, self.start),
                    end=min(following - dt.timedelta(days=1), self.end),
                )
            )
            key = following
        return out

    def bounds(self) -> list[dt.datetime]:
        """Each period's first moment (New Zealand time, aware), then the moment
        after the last: what a row's time is bucketed by."""
        starts = [_midnight(p.start) for p in self.periods]
        return [*starts, _midnight(self.end + dt.timedelta(days=1))]

    @property
    def since(self) -> dt.datetime:
        return _midnight(self.start)

    @property
    def until(self) -> dt.datetime:
        return _midnight(self.end + dt.timedelta(days=1))

    def query(self, **more: str) -> str:
        return urlencode(
            {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by}
            | more
        )

    @property
    def label(self) -> str:
        return Period(self.start, self.end).long_label


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def default_range(today: dt.date | None = None) -> DateRange:
    """The last thirteen weeks (this one included), by week."""
    today = today or timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    return DateRange(monday - dt.timedelta(weeks=12), today, "week")


def fitted(start: dt.date, end: dt.date, by: By | None) -> DateRange:
    """The range, by what was asked or what suits its length: by week up to
    sixteen weeks, by month beyond; by month whatever was asked past
    ``MAX_WEEKS``, and no further back than ``MAX_MONTHS`` months."""
    earliest = (end.replace(day=1) - dt.timedelta(days=31 * (MAX_MONTHS - 1))).replace(
        day=1
    )
    start = max(start, earliest)
    days = (end - start).days + 1
    chosen: By = by or ("week" if days <= 16 * 7 else "month")
    if chosen == "week" and days > MAX_WEEKS * 7:
        chosen = "month"
    return DateRange(start, end, chosen)


@dataclass(frozen=True)
class Preset:
    label: str
    range: DateRange
    current: bool


def presets(current: DateRange, today: dt.date | None = None) -> list[Preset]:
    """Links for the usual ranges (each carries from, to and by in its URL)."""
    today = today or timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    first = today.replace(day=1)

    def months_back(n: int) -> dt.date:
        day = first
        for _i in range(n):
            day = (day - dt.timedelta(days=1)).replace(day=1)
        return day

    options = [
        (_("Last 4 weeks"), DateRange(monday - dt.timedelta(weeks=3), today, "week")),
        (_("Last 13 weeks"), default_range(today)),
        (_("Last 12 months"), DateRange(months_back(11), today, "month")),
        (_("This year"), DateRange(today.replace(month=1, day=1), today, "month")),
        (_("Last 2 years"), DateRange(months_back(23), today, "month")),
    ]
    return [Preset(label, rng, rng == current) for label, rng in options]


class RangeForm(forms.Form):
    to = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    by = forms.ChoiceField(
        label=gettext_lazy("By"),
        choices=[
            ("", gettext_lazy("Best fit")),
            ("week", gettext_lazy("Week")),
            ("month", gettext_lazy("Month")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the field is added by name.
        self.fields["from"] = forms.DateField(
            label=gettext_lazy("From"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        self.order_fields(["from", "to", "by"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("from", "to"):
            day = data.get(name)
            if day and not EARLIEST_REPORT_DATE <= day <= LATEST_REPORT_DATE:
                self.add_error(
                    name,
                    _("Choose a date from %(first)s to %(last)s.")
                    % {
                        "first": date_format(EARLIEST_REPORT_DATE, "j F Y"),
                        "last": date_format(LATEST_REPORT_DATE, "j F Y"),
                    },
                )
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("“To” comes on or after “From”."))
        return data


def range_from(data: Any) -> tuple[RangeForm, DateRange]:
    """The range asked for in ``data`` (a query string); the default (the last
    thirteen weeks) for what is left out, and for a form with errors."""
    form = RangeForm(data)
    default = default_range()
    if not form.is_valid():
        return form, default
    end = form.cleaned_data.get("to") or default.end
    start = form.cleaned_data.get("from")
    by_text = form.cleaned_data.get("by") or ""
    by: By | None = "week" if by_text == "week" else "month" if by_text else None
    if start is None:
        start = default.start if end == default.end else end - dt.timedelta(days=90)
        if by is None and end == default.end:
            by = "week"
    rng = fitted(start, end, by)
    # The form shows the dates the page shows.
    shown = RangeForm({"from": rng.start, "to": rng.end, "by": by_text})
    shown.is_valid()
    return shown, rng
