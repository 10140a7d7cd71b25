"""Reads of payments and refunds by the keys they carry (a payment's order id, a
refund's fulfilment id): sums and the payment that paid. No order is read here."""

from __future__ import annotations

from django.db.models import Q, Sum

from .models import Payment, Refund


def refund_reserved_cents(
    *, payment: Payment | None = None, fulfilment_id: int | None = None
) -> int:
    """What refunds of ``payment`` (or, given ``fulfilment_id``, of that part of
    an order, whatever the payment) have given back or are giving back now."""
    refunds = Refund.objects.filter(
        Q(status=Refund.Status.SUCCEEDED) | Q(status=Refund.Status.PENDING)
    )
    if fulfilment_id is not None:
        refunds = refunds.filter(fulfilment_id=fulfilment_id)
    else:
        refunds = refunds.filter(payment=payment)
    total = refunds.aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


def refund_left_cents(payment: Payment) -> int:
    """What of ``payment`` has not been given back (nor is being given back)."""
    return payment.amount_cents - refund_reserved_cents(payment=payment)


def payment_first_succeeded(*, order_id: int) -> Payment | None:
    """The payment that paid order ``order_id``: the first that succeeded (a later
    one is money that must go back)."""
    return (
        Payment.objects.filter(order_id=order_id, status=Payment.Status.SUCCEEDED)
        .order_by("succeeded_at", "pk")
        .first()
    )


def payment_other_succeeded(payment: Payment) -> bool:
    """Whether another payment of the same order had succeeded."""
    return (
        Payment.objects.filter(
            order_id=payment.order_id, status=Payment.Status.SUCCEEDED
        )
        .exclude(pk=payment.pk)
        .exists()
    )


def refunds_made_cents(*, order_id: int) -> int:
    """What has gone back of order ``order_id``'s payments, automatic refunds (money
    that never paid for the order) left out."""
    total = Refund.objects.filter(
        payment__order_id=order_id,
        status=Refund.Status.SUCCEEDED,
        automatic=False,
    ).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)
