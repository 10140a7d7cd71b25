"""Money in: start a payment for an order, and book it once it arrives.

``capture_settle`` is the one place where money that arrived is recorded with
everything it means, in one transaction (docs/adr/0009-booking-a-capture.md):

1. payments records the payment's success (``payment_record_success``; the row
   is locked, so a second notice finds it done and changes nothing);
2. orders marks the order paid (``order_mark_paid``: the stock hold becomes
   permanent, each member is told on commit);
3. the ledger books the capture and issues each supplier's invoice
   (``capture_book``);
4. the customer's "payment received" email is enqueued on commit.

If any step raises, none of it is kept: the payment stays pending, the order
unpaid, the books untouched. Every way money arrives goes through it: the test
card's synchronous success (``payment_start``), a cluster admin's "bank transfer
received" (``payment_mark_received``), Stripe's ``payment_intent.succeeded``
(``stripe_event_process``), and ``payment_succeeded`` (the demo's seed).

Money that arrives for an order cancelled meanwhile (its hold expired), or that
another payment had already paid, is not booked as a sale: it goes straight back
through the gateway that took it, as an automatic refund
(``purei.settlement.services.refunds``), after the transaction has committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.money_accounts import cluster_gateway_account
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted
from purei.ledger.services.bookings import capture_book
from purei.orders.events import order_event
from purei.orders.models import Order
from purei.orders.selectors import order_parts_with_lines
from purei.orders.services.payments import order_lock_payable, order_mark_paid
from purei.payments.gateways import CardDetails, StartRequest, StartResult
from purei.payments.models import Payment
from purei.payments.selectors import payment_other_succeeded
from purei.payments.services import (
    payment_ask,
    payment_gateway,
    payment_open,
    payment_pending_transfer,
    payment_record_success,
    stripe_event_parse,
    stripe_event_record,
)
from purei.settlement.errors import SettlementErrorCode
from purei.settlement.tasks import payment_received_notify

from .refunds import refund_automatically

REASON_CANCELLED = "Paid after the order was cancelled (its hold had expired)."
REASON_ALREADY_PAID = "The order had already been paid by another payment."


@dataclass(frozen=True)
class Capture:
    """What ``capture_settle`` did with a payment. ``refund_reason``: the money
    was not for a sale and must go back (why); None when it was booked, or had
    been before."""

    payment: Payment
    refund_reason: str | None = None


def capture_settle(
    *, payment_id: int, succeeded_at: datetime | None = None, reference: str = ""
) -> Capture:
    """The money of payment ``payment_id`` arrived: record it, mark its order paid,
    book it and issue the invoices, in one transaction (the caller's, when it has
    one: recording a webhook event or an audit row belongs to the same unit).
    Idempotent: a payment that had succeeded before is left as it is."""
    with transaction.atomic(savepoint=False):
        success = payment_record_success(
            payment_id=payment_id, succeeded_at=succeeded_at, reference=reference
        )
        payment = success.payment
        if not success.newly:
            return Capture(payment)
        # The order as locked and marked paid, and its parts with their lines as
        # they are now, read once here for the booking, the invoices and the
        # event (each read them for itself before issue 16).
        order = order_mark_paid(order_id=payment.order_id, payment=payment)
        payment.order = order
        if order.status == Order.Status.CANCELLED:
            return Capture(payment, REASON_CANCELLED)
        if payment_other_succeeded(payment):
            return Capture(payment, REASON_ALREADY_PAID)
        parts = order_parts_with_lines(order)
        capture_book(payment, order=order, parts=parts)
        order_event("order.paid", order, every_part=parts)
        transaction.on_commit(
            partial(payment_received_notify.enqueue, payment_id=payment.pk)
        )
        return Capture(payment)


def _give_back(capture: Capture) -> Payment:
    """After commit: send back money that paid for no sale; the payment as it is
    now."""
    if capture.refund_reason:
        refund_automatically(capture.payment, capture.refund_reason)
        capture.payment.refresh_from_db()
    return capture.payment


def payment_succeeded(
    payment: Payment, *, succeeded_at: datetime | None = None, reference: str = ""
) -> Payment:
    """The money of ``payment`` arrived (``capture_settle`` in its own
    transaction). Idempotent: a second call changes nothing. When the order was
    cancelled meanwhile, or already paid, the money goes back automatically."""
    with transaction.atomic():
        capture = capture_settle(
            payment_id=payment.pk, succeeded_at=succeeded_at, reference=reference
        )
    return _give_back(capture)


def payment_start(
    *, order: Order, gateway_name: str, card: CardDetails | None = None
) -> tuple[Payment, StartResult]:
    """Start paying for ``order`` through ``gateway_name`` (with the test card's
    ``card``; nothing for the others).

    Refuses malformed card details, and an order that is not awaiting payment or
    whose stock hold has expired, before anything is recorded. Then records a
    pending payment of the order's total and — outside any transaction — asks the
    gateway: declined → the payment fails with the gateway's message; succeeded
    (the test card) → ``capture_settle``; pending → it waits (for a bank transfer,
    or Stripe's webhook).
    """
    account = cluster_gateway_account(
        cluster_id=order.cluster_id, order_total_cents=order.total_cents
    )
    gateway = payment_gateway(gateway_name=gateway_name, card=card, account=account)
    with transaction.atomic():
        locked = order_lock_payable(order=order, now=timezone.now())
        payment = payment_open(
            order_id=locked.pk,
            gateway=gateway,
            amount_cents=locked.total_cents,
            account_key=account.key,
        )
    request = StartRequest(
        reference=locked.number, email=locked.email, card=card, account=account
    )
    payment, result = payment_ask(gateway=gateway, payment=payment, request=request)
    if result.status == "succeeded":
        payment = payment_succeeded(payment, reference=result.reference)
    return payment, result


def payment_mark_received(*, actor: Actor, order: Order, note: str) -> Payment:
    """A cluster admin of the order's cluster records that the customer's bank
    transfer arrived: the pending bank-transfer payment is settled
    (``capture_settle``) with an audit row ``payment.received`` in the same
    transaction (or — the order cancelled meanwhile — recorded to be paid back)."""
    if not actor.is_cluster_admin(order.cluster_id):
        raise NotPermitted(
            SettlementErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins can record a bank transfer."),
        )
    with transaction.atomic():
        pending = payment_pending_transfer(order_id=order.pk)
        capture = capture_settle(payment_id=pending.pk)
        payment = capture.payment
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
    return _give_back(capture)


def stripe_event_process(*, payload: Mapping[str, Any], route_key: str = "") -> bool:
    """Handle a verified Stripe event once: the event's record and what it means
    (a payment settled by ``capture_settle``, or marked failed) commit together.
    ``route_key``: whose secret verified it (a cluster's own keys, or ``""`` for
    the platform's); the event touches only payments taken into that account.
    Returns False for a repeat delivery (recorded before, by this process or a
    concurrent one: the unique constraint on the event id decides), which changes
    nothing."""
    event = stripe_event_parse(payload)
    capture: Capture | None = None
    with transaction.atomic():
        outcome = stripe_event_record(event=event, route_key=route_key)
        if not outcome.new:
            return False
        if outcome.arrived is not None:
            capture = capture_settle(
                payment_id=outcome.arrived.payment_id,
                reference=outcome.arrived.reference,
            )
    if capture is not None:
        _give_back(capture)
    return True
