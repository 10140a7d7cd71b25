"""cluster_report: the money by month or week, from the postings, in a fixed
number of queries; and its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from purei.core.actor import Actor
from purei.ledger.models import Account
from purei.ledger.reports import cluster_report, report_csv, report_periods
from purei.ledger.selectors import account_balances, member_balances
from purei.ledger.services.journal import adjustment_post
from purei.ledger.services.payouts import payout_run
from purei.ledger.views.cluster import parse_signed_cents
from purei.settlement.services import order_refund

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)

pytestmark = pytest.mark.django_db
K = Account.Kind


def test_periods_cover_the_dates_cut_to_them():
    months = report_periods("month", dt.date(2025, 1, 15), dt.date(2025, 3, 3))
    assert [(p.start, p.end) for p in months] == [
        (dt.date(2025, 1, 15), dt.date(2025, 1, 31)),
        (dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 1), dt.date(2025, 3, 3)),
    ]
    weeks = report_periods("week", dt.date(2025, 1, 1), dt.date(2025, 1, 14))
    assert [p.key for p in weeks] == [
        dt.date(2024, 12, 30),
        dt.date(2025, 1, 6),
        dt.date(2025, 1, 13),
    ]


def test_report_figures_match_the_books():
    # given a sale, a refund, a payout, and an adjustment two months back
    cluster = money_cluster(rate="10", gst_registered=True)
    member = money_member(cluster)
    admin = cluster_admin(cluster)
    today = timezone.localdate()
    back = timezone.now() - dt.timedelta(days=62)
    adjustment_post(
        actor=admin,
        cluster=cluster,
        member=member,
        amount_cents=700,
        reason="Opening credit",
        occurred_at=back,
    )
    order, payment = paid_order(cluster, [(member, [(11500, 1)])])
    order_refund(actor=admin, order=order, amount_cents=1500, reason="Chipped")
    dispatch(order)
    run = payout_run(actor=Actor.system(), cluster=cluster, until=timezone.now())
    balances = account_balances(cluster.pk)
    start = today - dt.timedelta(days=40)
    # when
    report = cluster_report(cluster, period="month", start=start, end=today)
    totals = report.totals
    # then the flows of the window are the books' (the adjustment is before it)
    assert totals["sales_cents"] == payment.amount_cents
    assert totals["commission_cents"] == -balances[K.COMMISSION] > 0
    assert totals["commission_gst_cents"] == -balances[K.COMMISSION_GST] > 0
    assert totals["fees_cents"] > 0
    assert totals["refunds_cents"] == 1500
    assert totals["payouts_cents"] == run.total_cents > 0
    assert totals["due_cents"] == sum(member_balances(cluster.pk).values())
    # and a report from before the adjustment shows it owed in its month
    wide = cluster_report(cluster, period="month", start=back.date(), end=today)
    first = wide.rows[0]
    assert first.due_cents == 700
    assert wide.totals["due_cents"] == totals["due_cents"]


def test_report_costs_two_queries_whatever_the_periods(django_assert_num_queries):
    cluster = money_cluster()
    member = money_member(cluster)
    paid_order(cluster, [(member, [(2000, 1)])])
    today = timezone.localdate()
    for period, days in (("month", 30), ("month", 3 * 365), ("week", 365)):
        with django_assert_num_queries(2):
            report = cluster_report(
                cluster,
                period=period,  # type: ignore[arg-type]  # a PeriodKind
                start=today - dt.timedelta(days=days),
                end=today,
            )
        assert report.totals["sales_cents"] == 2000


def test_report_csv_parses_and_totals_match():
    cluster = money_cluster()
    member = money_member(cluster)
    paid_order(cluster, [(member, [(2000, 1)])])
    paid_order(cluster, [(member, [(3050, 2)])])
    today = timezone.localdate()
    report = cluster_report(
        cluster, period="week", start=today - dt.timedelta(days=60), end=today
    )
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    assert rows[0][2] == "Sales collected"
    body, total = rows[1:-1], rows[-1]
    assert len(body) == len(report.rows)
    assert sum(parse_signed_cents(r[2]) for r in body) == parse_signed_cents(total[2])
    assert parse_signed_cents(total[2]) == 2000 + 6100
