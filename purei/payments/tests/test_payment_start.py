"""payment_start: refusals first, then what each gateway's answer does."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from purei.core.errors import ValidationFailed
from purei.orders.models import Order
from purei.payments.models import Payment
from purei.payments.tests.factories import customer_mail
from purei.settlement.services import payment_start

from .conftest import GOOD_CARD


def test_good_test_card_pays_the_order(
    order: Order, django_capture_on_commit_callbacks: Any
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True):
        payment, result = payment_start(
            order=order, gateway_name="test", card=GOOD_CARD
        )
    # then
    assert result.status == "succeeded"
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.amount_cents == 10000
    assert payment.reference.startswith("test_ch_")
    assert payment.succeeded_at is not None
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payment_state == Order.PaymentState.PAID
    assert order.hold_until is None
    assert [m.subject for m in customer_mail(order)] == [
        f"Payment received for order {order.number}"
    ]
    assert customer_mail(order)[0].to == ["customer@example.nz"]
    assert "$100.00" in customer_mail(order)[0].body


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("4000 0000 0000 0002", "Your card was declined."),
        ("4000 0000 0000 9995", "Your card was declined: insufficient funds."),
    ],
)
def test_declined_card_records_a_failed_payment(
    order: Order, number: str, message: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        payment, result = payment_start(
            order=order,
            gateway_name="test",
            card=replace(GOOD_CARD, card_number=number),
        )

    assert result.status == "failed"
    assert payment.status == Payment.Status.FAILED
    assert payment.failure_message == message
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert order.payment_state == Order.PaymentState.UNPAID
    assert mail.outbox == []


def test_declined_then_good_card(order: Order) -> None:
    payment_start(
        order=order,
        gateway_name="test",
        card=replace(GOOD_CARD, card_number="4000000000000002"),
    )

    payment, _ = payment_start(order=order, gateway_name="test", card=GOOD_CARD)

    assert payment.status == Payment.Status.SUCCEEDED
    assert sorted(order.payments.values_list("status", flat=True)) == [
        "failed",
        "succeeded",
    ]


@pytest.mark.parametrize(
    "changes",
    [{"card_number": "4242 4242 4242 4241"}, {"expiry": "01/21"}, {"cvc": "1"}],
)
def test_malformed_card_records_nothing(order: Order, changes: dict[str, str]) -> None:
    with pytest.raises(ValidationFailed):
        payment_start(
            order=order, gateway_name="test", card=replace(GOOD_CARD, **changes)
        )

    assert Payment.objects.exists() is False


def test_bank_transfer_waits(order: Order) -> None:
    payment, result = payment_start(order=order, gateway_name="bank_transfer")

    assert result.status == "pending"
    assert result.instructions is not None
    assert result.instructions["reference"] == order.number
    assert payment.status == Payment.Status.PENDING
    assert payment.reference == order.number
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_refuses_an_order_whose_hold_expired(order: Order) -> None:
    # given
    Order.objects.filter(pk=order.pk).update(
        hold_until=timezone.now() - timedelta(seconds=1)
    )
    order.refresh_from_db()
    # when
    with pytest.raises(ValidationFailed) as caught:
        payment_start(order=order, gateway_name="test", card=GOOD_CARD)
    # then
    assert caught.value.code == "order_hold_expired"
    assert Payment.objects.exists() is False


@pytest.mark.parametrize("status", [Order.Status.PAID, Order.Status.CANCELLED])
def test_refuses_an_order_not_awaiting_payment(order: Order, status: str) -> None:
    Order.objects.filter(pk=order.pk).update(status=status)

    with pytest.raises(ValidationFailed) as caught:
        payment_start(order=order, gateway_name="bank_transfer")

    assert caught.value.code == "order_not_awaiting_payment"
    assert Payment.objects.exists() is False


def test_refuses_a_gateway_not_offered(order: Order, settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = False

    with pytest.raises(ValidationFailed) as caught:
        payment_start(order=order, gateway_name="test", card=GOOD_CARD)

    assert caught.value.code == "unknown_gateway"
    assert Payment.objects.exists() is False
