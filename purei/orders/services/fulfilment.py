"""Fulfilment: a member works its part of an order, and parts (or lines) of an order
are cancelled before they ship.

Scope: a fulfilment's member team (owners and staff) moves it along and cancels it;
the cluster admins of the order's cluster may also cancel it; platform staff only
read (the selectors let them see, the services refuse them).

The moves are data (``ALLOWED_MOVES``, style.md §6.4): new → packed; new or packed →
shipped (delivery only, with a carrier) or ready (pickup only); shipped → delivered;
ready → collected. Only a paid order's fulfilments move.

Cancelling (``cancellation_record``) runs in one transaction: lines (or the whole
part) are marked cancelled, tracked stock goes back, and the fulfilment's and
order's totals and GST are worked out again per line (``purei.orders.money.gst_in``);
shipping stays unless the whole part is cancelled. When every part of an order is
cancelled the order is too. It works out how much of a paid order must go back; the
money itself goes back — outside that transaction, through the gateway that took
it — in ``purei.settlement`` (``fulfilment_cancel``, ``order_lines_cancel``), which
is what the screens and the API call.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.catalogue.indexing import product_facts_changed_on_commit
from purei.catalogue.models import Variant
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.orders.au_gst import au_gst_in
from purei.orders.events import fulfilment_event, order_event
from purei.orders.models import Fulfilment, Order, OrderLine
from purei.orders.money import gst_in
from purei.orders.services.window_sales import window_sales_release
from purei.payments.models import Payment
from purei.payments.selectors import payment_first_succeeded, refund_left_cents
from purei.payments.services import payments_pending_resize

S = Fulfilment.Status
M = Fulfilment.Method

# From each status, where a fulfilment may go next (cancelling is separate).
ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    S.NEW: (S.PACKED, S.SHIPPED, S.READY),
    S.PACKED: (S.SHIPPED, S.READY),
    S.SHIPPED: (S.DELIVERED,),
    S.READY: (S.COLLECTED,),
}
# Moves that only make sense for one way of getting the goods to the customer.
DELIVERY_ONLY = frozenset({S.SHIPPED, S.DELIVERED})
PICKUP_ONLY = frozenset({S.READY, S.COLLECTED})
# A part can be cancelled until it leaves: not yet shipped, or not yet collected.
CANCELLABLE = frozenset({S.NEW, S.PACKED, S.READY})

MAX_REASON = 300
MAX_CARRIER = 64


class FulfilmentErrorCode(StrEnum):
    LOGIN_REQUIRED = "login_required"
    NOT_MEMBER_TEAM = "not_member_team"
    NOT_PERMITTED = "not_permitted_to_cancel"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    NOT_PAID = "order_not_paid"
    INVALID_TRANSITION = "invalid_transition"
    NOT_CANCELLABLE = "not_cancellable"
    INVALID_INPUT = "invalid_input"


class FulfilmentMoveRefused(DomainError):
    """The fulfilment (or its order) is not in a state that allows this: 409."""

    status = 409


# --- Scope and the moves ----------------------------------------------------------


def _require_team(actor: Actor, fulfilment: Fulfilment) -> None:
    if not actor.is_authenticated:
        raise NotPermitted(FulfilmentErrorCode.LOGIN_REQUIRED, _("Log in first."))
    if not actor.is_member_team(fulfilment.member_id):
        raise NotPermitted(
            FulfilmentErrorCode.NOT_MEMBER_TEAM,
            _("Only the business's own team can work its orders."),
        )


def _require_team_or_admin(actor: Actor, fulfilment: Fulfilment, order: Order) -> None:
    if not actor.is_authenticated:
        raise NotPermitted(FulfilmentErrorCode.LOGIN_REQUIRED, _("Log in first."))
    if not (
        actor.is_member_team(fulfilment.member_id)
        or actor.is_cluster_admin(order.cluster_id)
    ):
        raise NotPermitted(
            FulfilmentErrorCode.NOT_PERMITTED,
            _("Only the business's team or the cluster's admins can cancel this."),
        )


def moves_for(fulfilment: Fulfilment) -> list[str]:
    """The statuses ``fulfilment`` may move to next, given how it reaches the
    customer (whether the order is paid is checked when moving)."""
    delivery = fulfilment.method == M.DELIVERY
    return [
        to
        for to in ALLOWED_MOVES.get(fulfilment.status, ())
        if (to not in DELIVERY_ONLY or delivery)
        and (to not in PICKUP_ONLY or not delivery)
        # A part sent through the hub ships in the hub's one parcel
        # (``purei.orders.services.hub.hub_parcel_dispatch``), not by itself.
        and not (to == S.SHIPPED and fulfilment.via_hub)
    ]


def can_cancel(fulfilment: Fulfilment) -> bool:
    """Whether ``fulfilment`` (or some of its lines) can still be cancelled."""
    return fulfilment.status in CANCELLABLE


def _stamp(fulfilment: Fulfilment, to: str, now: datetime.datetime) -> list[str]:
    if to == S.PACKED:
        fulfilment.packed_at = now
        return ["packed_at"]
    if to in (S.SHIPPED, S.READY):
        fulfilment.dispatched_at = now
        return ["dispatched_at"]
    fulfilment.completed_at = now
    return ["completed_at"]


def _lock(fulfilment: Fulfilment) -> tuple[Order, Fulfilment]:
    """Lock the order, then the fulfilment (always in that order)."""
    order = Order.objects.select_for_update().get(pk=fulfilment.order_id)
    locked = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
    locked.order = order
    return order, locked


@transaction.atomic
def fulfilment_advance(
    *,
    actor: Actor,
    fulfilment: Fulfilment,
    to: str,
    carrier: str = "",
    tracking_number: str = "",
    now: datetime.datetime | None = None,
) -> Fulfilment:
    """Move ``fulfilment`` to ``to``. Shipping needs the carrier (the tracking
    number is optional but recommended); the customer is emailed when it ships or
    is ready for pickup."""
    _require_team(actor, fulfilment)
    now = now or timezone.now()
    order, locked = _lock(fulfilment)
    if not order.may_fulfil:
        raise FulfilmentMoveRefused(
            FulfilmentErrorCode.NOT_PAID,
            _("This order is not paid: nothing can be sent or handed over yet."),
            field="to",
        )
    if to not in moves_for(locked):
        raise FulfilmentMoveRefused(
            FulfilmentErrorCode.INVALID_TRANSITION,
            _("A part that is %(status)s can't be marked %(to)s.")
            % {
                "status": S(locked.status).label.lower(),
                "to": S(to).label.lower() if to in S.values else to,
            },
            field="to",
        )
    carrier = carrier.strip()
    tracking_number = tracking_number.strip()
    if to == S.SHIPPED:
        errors: dict[str, list[str]] = {}
        if not carrier:
            errors["carrier"] = [_("Say which carrier has the parcel.")]
        elif len(carrier) > MAX_CARRIER:
            errors["carrier"] = [_("Keep the carrier to 64 characters.")]
        if len(tracking_number) > MAX_CARRIER:
            errors["tracking_number"] = [
                _("Keep the tracking number to 64 characters.")
            ]
        if errors:
            raise ValidationFailed(FulfilmentErrorCode.INVALID_INPUT, errors)
    before = {"status": locked.status}
    locked.status = to
    fields = ["status", "updated_at", *_stamp(locked, to, now)]
    if to == S.SHIPPED:
        locked.carrier, locked.tracking_number = carrier, tracking_number
        fields += ["carrier", "tracking_number"]
    locked.save(update_fields=fields)
    after = {"status": to}
    if to == S.SHIPPED:
        after |= {"carrier": carrier, "tracking_number": tracking_number}
    audit_record(
        actor=actor,
        verb=f"fulfilment.{to}",
        target=locked,
        cluster_id=order.cluster_id,
        member_id=locked.member_id,
        before=before,
        after={"order": order.number, **after},
    )
    from purei.orders.tasks import fulfilment_ready_notify, fulfilment_shipped_notify

    fulfilment_event("fulfilment.changed", locked, order)
    if to == S.SHIPPED:
        transaction.on_commit(
            partial(fulfilment_shipped_notify.enqueue, fulfilment_id=locked.pk)
        )
    elif to == S.READY:
        transaction.on_commit(
            partial(fulfilment_ready_notify.enqueue, fulfilment_id=locked.pk)
        )
    return locked


# --- Cancelling ------------------------------------------------------------------


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationFailed(
            FulfilmentErrorCode.INVALID_INPUT,
            {"reason": [_("Say why it is cancelled (the customer is told).")]},
        )
    if len(text) > MAX_REASON:
        raise ValidationFailed(
            FulfilmentErrorCode.INVALID_INPUT,
            {"reason": [_("Keep the reason to 300 characters.")]},
        )
    return text


def _require_cancellable(fulfilment: Fulfilment) -> None:
    if fulfilment.status not in CANCELLABLE:
        raise FulfilmentMoveRefused(
            FulfilmentErrorCode.NOT_CANCELLABLE,
            _("A part that is %(status)s can no longer be cancelled.")
            % {"status": S(fulfilment.status).label.lower()},
        )


def _require_not_on_account(order: Order) -> None:
    """A trade order invoiced to the buyer's account (on account, or with its
    deposit in) is in the books as a debt of the buyer: a part of it is not
    cancelled here but credited by the cluster's admins (docs/trade.md)."""
    if order.status == Order.Status.ON_ACCOUNT or (
        order.payment_state == Order.PaymentState.PART_PAID
    ):
        raise FulfilmentMoveRefused(
            FulfilmentErrorCode.NOT_CANCELLABLE,
            _(
                "This trade order is invoiced to the buyer's account: a part of it "
                "can't be cancelled here. Ask the cluster's admins to credit it."
            ),
        )


