"""payment_succeeded and payment_failed: idempotent, and money that arrives too
late or twice goes back by itself."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.utils import timezone

from purei.core.models import AuditEntry
from purei.orders.models import Order
from purei.payments.models import Payment, Refund
from purei.payments.services import payment_failed
from purei.payments.tests.factories import customer_mail, no_repeats
from purei.settlement.services import (
    REASON_ALREADY_PAID,
    REASON_CANCELLED,
    payment_succeeded,
)

from .factories import PaymentFactory


def test_marks_the_payment_and_the_order_paid(
    order: Order, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    payment = PaymentFactory.create(order=order)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = payment_succeeded(payment)
    # then
    assert result.status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.paid_at == result.succeeded_at
    assert len(customer_mail(order)) == 1
    assert no_repeats()


def test_is_idempotent(order: Order, django_capture_on_commit_callbacks: Any) -> None:
    # given
    payment = PaymentFactory.create(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        first = payment_succeeded(payment)
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = payment_succeeded(payment)
        third = payment_succeeded(payment)
    # then
    assert callbacks == []
    assert second.succeeded_at == third.succeeded_at == first.succeeded_at
    assert len(customer_mail(order)) == 1
    assert no_repeats()
    assert Refund.objects.exists() is False


def test_paid_after_the_order_was_cancelled_is_refunded(
    order: Order, django_capture_on_commit_callbacks: Any
) -> None:
    # given: the hold expired and the order was cancelled; then the money arrives
    payment = PaymentFactory.create(order=order)
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.CANCELLED, cancelled_at=timezone.now()
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = payment_succeeded(payment)
    # then
    assert result.status == Payment.Status.SUCCEEDED
    assert result.refunded_cents == 10000
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.automatic is True
    assert refund.reason == REASON_CANCELLED
    assert refund.reference.startswith("test_re_")
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.payment_state == Order.PaymentState.UNPAID
    assert [m.subject for m in mail.outbox] == [f"Refund for order {order.number}"]
    audit = AuditEntry.objects.get()
    assert audit.verb == "refund.made"
    assert audit.actor is None
    assert audit.after["automatic"] is True


def test_a_second_payment_of_a_paid_order_is_refunded(order: Order) -> None:
    # given
    first = PaymentFactory.create(order=order)
    payment_succeeded(first)
    second = PaymentFactory.create(order=order, gateway="bank_transfer")
    # when
    result = payment_succeeded(second)
    # then
    assert result.refunded_cents == 10000
    refund = Refund.objects.get()
    assert (refund.payment, refund.reason, refund.reference) == (
        second,
        REASON_ALREADY_PAID,
        "manual",
    )
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.PAID
    first.refresh_from_db()
    assert first.refunded_cents == 0


def test_failed_records_the_message(order: Order) -> None:
    payment = PaymentFactory.create(order=order)

    result = payment_failed(payment, "Your card was declined.")

    assert result.status == Payment.Status.FAILED
    assert result.failure_message == "Your card was declined."


def test_failed_after_success_changes_nothing(order: Order) -> None:
    payment = payment_succeeded(PaymentFactory.create(order=order))

    result = payment_failed(payment, "late notice")

    assert result.status == Payment.Status.SUCCEEDED
    assert result.failure_message == ""
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_failed_payment_can_still_succeed(order: Order) -> None:
    # A Stripe PaymentIntent that failed once may be confirmed with another card.
    payment = payment_failed(PaymentFactory.create(order=order), "declined")

    result = payment_succeeded(payment)

    assert result.status == Payment.Status.SUCCEEDED
    assert result.failure_message == ""
