"""Trade orders in the books (docs/money.md "Trade receivables"; docs/trade.md
"Getting paid").

A trade order is **invoiced** once, when it is committed: on acceptance for an
order on account, at its first payment (the deposit, or the whole) for a
pro-forma order. ``trade_invoice_post`` books the sale exactly as a capture does —
each member's payable, the commission and the GST on it, the reseller's GST — but
debits the cluster's ``trade_receivable`` account instead of clearing: the buyer
owes the order's NZD total. There is no gateway fee (a bank transfer costs
nothing). Each payment then debits clearing with the NZD that arrived and credits
the receivable with the NZD it settles (``trade_payment_post``); when the two
differ (a foreign payment converted by the bank at another rate than the
quote's), the difference goes to the cluster's ``fx_gains_losses`` account in
the same journal, never to a member.

The buyer is named on every journal's memo and the receivable legs; the journal's
``order`` says which trade order the receivable is for. A member's postings of a
trade order are paid out only once its order is paid in full
(``selectors.eligible_postings``: ``paid_at`` is set when the receivable of the
order is settled).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Sum
from django.utils.translation import gettext as _

from purei.clusters.models import SellingModel
from purei.ledger.models import Account, Journal, Posting
from purei.ledger.services.journal import Leg, journal_post
from purei.ledger.services.postings import (
    _Books,
    _capture_part_legs,
    _lines_by_fulfilment,
)
from purei.orders.models import Fulfilment, Order
from purei.payments.models import Payment

K = Account.Kind


def trade_invoice_key(order_id: int) -> str:
    return f"trade-invoice:order:{order_id}"


def trade_invoice_post(*, order_id: int, buyer: str, occurred_at: datetime) -> Journal:
    """Book trade order ``order_id`` as invoiced to ``buyer`` (its name): Dr the
    receivable its NZD total, the members' parts as a capture books them.
    Idempotent (keyed by the order)."""
    order = Order.objects.select_related("cluster").get(pk=order_id)
    cluster = order.cluster
    fulfilments = list(
        Fulfilment.objects.filter(order=order, paid_cents__gt=0)
        .exclude(status=Fulfilment.Status.CANCELLED)
        .select_related("member")
        .order_by("pk")
    )
    books = _Books(cluster.pk)
    lines = _lines_by_fulfilment(fulfilments)
    number = order.number
    total = sum(f.paid_cents for f in fulfilments)
    legs: list[Leg] = [
        Leg(
            books(K.TRADE_RECEIVABLE),
            total,
            description=_("Order %(number)s: invoiced to %(buyer)s")
            % {"number": number, "buyer": buyer},
        )
    ]
    reseller = order.selling_model == SellingModel.RESELLER
    for f in fulfilments:
        legs += _capture_part_legs(cluster, books, f, lines[f.pk], number, reseller)
    return journal_post(
        cluster_id=cluster.pk,
        kind=Journal.Kind.TRADE_INVOICE,
        key=trade_invoice_key(order.pk),
        memo=_("Trade order %(number)s invoiced to %(buyer)s")
        % {"number": number, "buyer": buyer},
        occurred_at=occurred_at,
        legs=legs,
        order=order,
    )


def trade_receivable_cents(order_id: int) -> int:
    """What the buyer still owes on trade order ``order_id``, NZD cents (the
    receivable's debit balance for the order's journals)."""
    return int(
        Posting.objects.filter(
            account__kind=K.TRADE_RECEIVABLE, journal__order_id=order_id
        ).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )


def trade_invoiced(order_id: int) -> bool:
    return Journal.objects.filter(key=trade_invoice_key(order_id)).exists()


def trade_payment_post(
    *,
    payment: Payment,
    settles_cents: int,
    buyer: str,
    memo: str,
    occurred_at: datetime,
) -> Journal:
    """Book ``payment`` (its ``amount_cents``: the NZD that arrived) against its
    trade order's receivable, which it reduces by ``settles_cents``; the
    difference is an exchange gain (more arrived) or loss, in the same journal,
    described by ``memo`` (the rates). Idempotent (keyed by the payment)."""
    order = Order.objects.select_related("cluster").get(pk=payment.order_id)
    books = _Books(order.cluster_id)
    number = order.number
    received = payment.amount_cents
    legs = [
        Leg(
            books(K.CLEARING),
            received,
            description=_("Order %(number)s: payment from %(buyer)s")
            % {"number": number, "buyer": buyer},
        ),
        Leg(
            books(K.TRADE_RECEIVABLE),
            -settles_cents,
            description=_("Order %(number)s: paid by %(buyer)s")
            % {"number": number, "buyer": buyer},
        ),
    ]
    difference = received - settles_cents
    if difference:
        legs.append(
            Leg(
                books(K.FX_GAINS_LOSSES),
                -difference,
                description=(
                    _("Order %(number)s: exchange gain")
                    if difference > 0
                    else _("Order %(number)s: exchange loss")
                )
                % {"number": number},
            )
        )
    return journal_post(
        cluster_id=order.cluster_id,
        kind=Journal.Kind.TRADE_PAYMENT,
        key=f"trade-payment:{payment.pk}",
        memo=memo,
        occurred_at=occurred_at,
        legs=legs,
        order=order,
        payment=payment,
    )
