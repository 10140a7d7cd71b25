"""POST /payments/stripe/webhook/: signed exactly as Stripe signs, offline."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from purei.orders.models import Order
from purei.payments.models import Payment, Refund, WebhookEvent
from purei.payments.tests.factories import customer_mail, no_repeats

from .conftest import load_fixture, sign
from .factories import PaymentFactory

URL = "/payments/stripe/webhook/"
INTENT_ID = "pi_3QpurEiPaymentIntent01"


@pytest.fixture
def stripe_payment(order: Order) -> Payment:
    return PaymentFactory.create(order=order, gateway="stripe", reference=INTENT_ID)


def _event(name: str, payment: Payment, **changes: Any) -> str:
    event = load_fixture(name)
    intent = event["data"]["object"]
    intent["metadata"] = {
        "order_number": payment.order.number,
        "payment_id": str(payment.pk),
    }
    intent["amount"] = payment.amount_cents
    if intent["status"] == "succeeded":
        intent["amount_received"] = payment.amount_cents
    intent.update(changes)
    return json.dumps(event)


def _post(client: Client, payload: str, signature: str | None) -> Any:
    headers = {} if signature is None else {"Stripe-Signature": signature}
    return client.post(
        URL, data=payload, content_type="application/json", headers=headers
    )


def test_url_name() -> None:
    assert reverse("stripe-webhook") == URL


def test_succeeded_event_pays_the_order(
    client: Client,
    order: Order,
    stripe_payment: Payment,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    payload = _event("payment_intent_succeeded.json", stripe_payment)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, payload, sign(payload))
    # then
    assert response.status_code == 200
    stripe_payment.refresh_from_db()
    assert stripe_payment.status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    event = WebhookEvent.objects.get()
    assert (event.gateway, event.event_id, event.event_type) == (
        "stripe",
        "evt_3QpurEiSucceeded0001",
        "payment_intent.succeeded",
    )
    assert len(customer_mail(order)) == 1
    assert no_repeats()


def test_duplicate_event_is_processed_once(
    client: Client,
    order: Order,
    stripe_payment: Payment,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    payload = _event("payment_intent_succeeded.json", stripe_payment)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, payload, sign(payload))
    # when Stripe delivers it again
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _post(client, payload, sign(payload))
    # then
    assert response.status_code == 200
    assert callbacks == []
    assert WebhookEvent.objects.count() == 1
    assert len(customer_mail(order)) == 1
    assert no_repeats()


def test_a_repeat_after_the_order_was_cancelled_refunds_once(
    client: Client, order: Order, stripe_payment: Payment, fake_stripe: Any
) -> None:
    # given: paid by card after the hold expired
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.CANCELLED, cancelled_at=timezone.now()
    )
    refund = load_fixture("refund_created.json") | {"amount": 10000}
    fake_stripe.answer("/v1/refunds", refund)
    payload = _event("payment_intent_succeeded.json", stripe_payment)
    # when
    first = _post(client, payload, sign(payload))
    second = _post(client, payload, sign(payload))
    # then
    assert (first.status_code, second.status_code) == (200, 200)
    assert [r["path"] for r in fake_stripe.requests] == ["/v1/refunds"]
    made = Refund.objects.get()
    assert (made.amount_cents, made.automatic, made.status) == (
        10000,
        True,
        Refund.Status.SUCCEEDED,
    )


def test_payment_failed_event(
    client: Client, order: Order, stripe_payment: Payment
) -> None:
    payload = _event("payment_intent_payment_failed.json", stripe_payment)

    response = _post(client, payload, sign(payload))

    assert response.status_code == 200
    stripe_payment.refresh_from_db()
    assert stripe_payment.status == Payment.Status.FAILED
    assert stripe_payment.failure_message == "Your card has insufficient funds."
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_unknown_event_type_is_acknowledged(
    client: Client, order: Order, stripe_payment: Payment
) -> None:
    payload = json.dumps(load_fixture("charge_refunded.json"))

    response = _post(client, payload, sign(payload))

    assert response.status_code == 200
    assert WebhookEvent.objects.get().event_type == "charge.refunded"
    stripe_payment.refresh_from_db()
    assert stripe_payment.status == Payment.Status.PENDING


def test_found_by_metadata_when_the_reference_was_not_saved(
    client: Client, order: Order
) -> None:
    payment = PaymentFactory.create(order=order, gateway="stripe", reference="")
    payload = _event("payment_intent_succeeded.json", payment)

    _post(client, payload, sign(payload))

    payment.refresh_from_db()
    assert (payment.status, payment.reference) == (Payment.Status.SUCCEEDED, INTENT_ID)


def test_wrong_amount_does_not_pay(
    client: Client, order: Order, stripe_payment: Payment
) -> None:
    payload = _event(
        "payment_intent_succeeded.json", stripe_payment, amount=100, amount_received=100
    )

    response = _post(client, payload, sign(payload))

    assert response.status_code == 200
    stripe_payment.refresh_from_db()
    assert stripe_payment.status == Payment.Status.PENDING
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda p: sign(p, secret="whsec_someone_else"), id="wrong-secret"),
        pytest.param(lambda p: sign(p + " "), id="other-payload"),
        pytest.param(lambda p: sign(p, timestamp=int(time.time()) - 301), id="stale"),
        pytest.param(lambda p: "t=abc,v1=zz", id="garbled"),
        pytest.param(lambda p: sign(p).replace("v1=", "v0="), id="wrong-scheme"),
        pytest.param(lambda p: None, id="missing"),
    ],
)
def test_refuses_a_bad_signature(
    client: Client, order: Order, stripe_payment: Payment, signature: Any
) -> None:
    # given
    payload = _event("payment_intent_succeeded.json", stripe_payment)
    # when
    response = _post(client, payload, signature(payload))
    # then
    assert response.status_code == 400
    assert WebhookEvent.objects.exists() is False
    stripe_payment.refresh_from_db()
    assert stripe_payment.status == Payment.Status.PENDING


def test_refuses_when_no_secret_is_configured(
    client: Client, stripe_payment: Payment, settings: Any
) -> None:
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload = _event("payment_intent_succeeded.json", stripe_payment)

    response = _post(client, payload, sign(payload, secret=""))

    assert response.status_code == 400
    assert WebhookEvent.objects.exists() is False


def test_get_is_not_allowed(client: Client, db: None) -> None:
    assert client.get(URL).status_code == 405


def test_csrf_is_not_required(db: None, stripe_payment: Payment) -> None:
    client = Client(enforce_csrf_checks=True)
    payload = _event("payment_intent_succeeded.json", stripe_payment)

    response = _post(client, payload, sign(payload))

    assert response.status_code == 200
