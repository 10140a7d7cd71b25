"""Properties of the books over random histories (Hypothesis): orders from 1-3
members paid, lines and whole parts cancelled, goodwill refunds, adjustments,
parts handed over and payout runs, in any order. After each history:

* every journal sums to zero, and so do all the cluster's accounts together;
* each member's balance equals what the orders, refunds, adjustments and payouts
  say it should, worked out here without the ledger (sales - commission - GST on
  commission - fee shares - refunds + adjustments - payouts);
* no cent is created or lost: clearing + refunds + fees + payouts is the cash the
  cluster actually holds (payments - gateway fees - refunds - payouts);
* no payout pays more than was eligible (parts handed over or cancelled);
* every document's GST and total are the sums of its lines'; every paid part has
  exactly one invoice, for what was paid for it; and per order, invoices less
  credit notes come to what the customer paid less what went back.

Trade orders join the histories (docs/trade.md "Getting paid"): in NZD, AUD or
USD, pro-forma or on account, with or without a deposit, paid in parts whose NZD
credited differs from the quote's rate. Then also: each trade order's receivable
is what is still owed of it (zero once paid in full); the exchange gains and
losses account holds exactly the differences between the NZD credited and the
NZD settled; the members' payables are what a retail sale of the same NZD lines
gives (``expected_balances`` makes no difference between the channels); and no
part of a trade order is paid out before the buyer has paid all of it.

Promotions join them too (docs/money.md "Promotions", ADR 0015): each history
has up to three of the cluster's promotions (a percentage or an amount off, free
delivery, buy X get Y; the cluster's or a member's own; stacking or not), and
orders placed through the real checkout get what they give. Then also: every
line's GST is 3/23 of what the shopper pays for it (its discounted price), half
up; each member is credited, on top of its sales, what the cluster pays for its
promotions on the items and deliveries still live (and that is what the
promotions account holds); and no member pays for more than its own promotions
on its own goods — a part's sale plus what the cluster made good is its goods
at their prices and its delivery, less only the member's own discounts.

Each history runs in a transaction rolled back at its end. Agent model only (the
reseller model has its worked examples in test_postings.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from purei.catalogue.models import Variant
from purei.core.actor import Actor
from purei.core.errors import ValidationFailed
from purei.ledger.fees import gateway_fee_cents
from purei.ledger.models import (
    Account,
    Invoice,
    Journal,
    Payout,
    PayoutItem,
    PayoutRun,
    Posting,
)
from purei.ledger.selectors import (
    SETTLED_STATUSES,
    account_balances,
    ledger_unbalanced_journals,
    member_balances,
)
from purei.ledger.services.journal import adjustment_post
from purei.ledger.services.payouts import payout_run
from purei.ledger.services.receivables import trade_receivable_cents
from purei.members.models import Member
from purei.orders.models import Fulfilment, Order, OrderLine, ShippingPolicy, Zone
from purei.orders.money import gst_in
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import Address, CheckoutDetails, order_place
from purei.orders.services.fulfilment import can_cancel
from purei.payments.models import Payment, Refund
from purei.promotions.models import Promotion
from purei.search.tests.factories import public_product
from purei.settlement.services import (
    fulfilment_cancel,
    order_lines_cancel,
    order_refund,
    refund_create,
)
from purei.trade.fx import to_nzd
from purei.trade.models import PaymentTerms, TradeAccount, TradeOrder, TradePayment
from purei.trade.services import (
    TradePaymentInput,
    trade_order_outstanding,
    trade_payment_record,
)
from purei.trade.tests.factories import TradeAccountFactory, trade_order_of

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    dispatch,
    money_cluster,
    money_member,
    paid_order,
    pay,
    place_order,
)

pytestmark = pytest.mark.django_db
K = Account.Kind

prices = st.integers(min_value=1, max_value=25_000)
lines = st.lists(
    st.tuples(prices, st.integers(min_value=1, max_value=4)), min_size=1, max_size=3
)
pick = st.integers(min_value=0, max_value=10**6)
fraction = st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=100)

order_step = st.tuples(
    st.just("order"), st.lists(st.tuples(pick, lines), min_size=1, max_size=3)
)
# An order through the real checkout, getting the history's promotions.
promo_step = st.tuples(
    st.just("promo_order"),
    st.lists(
        st.tuples(
            pick,
            st.lists(
                st.tuples(
                    st.integers(min_value=500, max_value=25_000),
                    st.integers(min_value=1, max_value=4),
                ),
                min_size=1,
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=3,
    ),
)
promotions = st.lists(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(
                ["percent", "fixed", "free_delivery", "buy_x_get_y"]
            ),
            "percent_bp": st.integers(min_value=1, max_value=5_000),
            "amount_cents": st.integers(min_value=1, max_value=3_000),
            "buy": st.integers(min_value=1, max_value=3),
            "get": st.integers(min_value=1, max_value=2),
            "min_spend_cents": st.sampled_from([0, 0, 5_000]),
            "stackable": st.booleans(),
            "member": st.one_of(st.none(), pick),  # a member's own, or the cluster's
        }
    ),
    max_size=3,
)
trade_step = st.tuples(
    st.just("trade"),
    st.lists(st.tuples(pick, lines), min_size=1, max_size=2),
    st.sampled_from([("NZD", "1"), ("AUD", "0.9125"), ("USD", "0.5871")]),
    st.sampled_from([0, 30, 50]),
    st.booleans(),  # quoted on account terms (else pro-forma)
)
steps = st.one_of(
    order_step,
    trade_step,
    st.tuples(
        st.just("trade_pay"),
        pick,
        st.sampled_from([Fraction(1, 3), Fraction(1, 2), Fraction(1)]),
        st.integers(min_value=-400, max_value=400),
    ),
    st.tuples(st.just("trade_dispatch"), pick),
    st.tuples(st.just("cancel_lines"), pick, pick, fraction),
    st.tuples(st.just("cancel_part"), pick, pick),
    st.tuples(st.just("refund"), pick, fraction, st.booleans(), pick),
    st.tuples(st.just("adjust"), pick, st.integers(min_value=-5_000, max_value=5_000)),
    st.tuples(st.just("dispatch"), pick),
    st.tuples(
        st.just("payout"),
    ),
    promo_step,
)

world = st.fixed_dictionaries(
    {
        "rate": st.sampled_from(["0", "5", "7.5", "12.5"]),
        "lead_gst": st.booleans(),
        "members": st.lists(
            st.tuples(st.booleans(), st.integers(min_value=0, max_value=4)),
            min_size=1,
            max_size=3,
        ),
        "first": order_step,
        "steps": st.lists(steps, min_size=1, max_size=8),
        "promotions": promotions,
    }
)


# --- The expected figures, worked out without the ledger -------------------------


def half_up(value: Fraction) -> int:
    """A non-negative fraction rounded half up to a whole number."""
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def shares(total: int, weights: list[int]) -> list[int]:
    """Largest remainder, with exact fractions (ties to the earlier weight)."""
    whole = sum(weights)
    if whole == 0:
        return [total] + [0] * (len(weights) - 1)
    exact = [Fraction(total * w, whole) for w in weights]
    floors = [int(x // 1) for x in exact]
    ranked = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in ranked[: total - sum(floors)]:
        floors[i] += 1
    return floors


def expected_balances(cluster_id: int, rate: Decimal, lead_gst: bool) -> dict[int, int]:
    owed: dict[int, int] = {}

    def add(member_id: int, cents: int) -> None:
        owed[member_id] = owed.get(member_id, 0) + cents

    parts = list(
        Fulfilment.objects.filter(order__cluster_id=cluster_id).filter(
            Q(paid_cents__gt=0)
            | Q(order__paid_at__isnull=False, order__discount_cents__gt=0)
        )
    )
    for f in parts:
        add(f.member_id, f.paid_cents)  # the sale
        add(f.member_id, cluster_promotion(f))  # what the cluster makes good
        commission = sum(
            half_up(Fraction(line.total_cents - line.gst_cents) * Fraction(rate) / 100)
            for line in OrderLine.objects.filter(fulfilment=f)
            if line.quantity > line.cancelled_quantity
        )
        add(f.member_id, -commission)
        if lead_gst:
            add(f.member_id, -half_up(Fraction(commission) * Fraction(15, 100)))
    for payment in Payment.objects.filter(
        order__cluster_id=cluster_id, status=Payment.Status.SUCCEEDED
    ).order_by("pk"):
        order_parts = sorted(
            (f for f in parts if f.order_id == payment.order_id), key=lambda f: f.pk
        )
        fee = gateway_fee_cents(payment.gateway, payment.amount_cents)
        for f, share in zip(
            order_parts, shares(fee, [f.paid_cents for f in order_parts]), strict=True
        ):
            add(f.member_id, -share)
    left = {f.pk: f.paid_cents for f in parts}
    refunds = Refund.objects.filter(
        payment__order__cluster_id=cluster_id,
        status=Refund.Status.SUCCEEDED,
        automatic=False,
    ).order_by("pk")
    for refund in refunds:
        if refund.fulfilment_id is not None:
            split = {refund.fulfilment_id: refund.amount_cents}
        else:
            order_parts = sorted(
                (f for f in parts if f.order_id == refund.payment.order_id),
                key=lambda f: f.pk,
            )
            weights = [max(left[f.pk], 0) for f in order_parts]
            if sum(weights) == 0:
                weights = [f.paid_cents for f in order_parts]
            split = {
                f.pk: s
                for f, s in zip(
                    order_parts, shares(refund.amount_cents, weights), strict=True
                )
            }
        for f_id, cents in split.items():
            left[f_id] -= cents
            add(next(f.member_id for f in parts if f.pk == f_id), -cents)
    for posting in Posting.objects.filter(
        journal__cluster_id=cluster_id,
        journal__kind=Journal.Kind.ADJUSTMENT,
        account__kind=K.MEMBER_PAYABLE,
    ).select_related("account"):
        add(posting.account.member_id or 0, -posting.amount_cents)
    for payout in Payout.objects.filter(cluster_id=cluster_id):
        add(payout.member_id, -payout.amount_cents)
    return owed


def cluster_promotion(f: Fulfilment) -> int:
    """What the cluster pays ``f``'s member for its promotions on the part as it
    is now: each live line's share, and the free delivery of a live part."""
    if f.status == Fulfilment.Status.CANCELLED:
        return 0
    lines = OrderLine.objects.filter(fulfilment=f)
    return (
        sum(line.live_discount_cluster_cents for line in lines)
        + f.shipping_discount_cluster_cents
    )


