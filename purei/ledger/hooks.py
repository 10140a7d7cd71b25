"""What the ledger does when money moves: called by ``purei.payments`` inside the
transaction that records the movement, so the books and the payment never
disagree."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from purei.payments.models import Payment, Refund


def payment_captured(payment: Payment) -> None:
    """An order's payment succeeded: book the sale (each member's share, the
    cluster's commission, the gateway's fee) and issue each supplier's invoice."""
    from purei.ledger.services.invoices import invoices_issue_for_payment
    from purei.ledger.services.postings import capture_post

    capture_post(payment)
    invoices_issue_for_payment(payment)


def refund_succeeded(refund: Refund) -> None:
    """Money went back to the customer: book it against the members it came from
    and issue the credit notes."""
    from purei.ledger.services.invoices import credit_notes_issue_for_refund
    from purei.ledger.services.postings import refund_post

    refund_post(refund)
    credit_notes_issue_for_refund(refund)
