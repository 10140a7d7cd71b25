"""Reading the books for the money screens: a member's money per cluster, and a
cluster's report by month or week (docs/money.md).

Every figure is summed in SQL from ``Posting`` and ``Journal`` (GROUP BY), so a
report costs the same few queries whatever the number of periods it shows.

What a report's columns are, in the cluster's books (debit positive):

* sales collected — money received from customers: the clearing account's debits
  in capture journals (GST-inclusive, before fees);
* commission — the commission account's credits, net of what refunds gave back
  (the reseller model's margin too); commission GST — the same on its GST account;
* promotions paid — what the cluster made good to members for the discounts of
  its promotions (the promotions account's debits, net of what refunds took back;
  docs/money.md "Promotions"): set against commission, it is the cluster's take;
* gateway fees — what the payment gateways charged (the fee account's debits,
  before members' shares of it);
* refunds — money given back to customers (the refunds account's credits);
* payouts made — money paid to members (the payouts account's credits);
* payouts due — what the cluster owed its members at the end of the period (the
  members' payables' balance then).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from purei.core.csv_safe import csv_writer
from purei.ledger.bankfile import dollars
from purei.ledger.models import Account, Invoice, Journal, Payout, PayoutRun, Posting
from purei.ledger.selectors import SETTLED_STATUSES, payout_blocker

if TYPE_CHECKING:
    from purei.clusters.models import Cluster
    from purei.members.models import Member

K = Account.Kind
PeriodKind = Literal["month", "week"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("month", "week")
# A report shows at most this many periods (about five years of months).
MAX_PERIODS = 60
# The dates a report may be asked for (the web form and the API refuse others):
# the calendar ends at year 9999, and a date there has no following month.
EARLIEST_REPORT_DATE = dt.date(2000, 1, 1)
LATEST_REPORT_DATE = dt.date(2099, 12, 31)

COMMISSION_KINDS = (Invoice.Kind.COMMISSION, Invoice.Kind.COMMISSION_CREDIT)


# --- A member's money -------------------------------------------------------------


@dataclass(frozen=True)
class MemberMoney:
    """What one cluster holds for a member now."""

    cluster: Cluster
    balance_cents: int  # owed to the member now (negative: the member owes)
    eligible_cents: int  # what a payout run now would pay
    held_cents: int  # money for parts of orders still open to cancellation
    blocker: str  # why the member cannot be paid ("" when it can)


def _open_part() -> Q:
    """A posting tied to a part of an order that could still be cancelled (or
    whose order is unpaid): its money is held (``selectors.eligible_postings``)."""
    settled = Q(fulfilment__status__in=SETTLED_STATUSES) & Q(
        fulfilment__order__paid_at__isnull=False
    )
    return Q(fulfilment__isnull=False) & ~settled


def member_money(member: Member, clusters: list[Cluster]) -> list[MemberMoney]:
    """The member's money in each of ``clusters`` (one query), in their order.

    The balance counts every posting (a payout's own posting cancels what it
    settled); held and eligible count only what no payout settled yet."""
    now = timezone.now()
    unsettled = Q(payout_item__isnull=True)
    held = unsettled & _open_part()
    eligible = unsettled & ~_open_part() & Q(journal__occurred_at__lte=now)
    rows = (
        Posting.objects.filter(
            account__member_id=member.pk,
            account__kind=K.MEMBER_PAYABLE,
            account__cluster_id__in=[c.pk for c in clusters],
        )
        .values("account__cluster_id")
        .annotate(
            balance=Sum("amount_cents"),
            held=Sum("amount_cents", filter=held),
            eligible=Sum("amount_cents", filter=eligible),
        )
        .order_by()
    )
    by_cluster: dict[int, dict[str, Any]] = {
        int(row["account__cluster_id"]): dict(row) for row in rows
    }
    blocker = payout_blocker(member)
    out = []
    for cluster in clusters:
        row: dict[str, Any] = by_cluster.get(cluster.pk, {})
        out.append(
            MemberMoney(
                cluster=cluster,
                balance_cents=-int(row.get("balance") or 0),
                eligible_cents=max(-int(row.get("eligible") or 0), 0),
                held_cents=-int(row.get("held") or 0),
                blocker=blocker,
            )
        )
    return out


def payouts_for_member(member: Member, clusters: list[Cluster]) -> QuerySet[Payout]:
    """The member's payouts in ``clusters``, newest first."""
    return (
        Payout.objects.filter(member=member, cluster__in=clusters)
        .select_related("cluster", "run")
        .order_by("-created_at", "-pk")
    )