def _restock(lines: list[OrderLine], cancelled: Mapping[int, int]) -> None:
    """Put back the stock of tracked variants, in variant order (no deadlocks)."""
    back: dict[int, int] = {}
    for line in lines:
        n = cancelled.get(line.pk, 0)
        if n and line.variant_id:
            back[line.variant_id] = back.get(line.variant_id, 0) + n
    for variant_id in sorted(back):
        Variant.objects.filter(
            pk=variant_id, stock_policy=Variant.StockPolicy.TRACKED
        ).update(stock=F("stock") + back[variant_id])
    window_sales_release(cancelled, lines)
    product_facts_changed_on_commit(
        line.product_id for line in lines if line.product_id and cancelled.get(line.pk)
    )


def _retotal(
    order: Order,
    fulfilment: Fulfilment,
    lines: list[OrderLine],
    *,
    whole: bool,
) -> None:
    """Work out the lines', the fulfilment's and the order's totals and GST again
    (GST per line, as at checkout; Australian GST too, on the lines that carried
    it and on the shipping while it stays), and save them. A discounted line
    keeps the share of its discount that goes with the items left
    (``OrderLine.live_discount_cents``), so what comes off is what was paid for
    the items cancelled (ADR 0015)."""
    taxed = fulfilment.gst_registered and not order.zero_rated
    shipping_au = fulfilment.au_gst_cents - sum(line.au_gst_cents for line in lines)
    for line in lines:
        line.total_cents = line.list_total_cents - line.live_discount_cents
        line.gst_cents = gst_in(line.total_cents) if taxed else 0
        if line.au_gst_cents:
            line.au_gst_cents = au_gst_in(line.total_cents)
    OrderLine.objects.bulk_update(
        lines, ["cancelled_quantity", "total_cents", "gst_cents", "au_gst_cents"]
    )
    if whole:
        fulfilment.shipping_cents = 0
        fulfilment.shipping_discount_cents = 0
        fulfilment.shipping_discount_cluster_cents = 0
        shipping_au = 0
    fulfilment.goods_cents = sum(line.total_cents for line in lines)
    shipping_gst = gst_in(fulfilment.shipping_cents) if taxed else 0
    fulfilment.gst_cents = sum(line.gst_cents for line in lines) + shipping_gst
    fulfilment.au_gst_cents = sum(line.au_gst_cents for line in lines) + max(
        shipping_au, 0
    )
    fulfilment.total_cents = fulfilment.goods_cents + fulfilment.shipping_cents
    fulfilment.save(
        update_fields=[
            "goods_cents",
            "shipping_cents",
            "shipping_discount_cents",
            "shipping_discount_cluster_cents",
            "gst_cents",
            "au_gst_cents",
            "total_cents",
            "status",
            "cancelled_at",
            "updated_at",
        ]
    )
    sums = Fulfilment.objects.filter(order=order).aggregate(
        goods=Sum("goods_cents"),
        shipping=Sum("shipping_cents"),
        gst=Sum("gst_cents"),
        au_gst=Sum("au_gst_cents"),
    )
    order.goods_cents = int(sums["goods"] or 0)
    order.shipping_cents = int(sums["shipping"] or 0)
    order.gst_cents = int(sums["gst"] or 0)
    order.au_gst_cents = int(sums["au_gst"] or 0)
    order.total_cents = order.goods_cents + order.shipping_cents
    fields = [
        "goods_cents",
        "shipping_cents",
        "gst_cents",
        "au_gst_cents",
        "total_cents",
        "updated_at",
    ]
    live = Fulfilment.objects.filter(order=order).exclude(status=S.CANCELLED).exists()
    if not live:
        order.status = Order.Status.CANCELLED
        order.cancelled_at = fulfilment.cancelled_at
        order.hold_until = None
        fields += ["status", "cancelled_at", "hold_until"]
        if order.paid_at is None and order.discount_cents:
            # Never paid: the promotions it used are given back.
            from purei.promotions.services import promotion_uses_release

            promotion_uses_release(
                order_id=order.pk, now=fulfilment.cancelled_at or timezone.now()
            )
    order.save(update_fields=fields)


