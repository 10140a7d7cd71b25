"""Money under concurrency, on PostgreSQL, each worker in its own connection and
transaction: invoice numbers stay unique and gapless per supplier when many
orders of one member are paid at the same moment, and two payout runs of one
cluster started together never pay the same money twice."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.utils import timezone

from purei.core.actor import Actor
from purei.ledger.models import Invoice, Payout, PayoutItem, PayoutRun
from purei.ledger.selectors import ledger_unbalanced_journals, member_balance_cents
from purei.ledger.services.payouts import payout_run

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    dispatch,
    money_cluster,
    money_member,
    pay,
    place_order,
)

WORKERS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite locks the whole database; the race is PostgreSQL's",
    ),
]


def _together(work: Callable[[int], object]) -> list[BaseException]:
    """Run ``work(0…WORKERS-1)`` in threads released at the same instant; the
    errors they raised."""
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            start.wait()
            work(index)
        except BaseException as exc:  # reported to the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_invoice_numbers_stay_gapless_when_orders_are_paid_at_once() -> None:
    # given eight unpaid orders of one member
    cluster = money_cluster(rate="7.5", gst_registered=True)
    maker = money_member(cluster, gst_registered=True, slug="kai-makers")
    orders = [place_order(cluster, [(maker, [(2300, 1)])]) for _ in range(WORKERS)]
    # when all eight are paid at the same moment
    errors = _together(lambda i: pay(orders[i]))
    # then each got one invoice, numbered 1…8 in the member's own series
    assert errors == []
    sequences = sorted(
        Invoice.objects.filter(member=maker, series="INV").values_list(
            "sequence", flat=True
        )
    )
    assert sequences == list(range(1, WORKERS + 1))
    assert ledger_unbalanced_journals() == []


def test_two_payout_runs_at_once_never_pay_twice() -> None:
    # given a member owed money for a sent order
    cluster = money_cluster(rate="0", gst_registered=False)
    maker = money_member(cluster, gst_registered=False)
    order = place_order(cluster, [(maker, [(5000, 1)])])
    pay(order)
    dispatch(order)
    owed = member_balance_cents(maker.pk, cluster.pk)
    # when several runs start at the same instant
    errors = _together(
        lambda _i: (
            payout_run(actor=Actor.system(), cluster=cluster, until=timezone.now())
            and None
        )
    )
    # then exactly one payout paid it all, each posting settled once
    assert errors == []
    assert PayoutRun.objects.filter(cluster=cluster).count() == WORKERS
    payout = Payout.objects.get(cluster=cluster)
    assert payout.amount_cents == owed
    assert member_balance_cents(maker.pk, cluster.pk) == 0
    settled = list(PayoutItem.objects.values_list("posting_id", flat=True))
    assert len(settled) == len(set(settled))


def test_suppliers_first_paid_at_once_get_prefixes_of_their_own() -> None:
    # given eight makers whose names give the same prefix (the first 20
    # characters), each with an unpaid order: none has issued anything yet
    cluster = money_cluster(rate="7.5", gst_registered=True)
    makers = [
        money_member(cluster, slug=f"greytown-woodturning-{n}") for n in range(WORKERS)
    ]
    orders = [place_order(cluster, [(maker, [(2300, 1)])]) for maker in makers]
    # when all eight are paid at the same moment
    errors = _together(lambda i: pay(orders[i]))
    # then each issued its invoice under a prefix of its own
    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == sorted(
        ["GREYTOWN-WOODTURNING-INV-000001"]
        + [f"GREYTOWN-WOODTURNING-{n}-INV-000001" for n in range(2, WORKERS + 1)]
    )