def invoices_for_member(member: Member, clusters: list[Cluster]) -> QuerySet[Invoice]:
    """The invoices and credit notes the member issued (agent model) or whose
    goods it supplied (reseller model), in ``clusters``, newest first."""
    return (
        Invoice.objects.filter(cluster__in=clusters)
        .filter(Q(member=member) | Q(fulfilment__member=member))
        .exclude(kind__in=COMMISSION_KINDS)
        .select_related("cluster", "order")
        .order_by("-issued_at", "-pk")
    )


def commission_invoices_for_member(
    member: Member, clusters: list[Cluster]
) -> QuerySet[Invoice]:
    """The commission invoices (and credit notes) the member received."""
    return (
        Invoice.objects.filter(
            cluster__in=clusters, payout__member=member, kind__in=COMMISSION_KINDS
        )
        .select_related("cluster", "payout")
        .order_by("-issued_at", "-pk")
    )


def member_invoice_get(member: Member, clusters: list[Cluster], pk: int) -> Invoice:
    """One of the member's documents (issued or received); ``Invoice.DoesNotExist``
    outside them."""
    mine = Q(member=member) | Q(fulfilment__member=member) | Q(payout__member=member)
    return (
        Invoice.objects.filter(mine, cluster__in=clusters)
        .select_related("cluster", "order", "corrects")
        .distinct()
        .get(pk=pk)
    )


def runs_for_cluster(cluster: Cluster) -> QuerySet[PayoutRun]:
    """The cluster's payout runs, newest first."""
    return PayoutRun.objects.filter(cluster=cluster).order_by("-created_at", "-pk")


# --- A cluster's report -----------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day in the report
    end: dt.date  # last day in the report (inclusive)
    key: dt.date  # the calendar month's first day, or the week's Monday

    @property
    def label(self) -> str:
        if self.start == self.end:
            return date_format(self.start, "j M Y")
        start, end = date_format(self.start, "j M Y"), date_format(self.end, "j M Y")
        return f"{start} \u2013 {end}"


@dataclass
class ReportRow:
    period: Period
    sales_cents: int = 0
    commission_cents: int = 0
    commission_gst_cents: int = 0
    promotions_cents: int = 0
    fees_cents: int = 0
    refunds_cents: int = 0
    payouts_cents: int = 0
    due_cents: int = 0  # owed to members at the end of the period


FIGURES = (
    "sales_cents",
    "commission_cents",
    "commission_gst_cents",
    "promotions_cents",
    "fees_cents",
    "refunds_cents",
    "payouts_cents",
)


@dataclass
class Report:
    cluster: Cluster
    period: PeriodKind
    start: dt.date
    end: dt.date
    rows: list[ReportRow] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        """Each flow summed over the periods; ``due_cents`` is the last period's."""
        out = {name: sum(getattr(row, name) for row in self.rows) for name in FIGURES}
        out["due_cents"] = self.rows[-1].due_cents if self.rows else 0
        return out


def _period_key(day: dt.date, kind: PeriodKind) -> dt.date:
    if kind == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday())


