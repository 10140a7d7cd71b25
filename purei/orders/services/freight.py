"""Freight on quote: a shopper's request, the cluster admin's answer, the
shopper's decline, and requests that lapse (docs/orders.md "Freight on quote").

1. ``order_place`` places a part whose delivery is quoted (``purei.orders.
   freight``) as a delivery with no charge yet, and calls
   ``freight_quotes_request``: a ``FreightQuote`` per such part, the order's stock
   held for ``ORDER_HOLD_MINUTES["freight_quote"]`` (3 days), no payment.
2. A cluster admin answers (``freight_quote_answer``): the price becomes the
   part's shipping charge — GST-inclusive, its GST counted when the part's
   supplier charges GST, exactly as a rate's charge is — and the order's totals
   grow by it. Once every request of the order is answered the shopper has the
   same hold again to pay, and is emailed the order's signed link.
3. The shopper pays through the usual payment flow (``order_lock_payable``
   refuses while a request waits); ``order_mark_paid`` closes the quotes as paid.
   Or the shopper declines (``freight_quote_decline``): the order is cancelled
   and its stock goes back.
4. ``freight_quotes_expire`` (run by ``order_release_expired``, so by the
   ``orders_release_expired`` command, every minute) cancels orders whose
   request went unanswered, or whose answered quote went unpaid, in time; a
   checkout refused stock such an order still holds releases it at once
   (``orders_release_expired_holding``, which marks its quotes expired too).

Only the admins of the order's cluster answer: they run the cluster's delivery
(its default rates, hub and freight arrangements); the member sees the request
and the answer on its order screen.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.csv_safe import formula_start_message, starts_like_formula
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.money import PriceInvalid, parse_price_cents
from purei.orders.errors import OrderErrorCode
from purei.orders.models import FreightQuote, Fulfilment, Order
from purei.orders.money import gst_in
from purei.payments.models import Payment

if TYPE_CHECKING:
    from purei.orders.services.checkout import Quote

MAX_FREIGHT_CENTS = 10_000_000  # $100,000: anything more is a typo
# The moves a quote may make: every other is refused (docs/orders.md).
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    FreightQuote.Status.REQUESTED: frozenset(
        {
            FreightQuote.Status.QUOTED,
            FreightQuote.Status.DECLINED,
            FreightQuote.Status.EXPIRED,
            FreightQuote.Status.CANCELLED,
        }
    ),
    FreightQuote.Status.QUOTED: frozenset(
        {
            FreightQuote.Status.PAID,
            FreightQuote.Status.DECLINED,
            FreightQuote.Status.EXPIRED,
            FreightQuote.Status.CANCELLED,
        }
    ),
}


class FreightQuoteClosed(DomainError):
    status = 409


def freight_hold() -> datetime.timedelta:
    """How long the admins have to answer, and then the shopper to pay."""
    minutes = settings.ORDER_HOLD_MINUTES
    return datetime.timedelta(minutes=minutes.get("freight_quote", minutes["default"]))


def order_awaits_freight_quote(order: Order) -> bool:
    """Some part of ``order`` waits for its freight quote: it can't be paid yet."""
    return FreightQuote.objects.filter(
        order=order, status=FreightQuote.Status.REQUESTED
    ).exists()


def _refuse_move(quote: FreightQuote, to: str) -> None:
    if to not in ALLOWED_MOVES.get(quote.status, frozenset()):
        raise FreightQuoteClosed(
            OrderErrorCode.FREIGHT_QUOTE_CLOSED,
            _("This freight quote is %(status)s: it can't change now.")
            % {"status": quote.get_status_display().lower()},
        )


# --- 1. The request (inside ``order_place``'s transaction) -----------------------


def freight_quotes_request(
    *, order: Order, quote: Quote, now: datetime.datetime
) -> list[FreightQuote]:
    """A freight quote request for each part of the just-placed ``order`` whose
    delivery is to be quoted; the order's stock is held until they lapse."""
    requested = {
        part.group.member_id: part.freight
        for part in quote.parts
        if part.choice is not None and part.choice.method == "freight_quote"
    }
    expires = now + freight_hold()
    rows = [
        FreightQuote(
            order=order,
            fulfilment=fulfilment,
            cluster_id=order.cluster_id,
            reason=requested[fulfilment.member_id],
            expires_at=expires,
        )
        for fulfilment in Fulfilment.objects.filter(
            order=order, member_id__in=requested
        )
    ]
    FreightQuote.objects.bulk_create(rows)
    order.hold_until = expires
    order.save(update_fields=["hold_until", "updated_at"])
    transaction.on_commit(partial(_requested_notify, order_id=order.pk))
    return rows


