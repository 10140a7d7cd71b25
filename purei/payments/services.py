"""Payments: record them, ask the gateways, record what the gateways said, refund,
and take each webhook event once. Money in and money out, in cents; nothing else.

Payments knows no order and no ledger (docs/adr/0009-booking-a-capture.md): a
payment carries its order's id (``Payment.order_id``) as a key and is told what it
is for as plain values (``StartRequest``). What the money means — an order paid, a
sale booked, an email — is decided one layer up, by ``purei.settlement``, which
calls these services and books the outcome in the same transaction.

Gateways talk to the outside world, so they are called **outside** database
transactions: the caller records its intent in one transaction (a pending payment
or refund), asks the gateway (``payment_ask``, ``refund_ask``), then records the
outcome in another. Three services say so in their name and run **inside their
caller's transaction** (they lock, write and return; the caller commits):
``payment_record_success``, ``refund_record`` and ``stripe_event_record``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.errors import ValidationFailed

from .errors import PaymentErrorCode
from .gateways import (
    PLATFORM_ACCOUNT,
    PLATFORM_ACCOUNT_KEY,
    BankTransferGateway,
    CardDetails,
    Gateway,
    GatewayAccount,
    RefundResult,
    StartRequest,
    StartResult,
    StripeGateway,
    gateway_for_refund,
    get_gateway,
)
from .models import Payment, Refund, WebhookEvent
from .selectors import refund_reserved_cents

logger = logging.getLogger(__name__)


# --- Starting a payment --------------------------------------------------------


def payment_gateway(
    *,
    gateway_name: str,
    card: CardDetails | None = None,
    account: GatewayAccount = PLATFORM_ACCOUNT,
) -> Gateway:
    """The gateway called ``gateway_name``, if it is offered for ``account``, once
    it has checked the customer's ``card`` (the test card's; nothing for the
    others). Refuses (``ValidationFailed``) before anything is recorded."""
    gateway = get_gateway(gateway_name, account)
    gateway.check(card)
    return gateway


def payment_open(
    *,
    order_id: int,
    gateway: Gateway,
    amount_cents: int,
    account_key: str = PLATFORM_ACCOUNT_KEY,
) -> Payment:
    """Record a pending payment of ``amount_cents`` for order ``order_id`` into the
    account ``account_key`` (``GatewayAccount.key``). Runs in the caller's
    transaction (which has checked that the order may be paid)."""
    return Payment.objects.create(
        order_id=order_id,
        gateway=gateway.name,
        amount_cents=amount_cents,
        account=account_key,
    )


def payment_ask(
    *, gateway: Gateway, payment: Payment, request: StartRequest
) -> tuple[Payment, StartResult]:
    """Outside any transaction: ask ``gateway`` to take ``payment``.

    Declined → the payment is recorded failed with the gateway's message; pending
    → the gateway's reference (and Stripe's client secret) is kept and the payment
    waits. Succeeded → nothing is recorded here: the money arrived, and the caller
    records it with everything it means, in one transaction
    (``purei.settlement``). A gateway that raises leaves the payment failed.
    """
    try:
        result = gateway.start(payment, request)
    except Exception:
        payment_failed(payment, _("The payment could not be started."))
        raise
    if result.status == "failed":
        payment = payment_failed(payment, result.message, reference=result.reference)
    elif result.status == "pending":
        Payment.objects.filter(pk=payment.pk).update(
            reference=result.reference,
            client_secret=result.client_secret or "",
            updated_at=timezone.now(),
        )
        payment.refresh_from_db()
    return payment, result


# --- Recording the outcome -----------------------------------------------------


@dataclass(frozen=True)
class Success:
    """What ``payment_record_success`` did: ``newly`` is False when the payment had
    succeeded before (a repeat: nothing changed, nothing more to do)."""

    payment: Payment
    newly: bool


def payment_record_success(
    *, payment_id: int, succeeded_at: datetime | None = None, reference: str = ""
) -> Success:
    """Inside the caller's transaction: the money arrived. Locks the payment row, so
    of two calls at once one records it and the other finds it done."""
    locked = Payment.objects.select_for_update().get(pk=payment_id)
    if locked.status == Payment.Status.SUCCEEDED:
        return Success(locked, newly=False)
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
    return Success(locked, newly=True)


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


def payment_pending_transfer(*, order_id: int) -> Payment:
    """Inside the caller's transaction: the latest bank transfer still waiting for
    order ``order_id``, locked; ``ValidationFailed`` when there is none."""
    pending = (
        Payment.objects.select_for_update()
        .filter(
            order_id=order_id,
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
    return pending


def payments_pending_resize(*, order_id: int, amount_cents: int) -> int:
    """What is still to come for order ``order_id`` is now ``amount_cents`` (part
    of the order was cancelled before it was paid). Returns how many payments
    changed."""
    return Payment.objects.filter(
        order_id=order_id, status=Payment.Status.PENDING
    ).update(amount_cents=amount_cents, updated_at=timezone.now())


# --- Refunds -------------------------------------------------------------------


@dataclass(frozen=True)
class RefundRequest:
    """A refund to reserve: ``amount_cents`` of ``payment`` for ``reason``.

    ``fulfilment_id`` names the part of the order it is for (kept on the refund);
    with ``part_limit_cents`` the refunds against that part may not exceed it in
    all (what was paid for the part). ``automatic``: Pūrei gives back money that
    never paid for a sale.
    """

    payment: Payment
    amount_cents: int
    reason: str
    fulfilment_id: int | None = None
    part_limit_cents: int | None = None
    automatic: bool = False


def refund_reserve(request: RefundRequest) -> Refund:
    """In one transaction: check the amount against what is left and record a
    pending refund, which holds that amount until it is finished. The payment row
    is locked while the sums are checked, so two refunds at once cannot give back
    more than was paid."""
    gateway_for_refund(request.payment.gateway)
    reason = request.reason.strip()
    if not reason:
        raise ValidationFailed(
            PaymentErrorCode.INVALID_REFUND,
            {"reason": [_("Say why the money is going back.")]},
        )
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=request.payment.pk)
        available = 0
        if locked.status == Payment.Status.SUCCEEDED:
            available = locked.amount_cents - refund_reserved_cents(payment=locked)
        if request.fulfilment_id is not None and request.part_limit_cents is not None:
            part_left = request.part_limit_cents - refund_reserved_cents(
                fulfilment_id=request.fulfilment_id
            )
            available = min(available, part_left)
        amount_cents = request.amount_cents
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
            fulfilment_id=request.fulfilment_id,
            amount_cents=amount_cents,
            reason=reason[:300],
            automatic=request.automatic,
        )


def refund_ask(
    *,
    refund: Refund,
    reference: str = "",
    account: GatewayAccount = PLATFORM_ACCOUNT,
) -> RefundResult:
    """Outside any transaction: ask the gateway that took the payment to give the
    reserved refund back, through ``account`` (the one that took it: the caller
    resolves ``Payment.account``). A gateway that raises is a refusal ("did not
    answer")."""
    payment = refund.payment
    gateway = gateway_for_refund(payment.gateway)
    try:
        return gateway.refund(
            payment,
            refund.amount_cents,
            refund.reason,
            idempotency_key=f"purei-refund-{refund.pk}",
            reference=reference,
            account=account,
        )
    except Exception:
        logger.exception("refund %s through %s", refund.pk, payment.gateway)
        return RefundResult(
            ok=False, reference="", message=_("The gateway did not answer.")
        )


def refund_record(*, refund: Refund, result: RefundResult) -> Refund:
    """Inside the caller's transaction: record the gateway's answer. On success the
    payment's ``refunded_cents`` grows (the database checks it never exceeds what
    was paid). Locks the payment, then the refund."""
    payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
    locked = Refund.objects.select_for_update().get(pk=refund.pk)
    locked.reference = result.reference[:128]
    locked.message = result.message[:300]
    locked.status = Refund.Status.SUCCEEDED if result.ok else Refund.Status.FAILED
    locked.save(update_fields=["reference", "message", "status", "updated_at"])
    if result.ok:
        payment.refunded_cents += locked.amount_cents
        payment.save(update_fields=["refunded_cents", "updated_at"])
    locked.payment = payment
    return locked


# --- Stripe webhooks -----------------------------------------------------------


@dataclass(frozen=True)
class StripeEvent:
    """A verified Stripe event, as Pūrei reads it. ``payload`` is kept whole on the
    event's record; the rest is read from it once (``stripe_event_parse``)."""

    event_id: str
    event_type: str
    intent_id: str = ""
    intent_payment_id: str = ""
    amount_received: Any = None
    currency: Any = None
    failure_message: str = ""
    payload: Mapping[str, Any] | None = None
    # Connect: the connected account the event happened on ("" for the platform's).
    connected_account: str = ""


def stripe_event_parse(payload: Mapping[str, Any]) -> StripeEvent:
    """Read a verified event's payload (Stripe's JSON) into a ``StripeEvent``."""
    intent: Mapping[str, Any] = (payload.get("data") or {}).get("object") or {}
    error = intent.get("last_payment_error") or {}
    return StripeEvent(
        event_id=str(payload["id"]),
        event_type=str(payload.get("type", "")),
        intent_id=str(intent.get("id", "")),
        intent_payment_id=str((intent.get("metadata") or {}).get("payment_id", "")),
        amount_received=intent.get("amount_received", intent.get("amount")),
        currency=intent.get("currency"),
        failure_message=str(error.get("message") or ""),
        payload=payload,
        connected_account=str(payload.get("account") or ""),
    )


@dataclass(frozen=True)
class Arrived:
    """Money Stripe says arrived for ``payment_id`` (its PaymentIntent is
    ``reference``): the caller records and books it in the same transaction."""

    payment_id: int
    reference: str


@dataclass(frozen=True)
class StripeEventOutcome:
    """``new`` is False for a repeat delivery (nothing done). ``arrived``: a
    payment whose money came in, for the caller to settle."""

    new: bool
    arrived: Arrived | None = None


def stripe_event_account_key(event: StripeEvent, route_key: str) -> str:
    """Whose payments an event may touch: those of the route it came in on (a
    cluster's own keys, verified with its own secret) or, on the platform's
    route, the connected account the event names (else the platform's)."""
    if route_key:
        return route_key
    if event.connected_account:
        return f"connect:{event.connected_account}"
    return PLATFORM_ACCOUNT_KEY


def _stripe_payment_for(event: StripeEvent, account_key: str) -> Payment | None:
    """The payment a PaymentIntent is for, among those taken into
    ``account_key``'s account: by its id, else by our metadata."""
    payments = Payment.objects.filter(gateway=StripeGateway.name, account=account_key)
    payment = payments.filter(reference=event.intent_id).first()
    if payment is None and event.intent_payment_id.isdigit():
        payment = payments.filter(pk=int(event.intent_payment_id), reference="").first()
    return payment


def _stripe_intent_succeeded(event: StripeEvent, account_key: str) -> Arrived | None:
    payment = _stripe_payment_for(event, account_key)
    if payment is None:
        logger.warning("stripe: no payment for PaymentIntent %s", event.intent_id)
        return None
    if event.amount_received != payment.amount_cents or event.currency != "nzd":
        logger.error(
            "stripe: PaymentIntent %s received %s %s for payment %s of %s NZD",
            event.intent_id,
            event.amount_received,
            event.currency,
            payment.pk,
            payment.amount_cents,
        )
        return None
    return Arrived(payment_id=payment.pk, reference=event.intent_id)


def _stripe_intent_failed(event: StripeEvent, account_key: str) -> None:
    payment = _stripe_payment_for(event, account_key)
    if payment is None:
        logger.warning("stripe: no payment for PaymentIntent %s", event.intent_id)
        return
    message = event.failure_message or _("Your card was declined.")
    payment_failed(payment, message, reference=event.intent_id)


def stripe_event_record(
    *, event: StripeEvent, route_key: str = PLATFORM_ACCOUNT_KEY
) -> StripeEventOutcome:
    """Inside the caller's transaction: take a verified Stripe event once.

    ``route_key`` is the account whose secret verified it (``""``: the
    platform's): the event may touch only payments taken into that account
    (``stripe_event_account_key``), so a cluster that knows its own signing
    secret cannot sign events about another's payments. Events on a cluster's
    own route are recorded apart from the platform's (their own ``gateway``
    label), so they cannot shadow one another's event ids.

    The event is recorded as a ``WebhookEvent``, unique on (gateway, event id): a
    repeat delivery — by this process or a concurrent one, the unique constraint
    decides — answers ``new=False`` and changes nothing. A failed PaymentIntent
    marks its payment failed; a succeeded one whose amount and currency match its
    payment is returned as ``arrived``; other events are only recorded. If the
    caller's transaction rolls back, so does the record: a retry is taken afresh.
    """
    account_key = stripe_event_account_key(event, route_key)
    label = f"{StripeGateway.name}:{route_key}" if route_key else StripeGateway.name
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                gateway=label[:32],
                event_id=event.event_id,
                event_type=event.event_type[:64],
                payload=dict(event.payload or {}),
            )
    except IntegrityError:
        return StripeEventOutcome(new=False)
    if event.event_type == "payment_intent.succeeded":
        arrived = _stripe_intent_succeeded(event, account_key)
        return StripeEventOutcome(new=True, arrived=arrived)
    if event.event_type == "payment_intent.payment_failed":
        _stripe_intent_failed(event, account_key)
    return StripeEventOutcome(new=True)
