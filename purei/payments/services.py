"""Payments: start one through a gateway, record what the gateway said, refund.

Gateways talk to the outside world, so they are called **outside** database
transactions: a service records its intent in one transaction (a pending payment or
refund), calls the gateway, then records the outcome in another. A refund's amount
is reserved while it is pending, so two refunds at once cannot give back more than
was paid (the payment row is locked while the sums are checked).

``payment_succeeded`` is idempotent and safe to call from a webhook delivered twice.
Money that arrives for an order that was cancelled meanwhile (its stock hold expired)
or that another payment had already paid goes back automatically through the gateway
that took it, as an ``automatic`` refund whose reason says why.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.ledger import hooks as ledger_hooks
from purei.orders.models import Fulfilment, Order
from purei.orders.services.payments import order_mark_paid, order_mark_refunded

from .errors import PaymentErrorCode
from .gateways import (
    BankTransferGateway,
    RefundResult,
    StartResult,
    StripeGateway,
    gateway_for_refund,
    get_gateway,
)
from .models import Payment, Refund, WebhookEvent
from .tasks import payment_received_notify, refund_made_notify

logger = logging.getLogger(__name__)

# Who acts when Pūrei itself refunds money that must go back.

REASON_CANCELLED = "Paid after the order was cancelled (its hold had expired)."
REASON_ALREADY_PAID = "The order had already been paid by another payment."


# --- Starting a payment --------------------------------------------------------


def _require_awaiting_payment(order: Order, *, now: datetime) -> None:
    if order.status != Order.Status.AWAITING_PAYMENT:
        raise ValidationFailed(
            PaymentErrorCode.NOT_AWAITING_PAYMENT,
            {"order": [_("This order is not waiting for payment.")]},
        )
    if order.hold_until is not None and order.hold_until <= now:
        raise ValidationFailed(
            PaymentErrorCode.HOLD_EXPIRED,
            {
                "order": [
                    _(
                        "This order waited too long for payment and its items are "
                        "no longer held. Please check out again."
                    )
                ]
            },
        )


def payment_start(
    *, order: Order, gateway_name: str, data: Mapping[str, Any]
) -> tuple[Payment, StartResult]:
    """Start paying for ``order`` through ``gateway_name`` with the customer's
    ``data`` (the test card's number, expiry and CVC; nothing for the others).

    Refuses an order that is not awaiting payment or whose hold has expired, and
    malformed input, before anything is recorded. Then records a pending payment,
    asks the gateway, and records its answer: declined → failed with the
    gateway's message; succeeded → ``payment_succeeded``; pending → waits (for a
    bank transfer, or a webhook).
    """
    gateway = get_gateway(gateway_name)
    gateway.check(data)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        _require_awaiting_payment(locked, now=timezone.now())
        payment = Payment.objects.create(
            order=locked, gateway=gateway.name, amount_cents=locked.total_cents
        )
    try:
        result = gateway.start(payment, data)
    except Exception:
        payment_failed(payment, _("The payment could not be started."))
        raise
    if result.status == "failed":
        payment = payment_failed(payment, result.message, reference=result.reference)
    elif result.status == "succeeded":
        payment = payment_succeeded(payment, reference=result.reference)
    else:
        Payment.objects.filter(pk=payment.pk).update(
            reference=result.reference,
            client_secret=result.client_secret or "",
            updated_at=timezone.now(),
        )
        payment.refresh_from_db()
    return payment, result


# --- Recording the outcome -----------------------------------------------------


def _record_success(
    payment_id: int, *, succeeded_at: datetime | None, reference: str = ""
) -> tuple[Payment, str | None]:
    """Inside a transaction: mark the payment succeeded and its order paid. Returns
    the payment and, when its money must go back, why."""
    locked = (
        Payment.objects.select_for_update().select_related("order").get(pk=payment_id)
    )
    if locked.status == Payment.Status.SUCCEEDED:
        return locked, None
    locked.status = Payment.Status.SUCCEEDED
    locked.succeeded_at = succeeded_at or timezone.now()
    locked.failure_message = ""
    if reference:
        locked.reference = reference
    locked.save(
        update_fields=[
            "status",
            "succeeded_at",
            "failure_message",
            "reference",
            "updated_at",
        ]
    )
    order = order_mark_paid(order=locked.order, payment=locked)
    locked.order = order
    if order.status == Order.Status.CANCELLED:
        return locked, REASON_CANCELLED
    paid_before = (
        Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED)
        .exclude(pk=locked.pk)
        .exists()
    )
    if paid_before:
        return locked, REASON_ALREADY_PAID
    ledger_hooks.payment_captured(locked)
    transaction.on_commit(
        partial(payment_received_notify.enqueue, payment_id=locked.pk)
    )
    return locked, None


def payment_succeeded(
    payment: Payment, *, succeeded_at: datetime | None = None, reference: str = ""
) -> Payment:
    """The money arrived. Idempotent: a second call changes nothing. When the order
    was cancelled meanwhile, or already paid, the money goes back automatically."""
    with transaction.atomic():
        locked, refund_reason = _record_success(
            payment.pk, succeeded_at=succeeded_at, reference=reference
        )
    if refund_reason:
        _refund_automatically(locked, refund_reason)
        locked.refresh_from_db()
    return locked


@transaction.atomic
def payment_failed(payment: Payment, message: str, *, reference: str = "") -> Payment:
    """The gateway declined. A payment that already succeeded stays succeeded (a
    late or out-of-order notice changes nothing)."""
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if locked.status == Payment.Status.SUCCEEDED:
        return locked
    locked.status = Payment.Status.FAILED
    locked.failure_message = message[:300]
    if reference:
        locked.reference = reference
    locked.save(update_fields=["status", "failure_message", "reference", "updated_at"])
    return locked


def payment_mark_received(*, actor: Actor, order: Order, note: str) -> Payment:
    """A cluster admin of the order's cluster records that the customer's bank
    transfer arrived: the pending bank-transfer payment succeeds (and the order is
    paid, or — cancelled meanwhile — the money is recorded to be paid back)."""
    if not actor.is_cluster_admin(order.cluster_id):
        raise NotPermitted(
            PaymentErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins can record a bank transfer."),
        )
    with transaction.atomic():
        pending = (
            Payment.objects.select_for_update()
            .filter(
                order_id=order.pk,
                gateway=BankTransferGateway.name,
                status=Payment.Status.PENDING,
            )
            .order_by("-pk")
            .first()
        )
        if pending is None:
            raise ValidationFailed(
                PaymentErrorCode.NO_PENDING_TRANSFER,
                {"order": [_("This order has no bank transfer waiting.")]},
            )
        payment, refund_reason = _record_success(pending.pk, succeeded_at=None)
        audit_record(
            actor=actor,
            verb="payment.received",
            target=payment,
            cluster_id=order.cluster_id,
            after={
                "order": order.number,
                "amount_cents": payment.amount_cents,
                "note": note.strip()[:300],
            },
        )
    if refund_reason:
        _refund_automatically(payment, refund_reason)
        payment.refresh_from_db()
    return payment


# --- Refunds -------------------------------------------------------------------


def _reserved_cents(payment: Payment, *, fulfilment: Fulfilment | None = None) -> int:
    """What refunds of ``payment`` (of ``fulfilment`` only, when given) have given
    back or are giving back now."""
    refunds = Refund.objects.filter(
        Q(status=Refund.Status.SUCCEEDED) | Q(status=Refund.Status.PENDING)
    )
    if fulfilment is not None:
        refunds = refunds.filter(fulfilment=fulfilment)
    else:
        refunds = refunds.filter(payment=payment)
    total = refunds.aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


def _refund_reserve(
    *,
    payment: Payment,
    amount_cents: int,
    reason: str,
    fulfilment: Fulfilment | None,
    fulfilment_limit: bool,
    automatic: bool,
) -> Refund:
    """In one transaction: check the amount against what is left and record a
    pending refund (which holds that amount until it is finished)."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        available = 0
        if locked.status == Payment.Status.SUCCEEDED:
            available = locked.amount_cents - _reserved_cents(locked)
        if fulfilment is not None and fulfilment_limit:
            # What was paid for the part (cancelling lowers its total, not this).
            paid = Fulfilment.objects.values_list("paid_cents", "total_cents").get(
                pk=fulfilment.pk
            )
            fulfilment_left = (paid[0] or paid[1]) - _reserved_cents(
                locked, fulfilment=fulfilment
            )
            available = min(available, fulfilment_left)
        if not 1 <= amount_cents <= available:
            raise ValidationFailed(
                PaymentErrorCode.INVALID_REFUND,
                {
                    "amount_cents": [
                        _("The refund must be between 1 and %(cents)s cents.")
                        % {"cents": available}
                        if available > 0
                        else _("Nothing is left to refund.")
                    ]
                },
            )
        return Refund.objects.create(
            payment=locked,
            fulfilment=fulfilment,
            amount_cents=amount_cents,
            reason=reason[:300],
            automatic=automatic,
        )