def _requested_notify(*, order_id: int) -> None:
    from purei.orders.tasks import freight_quote_requested_notify

    freight_quote_requested_notify.enqueue(order_id=order_id)


# --- 2. The answer ----------------------------------------------------------------


@dataclass(frozen=True)
class FreightAnswer:
    """What the admin answers: the price as text like "180.00" (NZD, what the
    shopper pays: including GST when the supplier charges it), a carrier and a
    note to the shopper (both optional)."""

    price: str
    carrier: str = ""
    note: str = ""


def _clean_answer(answer: FreightAnswer) -> tuple[int, str, str]:
    errors: dict[str, list[str]] = {}
    cents = 0
    try:
        cents = parse_price_cents(answer.price)
    except PriceInvalid:
        errors["price"] = [_("Give the freight in dollars and cents, like 180.00.")]
    else:
        if cents > MAX_FREIGHT_CENTS:
            errors["price"] = [_("That freight is too large: check it.")]
    carrier = (answer.carrier or "").strip()
    note = (answer.note or "").strip()
    for name, value, limit in (("carrier", carrier, 64), ("note", note, 1000)):
        if len(value) > limit:
            errors[name] = [_("Keep it to %(max)s characters.") % {"max": limit}]
        elif starts_like_formula(value):
            errors[name] = [formula_start_message()]
    if errors:
        raise ValidationFailed(OrderErrorCode.INVALID_FREIGHT_QUOTE, errors)
    return cents, carrier, note


