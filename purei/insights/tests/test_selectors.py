"""The dashboards' figures, checked to the cent on a small hand-made history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from purei.clusters.tests.factories import ClusterFactory
from purei.insights.channels import Channel, channel_of
from purei.insights.models import BenchmarkOptIn
from purei.insights.ranges import DateRange
from purei.insights.selectors import (
    cluster_dashboard,
    member_benchmarks,
    member_dashboard,
)
from purei.ledger.models import Payout, PayoutRun
from purei.members.models import Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import Order

from .factories import at, product, sold

pytestmark = pytest.mark.django_db

MON = dt.date(2025, 3, 3)
RANGE = DateRange(MON, MON + dt.timedelta(days=13), "week")  # two weeks


def _member(cluster, name):
    member = MemberFactory.create(trading_name=name, gst_registered=False)
    MembershipFactory.create(
        member=member, cluster=cluster, status=Membership.Status.APPROVED
    )
    return member


@pytest.fixture
def history():
    """Two members of one cluster; five orders sold in the two weeks, and some
    that are not sales or not in them."""
    cluster = ClusterFactory.create()
    a, b = _member(cluster, "Awa Honey"), _member(cluster, "Bay Wines")
    a1 = product(a, 2000, category="honey")
    a2 = product(a, 5000, category="honey")
    b1 = product(b, 1500, category="wine")
    day = lambda n: MON + dt.timedelta(days=n)  # noqa: E731
    sold(cluster, day(1), [(a, [(a1, 2)]), (b, [(b1, 1)])])
    sold(
        cluster,
        day(2),
        [(a, [(a1, 1)])],
        email="ARoha@Example.nz",
        method="pickup_premises",
        region=None,
    )
    sold(cluster, day(8), [(b, [(b1, 3)])], email="tui@example.nz", region="NZ-WGN")
    sold(
        cluster,
        day(9),
        [(a, [(a2, 1)])],
        email="kea@example.nz",
        region=None,
        country="AU",
    )
    sold(
        cluster,
        day(10),
        [(a, [(a1, 10)])],
        email="buyer@trade.example",
        channel=Order.Channel.TRADE,
    )
    # not sales: unpaid, cancelled, and one the day after the range
    sold(cluster, day(9), [(a, [(a2, 7)])], paid=False)
    cancelled = sold(cluster, day(9), [(b, [(b1, 9)])])
    Order.objects.filter(pk=cancelled.pk).update(status=Order.Status.CANCELLED)
    sold(cluster, day(14), [(a, [(a2, 3)])])
    # another cluster's sale of member A's
    sold(ClusterFactory.create(), day(3), [(a, [(a1, 4)])])
    run = PayoutRun.objects.create(cluster=cluster, until=at(day(7)))
    payout = Payout.objects.create(
        run=run,
        cluster=cluster,
        member=b,
        number="P-1",
        amount_cents=1234,
        bank_account="01-0902-0068389-00",
        bank_account_name="Bay Wines",
        particulars="x",
        code="x",
        reference="x",
    )
    Payout.objects.filter(pk=payout.pk).update(created_at=at(day(8)))
    return cluster, a, b


def test_cluster_dashboard_sums_the_sales_to_the_cent(history):
    cluster, _a, _b = history
    # when
    board = cluster_dashboard(cluster, RANGE)
    # then by week: 4000 + 1500 + 2000 in the first, 4500 + 5000 + 20000 after
    assert [
        (p.sales_cents, p.orders, p.units, p.payouts_cents) for p in board.periods
    ] == [(7500, 2, 4, 0), (29500, 3, 14, 1234)]
    assert (board.sales_cents, board.orders, board.units) == (37000, 5, 18)
    assert board.average_order_cents == 7400
    assert (board.customers, board.repeat_customers) == (4, 1)  # aroha twice
    assert board.repeat_permille == 250
    assert board.payouts_cents == 1234
    assert [
        (s.label, s.sales_cents, s.orders, s.share_permille) for s in board.by_member
    ] == [
        ("Awa Honey", 31000, 4, 838),
        ("Bay Wines", 6000, 2, 162),
    ]
    assert [(s.key, s.sales_cents, s.orders) for s in board.by_category] == [
        ("honey", 31000, None),
        ("wine", 6000, None),
    ]
    assert [(s.key, s.sales_cents, s.orders) for s in board.by_channel] == [
        (Channel.DELIVERY, 10000, 2),
        (Channel.PICKUP, 2000, 1),
        (Channel.EXPORT, 5000, 1),
        (Channel.TRADE, 20000, 1),
    ]
    assert [(s.key, s.sales_cents, s.orders) for s in board.by_region] == [
        ("NZ-AUK", 25500, 2),
        ("NZ-WGN", 4500, 1),
        ("none", 2000, 1),
    ]
    assert [(s.key, s.label, s.sales_cents) for s in board.by_country] == [
        ("NZ", "New Zealand", 32000),
        ("AU", "Australia", 5000),
    ]
    assert [(p.units, p.sales_cents) for p in board.top_products] == [
        (13, 26000),
        (4, 6000),
        (1, 5000),
    ]


def test_member_dashboard_has_only_its_own_sales(history):
    _cluster, _a, b = history
    # when
    board = member_dashboard(b, RANGE)
    # then
    assert (board.sales_cents, board.orders, board.units) == (6000, 2, 4)
    assert [p.sales_cents for p in board.periods] == [1500, 4500]
    assert board.by_member == []
    assert [(s.key, s.sales_cents) for s in board.by_region] == [
        ("NZ-WGN", 4500),
        ("NZ-AUK", 1500),
    ]
    assert board.payouts_cents == 1234
    assert [p.sales_cents for p in board.top_products] == [6000]


def test_member_dashboard_counts_every_cluster_it_sells_in(history):
    _cluster, a, _b = history
    # when
    board = member_dashboard(a, RANGE)
    # then its sale of 4 x $20 in the other cluster is in
    assert board.sales_cents == 31000 + 8000


def test_weeks_follow_new_zealand_days():
    # given an order at 00:30 on Monday 10 March, New Zealand time (Sunday in UTC)
    cluster = ClusterFactory.create()
    member = _member(cluster, "Awa Honey")
    sold(
        cluster,
        MON + dt.timedelta(days=7),
        [(member, [(product(member, 100), 1)])],
        hour=0,
    )
    # when
    board = cluster_dashboard(cluster, RANGE)
    # then it is in the second week
    assert [p.sales_cents for p in board.periods] == [0, 100]


def test_channels_are_one_each():
    assert (
        channel_of(order_channel="trade", method="pickup_event", country="AU")
        == Channel.TRADE
    )
    assert (
        channel_of(order_channel="retail", method="pickup_event", country="NZ")
        == Channel.PICKUP
    )
    assert (
        channel_of(order_channel="retail", method="delivery", country="AU")
        == Channel.EXPORT
    )
    assert (
        channel_of(order_channel="retail", method="delivery", country="NZ")
        == Channel.DELIVERY
    )
    assert (
        channel_of(order_channel="retail", method="delivery", country="NZ", window_id=3)
        == Channel.WINDOWS
    )


def test_cluster_dashboard_costs_a_fixed_number_of_queries(
    history, django_assert_max_num_queries
):
    cluster, _a, _b = history
    long = DateRange(MON - dt.timedelta(days=700), MON + dt.timedelta(days=13), "week")
    # when / then
    with django_assert_max_num_queries(9):
        cluster_dashboard(cluster, long)


# --- benchmarking -------------------------------------------------------------------


def _benchmark_cluster(opted: int, sales: list[int]):
    cluster = ClusterFactory.create()
    members = [_member(cluster, f"Maker {n}") for n in range(len(sales))]
    today = timezone.localdate()
    for member, cents in zip(members, sales, strict=True):
        if cents:
            sold(cluster, today, [(member, [(product(member, cents), 1)])])
    for member in members[:opted]:
        BenchmarkOptIn.objects.create(member=member, cluster=cluster)
    return cluster, members, DateRange(today, today, "week")


def test_benchmark_shows_the_median_once_five_opted_in():
    # given five opted in (one without sales) and a sixth who did not
    _cluster, members, rng = _benchmark_cluster(5, [1000, 3000, 0, 7000, 9000, 50000])
    # when
    (benchmark,) = member_benchmarks(members[0], rng)
    # then the median of 0, 1000, 3000, 7000, 9000 (the sixth not counted)
    assert benchmark.shown
    assert (benchmark.sales_cents, benchmark.median_sales_cents) == (1000, 3000)
    assert benchmark.median_orders == 1
    assert benchmark.members_opted_in == 5


def test_benchmark_hidden_below_five_or_when_not_opted_in():
    cluster, members, rng = _benchmark_cluster(4, [1000, 3000, 5000, 7000, 9000])
    # when four opted in
    (benchmark,) = member_benchmarks(members[0], rng)
    # then no median
    assert not benchmark.shown
    assert benchmark.median_sales_cents == 0
    # when a fifth opts in, the one who did not still sees none
    BenchmarkOptIn.objects.create(member=members[4], cluster=cluster)
    outsider = _member(cluster, "Outsider")
    (theirs,) = member_benchmarks(outsider, rng)
    assert not theirs.shown
    assert theirs.median_sales_cents == 0
    (mine,) = member_benchmarks(members[0], rng)
    assert mine.shown
    assert mine.median_sales_cents == 5000


def test_benchmark_median_of_an_even_count_rounds_half_up():
    _cluster, members, rng = _benchmark_cluster(6, [1000, 1001, 2000, 2001, 3000, 3001])
    (benchmark,) = member_benchmarks(members[0], rng)
    assert benchmark.median_sales_cents == 2001  # (2000 + 2001) / 2 = 2000.5


def test_a_sale_through_a_sales_window_is_the_windows_channel(history):
    # given: a pre-order of Bay Wines through the window, collected
    from purei.orders.models import OrderLine
    from purei.orders.tests.factories import SalesWindowFactory, SalesWindowItemFactory

    cluster, _a, b = history
    wine = product(b, 3000, category="wine")
    window = SalesWindowFactory.create(cluster=cluster)
    item = SalesWindowItemFactory.create(window=window, product=wine.product)
    order = sold(
        cluster,
        MON + dt.timedelta(days=4),
        [(b, [(wine, 2)])],
        email="pre@example.nz",
        method="pickup_premises",
    )
    OrderLine.objects.filter(order=order).update(window_item=item)
    # when
    board = cluster_dashboard(cluster, RANGE)
    # then: its own channel, not "picked up"; the rest as before
    assert [(s.key, s.sales_cents, s.orders) for s in board.by_channel] == [
        (Channel.DELIVERY, 10000, 2),
        (Channel.PICKUP, 2000, 1),
        (Channel.EXPORT, 5000, 1),
        (Channel.TRADE, 20000, 1),
        (Channel.WINDOWS, 6000, 1),
    ]
    assert board.sales_cents == 37000 + 6000
