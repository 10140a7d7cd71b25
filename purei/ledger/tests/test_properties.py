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

Each history runs in a transaction rolled back at its end. Agent model only (the
reseller model has its worked examples in test_postings.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from purei.core.actor import Actor
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
from purei.orders.models import Fulfilment, Order, OrderLine
from purei.orders.services.fulfilment import can_cancel
from purei.payments.models import Payment, Refund
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
        Fulfilment.objects.filter(order__cluster_id=cluster_id, paid_cents__gt=0)
    )
    for f in parts:
        add(f.member_id, f.paid_cents)  # the sale
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


# --- One random history ---------------------------------------------------------


def run_history(data: dict[str, Any]) -> None:
    cluster = money_cluster(rate=data["rate"], gst_registered=data["lead_gst"])
    members: list[Member] = [
        money_member(cluster, gst_registered=registered, bank=bank_pick != 0)
        for registered, bank_pick in data["members"]
    ]
    admin: Actor = cluster_admin(cluster)
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


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=world)
@example(data=TRADE_HISTORY)
def test_books_stay_right_over_random_histories(data: dict[str, Any]) -> None:
    with transaction.atomic():
        run_history(data)
        transaction.set_rollback(True)
