"""payment_mark_received: a cluster admin records a bank transfer that arrived."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.orders.models import Order
from purei.payments.models import Payment, Refund
from purei.payments.tests.factories import customer_mail
from purei.settlement.services import payment_mark_received, payment_start


@pytest.fixture
def transfer(order: Order) -> Payment:
    payment, _ = payment_start(order=order, gateway_name="bank_transfer")
    return payment


def test_admin_marks_a_transfer_received(
    cluster_x_admin: Actor,
    order: Order,
    transfer: Payment,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_mark_received(
            actor=cluster_x_admin, order=order, note="ASB statement 28 Nov"
        )
    # then
    assert payment.pk == transfer.pk
    assert payment.status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payment_state == Order.PaymentState.PAID
    audit = AuditEntry.objects.get()
    assert audit.verb == "payment.received"
    assert audit.actor == cluster_x_admin.user
    assert audit.cluster_id == order.cluster_id
    assert audit.after["note"] == "ASB statement 28 Nov"
    assert [m.subject for m in customer_mail(order)] == [
        f"Payment received for order {order.number}"
    ]


def test_marking_twice_is_refused(
    cluster_x_admin: Actor, order: Order, transfer: Payment
) -> None:
    payment_mark_received(actor=cluster_x_admin, order=order, note="")

    with pytest.raises(ValidationFailed) as caught:
        payment_mark_received(actor=cluster_x_admin, order=order, note="")

    assert caught.value.code == "no_pending_bank_transfer"
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize(
    "who",
    ["anonymous", "customer", "member_a_staff", "member_a_owner", "cluster_y_admin"],
)
def test_only_the_clusters_admins(
    request: pytest.FixtureRequest, who: str, order: Order, transfer: Payment
) -> None:
    # given
    actor: Actor = request.getfixturevalue(who)
    # when
    with pytest.raises(NotPermitted):
        payment_mark_received(actor=actor, order=order, note="")
    # then
    transfer.refresh_from_db()
    assert transfer.status == Payment.Status.PENDING
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert AuditEntry.objects.exists() is False


def test_transfer_after_cancellation_is_recorded_to_pay_back(
    cluster_x_admin: Actor, order: Order, transfer: Payment
) -> None:
    # given
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.CANCELLED, cancelled_at=timezone.now()
    )
    # when
    payment = payment_mark_received(actor=cluster_x_admin, order=order, note="late")
    # then
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.refunded_cents == 10000
    refund = Refund.objects.get()
    assert refund.reference == "manual"
    assert refund.automatic is True
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
