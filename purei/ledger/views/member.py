"""A member's money in ``/manage/members/<slug>/money/``: what each cluster holds
for it, its payouts with their statements, its invoices and credit notes, and the
commission invoices it received.

Its team and platform staff see every cluster; a cluster's admins see the member's
money in the clusters they run; anyone else gets a 404. Everything is read only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from purei.core.actor import actor_from
from purei.ledger.models import Invoice
from purei.ledger.pdf import invoice_pdf
from purei.ledger.reports import (
    commission_invoices_for_member,
    invoices_for_member,
    member_invoice_get,
    member_money,
    payouts_for_member,
)
from purei.ledger.selectors import member_for_money, payout_for_member
from purei.ledger.services.invoice_documents import invoice_document

from ._common import (
    member_context,
    pdf_download,
    statement_context,
    statement_download,
)

PAGE_SIZE = 25


@login_required
@require_GET
def member_money_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Balances per cluster, payouts, invoices (paginated) and commission
    invoices."""
    actor = actor_from(request)
    member, clusters, team = member_for_money(actor, slug)
    payouts = Paginator(payouts_for_member(member, clusters), PAGE_SIZE).get_page(
        request.GET.get("payouts")
    )
    invoices = Paginator(invoices_for_member(member, clusters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    commission = Paginator(
        commission_invoices_for_member(member, clusters), PAGE_SIZE
    ).get_page(request.GET.get("commission"))
    context = member_context(actor, member, team)
    context.update(
        money=member_money(member, clusters),
        payouts=payouts,
        invoices=invoices,
        commission=commission,
    )
    return render(request, "ledger/member/money.html", context)


@login_required
@require_GET
def member_statement_view(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    actor = actor_from(request)
    member, clusters, team = member_for_money(actor, slug)
    payout = payout_for_member(member, clusters, number)
    context = member_context(actor, member, team)
    context.update(statement_context(payout))
    return render(request, "ledger/member/statement.html", context)


@login_required
@require_GET
def member_statement_pdf_view(
    request: HttpRequest, slug: str, number: str
) -> HttpResponse:
    member, clusters, _team = member_for_money(actor_from(request), slug)
    return statement_download(payout_for_member(member, clusters, number), "pdf")


@login_required
@require_GET
def member_statement_csv_view(
    request: HttpRequest, slug: str, number: str
) -> HttpResponse:
    member, clusters, _team = member_for_money(actor_from(request), slug)
    return statement_download(payout_for_member(member, clusters, number), "csv")


def _invoice(
    request: HttpRequest, slug: str, pk: int
) -> tuple[Invoice, dict[str, Any]]:
    actor = actor_from(request)
    member, clusters, team = member_for_money(actor, slug)
    try:
        invoice = member_invoice_get(member, clusters, pk)
    except Invoice.DoesNotExist:
        raise Http404 from None
    context = member_context(actor, member, team)
    return invoice, context


@login_required
@require_GET
def member_invoice_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invoice, context = _invoice(request, slug, pk)
    context.update(
        doc=invoice_document(invoice),
        invoice=invoice,
        pdf_url_name="ledger:member-invoice-pdf",
    )
    return render(request, "ledger/member/invoice.html", context)


@login_required
@require_GET
def member_invoice_pdf_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invoice, _context = _invoice(request, slug, pk)
    return pdf_download(invoice_pdf(invoice), f"{invoice.number}.pdf")
