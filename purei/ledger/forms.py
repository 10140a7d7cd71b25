"""The money screens' forms that the API shares: the reports' window (period and
dates), bounded so no date sent reaches the database out of range."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.clusters.models import Cluster
from purei.ledger.models import Journal
from purei.ledger.reports import (
    EARLIEST_REPORT_DATE,
    LATEST_REPORT_DATE,
    PERIOD_KINDS,
    PeriodKind,
)


class ReportForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("By"),
        choices=[("month", gettext_lazy("Month")), ("week", gettext_lazy("Week"))],
        required=False,
    )
    to = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the field is added by name.
        self.fields["from"] = forms.DateField(
            label=gettext_lazy("From"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        self.order_fields(["period", "from", "to"])

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


def report_window(
    data: Any, first: dt.date | None = None
) -> tuple[ReportForm, PeriodKind, dt.date, dt.date]:
    """The report's period and dates from the query string: by month over the
    last twelve months (this one included) unless told otherwise — from the
    month of ``first`` (the cluster's first booking) when that is later, so a
    new cluster's report does not open on a year of empty months. A form with
    errors (a date out of range or out of order) gives that default window."""
    form = ReportForm(data)
    today = timezone.localdate()
    period: PeriodKind = "month"
    start = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    if first is not None and first.replace(day=1) > start:
        start = min(first.replace(day=1), today.replace(day=1))
    end = today
    if form.is_valid():
        chosen = form.cleaned_data.get("period") or "month"
        period = "week" if chosen == "week" else "month"
        if period == "week" and not form.cleaned_data.get("from"):
            start = today - dt.timedelta(days=today.weekday() + 7 * 11)
        start = form.cleaned_data.get("from") or start
        end = form.cleaned_data.get("to") or end
    assert period in PERIOD_KINDS  # noqa: S101  # narrowed above
    return form, period, start, end


def cluster_report_window(
    cluster: Cluster, data: Any
) -> tuple[ReportForm, PeriodKind, dt.date, dt.date]:
    """``report_window`` starting no earlier than the cluster's first booking."""
    first = Journal.objects.filter(cluster=cluster).aggregate(first=Min("occurred_at"))[
        "first"
    ]
    return report_window(data, timezone.localdate(first) if first else None)