def _refund_finish(refund: Refund, result: RefundResult, *, actor: Actor) -> Refund:
    """In one transaction: record the gateway's answer; on success count the money
    as refunded (on the payment and, unless automatic, on the order)."""
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .select_related("order")
            .get(pk=refund.payment_id)
        )
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        locked.reference = result.reference[:128]
        locked.message = result.message[:300]
        locked.status = Refund.Status.SUCCEEDED if result.ok else Refund.Status.FAILED
        locked.save(update_fields=["reference", "message", "status", "updated_at"])
        if result.ok:
            payment.refunded_cents += locked.amount_cents
            payment.save(update_fields=["refunded_cents", "updated_at"])
            ledger_hooks.refund_succeeded(locked)
            if not locked.automatic:
                order_refunded = Refund.objects.filter(
                    payment__order_id=payment.order_id,
                    status=Refund.Status.SUCCEEDED,
                    automatic=False,
                ).aggregate(total=Sum("amount_cents"))["total"]
                order_mark_refunded(
                    order=payment.order, refunded_cents=int(order_refunded or 0)
                )
            transaction.on_commit(
                partial(refund_made_notify.enqueue, refund_id=locked.pk)
            )
        audit_record(
            actor=actor,
            verb="refund.made" if result.ok else "refund.failed",
            target=locked,
            cluster_id=payment.order.cluster_id,
            member_id=locked.fulfilment.member_id if locked.fulfilment else None,
            after={
                "order": payment.order.number,
                "gateway": payment.gateway,
                "amount_cents": locked.amount_cents,
                "reason": locked.reason,
                "reference": locked.reference,
                "message": locked.message,
                "automatic": locked.automatic,
            },
        )
    return locked


