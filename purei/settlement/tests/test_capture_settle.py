"""capture_settle: a payment's success, its order paid, the sale booked and the
invoices issued are one transaction, whichever way the money arrived. When the
books refuse the capture, nothing of it is kept.

The books are made to refuse for real, not by replacing our own code: a payment
whose amount is not what its order's parts were paid is a journal that does not
balance, and ``journal_post`` refuses it (``LedgerUnbalanced``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from purei.core.actor import Actor
from purei.core.models import AuditEntry
from purei.ledger.errors import LedgerError
from purei.ledger.models import Invoice, Journal, Posting
from purei.ledger.selectors import ledger_unbalanced_journals
from purei.ledger.tests.factories import GOOD_CARD
from purei.orders.models import Fulfilment, Order
from purei.payments.models import Payment, WebhookEvent
from purei.payments.tests.conftest import load_fixture, sign
from purei.payments.tests.factories import customer_mail, no_repeats
from purei.settlement.services import (
    capture_settle,
    payment_mark_received,
    payment_start,
    payment_succeeded,
    stripe_event_process,
)

from .conftest import WEBHOOK_SECRET

INTENT_ID = "pi_3QpurEiPaymentIntent01"


def _pending(order: Order, *, gateway: str = "test", extra_cents: int = 0) -> Payment:
    return Payment.objects.create(
        order=order,
        gateway=gateway,
        amount_cents=order.total_cents + extra_cents,
        reference=order.number if gateway == "bank_transfer" else INTENT_ID,
    )


def _nothing_kept(order: Order, payment: Payment) -> None:
    """The payment still waits, the order is unpaid and holds its stock, and the
    books and documents are untouched."""
    held_until = order.hold_until
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert payment.succeeded_at is None
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert order.payment_state == Order.PaymentState.UNPAID
    assert order.paid_at is None
    assert order.hold_until == held_until
    assert list(
        Fulfilment.objects.filter(order=order).values_list("paid_cents", flat=True)
    ) == [0, 0]
    assert Journal.objects.exists() is False
    assert Posting.objects.exists() is False
    assert Invoice.objects.exists() is False


def _event(payment: Payment) -> str:
    event = load_fixture("payment_intent_succeeded.json")
    intent = event["data"]["object"]
    intent["metadata"] = {
        "order_number": payment.order.number,
        "payment_id": str(payment.pk),
    }
    intent["amount"] = intent["amount_received"] = payment.amount_cents
    return json.dumps(event)


def _deliver(client: Client, payload: str) -> Any:
    return client.post(
        reverse("stripe-webhook"),
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": sign(payload, secret=WEBHOOK_SECRET)},
    )


# --- Booked with the payment ---------------------------------------------------------


def test_the_test_card_is_booked_in_the_payments_transaction(
    order: Order, django_capture_on_commit_callbacks: Any
) -> None:
    # when the test card pays at checkout (it succeeds at once)
    with django_capture_on_commit_callbacks(execute=True):
        payment, _result = payment_start(
            order=order,
            gateway_name="test",
            card=GOOD_CARD,
        )
    # then the payment, the order, the books and the invoices all say so
    assert payment.status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    journal = Journal.objects.get(key=f"capture:payment:{payment.pk}")
    assert journal.order_id == order.pk
    assert Invoice.objects.filter(order=order).count() == 2
    assert ledger_unbalanced_journals() == []
    assert len(customer_mail(order)) == 1


def test_capture_settle_joins_its_callers_transaction(order: Order) -> None:
    # given a pending payment
    payment = _pending(order)

    # when it is settled inside a transaction that then fails
    def caller() -> None:
        with transaction.atomic():
            capture_settle(payment_id=payment.pk, reference="test_ch_joined")
            assert Journal.objects.filter(payment=payment).exists()
            raise RuntimeError("the caller fails after settling")

    with pytest.raises(RuntimeError):
        caller()
    # then the caller's rollback takes the capture with it
    _nothing_kept(order, payment)


# --- The books refuse: nothing is kept ---------------------------------------------


def test_when_the_books_refuse_the_capture_the_payment_stays_pending(
    order: Order, django_capture_on_commit_callbacks: Any
) -> None:
    # given a payment whose amount the books cannot balance against the order
    payment = _pending(order, extra_cents=1)
    # when its money is said to have arrived
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(LedgerError),
    ):
        payment_succeeded(payment)
    # then nothing of the capture is kept, and no one is told anything
    _nothing_kept(order, payment)
    assert callbacks == []
    assert customer_mail(order) == []


def test_a_bank_transfer_the_books_refuse_is_not_recorded_received(
    order: Order, admin: Actor
) -> None:
    # given a transfer awaited for an amount the books cannot balance
    payment = _pending(order, gateway="bank_transfer", extra_cents=1)
    # when the admin records it received
    with pytest.raises(LedgerError):
        payment_mark_received(actor=admin, order=order, note="ASB 1 Dec")
    # then it is still awaited, and no audit row claims otherwise
    _nothing_kept(order, payment)
    assert AuditEntry.objects.filter(verb="payment.received").exists() is False


def test_a_webhook_the_books_refuse_is_not_recorded(order: Order) -> None:
    # given a Stripe payment the books cannot balance against the order
    payment = _pending(order, gateway="stripe", extra_cents=1)
    payload = json.loads(_event(payment))
    # when Stripe says it succeeded
    with pytest.raises(LedgerError):
        stripe_event_process(payload=payload)
    # then neither the event nor the capture is kept: Stripe's retry is taken afresh
    _nothing_kept(order, payment)
    assert WebhookEvent.objects.exists() is False


# --- Once -------------------------------------------------------------------------


def test_a_repeated_webhook_books_once(
    client: Client, order: Order, django_capture_on_commit_callbacks: Any
) -> None:
    # given a Stripe payment of the order, and its succeeded event
    payment = _pending(order, gateway="stripe")
    payload = _event(payment)
    with django_capture_on_commit_callbacks(execute=True):
        first = _deliver(client, payload)
    booked = (Journal.objects.count(), Posting.objects.count(), Invoice.objects.count())
    # when Stripe delivers it again
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = _deliver(client, payload)
    # then it was booked once: one capture, one invoice per part, one email
    assert (first.status_code, second.status_code) == (200, 200)
    assert callbacks == []
    assert booked == (
        Journal.objects.count(),
        Posting.objects.count(),
        Invoice.objects.count(),
    )
    captures = Journal.objects.filter(payment=payment, kind=Journal.Kind.CAPTURE)
    assert captures.count() == 1
    assert Invoice.objects.filter(order=order).count() == 2
    assert WebhookEvent.objects.count() == 1
    assert len(customer_mail(order)) == 1
    assert no_repeats()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