# --- One random history ---------------------------------------------------------


WELLINGTON = Address(
    line1="88 Cuba Street", town="Wellington", postcode="6011", region="NZ-WGN"
)


def make_promotions(cluster: Any, members: list[Member], drawn: list[Any]) -> None:
    """The history's promotions: automatic, from the start."""
    ShippingPolicy.objects.create(cluster=cluster).rates.create(
        zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    for n, terms in enumerate(drawn):
        kind = terms["kind"]
        member = (
            members[terms["member"] % len(members)]
            if terms["member"] is not None
            else None
        )
        promotion = Promotion.objects.create(
            cluster=cluster,
            member=member,
            paid_by="member" if member else "cluster",
            name=f"Promotion {n}",
            kind=kind,
            percent_bp=terms["percent_bp"] if kind == "percent" else None,
            amount_cents=terms["amount_cents"] if kind == "fixed" else None,
            buy_quantity=terms["buy"] if kind == "buy_x_get_y" else None,
            get_quantity=terms["get"] if kind == "buy_x_get_y" else None,
            min_spend_cents=terms["min_spend_cents"],
            stackable=terms["stackable"],
        )
        if member is not None:
            promotion.members.set([member])


def promo_order(
    cluster: Any, members: list[Member], step: tuple[Any, ...]
) -> Order | None:
    """An order placed through checkout (so promotions apply), then paid."""
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    for who, its_lines in step[1]:
        member = members[who % len(members)]
        for price, quantity in its_lines:
            variant = Variant.objects.get(
                product=public_product(cluster, member=member)
            )
            Variant.objects.filter(pk=variant.pk).update(
                price_cents=price, stock=99, weight_grams=300
            )
            cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    try:
        order = order_place(
            cart=cart,
            details=CheckoutDetails(
                email="shopper@example.nz",
                name="Shopper",
                payment_method="test",
                idempotency_key=uuid.uuid4().hex,
                address=WELLINGTON,
            ),
        )
    except ValidationFailed as refused:
        # Every item and delivery free: checkout refuses an order of $0.00.
        if "promo_code" not in refused.errors:
            raise
        return None
    pay(order)
    return order


def run_history(data: dict[str, Any]) -> None:
    cluster = money_cluster(rate=data["rate"], gst_registered=data["lead_gst"])
    members: list[Member] = [
        money_member(cluster, gst_registered=registered, bank=bank_pick != 0)
        for registered, bank_pick in data["members"]
    ]
    admin: Actor = cluster_admin(cluster)
    make_promotions(cluster, members, data.get("promotions", []))
    orders: list[Order] = []
    trades: list[TradeOrder] = []
    buyer = TradeAccountFactory.create(
        cluster=cluster,
        status=TradeAccount.Status.APPROVED,
        first_order_proforma=False,
        credit_limit_cents=None,
    )
    ending = [("dispatch", 0), ("trade_dispatch", -1), ("payout",)]
    for step in [data["first"], *data["steps"], *ending]:
        kind = step[0]
        if kind in ("trade", "trade_pay", "trade_dispatch"):
            trade_step_run(step, cluster, members, admin, buyer, trades)
            continue
        if kind == "order":
            chosen: dict[int, list[tuple[int, int]]] = {}
            for who, its_lines in step[1]:
                chosen.setdefault(who % len(members), []).extend(its_lines)
            parts = [(members[i], chosen[i]) for i in sorted(chosen)]
            order, _payment = paid_order(cluster, parts)
            orders.append(order)
        elif kind == "promo_order":
            placed = promo_order(cluster, members, step)
            if placed is not None:
                orders.append(placed)
        elif not orders:
            continue
        elif kind in ("cancel_lines", "cancel_part"):
            order = orders[step[1] % len(orders)]
            live = list(order.fulfilments.order_by("pk"))
            f = live[step[2] % len(live)]
            if not can_cancel(f):
                continue
            if kind == "cancel_part":
                fulfilment_cancel(actor=admin, fulfilment=f, reason="Gone")
                continue
            line = next((ln for ln in f.lines.order_by("pk") if ln.live_quantity), None)
            if line is None:
                continue
            n = max(1, int(line.live_quantity * step[3]))
            order_lines_cancel(
                actor=admin, fulfilment=f, quantities={line.pk: n}, reason="Short"
            )
        elif kind == "refund":
            order = orders[step[1] % len(orders)]
            payment = order.payments.get(status=Payment.Status.SUCCEEDED)
            payment.refresh_from_db()
            left = payment.amount_cents - payment.refunded_cents
            part = None
            if step[3]:
                live = list(order.fulfilments.order_by("pk"))
                part = live[step[4] % len(live)]
                given = sum(r.amount_cents for r in part.refunds.all())
                left = min(left, part.paid_cents - given)
            amount = int(left * step[2])
            if amount < 1:
                continue
            if part is None:
                order_refund(actor=admin, order=order, amount_cents=amount, reason="GW")
            else:
                refund_create(
                    actor=admin,
                    payment=payment,
                    amount_cents=amount,
                    reason="GW",
                    fulfilment=part,
                )
        elif kind == "adjust":
            if step[2]:
                adjustment_post(
                    actor=admin,
                    cluster=cluster,
                    member=members[step[1] % len(members)],
                    amount_cents=step[2],
                    reason="Random",
                )
        elif kind == "dispatch":
            dispatch(orders[step[1] % len(orders)])
        elif kind == "payout":
            payout_run(
                actor=Actor.system(),
                cluster=cluster,
                until=timezone.now() + dt.timedelta(minutes=1),
            )
    check_books(cluster.pk, Decimal(data["rate"]), data["lead_gst"])


def trade_step_run(
    step: tuple[Any, ...],
    cluster: Any,
    members: list[Member],
    admin: Actor,
    buyer: TradeAccount,
    trades: list[TradeOrder],
) -> None:
    kind = step[0]
    if kind == "trade":
        chosen: dict[int, list[tuple[int, int]]] = {}
        for who, its_lines in step[1]:
            chosen.setdefault(who % len(members), []).extend(its_lines)
        order = place_order(cluster, [(members[i], chosen[i]) for i in sorted(chosen)])
        currency, rate = step[2]
        trades.append(
            trade_order_of(
                order,
                buyer,
                currency=currency,
                fx_rate=rate,
                deposit_percent=step[3],
                terms=PaymentTerms.NET_DAYS if step[4] else PaymentTerms.PROFORMA,
                terms_days=30 if step[4] else None,
            )
        )
        return
    if not trades:
        return
    if kind == "trade_dispatch":
        chosen_trades = trades if step[1] < 0 else [trades[step[1] % len(trades)]]
        for made in chosen_trades:
            made.order.refresh_from_db()
            if made.order.may_fulfil:
                dispatch(made.order)
        return
    made = trades[step[1] % len(trades)]
    made.refresh_from_db()
    owed = trade_order_outstanding(made)
    if owed.due_cents <= 0:
        return
    share = step[2]
    amount = owed.deposit_due_cents or max(1, half_up(owed.due_cents * share))
    amount = min(amount, owed.due_cents)
    foreign = made.currency != "NZD"
    received = None
    if foreign:
        received = max(1, to_nzd(amount, made.fx_rate) + step[3])
    trade_payment_record(
        actor=admin,
        made=made,
        payment=TradePaymentInput(amount_cents=amount, received_nzd_cents=received),
    )


def check_trade_books(cluster_id: int) -> None:
    """Each trade order's receivable is what is still owed of it; the exchange
    account holds exactly the differences between NZD credited and settled."""
    fx = 0
    for made in TradeOrder.objects.filter(order__cluster_id=cluster_id).select_related(
        "order"
    ):
        recorded = list(made.payments.select_related("payment"))
        settled = sum(p.settles_cents for p in recorded)
        fx += sum(p.received_cents - p.settles_cents for p in recorded)
        for p in recorded:
            assert p.payment.amount_cents == p.received_cents
        receivable = trade_receivable_cents(made.order_id)
        if made.invoiced_at is None:
            assert receivable == 0
            assert recorded == []
        else:
            assert receivable == made.order.total_cents - settled
        if made.paid_in_full_at is not None:
            assert receivable == 0
            assert made.order.paid_at is not None
            assert sum(p.amount_cents for p in recorded) == (
                made.order.total_cents if made.currency == "NZD" else made.total_cents
            )
        else:
            assert made.order.paid_at is None
    assert account_balances(cluster_id).get(K.FX_GAINS_LOSSES, 0) == -fx


def check_books(cluster_id: int, rate: Decimal, lead_gst: bool) -> None:
    # every journal balances, and the accounts together sum to zero
    assert ledger_unbalanced_journals() == []
    balances = account_balances(cluster_id)
    assert sum(balances.values()) == 0
    # each member is owed what the orders, refunds and payouts say
    expected = expected_balances(cluster_id, rate, lead_gst)
    actual = member_balances(cluster_id)
    for member_id in set(expected) | set(actual):
        assert actual.get(member_id, 0) == expected.get(member_id, 0), member_id
    # no cent created or lost
    payments = Payment.objects.filter(
        order__cluster_id=cluster_id, status=Payment.Status.SUCCEEDED
    )
    taken = sum(p.amount_cents for p in payments)
    fees = sum(gateway_fee_cents(p.gateway, p.amount_cents) for p in payments)
    refunded = sum(
        r.amount_cents
        for r in Refund.objects.filter(
            payment__order__cluster_id=cluster_id, status=Refund.Status.SUCCEEDED
        )
    )
    paid_out = sum(p.amount_cents for p in Payout.objects.filter(cluster_id=cluster_id))
    held = (
        balances[K.CLEARING]
        + balances[K.REFUNDS]
        + balances[K.GATEWAY_FEES]
        + balances[K.PAYOUTS]
    )
    assert held == taken - fees - refunded - paid_out
    assert balances[K.GATEWAY_FEES] == 0
    # payouts pay only eligible money, exactly what they settle
    for payout in Payout.objects.filter(cluster_id=cluster_id):
        items = Posting.objects.filter(payout_item__payout=payout).exclude(
            journal__payout=payout
        )
        assert -sum(items.values_list("amount_cents", flat=True)) == payout.amount_cents
        assert payout.amount_cents > 0
        for posting in items.select_related("fulfilment__order"):
            if posting.fulfilment is not None:
                assert posting.fulfilment.status in SETTLED_STATUSES
                assert posting.fulfilment.order.paid_at is not None
    assert PayoutItem.objects.filter(
        posting__account__cluster_id=cluster_id
    ).count() == (len(set(PayoutItem.objects.values_list("posting_id", flat=True))))
    check_documents(cluster_id)
    check_trade_books(cluster_id)
    check_promotions(cluster_id, balances)


def check_promotions(cluster_id: int, balances: dict[str, int]) -> None:
    """GST on the discounted price; the promotions account is what the cluster
    makes good; members pay only for their own promotions on their own goods."""
    made_good = 0
    for f in Fulfilment.objects.filter(order__cluster_id=cluster_id).select_related(
        "order"
    ):
        lines = list(OrderLine.objects.filter(fulfilment=f))
        taxed = f.gst_registered and not f.order.zero_rated
        if f.order.channel == Order.Channel.RETAIL:
            for line in lines:
                assert line.gst_cents == (gst_in(line.total_cents) if taxed else 0)
                assert line.total_cents == (
                    line.list_total_cents - line.live_discount_cents
                )
        if f.order.paid_at is not None:
            made_good += cluster_promotion(f)
        own = set(
            Promotion.objects.filter(member_id=f.member_id).values_list("pk", flat=True)
        )
        for line in lines:
            if line.discount_cents > line.discount_cluster_cents:
                assert own, "a member paid for a promotion that is not its own"
        if f.paid_cents and f.paid_cents == f.total_cents:
            member_gave = sum(
                line.live_discount_cents - line.live_discount_cluster_cents
                for line in lines
            ) + (f.shipping_discount_cents - f.shipping_discount_cluster_cents)
            listed = sum(line.list_total_cents for line in lines) + (
                f.shipping_cents + f.shipping_discount_cents
            )
            assert f.paid_cents + cluster_promotion(f) == listed - member_gave
    assert balances.get(K.PROMOTIONS, 0) == made_good


def check_documents(cluster_id: int) -> None:
    """Invoices and credit notes add up, line by line and order by order."""
    documents = Invoice.objects.filter(cluster_id=cluster_id).prefetch_related("lines")
    net: dict[int, int] = {}
    for document in documents:
        lines = list(document.lines.all())
        assert document.gst_cents == sum(line.gst_cents for line in lines)
        assert document.total_cents == sum(line.total_cents for line in lines)
        sign = (
            -1
            if document.kind == Invoice.Kind.CREDIT_NOTE
            else 1
            if document.kind in (Invoice.Kind.TAX_INVOICE, Invoice.Kind.INVOICE)
            else 0  # commission documents are between the cluster and a member
        )
        if sign and document.order_id is not None:
            net[document.order_id] = (
                net.get(document.order_id, 0) + sign * document.total_cents
            )
    for part in Fulfilment.objects.filter(
        order__cluster_id=cluster_id, paid_cents__gt=0
    ):
        invoices = documents.filter(
            fulfilment=part, kind__in=[Invoice.Kind.TAX_INVOICE, Invoice.Kind.INVOICE]
        )
        assert len(invoices) == 1
        assert invoices[0].total_cents == part.paid_cents
    for order in Order.objects.filter(cluster_id=cluster_id, paid_at__isnull=False):
        paid = sum(
            p.amount_cents
            for p in order.payments.filter(status=Payment.Status.SUCCEEDED)
        )
        if order.channel == Order.Channel.TRADE:
            # invoiced in NZD at the quote's rate: what the payments settled
            paid = sum(
                p.settles_cents
                for p in TradePayment.objects.filter(trade_order__order=order)
            )
        back = sum(
            r.amount_cents
            for r in Refund.objects.filter(
                payment__order=order, status=Refund.Status.SUCCEEDED, automatic=False
            )
        )
        assert net.get(order.pk, 0) == paid - back, order.number


# A history that surely has them all: an AUD order on account with a 30 % deposit
# paid in three parts at other rates, its parts handed over before the money is
# in (a payout run then must not pay them), and an NZD pro-forma order paid by its
# deposit and balance.
TRADE_HISTORY: dict[str, Any] = {
    "rate": "7.5",
    "lead_gst": True,
    "members": [(True, 1), (False, 2)],
    "promotions": [],
    "first": ("order", [(0, [(1_000, 2)])]),
    "steps": [
        (
            "trade",
            [(0, [(12_345, 3)]), (1, [(999, 1)])],
            ("AUD", "0.9125"),
            30,
            True,
        ),
        ("trade_dispatch", 0),
        ("payout",),
        ("trade_pay", 0, Fraction(1), 250),
        ("trade_pay", 0, Fraction(1, 2), -333),
        ("trade", [(1, [(5_000, 2)])], ("NZD", "1"), 50, False),
        ("trade_pay", 1, Fraction(1), 0),
        ("trade_pay", 0, Fraction(1), 17),
        ("trade_pay", 1, Fraction(1), 0),
    ],
}


def test_a_trade_history_books_deposits_fx_and_pays_members_once_paid() -> None:
    with transaction.atomic():
        run_history(TRADE_HISTORY)
        trades = list(TradeOrder.objects.order_by("pk"))
        assert [t.on_account for t in trades] == [True, False]
        assert all(t.paid_in_full_at is not None for t in trades)
        kinds = [p.kind for p in trades[0].payments.order_by("pk")]
        assert kinds == ["deposit", "part", "balance"]
        assert [p.kind for p in trades[1].payments.order_by("pk")] == [
            "deposit",
            "balance",
        ]
        assert account_balances(trades[0].order.cluster_id)[K.FX_GAINS_LOSSES] != 0
        # the run in the middle paid none of the trade parts; the last one did
        runs = list(PayoutRun.objects.order_by("pk").values_list("pk", flat=True))
        assert len(runs) == 2
        first_run, last_run = runs
        settled_in_first = Posting.objects.filter(
            payout_item__payout__run_id=first_run,
            fulfilment__order__channel=Order.Channel.TRADE,
        )
        assert not settled_in_first.exists()
        assert Posting.objects.filter(
            payout_item__payout__run_id=last_run,
            fulfilment__order__channel=Order.Channel.TRADE,
        ).exists()
        transaction.set_rollback(True)


# A history with the three kinds of who pays: the cluster's free delivery over
# $50 and 10 % off (stacking), a member's own $5 off; lines cancelled and a part
# cancelled after payment, a goodwill refund, and payouts.
PROMOTION_HISTORY: dict[str, Any] = {
    "rate": "12",
    "lead_gst": True,
    "members": [(True, 1), (True, 2), (False, 1)],
    "promotions": [
        {
            "kind": "free_delivery",
            "percent_bp": 1,
            "amount_cents": 1,
            "buy": 1,
            "get": 1,
            "min_spend_cents": 5_000,
            "stackable": True,
            "member": None,
        },
        {
            "kind": "percent",
            "percent_bp": 1_000,
            "amount_cents": 1,
            "buy": 1,
            "get": 1,
            "min_spend_cents": 0,
            "stackable": True,
            "member": None,
        },
        {
            "kind": "fixed",
            "percent_bp": 1,
            "amount_cents": 500,
            "buy": 1,
            "get": 1,
            "min_spend_cents": 0,
            "stackable": True,
            "member": 1,
        },
    ],
    "first": ("promo_order", [(0, [(2_400, 3)]), (1, [(6_000, 1), (999, 2)])]),
    "steps": [
        ("cancel_lines", 0, 0, Fraction(1, 3)),
        ("refund", 0, Fraction(1, 4), False, 0),
        ("promo_order", [(2, [(1_200, 4)])]),
        ("cancel_part", 1, 0),
        ("dispatch", 0),
        ("payout",),
        ("cancel_lines", 0, 1, Fraction(1, 2)),
    ],
}


def test_a_history_with_promotions_keeps_the_books_right() -> None:
    with transaction.atomic():
        run_history(PROMOTION_HISTORY)
        cluster_id = Order.objects.order_by("pk")[0].cluster_id
        assert account_balances(cluster_id)[K.PROMOTIONS] > 0
        assert Order.objects.filter(discount_cents__gt=0).count() == 2
        transaction.set_rollback(True)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=world)
@example(data=TRADE_HISTORY)
@example(data=PROMOTION_HISTORY)
def test_books_stay_right_over_random_histories(data: dict[str, Any]) -> None:
    with transaction.atomic():
        run_history(data)
        transaction.set_rollback(True)
