"""The documents of a sale to an Australian consumer on which the cluster
collected Australian GST (docs/trade.md "Australian GST on sales to consumers
(LVIG)"): the member's invoice itemises the AU GST per line and in its totals,
names the cluster's Australian registration, and its credit notes give back the
same AU GST the ledger's refund journal takes back from the ``au_gst`` account."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from purei.ledger.models import Account, Invoice, Posting
from purei.ledger.pdf import invoice_pdf
from purei.ledger.services.invoice_documents import invoice_document
from purei.ledger.tests.factories import cluster_admin
from purei.ledger.tests.test_invoice_pdf import pdf_text
from purei.orders.models import Order
from purei.payments.models import Payment
from purei.settlement.services.refunds import order_refund
from purei.settlement.tests.test_au_gst_checkout import _add, _page, shop

pytestmark = pytest.mark.django_db

__all__ = ["shop"]


def _bought_honey(client: Client, shop: dict[str, Any]) -> Invoice:
    _add(client, shop["honey"], 10)
    assert _page(client).status_code == 302
    return Invoice.objects.get(kind=Invoice.Kind.TAX_INVOICE)


def test_the_invoice_itemises_australian_gst_per_line_and_in_its_totals(
    client: Client, shop: dict[str, Any]
) -> None:
    # when ten jars go to Sydney (NZ$366.60 + NZ$33.47 shipping, AU GST included)
    invoice = _bought_honey(client, shop)
    # then the AU GST of the part is on its lines: 1/11 of the goods, 10 % of the
    # shipping's taxed share
    assert invoice.total_cents == 40007
    assert invoice.gst_cents == 0
    assert invoice.zero_rated
    assert invoice.au_gst_cents == 3637 == Order.objects.get().au_gst_cents
    assert invoice.au_gst_number == "51824753556"
    by_kind = {line.kind: line.au_gst_cents for line in invoice.lines.all()}
    assert by_kind == {"goods": 3333, "shipping": 304}
    # the New Zealand band is the supply's value without the Australian GST
    assert invoice.band == Invoice.Band.MIDDLE
    doc = invoice_document(invoice)
    assert doc.show_au_gst
    assert [(label, cents) for label, cents, _ in doc.totals] == [
        ("Total excluding GST", 40007),
        ("GST", 0),
        ("Total excluding Australian GST", 36370),
        ("Australian GST (10 %)", 3637),
        ("Total including Australian GST", 40007),
    ]
    assert any("51824753556" in note for note in doc.notes)
    assert any("Zero-rated export" in note for note in doc.notes)


def test_the_page_and_the_pdf_show_the_australian_gst(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    invoice = _bought_honey(client, shop)
    # when
    text = pdf_text(invoice_pdf(invoice))
    order = invoice.order
    assert order is not None
    page = client.get(
        reverse(
            "ledger:order-invoice", kwargs={"number": order.number, "pk": invoice.pk}
        )
    )
    # then
    assert "Australian GST (10 %)" in text
    assert "$36.37" in text
    assert "Australian Taxation Office" in text
    assert page.status_code == 200
    body = page.content.decode()
    assert '<th scope="col" class="num">Australian GST</th>' in body
    assert "Total including Australian GST" in body
    assert "51824753556" in body


def _au_gst_given_back(refund_id: int) -> int:
    total = Posting.objects.filter(
        journal__refund_id=refund_id, account__kind=Account.Kind.AU_GST
    ).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


@pytest.mark.parametrize("amount", [10007, 40007])
def test_a_credit_note_gives_back_the_australian_gst_the_ledger_does(
    client: Client, shop: dict[str, Any], amount: int
) -> None:
    # given the paid order, and one of the cluster's admins
    invoice = _bought_honey(client, shop)
    admin = cluster_admin(shop["cluster"])
    # when part of it (or all of it) goes back
    refund = order_refund(
        actor=admin,
        order=Order.objects.get(),
        amount_cents=amount,
        reason="Jar broken in transit",
    )
    # then the credit note states the AU GST the refund journal took back
    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert note.corrects_id == invoice.pk
    assert note.total_cents == amount
    assert note.au_gst_cents == _au_gst_given_back(refund.pk)
    assert note.au_gst_cents == (910 if amount == 10007 else 3637)
    assert sum(line.au_gst_cents for line in note.lines.all()) == note.au_gst_cents
    assert Payment.objects.get().refunded_cents == amount