@dataclass
class Cancellation:
    """What ``cancellation_record`` did: the fulfilment and order after it, how much
    came off the fulfilment's total, and what of it must go back to the customer
    (``refund_cents`` of ``payment``; 0 and None when the order was not paid)."""

    fulfilment: Fulfilment
    order: Order
    cancelled_cents: int
    refund_cents: int
    payment: Payment | None
    lines: dict[int, int]
    reason: str


def cancellation_record(
    *,
    actor: Actor,
    fulfilment: Fulfilment,
    quantities: Mapping[int, int] | None,
    reason: str,
    now: datetime.datetime,
) -> Cancellation:
    """In one transaction: cancel ``quantities`` (line id → how many) of
    ``fulfilment``'s lines, or all of it when None; put the stock back, total
    again, audit. Returns what must go back to the customer; giving it back is
    ``purei.settlement``'s ``fulfilment_cancel`` / ``order_lines_cancel``."""
    with transaction.atomic():
        order, locked = _lock(fulfilment)
        _require_team_or_admin(actor, locked, order)
        reason = _reason(reason)
        _require_cancellable(locked)
        _require_not_on_account(order)
        lines = list(OrderLine.objects.filter(fulfilment=locked).order_by("pk"))
        by_id = {line.pk: line for line in lines}
        if quantities is None:
            cancelled = {line.pk: line.live_quantity for line in lines}
        elif order.prices_exclude_gst:
            # A trade order's lines were priced ex-GST with their charges shared
            # across them: a part is cancelled whole (ADR 0010), not line by line.
            raise FulfilmentMoveRefused(
                FulfilmentErrorCode.NOT_CANCELLABLE,
                _(
                    "A trade order's lines are priced together: cancel the whole "
                    "part, or ask the buyer to accept a revised quote."
                ),
            )
        else:
            cancelled = _check_quantities(quantities, by_id)
        for line_id, n in cancelled.items():
            by_id[line_id].cancelled_quantity += n
        whole = all(line.live_quantity == 0 for line in lines)
        before_total = locked.total_cents
        before = {
            "status": locked.status,
            "goods_cents": locked.goods_cents,
            "shipping_cents": locked.shipping_cents,
            "total_cents": locked.total_cents,
        }
        if whole:
            locked.status = S.CANCELLED
            locked.cancelled_at = now
        _restock(lines, cancelled)
        _retotal(order, locked, lines, whole=whole)
        cancelled_cents = before_total - locked.total_cents
        if order.paid_at is None:
            # A bank transfer still to come is now for the smaller total.
            payments_pending_resize(order_id=order.pk, amount_cents=order.total_cents)
        payment = (
            payment_first_succeeded(order_id=order.pk)
            if order.paid_at is not None
            else None
        )
        refund_cents = 0
        if payment is not None and cancelled_cents > 0:
            refund_cents = min(cancelled_cents, refund_left_cents(payment))
        audit_record(
            actor=actor,
            verb="fulfilment.cancelled" if whole else "fulfilment.lines_cancelled",
            target=locked,
            cluster_id=order.cluster_id,
            member_id=locked.member_id,
            before=before,
            after={
                "order": order.number,
                "status": locked.status,
                "goods_cents": locked.goods_cents,
                "shipping_cents": locked.shipping_cents,
                "total_cents": locked.total_cents,
                "lines": {by_id[k].sku: n for k, n in cancelled.items()},
                "reason": reason,
                "order_cancelled": order.status == Order.Status.CANCELLED,
            },
        )
        order_event(
            "order.cancelled",
            order,
            parts=[locked],
            extra={
                "cancelled_cents": cancelled_cents,
                "whole_part": whole,
                "reason": reason,
            },
        )
    return Cancellation(
        fulfilment=locked,
        order=order,
        cancelled_cents=cancelled_cents,
        refund_cents=refund_cents,
        payment=payment,
        lines=cancelled,
        reason=reason,
    )


def _check_quantities(
    quantities: Mapping[int, int], by_id: Mapping[int, OrderLine]
) -> dict[int, int]:
    errors: dict[str, list[str]] = {}
    cancelled: dict[int, int] = {}
    for line_id, n in quantities.items():
        line = by_id.get(line_id)
        name = f"lines.{line_id}"
        if line is None:
            errors[name] = [_("That line is not part of this order.")]
        elif isinstance(n, bool) or not isinstance(n, int) or n < 0:
            errors[name] = [_("Give a whole number of items.")]
        elif n > line.live_quantity:
            errors[name] = [
                _("At most %(n)s of %(sku)s can be cancelled.")
                % {"n": line.live_quantity, "sku": line.sku}
            ]
        elif n:
            cancelled[line_id] = n
    if errors:
        raise ValidationFailed(FulfilmentErrorCode.INVALID_INPUT, errors)
    if not cancelled:
        raise ValidationFailed(
            FulfilmentErrorCode.INVALID_INPUT,
            {"lines": [_("Say how many of which items to cancel.")]},
        )
    return cancelled
