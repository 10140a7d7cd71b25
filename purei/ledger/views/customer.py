"""A customer's invoices and credit notes: ``/orders/<number>/invoices/<id>/``
and ``…/pdf/``.

Whoever may see the order page may see its invoices: the order's customer, the
session that placed it, or the holder of its signed link (``?key=``), as
``order_get_for_shopper`` decides. The cluster's admins, the supplier member's
team and platform staff may read them too (``invoice_can_view``). Commission
invoices are between the cluster and a member, never the customer's.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from purei.core.actor import actor_from
from purei.ledger.models import Invoice
from purei.ledger.pdf import invoice_pdf
from purei.ledger.services.invoice_documents import invoice_document
from purei.ledger.services.invoices import invoice_can_view
from purei.orders.shopper_access import order_get_for_shopper

from ._common import pdf_download


def _invoice_for_order(request: HttpRequest, number: str, pk: int) -> Invoice:
    invoice = (
        Invoice.objects.filter(
            pk=pk, order__number=number.upper()[:16], payout__isnull=True
        )
        .select_related("cluster", "order", "corrects")
        .first()
    )
    if invoice is None:
        raise Http404
    key = str(request.GET.get("key", ""))[:100]
    try:
        order_get_for_shopper(request, number=number, key=key)
    except Http404:
        if not invoice_can_view(actor_from(request), invoice):
            raise
    return invoice


@require_GET
def order_invoice_view(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    invoice = _invoice_for_order(request, number, pk)
    order = invoice.order
    assert order is not None  # noqa: S101  # filtered on its order
    context = {
        "cluster": invoice.cluster,
        "order": order,
        "invoice": invoice,
        "doc": invoice_document(invoice),
        "key": str(request.GET.get("key", ""))[:100],
    }
    response = render(request, "ledger/customer/invoice.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def order_invoice_pdf_view(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    invoice = _invoice_for_order(request, number, pk)
    response = pdf_download(invoice_pdf(invoice), f"{invoice.number}.pdf")
    response["X-Robots-Tag"] = "noindex"
    return response
