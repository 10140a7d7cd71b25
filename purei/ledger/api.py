"""The money over JSON (browser session, like the other manage APIs; read only).

- ``GET /members/{slug}/balance``: per cluster, what is owed, eligible now, held.
- ``GET /members/{slug}/statements`` and ``…/{number}``: payouts, and one
  payout's statement (lines, section totals, total).
- ``GET /members/{slug}/invoices`` and ``…/{invoice_id}``: the member's invoices,
  credit notes and commission invoices, and one with its lines.
- ``GET /clusters/{slug}/payouts`` and ``…/{run_id}``: payout runs and one run.
- ``GET /clusters/{slug}/reports?period=month|week&from=…&to=…``.

Amounts are integer cents (NZD); times are ISO 8601 in New Zealand time, with
their offset (``2026-12-07T00:29:00+13:00``), and dates are New Zealand days.
401 when anonymous; 404 outside scope: a member's money is for its team, platform
staff and the admins of its clusters (theirs only); a cluster's for its admins
and platform staff.
"""

import datetime as dt
from typing import TYPE_CHECKING, Self, TypedDict

from django.db.models import Count
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import model_validator

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.core.actor import actor_from
from purei.core.api_inputs import QuerySchema
from purei.core.pagination import Mapped, Paginated
from purei.core.validators import bank_account_mask
from purei.ledger.forms import cluster_report_window
from purei.ledger.models import Invoice, Payout, PayoutRun
from purei.ledger.reports import (
    EARLIEST_REPORT_DATE,
    LATEST_REPORT_DATE,
    Report,
    cluster_report,
    commission_invoices_for_member,
    invoices_for_member,
    member_invoice_get,
    member_money,
    payouts_for_member,
    runs_for_cluster,
)
from purei.ledger.selectors import member_for_money, payout_for_member
from purei.ledger.statement import SECTIONS, statement_for_payout

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

router = Router(tags=["money"])


class BalanceOut(Schema):
    cluster: str = Field(description="The cluster's slug.")
    cluster_name: str
    balance_cents: int = Field(description="Owed to the member now.")
    eligible_cents: int = Field(description="What a payout run now would pay.")
    held_cents: int = Field(description="For parts of orders still open.")
    payable: bool = Field(description="False: no valid bank account for payouts.")
    reason: str


class PayoutOut(Schema):
    number: str
    cluster: str
    run: int
    paid_at: str = Field(description="ISO 8601.")
    amount_cents: int
    bank_account: str = Field(description="Masked.")
    bank_account_name: str


class StatementLineOut(Schema):
    section: str = Field(
        description="sales, commission, fees, refunds, adjustments, brought_forward."
    )
    date: str
    order: str
    description: str
    amount_cents: int = Field(description="Positive: money to the member.")


class StatementOut(Schema):
    payout: PayoutOut
    period_start: str | None
    period_end: str
    lines: list[StatementLineOut]
    totals: dict[str, int] = Field(description="Each section's total.")
    total_cents: int


class InvoiceLineOut(Schema):
    kind: str
    description: str
    quantity: int
    unit_price_cents: int
    total_cents: int
    gst_cents: int
    au_gst_cents: int = Field(
        description="Australian GST the cluster collected, contained in total_cents."
    )


class InvoiceOut(Schema):
    id: int
    number: str
    kind: str = Field(
        description=(
            "tax_invoice, invoice, credit_note, commission, commission_credit."
        )
    )
    cluster: str
    issued_at: str
    supplier_name: str
    recipient_name: str
    order: str | None
    payout: str | None
    corrects: str | None
    total_cents: int = Field(description="GST-inclusive.")
    gst_cents: int
    au_gst_cents: int = Field(
        description=(
            "Australian GST (LVIG) the cluster collected for the ATO, contained "
            "in total_cents; 0 on every other document."
        )
    )
    au_gst_number: str = Field(
        description="The cluster's Australian GST registration (ABN or ARN)."
    )


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut]


class InvoiceFilter(QuerySchema):
    received: bool = Field(
        False, description="Commission invoices received, instead of those issued."
    )


class SkippedOut(Schema):
    member: int
    name: str
    balance_cents: int
    reason: str


class RunOut(Schema):
    id: int
    created_at: str
    until: str
    total_cents: int
    payouts: int
    skipped: int


class RunDetailOut(Schema):
    id: int
    created_at: str
    until: str
    total_cents: int
    payouts: list[PayoutOut]
    skipped: list[SkippedOut]


class ReportRowOut(Schema):
    start: dt.date
    end: dt.date
    sales_cents: int
    commission_cents: int
    commission_gst_cents: int
    promotions_cents: int = Field(
        0, description="What the cluster paid for its promotions (its expense)."
    )
    fees_cents: int
    refunds_cents: int
    payouts_cents: int
    due_cents: int = Field(description="Owed to members at the end of the period.")


