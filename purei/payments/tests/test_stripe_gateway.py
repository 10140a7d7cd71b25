"""Stripe, offline: PaymentIntents and refunds against a local fake of Stripe's API
(tests/conftest.py ``FakeStripe``), which records what the library sent."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from purei.core.actor import Actor
from purei.core.errors import ValidationFailed
from purei.orders.models import Order
from purei.payments.models import Payment, Refund
from purei.settlement.services import payment_start, refund_create

from .conftest import FakeStripe, load_fixture, make_paid


def test_start_creates_a_payment_intent(order: Order, fake_stripe: FakeStripe) -> None:
    # given
    intent = load_fixture("payment_intent_created.json")
    fake_stripe.answer("/v1/payment_intents", intent)
    # when
    payment, result = payment_start(order=order, gateway_name="stripe")
    # then: what Pūrei keeps and hands the browser
    assert result.status == "pending"
    assert result.client_secret == intent["client_secret"]
    assert payment.status == Payment.Status.PENDING
    assert payment.reference == intent["id"]
    assert payment.client_secret == intent["client_secret"]  # for Stripe.js
    # and what Stripe was asked
    (request,) = fake_stripe.requests
    assert request["path"] == "/v1/payment_intents"
    assert request["headers"]["authorization"] == "Bearer sk_test_purei_offline"
    assert request["headers"]["idempotency-key"] == f"purei-payment-{payment.pk}"
    body = parse_qs(request["body"])
    assert body["amount"] == ["10000"]
    assert body["currency"] == ["nzd"]
    assert body["metadata[order_number]"] == [order.number]
    assert body["metadata[payment_id]"] == [str(payment.pk)]
    assert body["automatic_payment_methods[enabled]"] == ["true"]


def test_start_when_stripe_is_down(order: Order, fake_stripe: FakeStripe) -> None:
    fake_stripe.answer(
        "/v1/payment_intents",
        {"error": {"type": "api_error", "message": "Something went wrong."}},
        status=400,
    )

    payment, result = payment_start(order=order, gateway_name="stripe")

    assert result.status == "failed"
    assert payment.status == Payment.Status.FAILED
    assert "not available" in payment.failure_message
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_refund_through_stripe(
    cluster_x_admin: Actor, order: Order, fake_stripe: FakeStripe
) -> None:
    # given
    payment = make_paid(order, gateway="stripe", reference="pi_3QpurEiPaymentIntent01")
    fake_stripe.answer("/v1/refunds", load_fixture("refund_created.json"))
    # when
    refund = refund_create(
        actor=cluster_x_admin,
        payment=payment,
        amount_cents=1500,
        reason="Broken in transit",
    )
    # then
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.reference == "re_3QpurEiRefund0000001"
    (request,) = fake_stripe.requests
    assert request["path"] == "/v1/refunds"
    assert request["headers"]["idempotency-key"] == f"purei-refund-{refund.pk}"
    body = parse_qs(request["body"])
    assert body["payment_intent"] == ["pi_3QpurEiPaymentIntent01"]
    assert body["amount"] == ["1500"]
    assert body["metadata[reason]"] == ["Broken in transit"]
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.PARTLY_REFUNDED


def test_refund_refused_by_stripe_is_recorded(
    cluster_x_admin: Actor, order: Order, fake_stripe: FakeStripe
) -> None:
    # given
    payment = make_paid(order, gateway="stripe", reference="pi_3QpurEiPaymentIntent01")
    fake_stripe.answer(
        "/v1/refunds",
        {
            "error": {
                "type": "invalid_request_error",
                "code": "charge_already_refunded",
                "message": "Charge ch_3QpurEiCharge000001 has already been refunded.",
            }
        },
        status=400,
    )
    # when
    with pytest.raises(ValidationFailed) as caught:
        refund_create(
            actor=cluster_x_admin, payment=payment, amount_cents=1500, reason="x"
        )
    # then
    assert caught.value.code == "refund_failed"
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.FAILED
    assert refund.message == caught.value.message
    payment.refresh_from_db()
    assert payment.refunded_cents == 0
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.PAID
    # and a failed refund holds nothing back: the whole amount can still go back
    fake_stripe.answer("/v1/refunds", load_fixture("refund_created.json"))
    refund_create(
        actor=cluster_x_admin, payment=payment, amount_cents=10000, reason="x"
    )
    payment.refresh_from_db()
    assert payment.refunded_cents == 10000
