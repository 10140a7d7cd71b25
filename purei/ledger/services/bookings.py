"""What the ledger books when money moves. Called by ``purei.settlement`` inside
the transaction that records the movement, so the books and the money never
disagree (docs/adr/0009-booking-a-capture.md). Both are idempotent: a journal's
unique key and each document's own check book a movement once."""

from __future__ import annotations

from datetime import datetime

from purei.ledger.services.credit_notes import credit_notes_issue_for_refund
from purei.ledger.services.invoices import (
    invoices_issue_for_order,
    invoices_issue_for_payment,
)
from purei.ledger.services.postings import (
    cancellation_post,
    capture_post,
    refund_post,
)
from purei.ledger.services.receivables import trade_invoice_post
from purei.orders.models import Fulfilment, Order
from purei.orders.selectors import order_parts_with_lines
from purei.payments.models import Payment, Refund


def capture_book(
    payment: Payment,
    *,
    order: Order | None = None,
    parts: list[Fulfilment] | None = None,
) -> None:
    """An order's payment succeeded: book the sale (each member's share, the
    cluster's commission, the gateway's fee) and issue each supplier's invoice.
    ``order`` (with its cluster and region) and ``parts``
    (``order_parts_with_lines``): as the caller read them in this transaction,
    after marking the order paid; read here when not given."""
    if order is None:
        order = Order.objects.select_related("cluster", "region").get(
            pk=payment.order_id
        )
    if parts is None:
        parts = order_parts_with_lines(order)
    capture_post(payment, order=order, parts=parts)
    invoices_issue_for_payment(payment, order=order, parts=parts)


def refund_book(refund: Refund) -> None:
    """Money went back to the customer: book it against the members it came from
    and issue the credit notes."""
    refund_post(refund)
    credit_notes_issue_for_refund(refund)


def cancellation_book(fulfilment_id: int) -> None:
    """Lines of a paid part were cancelled but nothing was left to give back (it
    had all gone back before): the commission on them comes off all the same."""
    cancellation_post(fulfilment_id)


def trade_invoice_book(*, order_id: int, buyer: str, occurred_at: datetime) -> None:
    """A trade order is invoiced to its buyer (on acceptance when on account, at
    its first payment when pro-forma): book the sale against the trade
    receivable and issue each supplier's invoice, dated ``occurred_at``."""
    trade_invoice_post(order_id=order_id, buyer=buyer, occurred_at=occurred_at)
    invoices_issue_for_order(order_id=order_id, issued_at=occurred_at)
