"""refund_create: through the gateway that took the payment, never more than paid,
by the cluster's admins or a member's team for its own part."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.orders.models import Fulfilment, Order
from purei.payments.models import Payment, Refund
from purei.settlement.services import refund_create

from .conftest import make_paid


def test_partial_then_full_refund(
    cluster_x_admin: Actor,
    order: Order,
    paid_payment: Payment,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True):
        first = refund_create(
            actor=cluster_x_admin,
            payment=paid_payment,
            amount_cents=2500,
            reason="One bottle broken",
        )
    # then
    assert first.status == Refund.Status.SUCCEEDED
    assert first.reference.startswith("test_re_")
    paid_payment.refresh_from_db()
    assert paid_payment.refunded_cents == 2500
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.PARTLY_REFUNDED
    assert [m.subject for m in mail.outbox] == [f"Refund for order {order.number}"]
    assert "$25.00" in mail.outbox[0].body
    assert "One bottle broken" in mail.outbox[0].body

    # when the rest goes back
    refund_create(
        actor=cluster_x_admin, payment=paid_payment, amount_cents=7500, reason="All"
    )
    # then
    paid_payment.refresh_from_db()
    assert paid_payment.refunded_cents == 10000
    assert paid_payment.refundable_cents == 0
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.REFUNDED
    assert [a.verb for a in AuditEntry.objects.order_by("pk")] == [
        "refund.made",
        "refund.made",
    ]


@pytest.mark.parametrize("amount", [0, -5, 10001])
def test_refuses_amounts_outside_what_was_paid(
    cluster_x_admin: Actor, order: Order, paid_payment: Payment, amount: int
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        refund_create(
            actor=cluster_x_admin, payment=paid_payment, amount_cents=amount, reason="x"
        )

    assert caught.value.code == "invalid_refund"
    assert Refund.objects.exists() is False
    paid_payment.refresh_from_db()
    assert paid_payment.refunded_cents == 0


def test_refuses_more_than_is_left(
    cluster_x_admin: Actor, order: Order, paid_payment: Payment
) -> None:
    # given
    refund_create(
        actor=cluster_x_admin, payment=paid_payment, amount_cents=6000, reason="Most"
    )
    # when
    with pytest.raises(ValidationFailed) as caught:
        refund_create(
            actor=cluster_x_admin, payment=paid_payment, amount_cents=4001, reason="x"
        )
    # then
    assert caught.value.errors == {
        "amount_cents": ["The refund must be between 1 and 4000 cents."]
    }
    assert Refund.objects.count() == 1
    paid_payment.refresh_from_db()
    assert paid_payment.refunded_cents == 6000


def test_refuses_an_unpaid_payment(cluster_x_admin: Actor, order: Order) -> None:
    payment = Payment.objects.create(order=order, gateway="test", amount_cents=10000)

    with pytest.raises(ValidationFailed) as caught:
        refund_create(
            actor=cluster_x_admin, payment=payment, amount_cents=1, reason="x"
        )

    assert caught.value.errors == {"amount_cents": ["Nothing is left to refund."]}


def test_refuses_an_empty_reason(cluster_x_admin: Actor, paid_payment: Payment) -> None:
    with pytest.raises(ValidationFailed) as caught:
        refund_create(
            actor=cluster_x_admin, payment=paid_payment, amount_cents=100, reason="  "
        )
    assert list(caught.value.errors) == ["reason"]
    assert Refund.objects.exists() is False


def test_member_team_refunds_its_own_fulfilment(
    member_a_staff: Actor,
    paid_payment: Payment,
    fulfilment_a: Fulfilment,
) -> None:
    # when
    refund = refund_create(
        actor=member_a_staff,
        payment=paid_payment,
        amount_cents=3000,
        reason="Out of the vintage",
        fulfilment=fulfilment_a,
    )
    # then
    assert refund.fulfilment == fulfilment_a
    audit = AuditEntry.objects.get()
    assert audit.member_id == fulfilment_a.member_id
    assert audit.actor == member_a_staff.user
    # and no more than that fulfilment's $50 in all
    with pytest.raises(ValidationFailed):
        refund_create(
            actor=member_a_staff,
            payment=paid_payment,
            amount_cents=2001,
            reason="more",
            fulfilment=fulfilment_a,
        )
    refund_create(
        actor=member_a_staff,
        payment=paid_payment,
        amount_cents=2000,
        reason="the rest",
        fulfilment=fulfilment_a,
    )
    paid_payment.refresh_from_db()
    assert paid_payment.refunded_cents == 5000


def test_member_team_cannot_refund_another_members_fulfilment(
    member_a_owner: Actor, paid_payment: Payment, fulfilment_b: Fulfilment
) -> None:
    with pytest.raises(NotPermitted):
        refund_create(
            actor=member_a_owner,
            payment=paid_payment,
            amount_cents=100,
            reason="x",
            fulfilment=fulfilment_b,
        )
    assert Refund.objects.exists() is False


@pytest.mark.parametrize(
    "who", ["anonymous", "customer", "member_a_owner", "cluster_y_admin"]
)
def test_others_cannot_refund(
    request: pytest.FixtureRequest, who: str, paid_payment: Payment
) -> None:
    actor: Actor = request.getfixturevalue(who)

    with pytest.raises(NotPermitted):
        refund_create(actor=actor, payment=paid_payment, amount_cents=100, reason="x")

    assert Refund.objects.exists() is False
    assert AuditEntry.objects.exists() is False


def test_refuses_a_fulfilment_of_another_order(
    cluster_x_admin: Actor, paid_payment: Payment, cluster_x: Any, member_a: Any
) -> None:
    from .factories import FulfilmentFactory, OrderFactory

    other = FulfilmentFactory.create(
        order=OrderFactory.create(cluster=cluster_x), member=member_a
    )
    with pytest.raises(ValidationFailed):
        refund_create(
            actor=cluster_x_admin,
            payment=paid_payment,
            amount_cents=100,
            reason="x",
            fulfilment=other,
        )


def test_bank_transfer_refund_is_recorded_as_manual(
    cluster_x_admin: Actor, order: Order
) -> None:
    payment = make_paid(order, gateway="bank_transfer", reference=order.number)

    refund = refund_create(
        actor=cluster_x_admin, payment=payment, amount_cents=10000, reason="Cancelled"
    )

    assert refund.reference == "manual"
    assert refund.status == Refund.Status.SUCCEEDED
    assert "manual refund" in refund.message
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.REFUNDED
