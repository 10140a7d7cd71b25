"""Emails about an order's money (Django tasks): take ids, check the state still
holds, send. Safe to run twice in the sense that a task whose row moved on sends
nothing. They live here, not in payments: they speak of the order (its number, its
cluster, its page's signed link from orders' ``shop`` template tags)."""

from __future__ import annotations

from django.tasks import task

from purei.core.mail import send_templated_email
from purei.core.money import format_nzd
from purei.payments.models import Payment, Refund


@task
def payment_received_notify(*, payment_id: int) -> int:
    """Tell the customer their payment arrived. Returns how many emails went out."""
    payment = (
        Payment.objects.select_related("order", "order__cluster")
        .filter(pk=payment_id, status=Payment.Status.SUCCEEDED)
        .first()
    )
    if payment is None:
        return 0
    send_templated_email(
        to=payment.order.email,
        template_prefix="settlement/email/payment_received",
        cluster=payment.order.cluster,
        context={
            "order": payment.order,
            "payment": payment,
            "amount": format_nzd(payment.amount_cents),
        },
    )
    return 1


@task
def refund_made_notify(*, refund_id: int) -> int:
    """Tell the customer money is coming back to them."""
    refund = (
        Refund.objects.select_related("payment__order__cluster", "fulfilment")
        .filter(pk=refund_id, status=Refund.Status.SUCCEEDED)
        .first()
    )
    if refund is None:
        return 0
    send_templated_email(
        to=refund.payment.order.email,
        template_prefix="settlement/email/refund_made",
        cluster=refund.payment.order.cluster,
        context={
            "order": refund.payment.order,
            "refund": refund,
            "amount": format_nzd(refund.amount_cents),
            "by_bank_transfer": refund.payment.gateway == "bank_transfer",
        },
    )
    return 1