def freight_quote_answer(
    *,
    actor: Actor,
    quote: FreightQuote,
    answer: FreightAnswer,
    now: datetime.datetime | None = None,
) -> FreightQuote:
    """A cluster admin prices the freight of one part. The price becomes the
    part's shipping charge (GST counted as on any shipping charge of the part)
    and the order's totals grow by it; once the order has no request left
    waiting, it may be paid until ``now`` plus the freight hold, and the shopper
    is emailed. Audited as ``freight_quote.answered``."""
    if not actor.is_cluster_admin(quote.cluster_id):
        raise NotPermitted(
            OrderErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins answer its freight quote requests."),
        )
    cents, carrier, note = _clean_answer(answer)
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=quote.order_id)
        locked = FreightQuote.objects.select_for_update().get(pk=quote.pk)
        _refuse_move(locked, FreightQuote.Status.QUOTED)
        if order.status != Order.Status.AWAITING_PAYMENT:
            raise FreightQuoteClosed(
                OrderErrorCode.FREIGHT_QUOTE_CLOSED,
                _("This order is no longer waiting: it can't be quoted."),
            )
        fulfilment = Fulfilment.objects.select_for_update().get(pk=locked.fulfilment_id)
        taxed = fulfilment.gst_registered and not order.zero_rated
        gst = gst_in(cents) if taxed else 0
        Fulfilment.objects.filter(pk=fulfilment.pk).update(
            shipping_cents=F("shipping_cents") + cents,
            gst_cents=F("gst_cents") + gst,
            total_cents=F("total_cents") + cents,
        )
        locked.status = FreightQuote.Status.QUOTED
        locked.price_cents, locked.gst_cents = cents, gst
        locked.carrier, locked.note = carrier, note
        locked.answered_by = actor.user if actor.is_authenticated else None
        locked.answered_at = now
        locked.save()
        order.shipping_cents += cents
        order.gst_cents += gst
        order.total_cents += cents
        waiting = FreightQuote.objects.filter(
            order=order, status=FreightQuote.Status.REQUESTED
        ).exists()
        if not waiting:
            order.hold_until = now + freight_hold()
        order.save(
            update_fields=[
                "shipping_cents",
                "gst_cents",
                "total_cents",
                "hold_until",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            verb="freight_quote.answered",
            target=locked,
            cluster_id=locked.cluster_id,
            member_id=fulfilment.member_id,
            after={
                "order": order.number,
                "price_cents": cents,
                "gst_cents": gst,
                "carrier": carrier,
                "note": note,
            },
        )
        if not waiting:
            transaction.on_commit(partial(_answered_notify, order_id=order.pk))
    return locked


def _answered_notify(*, order_id: int) -> None:
    from purei.orders.tasks import freight_quote_answered_notify

    freight_quote_answered_notify.enqueue(order_id=order_id)


# --- 3. Paid, or declined -----------------------------------------------------------


def freight_quotes_paid(*, order: Order, now: datetime.datetime) -> int:
    """Inside ``order_mark_paid``: the order's answered quotes are paid."""
    return FreightQuote.objects.filter(
        order=order, status=FreightQuote.Status.QUOTED
    ).update(status=FreightQuote.Status.PAID, closed_at=now, updated_at=now)


def freight_quote_decline(
    *, order: Order, now: datetime.datetime | None = None
) -> Order:
    """The shopper (whoever may open the order's page: its account, session or
    signed link — checked by the caller) declines the freight: the unpaid order
    is cancelled and its stock goes back. Audited as ``freight_quote.declined``
    (by the system, on the shopper's word)."""
    from purei.orders.services.checkout import _cancel_and_restock

    now = now or timezone.now()
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        quotes = list(FreightQuote.objects.select_for_update().filter(order=locked))
        open_quotes = [
            q
            for q in quotes
            if FreightQuote.Status.DECLINED in ALLOWED_MOVES.get(q.status, frozenset())
        ]
        if locked.status != Order.Status.AWAITING_PAYMENT or not open_quotes:
            raise FreightQuoteClosed(
                OrderErrorCode.FREIGHT_QUOTE_CLOSED,
                _("This order has no freight quote to decline."),
            )
        if locked.payments.filter(status=Payment.Status.PENDING).exists():
            raise FreightQuoteClosed(
                OrderErrorCode.FREIGHT_QUOTE_CLOSED,
                _("A payment for this order is under way: it can't be declined."),
            )
        _cancel_and_restock(locked, now)
        FreightQuote.objects.filter(pk__in=[q.pk for q in open_quotes]).update(
            status=FreightQuote.Status.DECLINED, closed_at=now, updated_at=now
        )
        for quote in open_quotes:
            audit_record(
                actor=Actor.system(),
                verb="freight_quote.declined",
                target=quote,
                cluster_id=quote.cluster_id,
                after={"order": locked.number},
            )
    return locked


# --- 4. Lapsed ----------------------------------------------------------------------


def freight_quotes_expire(*, now: datetime.datetime | None = None) -> int:
    """Cancel each unpaid order whose freight request went unanswered, or whose
    answered quote went unpaid, past its time; its stock goes back and its
    quotes are marked expired. Quotes of orders cancelled otherwise are closed
    as cancelled. Returns how many orders were cancelled. Safe to run twice and
    from several processes at once."""
    from purei.orders.services.checkout import _cancel_and_restock

    now = now or timezone.now()
    open_states = (FreightQuote.Status.REQUESTED, FreightQuote.Status.QUOTED)
    FreightQuote.objects.filter(
        status__in=open_states, order__status=Order.Status.CANCELLED
    ).update(status=FreightQuote.Status.CANCELLED, closed_at=now, updated_at=now)
    lapsed = FreightQuote.objects.filter(
        status=FreightQuote.Status.REQUESTED, expires_at__lt=now
    ).values_list("order_id", flat=True)
    unpaid = FreightQuote.objects.filter(
        status=FreightQuote.Status.QUOTED, order__hold_until__lt=now
    ).values_list("order_id", flat=True)
    order_ids = sorted(set(lapsed) | set(unpaid))
    cancelled = 0
    for order_id in order_ids:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(skip_locked=True)
                .filter(pk=order_id, status=Order.Status.AWAITING_PAYMENT)
                .first()
            )
            if order is None:
                continue
            _cancel_and_restock(order, now)
            FreightQuote.objects.filter(order=order, status__in=open_states).update(
                status=FreightQuote.Status.EXPIRED, closed_at=now, updated_at=now
            )
            cancelled += 1
    return cancelled
