"""Margin kept by selling direct: the ledger's commission and fees, against the
same units at the member's wholesale prices (docs/insights.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from purei.insights.models import WholesalePrice
from purei.insights.ranges import DateRange
from purei.insights.selectors import member_margin
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    money_cluster,
    money_member,
    paid_order,
)
from purei.orders.models import OrderLine

pytestmark = pytest.mark.django_db


def _this_week() -> DateRange:
    today = timezone.localdate()
    return DateRange(today - dt.timedelta(days=today.weekday()), today, "week")


def test_margin_of_the_worked_example():
    # given money.md's worked example: $115.00 from a GST-registered member, 7.5 %
    # commission, a GST-registered lead organisation, paid by card; the member
    # would have sold it wholesale for $80.00 (excluding GST)
    cluster = money_cluster(rate="7.5", gst_registered=True)
    member = money_member(cluster)
    order, _payment = paid_order(cluster, [(member, [(11500, 1)])])
    line = OrderLine.objects.get(order=order)
    assert line.variant is not None
    WholesalePrice.objects.create(variant=line.variant, member=member, price_cents=8000)
    # when
    margin = member_margin(member, _this_week())
    total = margin.totals
    # then revenue 11500 less GST 1500; commission 750 + GST 113; fee 341
    assert total.units == 1
    assert total.revenue_cents == 10000
    assert total.commission_cents == 863
    assert total.fees_cents == 341
    assert total.kept_cents == 8796
    assert total.wholesale_cents == 8000
    assert total.gain_cents == 796
    assert margin.priced_variants == 1


def test_commission_and_fees_shared_with_unpriced_lines_by_revenue():
    # given an order of two lines of $57.50 each, only one given a wholesale price
    cluster = money_cluster(rate="10", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    order, _payment = paid_order(cluster, [(member, [(5750, 1), (5750, 1)])])
    priced = OrderLine.objects.filter(order=order).order_by("pk").first()
    assert priced is not None
    assert priced.variant is not None
    WholesalePrice.objects.create(
        variant=priced.variant, member=member, price_cents=4000
    )
    # when
    total = member_margin(member, _this_week()).totals
    # then half the ledger's commission (10 % of 11500 = 1150) and fee (341)
    assert total.revenue_cents == 5750
    assert total.unpriced_revenue_cents == 5750
    assert total.commission_cents == 575
    assert total.fees_cents == 171  # 341 / 2 = 170.5, half up
    assert total.kept_cents == 5750 - 575 - 171
    assert total.wholesale_cents == 4000


def test_no_wholesale_price_no_margin():
    cluster = money_cluster()
    member = money_member(cluster)
    paid_order(cluster, [(member, [(1000, 2)])])
    # when
    margin = member_margin(member, _this_week())
    # then
    assert margin.priced_variants == 0
    assert margin.totals.wholesale_cents == 0
    assert margin.totals.revenue_cents == 0
    assert margin.totals.unpriced_revenue_cents == 2000 - 261  # less its GST
