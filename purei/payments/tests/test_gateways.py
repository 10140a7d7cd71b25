"""The gateways on their own, and which ones are offered."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.utils import timezone

from purei.core.errors import ValidationFailed
from purei.orders.models import Order
from purei.payments.gateways import (
    BankTransferGateway,
    CardDetails,
    CardTestGateway,
    StartRequest,
    StripeGateway,
    available_gateways,
    get_gateway,
)
from purei.payments.gateways.test_gateway import luhn_ok

from .conftest import GOOD_CARD
from .factories import PaymentFactory


def _card(**changes: str) -> CardDetails:
    return replace(GOOD_CARD, **changes)


def test_only_bank_transfer_when_nothing_is_configured(settings: Any) -> None:
    # given
    settings.PAYMENTS_TEST_GATEWAY = False
    settings.STRIPE_SECRET_KEY = ""
    # when
    names = [gateway.name for gateway in available_gateways()]
    # then
    assert names == ["bank_transfer"]
    with pytest.raises(ValidationFailed):
        get_gateway("test")
    with pytest.raises(ValidationFailed):
        get_gateway("stripe")


def test_test_card_and_stripe_when_enabled(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = "sk_test_x"

    gateways = available_gateways()

    assert [g.name for g in gateways] == ["bank_transfer", "test", "stripe"]
    assert [g.label for g in gateways] == [
        "Bank transfer",
        "Test card",
        "Card (Stripe)",
    ]
    assert isinstance(get_gateway("stripe"), StripeGateway)


def test_unknown_gateway_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        get_gateway("paypal")
    assert caught.value.code == "unknown_gateway"


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4242424242424242", True),
        ("4000000000000002", True),
        ("4000000000009995", True),
        ("4242424242424241", False),
        ("79927398713", True),
    ],
)
def test_luhn(number: str, valid: bool) -> None:
    assert luhn_ok(number) is valid


@pytest.mark.django_db
def test_test_card_succeeds_without_keeping_the_number(order: Order) -> None:
    # given
    payment = PaymentFactory.create(order=order)
    # when
    result = CardTestGateway().start(
        payment, StartRequest(order.number, card=GOOD_CARD)
    )
    # then
    assert result.status == "succeeded"
    assert result.reference.startswith("test_ch_")
    assert "4242" in result.message
    assert "4242424242424242" not in result.reference + result.message
    assert "4242 4242" not in result.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("4000 0000 0000 0002", "Your card was declined."),
        ("4000 0000 0000 9995", "Your card was declined: insufficient funds."),
        (
            "5555 5555 5555 4444",
            "Use one of the test card numbers: this demo never takes real cards.",
        ),
    ],
)
def test_test_card_declines(order: Order, number: str, message: str) -> None:
    payment = PaymentFactory.create(order=order)

    result = CardTestGateway().start(
        payment, StartRequest(order.number, card=_card(card_number=number))
    )

    assert result.status == "failed"
    assert result.message == message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"card_number": "4242 4242 4242 4241"}, "card_number"),
        ({"card_number": "4242"}, "card_number"),
        ({"card_number": "abcd efgh ijkl mnop"}, "card_number"),
        ({"expiry": "01/20"}, "expiry"),
        ({"expiry": "13/40"}, "expiry"),
        ({"expiry": "soon"}, "expiry"),
        ({"cvc": "12"}, "cvc"),
        ({"cvc": "12345"}, "cvc"),
    ],
)
def test_test_card_refuses_malformed_input(changes: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        CardTestGateway().check(_card(**changes))
    assert caught.value.code == "invalid_card"
    assert list(caught.value.errors) == [field]


def test_test_card_accepts_this_month_and_a_four_digit_cvc() -> None:
    today = timezone.localdate()
    CardTestGateway().check(
        _card(expiry=f"{today.month:02d}/{today.year % 100:02d}", cvc="1234")
    )


def test_test_card_refuses_last_month() -> None:
    today = timezone.localdate()
    year, month = (
        (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    )
    with pytest.raises(ValidationFailed) as caught:
        CardTestGateway().check(_card(expiry=f"{month:02d}/{year % 100:02d}"))
    assert caught.value.errors == {"expiry": ["This card has expired."]}


@pytest.mark.django_db
def test_test_card_refund(order: Order) -> None:
    payment = PaymentFactory.create(order=order)

    result = CardTestGateway().refund(payment, 500, "Broken")

    assert result.ok is True
    assert result.reference.startswith("test_re_")


@pytest.mark.django_db
def test_bank_transfer_waits_with_instructions(order: Order) -> None:
    payment = PaymentFactory.create(order=order, gateway="bank_transfer")

    result = BankTransferGateway().start(payment, StartRequest(order.number))

    assert result.status == "pending"
    assert result.reference == order.number
    assert result.instructions == {
        "account_name": "Cluster X Trust",
        "account_number": "12-3456-7890123-00",
        "amount": "$100.00",
        "reference": order.number,
    }


@pytest.mark.django_db
def test_bank_transfer_refund_is_manual(order: Order) -> None:
    payment = PaymentFactory.create(order=order, gateway="bank_transfer")

    result = BankTransferGateway().refund(payment, 500, "Broken")

    assert result.ok is True
    assert result.reference == "manual"