def _refund_through_gateway(
    *,
    actor: Actor,
    payment: Payment,
    amount_cents: int,
    reason: str,
    fulfilment: Fulfilment | None = None,
    fulfilment_limit: bool = False,
    automatic: bool = False,
) -> Refund:
    gateway = gateway_for_refund(payment.gateway)
    refund = _refund_reserve(
        payment=payment,
        amount_cents=amount_cents,
        reason=reason,
        fulfilment=fulfilment,
        fulfilment_limit=fulfilment_limit,
        automatic=automatic,
    )
    try:
        result = gateway.refund(
            refund.payment,
            amount_cents,
            reason,
            idempotency_key=f"purei-refund-{refund.pk}",
        )
    except Exception:
        logger.exception("refund %s through %s", refund.pk, payment.gateway)
        result = RefundResult(
            ok=False, reference="", message=_("The gateway did not answer.")
        )
    return _refund_finish(refund, result, actor=actor)


def _refund_automatically(payment: Payment, reason: str) -> Refund | None:
    """Give back all that is left of ``payment``, recording ``reason``."""
    left = payment.amount_cents - _reserved_cents(payment)
    if left <= 0:
        return None
    refund = _refund_through_gateway(
        actor=Actor.system(),
        payment=payment,
        amount_cents=left,
        reason=reason,
        automatic=True,
    )
    if refund.status != Refund.Status.SUCCEEDED:
        logger.error(
            "automatic refund %s of payment %s failed: %s",
            refund.pk,
            payment.pk,
            refund.message,
        )
    return refund


