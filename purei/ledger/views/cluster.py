"""A cluster admin's money screens in ``/manage/clusters/<slug>/``:

- ``payouts/`` what is due per member now, who would be skipped and why, the
  "Run payouts" form, an adjustment form, and past runs;
- ``payouts/<run>/`` one run: its payouts, skipped members, the bank batch file
  (``bank-file.csv``) and each payout's statement (``statements/<number>/``,
  ``.pdf``, ``.csv``);
- ``reports/`` sales, commission, fees, refunds and payouts by month or week,
  and the same as CSV (``reports.csv``);
- ``invoices/<id>/`` and ``…/pdf/`` any invoice, credit note or commission
  invoice of the cluster (linked from its order pages and its payout runs).

The cluster's admins run and adjust; platform staff read (a POST from them is a
403); anyone else gets a 404. Everything works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.models import Cluster
from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.core.money import PriceInvalid, parse_price_cents
from purei.core.validators import bank_account_mask
from purei.ledger.bankfile import bank_batch_csv
from purei.ledger.forms import ReportForm, cluster_report_window
from purei.ledger.models import Payout, PayoutRun
from purei.ledger.pdf import invoice_pdf
from purei.ledger.reports import (
    Report,
    cluster_report,
    report_csv,
    runs_for_cluster,
)
from purei.ledger.selectors import (
    commission_invoices_for_run,
    invoice_get_for_cluster,
    payout_preview,
)
from purei.ledger.services.invoice_documents import invoice_document
from purei.ledger.services.journal import adjustment_post
from purei.ledger.services.payouts import payout_run
from purei.members.models import Member, Membership
from purei.web.shell import cluster_manage_context

from ._common import (
    download,
    pdf_download,
    statement_context,
    statement_download,
)

PAGE_SIZE = 25
MINUS_SIGNS = ("-", "\u2212")  # hyphen-minus and the minus sign


def _context(cluster: Cluster, section: str, **more: Any) -> dict[str, Any]:
    return cluster_manage_context(cluster, section, **more)


def _can_change(request: HttpRequest, cluster: Cluster) -> bool:
    return actor_from(request).is_cluster_admin(cluster.pk)


# --- Forms: they parse what was typed; the services check the rest ----------------


class RunForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Money up to (and including)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy(
            "Pays what was booked up to the end of this day, for parts of orders "
            "handed over to the customer."
        ),
    )

    def clean_until(self) -> dt.date:
        day: dt.date = self.cleaned_data["until"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Choose today or a day before."))
        return day

    def until_datetime(self) -> dt.datetime:
        """The end of the chosen day in New Zealand, or now if that is later."""
        day: dt.date = self.cleaned_data["until"]
        end = timezone.make_aware(
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
        ) - dt.timedelta(microseconds=1)
        return min(end, timezone.now())


def parse_signed_cents(text: str) -> int:
    """Dollars to cents, allowing a leading minus for a debit (the catalogue's
    ``parse_price_cents`` takes no negatives: the sign is read here)."""
    value = text.strip()
    negative = value.startswith(MINUS_SIGNS)
    if negative:
        value = value[1:]
    cents = parse_price_cents(value)
    return -cents if negative else cents


class AdjustmentForm(forms.Form):
    member = forms.TypedChoiceField(label=gettext_lazy("Member"), coerce=int)
    amount = forms.CharField(
        label=gettext_lazy("Amount ($)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=gettext_lazy(
            "What the member is owed more, e.g. 25.00; put a minus sign in front "
            "to take money off, e.g. -25.00."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown on the member's statement)"),
        max_length=300,
    )

    def __init__(self, *args: Any, members: list[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {m.pk: m for m in members}
        field = self.fields["member"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101  # declared so
        field.choices = [("", _("Choose a member"))] + [(m.pk, m.name) for m in members]

    def clean_amount(self) -> int:
        try:
            cents = parse_signed_cents(self.cleaned_data["amount"])
        except PriceInvalid:
            raise forms.ValidationError(
                _("Give an amount in dollars and cents, e.g. 25.00 or -25.00.")
            ) from None
        if cents == 0:
            raise forms.ValidationError(_("Give an amount other than zero."))
        return cents


def _cluster_members(cluster: Cluster) -> list[Member]:
    members = Member.objects.filter(
        memberships__cluster=cluster,
        memberships__status__in=[
            Membership.Status.APPROVED,
            Membership.Status.SUSPENDED,
        ],
    ).distinct()
    return sorted(members, key=lambda m: (m.name.casefold(), m.pk))


# --- Payouts ------------------------------------------------------------------------


def _payouts_page(
    request: HttpRequest,
    cluster: Cluster,
    run_form: RunForm,
    adjust_form: AdjustmentForm,
    status: int = 200,
) -> HttpResponse:
    previews = payout_preview(cluster, timezone.now())
    runs = Paginator(runs_for_cluster(cluster), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = _context(
        cluster,
        "payouts",
        due=[p for p in previews if p.payable],
        skipped=[p for p in previews if not p.payable],
        due_total=sum(p.amount_cents for p in previews if p.payable),
        runs=runs,
        run_form=run_form,
        adjust_form=adjust_form,
        can_change=_can_change(request, cluster),
    )
    return render(request, "ledger/cluster/payouts.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_payouts_view(request: HttpRequest, slug: str) -> HttpResponse:
    """What is due, the run and adjustment forms (``action=run|adjust``), runs."""
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    members = _cluster_members(cluster)
    run_form = RunForm(initial={"until": timezone.localdate()})
    adjust_form = AdjustmentForm(members=members)
    if request.method != "POST":
        return _payouts_page(request, cluster, run_form, adjust_form)
    if not actor.is_cluster_admin(cluster.pk):
        raise PermissionDenied(_("You can see this cluster's payouts; not run them."))
    action = request.POST.get("action", "")
    if action == "run":
        run_form = RunForm(request.POST)
        if run_form.is_valid():
            try:
                run = payout_run(
                    actor=actor, cluster=cluster, until=run_form.until_datetime()
                )
            except DomainError as exc:
                form_add_domain_error(run_form, exc)
            else:
                count = run.payouts.count()
                if count:
                    messages.success(
                        request,
                        _(
                            "Payout run done: %(count)s payouts, %(total)s in all. "
                            "Download the bank file and upload it to the bank."
                        )
                        % {"count": count, "total": _money(run.total_cents)},
                    )
                else:
                    messages.info(
                        request, _("Payout run done: nobody was due any money.")
                    )
                return redirect("ledger:cluster-run", slug=cluster.slug, pk=run.pk)
    elif action == "adjust":
        adjust_form = AdjustmentForm(request.POST, members=members)
        if adjust_form.is_valid():
            member = adjust_form.members.get(adjust_form.cleaned_data["member"])
            try:
                if member is None:
                    raise Http404
                adjustment_post(
                    actor=actor,
                    cluster=cluster,
                    member=member,
                    amount_cents=adjust_form.cleaned_data["amount"],
                    reason=adjust_form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form_add_domain_error(
                    adjust_form, exc, field_map={"amount_cents": "amount"}
                )
            else:
                messages.success(
                    request,
                    _("Adjustment of %(amount)s booked for %(member)s.")
                    % {
                        "amount": _money(adjust_form.cleaned_data["amount"]),
                        "member": member.name,
                    },
                )
                return redirect("ledger:cluster-payouts", slug=cluster.slug)
    else:
        messages.error(request, _("Nothing was done: choose a button."))
        return redirect("ledger:cluster-payouts", slug=cluster.slug)
    return _payouts_page(request, cluster, run_form, adjust_form, status=422)


def _money(cents: int) -> str:
    from purei.core.money import format_nzd

    return format_nzd(cents)


def _run(request: HttpRequest, slug: str, pk: int) -> tuple[Cluster, PayoutRun]:
    cluster = cluster_get_for_admin(actor=actor_from(request), slug=slug)
    run = PayoutRun.objects.filter(cluster=cluster, pk=pk).first()
    if run is None:
        raise Http404(_("No such payout run."))
    return cluster, run


@login_required
@require_GET
def cluster_run_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cluster, run = _run(request, slug, pk)
    commission = commission_invoices_for_run(
        actor=actor_from(request), cluster=cluster, run=run
    )
    payouts = [
        {
            "payout": payout,
            "account": bank_account_mask(payout.bank_account),
            "commission": commission.get(payout.pk),
        }
        for payout in run.payouts.select_related("member").order_by("pk")
    ]
    context = _context(cluster, "payouts", run=run, payouts=payouts)
    return render(request, "ledger/cluster/run.html", context)


@login_required
@require_GET
def cluster_bank_file_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cluster, run = _run(request, slug, pk)
    day = timezone.localtime(run.created_at).date().isoformat()
    return download(
        bank_batch_csv(run),
        "text/csv; charset=utf-8",
        f"payouts-{cluster.slug}-run-{run.pk}-{day}.csv",
    )


def _payout(request: HttpRequest, slug: str, number: str) -> tuple[Cluster, Payout]:
    cluster = cluster_get_for_admin(actor=actor_from(request), slug=slug)
    payout = (
        Payout.objects.filter(cluster=cluster, number=number)
        .select_related("cluster", "run", "member")
        .first()
    )
    if payout is None:
        raise Http404(_("No such payout."))
    return cluster, payout


@login_required
@require_GET
def cluster_statement_view(
    request: HttpRequest, slug: str, number: str
) -> HttpResponse:
    cluster, payout = _payout(request, slug, number)
    context = _context(cluster, "payouts", **statement_context(payout))
    return render(request, "ledger/cluster/statement.html", context)


@login_required
@require_GET
def cluster_statement_pdf_view(
    request: HttpRequest, slug: str, number: str
) -> HttpResponse:
    _cluster, payout = _payout(request, slug, number)
    return statement_download(payout, "pdf")


@login_required
@require_GET
def cluster_statement_csv_view(
    request: HttpRequest, slug: str, number: str
) -> HttpResponse:
    _cluster, payout = _payout(request, slug, number)
    return statement_download(payout, "csv")


# --- Invoices, credit notes and commission invoices -------------------------------


@login_required
@require_GET
def cluster_invoice_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    invoice = invoice_get_for_cluster(actor=actor, cluster=cluster, invoice_id=pk)
    context = _context(
        cluster,
        "orders" if invoice.order_id else "payouts",
        invoice=invoice,
        doc=invoice_document(invoice),
    )
    return render(request, "ledger/cluster/invoice.html", context)


@login_required
@require_GET
def cluster_invoice_pdf_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    invoice = invoice_get_for_cluster(actor=actor, cluster=cluster, invoice_id=pk)
    return pdf_download(invoice_pdf(invoice), f"{invoice.number}.pdf")


# --- Reports ------------------------------------------------------------------------


@login_required
@require_GET
def cluster_reports_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_for_admin(actor=actor_from(request), slug=slug)
    form, period, start, end = cluster_report_window(cluster, request.GET)
    report = cluster_report(cluster, period=period, start=start, end=end)
    if request.GET.get("format") == "csv" and not form.errors:
        return _report_download(cluster, report)
    return _reports_page(request, cluster, form, report)


def _reports_page(
    request: HttpRequest, cluster: Cluster, form: ReportForm, report: Report
) -> HttpResponse:
    """The reports page; a 422 showing the form's errors when it has some."""
    query = request.GET.copy()
    query.pop("format", None)
    context = _context(
        cluster,
        "reports",
        form=form,
        report=report,
        totals=report.totals,
        csv_query=query.urlencode(),
    )
    status = 422 if form.errors else 200
    return render(request, "ledger/cluster/reports.html", context, status=status)


@login_required
@require_GET
def cluster_reports_csv_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_for_admin(actor=actor_from(request), slug=slug)
    form, period, start, end = cluster_report_window(cluster, request.GET)
    report = cluster_report(cluster, period=period, start=start, end=end)
    if form.errors:
        return _reports_page(request, cluster, form, report)
    return _report_download(cluster, report)


def _report_download(cluster: Cluster, report: Report) -> HttpResponse:
    return download(
        report_csv(report),
        "text/csv; charset=utf-8",
        f"report-{cluster.slug}-{report.period}-{report.start}-{report.end}.csv",
    )