class ReportOut(Schema):
    period: str
    start: dt.date
    end: dt.date
    rows: list[ReportRowOut]
    totals: dict[str, int]


class ReportFilter(QuerySchema):
    period: str = Field("month", pattern="^(month|week)$")
    from_: dt.date | None = Field(
        None,
        alias="from",
        ge=EARLIEST_REPORT_DATE,
        le=LATEST_REPORT_DATE,
        description=f"{EARLIEST_REPORT_DATE} to {LATEST_REPORT_DATE}.",
    )
    to: dt.date | None = Field(
        None,
        ge=EARLIEST_REPORT_DATE,
        le=LATEST_REPORT_DATE,
        description=f"{EARLIEST_REPORT_DATE} to {LATEST_REPORT_DATE}.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.from_ and self.to and self.from_ > self.to:
            raise ValueError("'to' comes on or after 'from'")
        return self


def _local(moment: dt.datetime) -> str:
    """``moment`` in ISO 8601, in New Zealand time with its offset."""
    return timezone.localtime(moment).isoformat()


def payout_out(payout: Payout) -> PayoutOut:
    return PayoutOut(
        number=payout.number,
        cluster=payout.cluster.slug,
        run=payout.run_id,
        paid_at=_local(payout.created_at),
        amount_cents=payout.amount_cents,
        bank_account=bank_account_mask(payout.bank_account),
        bank_account_name=payout.bank_account_name,
    )


def invoice_out(invoice: Invoice) -> InvoiceOut:
    return InvoiceOut(
        id=invoice.pk,
        number=invoice.number,
        kind=invoice.kind,
        cluster=invoice.cluster.slug,
        issued_at=_local(invoice.issued_at),
        supplier_name=invoice.supplier_name,
        recipient_name=invoice.recipient_name,
        order=invoice.order.number if invoice.order else None,
        payout=invoice.payout.number if invoice.payout else None,
        corrects=invoice.corrects.number if invoice.corrects else None,
        total_cents=invoice.total_cents,
        gst_cents=invoice.gst_cents,
        au_gst_cents=invoice.au_gst_cents,
        au_gst_number=invoice.au_gst_number,
    )


@router.get(
    "/members/{slug}/balance",
    response=list[BalanceOut],
    auth=django_auth,
    summary="What each cluster owes the business",
)
def member_balance_api(request: HttpRequest, slug: str) -> list[BalanceOut]:
    member, clusters, _team = member_for_money(actor_from(request), slug)
    return [
        BalanceOut(
            cluster=m.cluster.slug,
            cluster_name=m.cluster.name,
            balance_cents=m.balance_cents,
            eligible_cents=m.eligible_cents,
            held_cents=m.held_cents,
            payable=not m.blocker,
            reason=m.blocker,
        )
        for m in member_money(member, clusters)
    ]


@router.get(
    "/members/{slug}/statements",
    response=list[PayoutOut],
    auth=django_auth,
    summary="The business's payouts, newest first",
)
@paginate(Paginated)
def member_statement_list_api(
    request: HttpRequest, slug: str
) -> Mapped[Payout, PayoutOut]:
    member, clusters, _team = member_for_money(actor_from(request), slug)
    return Mapped(payouts_for_member(member, clusters), payout_out)


@router.get(
    "/members/{slug}/statements/{number}",
    response=StatementOut,
    auth=django_auth,
    summary="One payout's statement",
)
def member_statement_get_api(
    request: HttpRequest, slug: str, number: str
) -> StatementOut:
    member, clusters, _team = member_for_money(actor_from(request), slug)
    payout = payout_for_member(member, clusters, number)
    statement = statement_for_payout(payout)
    order = list(SECTIONS)
    lines = sorted(statement.lines, key=lambda line: order.index(line.section))
    return StatementOut(
        payout=payout_out(payout),
        period_start=_local(statement.period_start) if statement.period_start else None,
        period_end=_local(statement.period_end),
        lines=[
            StatementLineOut(
                section=line.section,
                date=line.date.isoformat(),
                order=line.order_number,
                description=line.description,
                amount_cents=line.amount_cents,
            )
            for line in lines
        ],
        totals=statement.totals,
        total_cents=statement.total_cents,
    )


@router.get(
    "/members/{slug}/invoices",
    response=list[InvoiceOut],
    auth=django_auth,
    summary="The business's invoices and credit notes, newest first",
)
@paginate(Paginated)
def member_invoice_list_api(
    request: HttpRequest, slug: str, filters: Query[InvoiceFilter]
) -> Mapped[Invoice, InvoiceOut]:
    member, clusters, _team = member_for_money(actor_from(request), slug)
    if filters.received:
        invoices = commission_invoices_for_member(member, clusters)
    else:
        invoices = invoices_for_member(member, clusters)
    return Mapped(invoices.select_related("payout", "corrects"), invoice_out)


@router.get(
    "/members/{slug}/invoices/{invoice_id}",
    response=InvoiceDetailOut,
    auth=django_auth,
    summary="One invoice or credit note, with its lines",
)
def member_invoice_get_api(
    request: HttpRequest, slug: str, invoice_id: int
) -> InvoiceDetailOut:
    member, clusters, _team = member_for_money(actor_from(request), slug)
    try:
        invoice = member_invoice_get(member, clusters, invoice_id)
    except Invoice.DoesNotExist:
        raise Http404 from None
    base = invoice_out(invoice)
    return InvoiceDetailOut(
        **base.model_dump(),
        lines=[
            InvoiceLineOut(
                kind=line.kind,
                description=line.description,
                quantity=line.quantity,
                unit_price_cents=line.unit_price_cents,
                total_cents=line.total_cents,
                gst_cents=line.gst_cents,
                au_gst_cents=line.au_gst_cents,
            )
            for line in invoice.lines.order_by("pk")
        ],
    )


class _RunCounts(TypedDict):
    payouts_count: int


def _run_out(run: "WithAnnotations[PayoutRun, _RunCounts]") -> RunOut:
    return RunOut(
        id=run.pk,
        created_at=_local(run.created_at),
        until=_local(run.until),
        total_cents=run.total_cents,
        payouts=run.payouts_count,
        skipped=len(run.skipped),
    )


@router.get(
    "/clusters/{slug}/payouts",
    response=list[RunOut],
    auth=django_auth,
    summary="The cluster's payout runs, newest first",
)
@paginate(Paginated)
def cluster_payout_list_api(
    request: HttpRequest, slug: str
) -> "Mapped[WithAnnotations[PayoutRun, _RunCounts], RunOut]":
    cluster = cluster_get_for_admin(actor=actor_from(request), slug=slug)
    runs = runs_for_cluster(cluster).annotate(payouts_count=Count("payouts"))
    return Mapped(runs, _run_out)


@router.get(
    "/clusters/{slug}/payouts/{run_id}",
    response=RunDetailOut,
    auth=django_auth,
    summary="One payout run: its payouts and the members skipped",
)
def cluster_payout_get_api(
    request: HttpRequest, slug: str, run_id: int
) -> RunDetailOut:
    cluster = cluster_get_for_admin(actor=actor_from(request), slug=slug)
    run = runs_for_cluster(cluster).filter(pk=run_id).first()
    if run is None:
        raise Http404
    payouts = list(run.payouts.select_related("cluster").order_by("pk"))
    return RunDetailOut(
        id=run.pk,
        created_at=_local(run.created_at),
        until=_local(run.until),
        total_cents=run.total_cents,
        payouts=[payout_out(p) for p in payouts],
        skipped=[
            SkippedOut(
                member=int(s.get("member", 0)),
                name=str(s.get("name", "")),
                balance_cents=int(s.get("balance_cents", 0)),
                reason=str(s.get("reason", "")),
            )
            for s in run.skipped
        ],
    )


@router.get(
    "/clusters/{slug}/reports",
    response=ReportOut,
    auth=django_auth,
    summary="The cluster's money by month or week",
)
def cluster_report_api(
    request: HttpRequest, slug: str, filters: Query[ReportFilter]
) -> ReportOut:
    """Defaults: by month over the last twelve months (from the cluster's first
    booking when that is later)."""
    cluster = cluster_get_for_admin(actor=actor_from(request), slug=slug)
    query = {"period": filters.period}
    if filters.from_:
        query["from"] = filters.from_.isoformat()
    if filters.to:
        query["to"] = filters.to.isoformat()
    _form, period, start, end = cluster_report_window(cluster, query)
    report: Report = cluster_report(cluster, period=period, start=start, end=end)
    return ReportOut(
        period=report.period,
        start=report.start,
        end=report.end,
        rows=[
            ReportRowOut(
                start=row.period.start,
                end=row.period.end,
                sales_cents=row.sales_cents,
                commission_cents=row.commission_cents,
                commission_gst_cents=row.commission_gst_cents,
                promotions_cents=row.promotions_cents,
                fees_cents=row.fees_cents,
                refunds_cents=row.refunds_cents,
                payouts_cents=row.payouts_cents,
                due_cents=row.due_cents,
            )
            for row in report.rows
        ],
        totals=report.totals,
    )