def _next_key(key: dt.date, kind: PeriodKind) -> dt.date:
    if kind == "month":
        return (key.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return key + dt.timedelta(days=7)


def report_periods(kind: PeriodKind, start: dt.date, end: dt.date) -> list[Period]:
    """The calendar months (or Monday-to-Sunday weeks) from ``start`` to ``end``,
    the first and last cut to them; at most ``MAX_PERIODS`` (the latest)."""
    periods = []
    key = _period_key(start, kind)
    while key <= end:
        following = _next_key(key, kind)
        periods.append(
            Period(
                start=max(key, start),
                end=min(following - dt.timedelta(days=1), end),
                key=key,
            )
        )
        key = following
    return periods[-MAX_PERIODS:]


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def cluster_report(
    cluster: Cluster, *, period: PeriodKind, start: dt.date, end: dt.date
) -> Report:
    """The cluster's money by ``period`` from ``start`` to ``end`` (inclusive
    dates, New Zealand time): two queries, whatever the number of periods."""
    periods = report_periods(period, start, end)
    report = Report(cluster=cluster, period=period, start=start, end=end)
    if not periods:
        return report
    since = _local_midnight(periods[0].start)
    until = _local_midnight(periods[-1].end + dt.timedelta(days=1))
    zone = timezone.get_current_timezone()
    trunc = TruncMonth if period == "month" else TruncWeek
    positive = Q(amount_cents__gt=0)
    rows = (
        Posting.objects.filter(
            account__cluster_id=cluster.pk,
            journal__occurred_at__gte=since,
            journal__occurred_at__lt=until,
        )
        .annotate(bucket=trunc("journal__occurred_at", tzinfo=zone))
        .values("bucket")
        .annotate(
            sales=Sum(
                "amount_cents",
                filter=(
                    Q(account__kind=K.CLEARING, journal__kind=Journal.Kind.CAPTURE)
                    | Q(
                        account__kind=K.TRADE_RECEIVABLE,
                        journal__kind=Journal.Kind.TRADE_INVOICE,
                    )
                )
                & positive,
            ),
            commission=Sum("amount_cents", filter=Q(account__kind=K.COMMISSION)),
            commission_gst=Sum(
                "amount_cents", filter=Q(account__kind=K.COMMISSION_GST)
            ),
            promotions=Sum("amount_cents", filter=Q(account__kind=K.PROMOTIONS)),
            fees=Sum("amount_cents", filter=Q(account__kind=K.GATEWAY_FEES) & positive),
            refunds=Sum("amount_cents", filter=Q(account__kind=K.REFUNDS)),
            payouts=Sum("amount_cents", filter=Q(account__kind=K.PAYOUTS)),
            payable=Sum("amount_cents", filter=Q(account__kind=K.MEMBER_PAYABLE)),
        )
        .order_by("bucket")
    )
    by_key: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        bucket = row["bucket"]
        day = (
            timezone.localtime(bucket, zone).date()
            if isinstance(bucket, dt.datetime)
            else bucket
        )
        sums = by_key.setdefault(_period_key(day, period), {})
        for name in (
            "sales",
            "commission",
            "commission_gst",
            "promotions",
            "fees",
            "refunds",
            "payouts",
            "payable",
        ):
            sums[name] = sums.get(name, 0) + int(row[name] or 0)
    opening = Posting.objects.filter(
        account__cluster_id=cluster.pk,
        account__kind=K.MEMBER_PAYABLE,
        journal__occurred_at__lt=since,
    ).aggregate(total=Sum("amount_cents"))["total"]
    payable = int(opening or 0)
    for p in periods:
        sums = by_key.get(p.key, {})
        payable += sums.get("payable", 0)
        report.rows.append(
            ReportRow(
                period=p,
                sales_cents=sums.get("sales", 0),
                commission_cents=-sums.get("commission", 0),
                commission_gst_cents=-sums.get("commission_gst", 0),
                promotions_cents=sums.get("promotions", 0),
                fees_cents=sums.get("fees", 0),
                refunds_cents=-sums.get("refunds", 0),
                payouts_cents=-sums.get("payouts", 0),
                due_cents=-payable,
            )
        )
    return report


def report_headings() -> list[str]:
    return [
        _("From"),
        _("To"),
        _("Sales collected"),
        _("Commission"),
        _("GST on commission"),
        _("Promotions paid"),
        _("Gateway fees"),
        _("Refunds"),
        _("Payouts made"),
        _("Payouts due"),
    ]


def report_csv(report: Report) -> str:
    """The report as CSV: a header row, one row per period (dollars with two
    decimals), then the totals."""
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(report_headings())
    for row in report.rows:
        writer.writerow(
            [
                row.period.start.isoformat(),
                row.period.end.isoformat(),
                *(dollars(getattr(row, name)) for name in FIGURES),
                dollars(row.due_cents),
            ]
        )
    totals = report.totals
    writer.writerow(
        [
            _("Total"),
            "",
            *(dollars(totals[name]) for name in FIGURES),
            dollars(totals["due_cents"]),
        ]
    )
    return out.getvalue()