def refund_create(
    *,
    actor: Actor,
    payment: Payment,
    amount_cents: int,
    reason: str,
    fulfilment: Fulfilment | None = None,
) -> Refund:
    """Refund ``amount_cents`` of ``payment`` through the gateway that took it.

    Cluster admins of the order's cluster may refund up to what is left of the
    payment; a member's team may refund its own ``fulfilment``, up to that
    fulfilment's total less what was refunded of it before. A gateway failure is
    recorded as a failed refund and refused with the gateway's message.
    """
    order = payment.order
    if fulfilment is not None and fulfilment.order_id != order.pk:
        raise ValidationFailed(
            PaymentErrorCode.INVALID_REFUND,
            {"fulfilment": [_("That fulfilment is not part of this order.")]},
        )
    if actor.is_cluster_admin(order.cluster_id):
        fulfilment_limit = False
    elif fulfilment is not None and actor.is_member_team(fulfilment.member_id):
        fulfilment_limit = True
    else:
        raise NotPermitted(
            PaymentErrorCode.NOT_PERMITTED_TO_REFUND,
            _("You cannot refund this payment."),
        )
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            PaymentErrorCode.INVALID_REFUND,
            {"reason": [_("Say why the money is going back.")]},
        )
    refund = _refund_through_gateway(
        actor=actor,
        payment=payment,
        amount_cents=amount_cents,
        reason=reason,
        fulfilment=fulfilment,
        fulfilment_limit=fulfilment_limit,
    )
    if refund.status != Refund.Status.SUCCEEDED:
        raise ValidationFailed(
            PaymentErrorCode.REFUND_FAILED, {"amount_cents": [refund.message]}
        )
    return refund


# --- Stripe webhooks -----------------------------------------------------------


def _stripe_payment_for(intent: Mapping[str, Any]) -> Payment | None:
    """The payment a PaymentIntent is for: by its id, else by our metadata."""
    payments = Payment.objects.filter(gateway=StripeGateway.name)
    payment = payments.filter(reference=str(intent.get("id", ""))).first()
    if payment is None:
        payment_id = str((intent.get("metadata") or {}).get("payment_id", ""))
        if payment_id.isdigit():
            payment = payments.filter(pk=int(payment_id), reference="").first()
    return payment


def _stripe_intent_succeeded(
    intent: Mapping[str, Any],
) -> tuple[Payment, str] | None:
    payment = _stripe_payment_for(intent)
    if payment is None:
        logger.warning("stripe: no payment for PaymentIntent %s", intent.get("id"))
        return None
    received = intent.get("amount_received", intent.get("amount"))
    if received != payment.amount_cents or intent.get("currency") != "nzd":
        logger.error(
            "stripe: PaymentIntent %s received %s %s for payment %s of %s NZD",
            intent.get("id"),
            received,
            intent.get("currency"),
            payment.pk,
            payment.amount_cents,
        )
        return None
    locked, refund_reason = _record_success(
        payment.pk, succeeded_at=None, reference=str(intent["id"])
    )
    return (locked, refund_reason) if refund_reason else None


def _stripe_intent_failed(intent: Mapping[str, Any]) -> None:
    payment = _stripe_payment_for(intent)
    if payment is None:
        logger.warning("stripe: no payment for PaymentIntent %s", intent.get("id"))
        return
    error = intent.get("last_payment_error") or {}
    message = str(error.get("message") or _("Your card was declined."))
    payment_failed(payment, message, reference=str(intent["id"]))


def stripe_event_process(*, payload: Mapping[str, Any]) -> bool:
    """Handle a verified Stripe event once. Returns False for a repeat delivery
    (recorded before, by this process or a concurrent one: the unique constraint
    on the event id decides), which changes nothing."""
    event_id = str(payload["id"])
    event_type = str(payload.get("type", ""))
    data_object: Mapping[str, Any] = (payload.get("data") or {}).get("object") or {}
    to_refund: tuple[Payment, str] | None = None
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    gateway=StripeGateway.name,
                    event_id=event_id,
                    event_type=event_type[:64],
                    payload=dict(payload),
                )
        except IntegrityError:
            return False
        if event_type == "payment_intent.succeeded":
            to_refund = _stripe_intent_succeeded(data_object)
        elif event_type == "payment_intent.payment_failed":
            _stripe_intent_failed(data_object)
    if to_refund is not None:
        _refund_automatically(*to_refund)
    return True
