"""Money out: refunds, and cancelling part of an order with its money going back.

A refund runs in three steps, so that no gateway is called inside a database
transaction (docs/adr/0009-booking-a-capture.md):

1. ``refund_reserve`` (payments, one transaction): the amount is checked against
   what is left and held as a pending refund;
2. ``refund_ask`` (payments, no transaction): the gateway that took the payment
   gives it back;
3. ``refund_settle`` (here, one transaction): payments records the answer; on
   success the ledger books it and issues the credit notes, the order's payment
   state becomes partly refunded or refunded (not for automatic refunds), the
   customer's "refund made" email is enqueued on commit; an audit row says who
   did it, or that it failed.

Who may refund is decided here, where the order is known: a cluster admin of the
order's cluster up to what is left of the payment; a member's team its own part
(fulfilment), up to what was paid for it less what went back before.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.money_accounts import gateway_account_for_key
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.ledger.services.bookings import cancellation_book, refund_book
from purei.orders.events import order_event
from purei.orders.models import Fulfilment, Order
from purei.orders.services.fulfilment import (
    Cancellation,
    FulfilmentErrorCode,
    FulfilmentMoveRefused,
    cancellation_record,
)
from purei.orders.services.payments import order_mark_refunded
from purei.orders.tasks import fulfilment_cancelled_notify
from purei.payments.gateways import RefundResult
from purei.payments.models import Payment, Refund
from purei.payments.selectors import (
    payment_first_succeeded,
    refund_left_cents,
    refunds_made_cents,
)
from purei.payments.services import (
    RefundRequest,
    refund_ask,
    refund_record,
    refund_reserve,
)
from purei.settlement.errors import SettlementErrorCode
from purei.settlement.tasks import refund_made_notify

logger = logging.getLogger(__name__)


def refund_settle(*, refund: Refund, result: RefundResult, actor: Actor) -> Refund:
    """Record the gateway's answer to ``refund`` and, on success, everything it
    means — booked, credited, the order's refunded state, the email on commit —
    in one transaction, with an audit row ``refund.made`` or ``refund.failed``."""
    with transaction.atomic():
        locked = refund_record(refund=refund, result=result)
        payment = locked.payment
        order = Order.objects.get(pk=payment.order_id)
        if result.ok:
            refund_book(locked)
            if not locked.automatic:
                order = order_mark_refunded(
                    order=order, refunded_cents=refunds_made_cents(order_id=order.pk)
                )
                order_event(
                    "order.refunded",
                    order,
                    parts=[locked.fulfilment] if locked.fulfilment else [],
                    extra={
                        "refund_cents": locked.amount_cents,
                        "refunded_cents": refunds_made_cents(order_id=order.pk),
                        "reason": locked.reason,
                    },
                )
            transaction.on_commit(
                partial(refund_made_notify.enqueue, refund_id=locked.pk)
            )
        audit_record(
            actor=actor,
            verb="refund.made" if result.ok else "refund.failed",
            target=locked,
            cluster_id=order.cluster_id,
            member_id=locked.fulfilment.member_id if locked.fulfilment else None,
            after={
                "order": order.number,
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
    part_limit = None
    if fulfilment is not None and fulfilment_limit:
        # What was paid for the part (cancelling lowers its total, not this).
        paid, total = Fulfilment.objects.values_list("paid_cents", "total_cents").get(
            pk=fulfilment.pk
        )
        part_limit = paid or total
    refund = refund_reserve(
        RefundRequest(
            payment=payment,
            amount_cents=amount_cents,
            reason=reason,
            fulfilment_id=fulfilment.pk if fulfilment is not None else None,
            part_limit_cents=part_limit,
            automatic=automatic,
        )
    )
    account = gateway_account_for_key(payment.account)
    result = refund_ask(refund=refund, reference=payment.order.number, account=account)
    return refund_settle(refund=refund, result=result, actor=actor)


def refund_automatically(payment: Payment, reason: str) -> Refund | None:
    """Give back all that is left of ``payment`` (money that paid for no sale),
    recording ``reason``; Pūrei itself acts. A failure is logged for an admin to
    refund by hand."""
    left = refund_left_cents(payment)
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
            SettlementErrorCode.INVALID_REFUND,
            {"fulfilment": [_("That fulfilment is not part of this order.")]},
        )
    if actor.is_cluster_admin(order.cluster_id):
        fulfilment_limit = False
    elif fulfilment is not None and actor.is_member_team(fulfilment.member_id):
        fulfilment_limit = True
    else:
        raise NotPermitted(
            SettlementErrorCode.NOT_PERMITTED_TO_REFUND,
            _("You cannot refund this payment."),
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
            SettlementErrorCode.REFUND_FAILED, {"amount_cents": [refund.message]}
        )
    return refund


# --- Goodwill refunds ------------------------------------------------------------


def order_refund(
    *, actor: Actor, order: Order, amount_cents: int, reason: str
) -> Refund:
    """A cluster admin gives back ``amount_cents`` of a paid order (all or part),
    through the gateway that took the payment. The order's goods stay as they are;
    ``refund_create`` records the refund and its audit row, and emails the
    customer."""
    if not actor.is_authenticated:
        raise NotPermitted(FulfilmentErrorCode.LOGIN_REQUIRED, _("Log in first."))
    if not actor.is_cluster_admin(order.cluster_id):
        raise NotPermitted(
            FulfilmentErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins can refund an order."),
        )
    payment = payment_first_succeeded(order_id=order.pk)
    if payment is None:
        raise FulfilmentMoveRefused(
            FulfilmentErrorCode.NOT_PAID,
            _("This order has not been paid: there is nothing to refund."),
            field="amount_cents",
        )
    return refund_create(
        actor=actor, payment=payment, amount_cents=amount_cents, reason=reason
    )


# --- Cancelling with the money going back ------------------------------------------


@dataclass(frozen=True)
class CancelOutcome:
    """What a cancellation did: the fulfilment after it, how much came off its
    total, and the refund made (None when the order was unpaid, or the refund
    failed: then ``refund_error`` says why)."""

    fulfilment: Fulfilment
    cancelled_cents: int
    refund: Refund | None = None
    refund_error: str = ""
    lines: dict[int, int] = field(default_factory=dict)


def _refund_cancelled(actor: Actor, done: Cancellation) -> tuple[Refund | None, str]:
    """Outside any transaction: the cancelled amount of a paid order goes back."""
    if done.payment is None or done.refund_cents <= 0:
        return None, ""
    # ``refund_create`` lets a member's team give back at most what was paid for
    # its part (``paid_cents``) less what went back before.
    try:
        refund = refund_create(
            actor=actor,
            payment=done.payment,
            amount_cents=done.refund_cents,
            reason=done.reason,
            fulfilment=done.fulfilment,
        )
    except (ValidationFailed, NotPermitted) as exc:
        return None, exc.message
    return refund, ""


def _book_unrefunded(done: Cancellation) -> None:
    """In the cancellation's transaction: lines of a paid part cancelled with
    nothing left to give back (it all went back before, as a goodwill refund; or
    the items were free under a promotion). No refund will book them, so the
    commission on them, and what the cluster made good for its promotions on
    them, come off here (nothing is booked when nothing changed)."""
    if done.payment is not None and done.refund_cents <= 0:
        cancellation_book(done.fulfilment.pk)


def _finish(actor: Actor, done: Cancellation) -> CancelOutcome:
    refund, error = _refund_cancelled(actor, done)
    notify = partial(
        fulfilment_cancelled_notify.enqueue,
        fulfilment_id=done.fulfilment.pk,
        lines=[[line_id, n] for line_id, n in done.lines.items()],
        reason=done.reason,
        refunded_cents=refund.amount_cents if refund is not None else 0,
    )
    transaction.on_commit(notify)
    done.fulfilment.refresh_from_db()
    return CancelOutcome(
        fulfilment=done.fulfilment,
        cancelled_cents=done.cancelled_cents,
        refund=refund,
        refund_error=error,
        lines=done.lines,
    )


def fulfilment_cancel(
    *,
    actor: Actor,
    fulfilment: Fulfilment,
    reason: str,
    now: datetime.datetime | None = None,
) -> CancelOutcome:
    """Cancel the whole of ``fulfilment`` before it leaves (orders'
    ``cancellation_record``: its stock goes back, its shipping comes off too);
    then a paid order gets back the part's total through the gateway that took
    it. A gateway that fails leaves the cancellation in place and a failed refund
    on record for the cluster admin to retry (``refund_error`` says so)."""
    with transaction.atomic():
        done = cancellation_record(
            actor=actor,
            fulfilment=fulfilment,
            quantities=None,
            reason=reason,
            now=now or timezone.now(),
        )
        _book_unrefunded(done)
    return _finish(actor, done)


def order_lines_cancel(
    *,
    actor: Actor,
    fulfilment: Fulfilment,
    quantities: Mapping[int, int],
    reason: str,
    now: datetime.datetime | None = None,
) -> CancelOutcome:
    """Cancel ``quantities`` (line id → how many) of ``fulfilment``'s lines before
    it leaves, and give back what came off a paid order. Shipping stays — unless
    nothing is left, when the whole part is cancelled (shipping included)."""
    with transaction.atomic():
        done = cancellation_record(
            actor=actor,
            fulfilment=fulfilment,
            quantities=dict(quantities),
            reason=reason,
            now=now or timezone.now(),
        )
        _book_unrefunded(done)
    return _finish(actor, done)
