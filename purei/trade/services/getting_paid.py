"""Getting paid for a trade order (docs/trade.md "Getting paid: deposits, account
terms, statements, FX").

**Terms at acceptance** (``trade_order_terms_apply``, in the acceptance's
transaction). An order quoted on account terms (7 days, the 20th of the month
following, a number of days) goes **on account** unless it is the account's first
order and the account says first orders are pro-forma, or the account's open
balance plus this order would pass its credit limit — then it is pro-forma and
``terms_note`` says why. An order on account is **invoiced at once**: the sale is
booked against the cluster's trade receivable (``ledger.services.bookings.
trade_invoice_book``), each member's tax invoice is issued, it is due on
``terms.due_date`` of that day, and its members may fulfil it before it is paid.

**Pro-forma** orders are invoiced at their first payment (the deposit, or all of
it) and are sent only once paid in full. Until their first payment they keep their
two-week stock hold (and may still be paid like any order, by the order page's
bank transfer, which books a plain capture).

**Payments** (``trade_payment_record``): a cluster admin records each payment that
arrived — the deposit, a part payment, the balance — in the order's currency and,
for AUD or USD, the NZD the bank actually credited. Each is its own bank-transfer
``Payment`` with its own reference (``<order>-DEP``, ``<order>-P2``, ``<order>-BAL``),
booked against the receivable in its own journal; the NZD it settles is the
amount at the quote's rate (the rest of the receivable, for the last payment), and
any difference from what arrived goes to the cluster's exchange gains and losses
in the same journal, with the rates in its memo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.ledger.models import Account, Posting
from purei.ledger.services.bookings import trade_invoice_book
from purei.ledger.services.receivables import (
    trade_invoiced,
    trade_payment_post,
    trade_receivable_cents,
)
from purei.orders.models import Order
from purei.orders.services.payments import (
    order_charge_parts,
    order_release_on_account,
    order_trade_payment_recorded,
)
from purei.payments.gateways.bank_transfer import BankTransferGateway
from purei.payments.services import payment_open, payment_record_success
from purei.trade.fx import to_nzd
from purei.trade.models import (
    Currency,
    PaymentTerms,
    TradeAccount,
    TradeOrder,
    TradePayment,
)
from purei.trade.money import format_money
from purei.trade.terms import due_date, terms_for_order

from .accounts import TradeAccountConflict, TradeErrorCode

MAX_NOTE = 300


def account_open_balance_cents(account: TradeAccount) -> int:
    """What ``account`` owes the cluster now, NZD cents: the trade receivable of
    its invoiced orders."""
    return int(
        Posting.objects.filter(
            account__kind=Account.Kind.TRADE_RECEIVABLE,
            journal__order__trade__account=account,
        ).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )


def _nzd(cents: int) -> str:
    return format_money(cents, "NZD")


def trade_order_terms_apply(*, made: TradeOrder) -> TradeOrder:
    """Inside the acceptance's transaction: put ``made`` on account when its
    quote's terms allow (see the module's doc), or say why it stays pro-forma."""
    if made.payment_terms == PaymentTerms.PROFORMA:
        return made
    account = made.account
    order = made.order
    before = (
        TradeOrder.objects.filter(account=account)
        .exclude(pk=made.pk)
        .exclude(order__status=Order.Status.CANCELLED)
        .count()
    )
    terms = terms_for_order(
        terms=made.payment_terms,
        first_order_proforma=account.first_order_proforma,
        orders_before=before,
    )
    if terms == PaymentTerms.PROFORMA:
        made.terms_note = _(
            "Pro-forma: this is the account's first order, paid before dispatch."
        )
        made.save(update_fields=["terms_note", "updated_at"])
        return made
    limit = account.credit_limit_cents
    if limit is not None:
        owed = account_open_balance_cents(account)
        if owed + order.total_cents > limit:
            made.terms_note = _(
                "Pro-forma: %(owed)s owed on account and this order's %(this)s "
                "would pass the credit limit of %(limit)s."
            ) % {
                "owed": _nzd(owed),
                "this": _nzd(order.total_cents),
                "limit": _nzd(limit),
            }
            made.save(update_fields=["terms_note", "updated_at"])
            return made
    now = timezone.now()
    order_release_on_account(order=order, at=now)
    trade_invoice_book(order_id=order.pk, buyer=account.name, occurred_at=now)
    made.on_account = True
    made.invoiced_at = now
    made.due_on = due_date(
        made.payment_terms, timezone.localdate(now), days=made.terms_days
    )
    made.save(update_fields=["on_account", "invoiced_at", "due_on", "updated_at"])
    return made


@dataclass(frozen=True)
class Outstanding:
    """What is still owed on a trade order: in its currency and in NZD (at the
    quote's rate: the receivable's balance once invoiced)."""

    currency: str
    paid_cents: int  # in ``currency``
    due_cents: int  # in ``currency``
    nzd_cents: int
    deposit_due_cents: int  # in ``currency``: the deposit, while none is paid


def trade_order_outstanding(made: TradeOrder) -> Outstanding:
    order = made.order
    paid = int(made.payments.aggregate(s=Sum("amount_cents"))["s"] or 0)
    total = order.total_cents if made.currency == Currency.NZD else made.total_cents
    if order.status == Order.Status.CANCELLED:
        return Outstanding(made.currency, paid, 0, 0, 0)
    if made.invoiced_at is not None or trade_invoiced(order.pk):
        nzd = trade_receivable_cents(order.pk)
    elif order.payment_state == Order.PaymentState.UNPAID:
        nzd = order.total_cents
    else:  # paid like any order (a plain capture)
        nzd = 0
    due = max(total - paid, 0) if nzd else 0
    deposit = made.deposit_cents if (paid == 0 and due) else 0
    return Outstanding(made.currency, paid, due, nzd, deposit)


@dataclass(frozen=True)
class TradePaymentInput:
    """A payment that arrived: ``amount_cents`` in the order's currency;
    ``received_nzd_cents`` what the bank credited in NZD (needed for AUD and
    USD; for NZD it is the amount)."""

    amount_cents: int
    received_nzd_cents: int | None = None
    note: str = ""
    received_on: dt.date | None = None


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(TradeErrorCode.INVALID_PAYMENT, {field: [message]})


def _rate(rate: Decimal) -> str:
    return f"{rate.normalize():f}"


def _bank_rate(amount: int, received: int) -> Decimal:
    return (Decimal(amount) / Decimal(received)).quantize(
        Decimal("0.000001"), ROUND_HALF_UP
    )


@transaction.atomic
def trade_payment_record(
    *, actor: Actor, made: TradeOrder, payment: TradePaymentInput
) -> TradePayment:
    """A cluster admin records money that arrived for trade order ``made`` (see
    the module's doc). Refuses an amount of nothing or more than is owed, a
    foreign payment without the NZD received, and an order that is cancelled or
    was paid like any order. Audited ``trade.payment_recorded``."""
    made = TradeOrder.objects.select_related("order", "account").get(pk=made.pk)
    if not actor.is_cluster_admin(made.order.cluster_id):
        raise NotPermitted(
            TradeErrorCode.NOT_ADMIN,
            _("Only the cluster's admins can record a payment."),
        )
    order = Order.objects.select_for_update().get(pk=made.order_id)
    made.order = order
    if order.status == Order.Status.CANCELLED:
        raise TradeAccountConflict(
            TradeErrorCode.WRONG_STATUS, _("This order is cancelled.")
        )
    owed = trade_order_outstanding(made)
    if owed.due_cents <= 0:
        raise TradeAccountConflict(
            TradeErrorCode.WRONG_STATUS, _("Nothing is owed on this order.")
        )
    amount = payment.amount_cents
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _refuse("amount_cents", _("Give the amount that arrived."))
    if amount > owed.due_cents:
        raise _refuse(
            "amount_cents",
            _("That is more than is owed (%(owed)s).")
            % {"owed": format_money(owed.due_cents, made.currency)},
        )
    foreign = made.currency != Currency.NZD
    received = payment.received_nzd_cents if foreign else amount
    if received is None or isinstance(received, bool) or received <= 0:
        raise _refuse(
            "received_nzd_cents",
            _("Give the New Zealand dollars the bank credited for it."),
        )
    note = (payment.note or "").strip()[:MAX_NOTE]
    now = timezone.now()
    if made.invoiced_at is None:
        # A pro-forma order is invoiced at its first payment.
        order_charge_parts(order=order)
        trade_invoice_book(order_id=order.pk, buyer=made.account.name, occurred_at=now)
        made.invoiced_at = now
        made.due_on = timezone.localdate(now)
        made.save(update_fields=["invoiced_at", "due_on", "updated_at"])
        owed = trade_order_outstanding(made)
    last = amount == owed.due_cents
    if last:
        settles = owed.nzd_cents
    elif foreign:
        settles = min(to_nzd(amount, made.fx_rate), owed.nzd_cents - 1)
    else:
        settles = amount
    count = made.payments.count()
    if count == 0 and made.deposit_cents and amount == made.deposit_cents and not last:
        kind, suffix = TradePayment.Kind.DEPOSIT, "DEP"
    elif last:
        kind, suffix = TradePayment.Kind.BALANCE, "BAL"
    else:
        kind, suffix = TradePayment.Kind.PART, f"P{count + 1}"
    reference = f"{order.number}-{suffix}"
    gateway = BankTransferGateway()
    paid = payment_open(order_id=order.pk, gateway=gateway, amount_cents=received)
    paid = payment_record_success(
        payment_id=paid.pk, succeeded_at=now, reference=reference
    ).payment
    buyer = made.account.name
    what = {
        "number": order.number,
        "kind": TradePayment.Kind(kind).label.lower(),
        "buyer": buyer,
        "amount": format_money(amount, made.currency),
        "received": _nzd(received),
        "settles": _nzd(settles),
    }
    if foreign:
        memo = _(
            "Order %(number)s: %(kind)s from %(buyer)s, %(amount)s received as "
            "%(received)s (bank rate %(bank)s); settles %(settles)s at the quote's "
            "rate %(rate)s; exchange %(gl)s %(diff)s"
        ) % {
            **what,
            "bank": _rate(_bank_rate(amount, received)),
            "rate": _rate(made.fx_rate),
            "gl": _("gain") if received >= settles else _("loss"),
            "diff": _nzd(abs(received - settles)),
        }
    else:
        memo = _("Order %(number)s: %(kind)s from %(buyer)s, %(amount)s") % what
    trade_payment_post(
        payment=paid, settles_cents=settles, buyer=buyer, memo=memo, occurred_at=now
    )
    recorded = TradePayment.objects.create(
        trade_order=made,
        payment=paid,
        kind=kind,
        currency=made.currency,
        amount_cents=amount,
        settles_cents=settles,
        received_cents=received,
        received_on=payment.received_on or timezone.localdate(now),
        reference=reference,
        note=note,
        recorded_by=actor.user if actor.is_authenticated else None,
    )
    order_trade_payment_recorded(order=order, in_full=last, at=now)
    if last:
        made.paid_in_full_at = now
        made.save(update_fields=["paid_in_full_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="trade.payment_recorded",
        target=recorded,
        cluster_id=order.cluster_id,
        after={
            "order": order.number,
            "kind": kind,
            "reference": reference,
            "currency": made.currency,
            "amount_cents": amount,
            "received_nzd_cents": received,
            "settles_nzd_cents": settles,
            "note": note,
        },
    )
    return recorded
