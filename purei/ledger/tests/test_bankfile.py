"""bank_batch_csv: one row per payout, in the columns NZ banks' batch files take."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from purei.core.actor import Actor
from purei.ledger.bankfile import HEADER, bank_batch_csv, dollars
from purei.ledger.services.payouts import payout_run

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)

pytestmark = pytest.mark.django_db


def test_dollars_from_cents_without_floats() -> None:
    assert dollars(0) == "0.00"
    assert dollars(5) == "0.05"
    assert dollars(10296) == "102.96"
    assert dollars(123456789) == "1234567.89"
    assert dollars(-1234) == "-12.34"


def test_one_row_per_payout_with_normalised_account() -> None:
    # given two members paid in one run, one account written without hyphens
    cluster = money_cluster(rate="0", gst_registered=False, slug="coast-makers")
    a = money_member(cluster, gst_registered=False, bank_account_name="A Ltd")
    b = money_member(cluster, gst_registered=False)
    type(b).objects.filter(pk=b.pk).update(bank_account="0109020068389000")
    b.refresh_from_db()
    order, _p = paid_order(cluster, [(a, [(1000, 1)]), (b, [(3000, 1)])])
    dispatch(order)
    run = payout_run(
        actor=Actor.system(),
        cluster=cluster,
        until=timezone.now() + dt.timedelta(minutes=1),
    )
    # when
    text = bank_batch_csv(run)
    # then
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    payouts = list(run.payouts.order_by("pk"))
    assert len(rows) == 1 + len(payouts) == 3
    by_name = {row[1]: row for row in rows[1:]}
    row_a = by_name["A Ltd"]
    # fee on $40.00: 108 + 30 = 138, shared 1:3 → 35 and 103 (largest remainder)
    assert row_a[2] == "9.65"
    assert row_a[3:6] == ["PUREI", "COAST-MAKERS", payouts[0].reference]
    row_b = by_name[b.bank_account_name]
    assert row_b[0] == "01-0902-0068389-000"
    assert row_b[2] == "28.97"
    assert all(len(field) <= 12 for row in rows[1:] for field in row[3:6])
    assert sum(p.amount_cents for p in payouts) == run.total_cents == 965 + 2897
    assert text.endswith("\r\n")
