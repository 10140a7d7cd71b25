"""What an order does about its money: whether it may be paid now, and what it
becomes when paid or refunded. Called by ``purei.settlement``, which takes the
money through ``purei.payments`` and books it in the same transaction
(docs/adr/0009-booking-a-capture.md)."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.errors import ValidationFailed
from purei.orders.errors import OrderErrorCode
from purei.orders.models import Fulfilment, Order
from purei.orders.services.freight import (
    freight_quotes_paid,
    order_awaits_freight_quote,
)
from purei.payments.models import Payment


def order_lock_payable(*, order: Order, now: datetime) -> Order:
    """Inside the caller's transaction: lock ``order`` and refuse it unless it is
    awaiting payment with its stock still held."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if (
        locked.status != Order.Status.AWAITING_PAYMENT
        or locked.payment_state != Order.PaymentState.UNPAID
    ):
        # (A trade order with its deposit in is paid the rest through the
        # cluster's admins, who record each payment: docs/trade.md.)
        raise ValidationFailed(
            OrderErrorCode.NOT_AWAITING_PAYMENT,
            {"order": [_("This order is not waiting for payment.")]},
        )
    if order_awaits_freight_quote(locked):
        raise ValidationFailed(
            OrderErrorCode.FREIGHT_NOT_QUOTED,
            {
                "order": [
                    _(
                        "The freight for this order has not been quoted yet: you "
                        "can pay once it is (we email you)."
                    )
                ]
            },
        )
    if locked.hold_until is not None and locked.hold_until <= now:
        raise ValidationFailed(
            OrderErrorCode.HOLD_EXPIRED,
            {
                "order": [
                    _(
                        "This order waited too long for payment and its items are "
                        "no longer held. Please check out again."
                    )
                ]
            },
        )
    return locked


@transaction.atomic
def order_mark_paid(*, order_id: int, payment: Payment) -> Order:
    """Order ``order_id`` is paid: its stock hold becomes permanent. Idempotent: a
    second call for a paid order changes nothing. Returns the order as locked and
    written here, with its cluster and region (what booking the capture and its
    invoices read: they use it rather than read it again)."""
    locked = (
        Order.objects.select_for_update(of=("self",))
        .select_related("cluster", "region")
        .get(pk=order_id)
    )
    if locked.payment_state != Order.PaymentState.UNPAID:
        return locked
    if locked.status == Order.Status.CANCELLED:
        # Paid after the hold expired and the order was cancelled: the money must
        # go back; settlement refunds it (purei.settlement.services.capture).
        return locked
    locked.status = Order.Status.PAID
    locked.payment_state = Order.PaymentState.PAID
    locked.paid_at = payment.succeeded_at or timezone.now()
    locked.hold_until = None
    locked.save(
        update_fields=["status", "payment_state", "paid_at", "hold_until", "updated_at"]
    )
    Fulfilment.objects.filter(order=locked).update(paid_cents=F("total_cents"))
    freight_quotes_paid(order=locked, now=locked.paid_at)
    from purei.orders.tasks import order_paid_notify

    # Each member hears it has something to fulfil once the money is in.
    transaction.on_commit(partial(order_paid_notify.enqueue, order_id=locked.pk))
    return locked


@transaction.atomic
def order_mark_refunded(*, order: Order, refunded_cents: int) -> Order:
    """Record how much of the order has been refunded in all: "refunded" once it
    is everything that was paid (not the order's total, which cancelling lowers),
    else "partly refunded"."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if refunded_cents <= 0:
        return locked
    paid = (
        Payment.objects.filter(order=locked, status=Payment.Status.SUCCEEDED).aggregate(
            paid=Sum("amount_cents")
        )["paid"]
        or 0
    )
    locked.payment_state = (
        Order.PaymentState.REFUNDED
        if refunded_cents >= paid
        else Order.PaymentState.PARTLY_REFUNDED
    )
    locked.save(update_fields=["payment_state", "updated_at"])
    return locked


@transaction.atomic
def order_release_on_account(*, order: Order, at: datetime) -> Order:
    """A trade order goes on the buyer's account (docs/trade.md "Getting paid"):
    its stock hold becomes permanent and its members may fulfil it before it is
    paid; each part is charged its total (``paid_cents``: what the books
    invoice), and each member is told on commit."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status != Order.Status.AWAITING_PAYMENT:
        return locked
    locked.status = Order.Status.ON_ACCOUNT
    locked.hold_until = None
    locked.save(update_fields=["status", "hold_until", "updated_at"])
    order_charge_parts(order=locked)
    from purei.orders.tasks import order_paid_notify

    transaction.on_commit(partial(order_paid_notify.enqueue, order_id=locked.pk))
    return locked


def order_charge_parts(*, order: Order) -> None:
    """Inside the caller's transaction: each live part of ``order`` is charged its
    total (a trade order invoiced before it is paid in full)."""
    Fulfilment.objects.filter(order=order).exclude(
        status=Fulfilment.Status.CANCELLED
    ).update(paid_cents=F("total_cents"))


@transaction.atomic
def order_trade_payment_recorded(*, order: Order, in_full: bool, at: datetime) -> Order:
    """Money for a trade order arrived (a deposit, a part payment or the rest).
    Part of it: "part paid", and a pro-forma order's stock is held for good (its
    parts are still not sent before the rest is in). All of it: the order is
    paid — its members may fulfil it (and are told, unless it was on account and
    they knew already) and their money for it may be paid out."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status == Order.Status.CANCELLED:
        return locked
    was = locked.status
    if not in_full:
        locked.payment_state = Order.PaymentState.PART_PAID
        locked.hold_until = None
        locked.save(update_fields=["payment_state", "hold_until", "updated_at"])
        return locked
    locked.status = Order.Status.PAID
    locked.payment_state = Order.PaymentState.PAID
    locked.paid_at = at
    locked.hold_until = None
    locked.save(
        update_fields=["status", "payment_state", "paid_at", "hold_until", "updated_at"]
    )
    if was == Order.Status.AWAITING_PAYMENT:
        from purei.orders.tasks import order_paid_notify

        transaction.on_commit(partial(order_paid_notify.enqueue, order_id=locked.pk))
    return locked
