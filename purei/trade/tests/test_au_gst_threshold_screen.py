"""The A$75,000 threshold on the trade settings screen: its admins (and platform
staff, read-only) see the cluster's sales to Australian consumers, with a warning
from 80 % and a stronger one over the threshold while not registered."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from purei.clusters.models import Cluster
from purei.orders.models import Order, Zone
from purei.trade.au_gst import au_gst_threshold_for
from purei.trade.services.rates import exchange_rate_record

pytestmark = pytest.mark.django_db

PAGE = "/manage/clusters/cluster-x/trade/settings/"


def _sold(cluster: Cluster, total: int, *, country: str = "AU", **fields) -> Order:
    values = {
        "number": uuid.uuid4().hex[:8].upper(),
        "cluster": cluster,
        "email": "buyer@example.com.au",
        "name": "Buyer",
        "country": country,
        "zone": Zone.AUSTRALIA if country == "AU" else Zone.NORTH_ISLAND,
        "goods_cents": total,
        "total_cents": total,
        "status": Order.Status.PAID,
        "payment_state": Order.PaymentState.PAID,
        "payment_method": "test",
        "paid_at": timezone.now() - dt.timedelta(days=3),
        "idempotency_key": uuid.uuid4().hex,
    }
    values.update(fields)
    return Order.objects.create(**values)


def _page(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def test_far_from_the_threshold_no_warning_and_the_assumed_rate_is_said(
    cluster_x, cluster_x_admin_user
):
    # given NZ$1,000 to Australia, and NZ sales that do not count
    _sold(cluster_x, 100_000)
    _sold(cluster_x, 9_000_000, country="NZ")
    # when
    body = _page(cluster_x_admin_user)
    # then
    assert "sold 1,000.00 AUD to consumers in Australia" in body
    assert "assumed NZ$1 = A$1.00" in body
    assert "nearing the A$75,000" not in body
    assert "has passed the A$75,000" not in body


def test_from_80_per_cent_the_admin_is_warned(cluster_x, cluster_x_admin):
    # given NZ$67,000 at NZ$1 = A$0.90: A$60,300
    exchange_rate_record(
        actor=cluster_x_admin,
        cluster=cluster_x,
        currency="AUD",
        rate="0.9",
        source="RBNZ",
    )
    _sold(cluster_x, 6_700_000)
    # when
    body = _page(cluster_x_admin.user)
    # then
    assert "sold 60,300.00 AUD" in body
    assert "80 %" in body
    assert "nearing the A$75,000 threshold" in body
    assert "Converted at your newest AUD rate" in body


def test_over_the_threshold_not_registered_the_warning_is_stronger(
    cluster_x, cluster_x_admin_user, staff_user
):
    # given
    _sold(cluster_x, 8_000_000)
    # when
    admin_body = _page(cluster_x_admin_user)
    staff_body = _page(staff_user)  # platform staff read it too
    # then
    for body in (admin_body, staff_body):
        assert 'role="alert"' in body
        assert "has passed the A$75,000 threshold and is not registered" in body


def test_registered_the_screen_says_so_and_warns_no_more(
    cluster_x, cluster_x_admin_user
):
    # given
    Cluster.objects.filter(pk=cluster_x.pk).update(
        au_gst_number="51824753556",
        au_gst_registered_on=timezone.localdate() - dt.timedelta(days=1),
    )
    _sold(cluster_x, 8_000_000)
    # when
    body = _page(cluster_x_admin_user)
    # then
    assert "Registered for Australian GST (ABN 51824753556)" in body
    assert "has passed" not in body


def test_refunded_cancelled_and_old_orders_do_not_count(cluster_x, cluster_x_admin):
    # given
    _sold(cluster_x, 1_000, payment_state=Order.PaymentState.REFUNDED)
    _sold(cluster_x, 2_000, status=Order.Status.CANCELLED)
    _sold(cluster_x, 4_000, paid_at=timezone.now() - dt.timedelta(days=366))
    _sold(cluster_x, 8_000, status=Order.Status.AWAITING_PAYMENT, paid_at=None)
    _sold(cluster_x, 16_000, au_gst_cents=1_000)
    # when
    threshold = au_gst_threshold_for(actor=cluster_x_admin, cluster=cluster_x)
    # then only the last counts, without its AU GST
    assert threshold.sales_nzd_cents == 15_000
    assert threshold.rate == Decimal("1.00")


@pytest.mark.parametrize(
    "actor_name", ["cluster_y_admin", "member_a_owner", "customer"]
)
def test_nobody_else_reads_it(request, cluster_x, member_a, actor_name):
    with pytest.raises(Http404):
        au_gst_threshold_for(
            actor=request.getfixturevalue(actor_name), cluster=cluster_x
        )


def test_the_page_costs_a_fixed_number_of_queries(
    cluster_x, cluster_x_admin_user, django_assert_max_num_queries
):
    # given
    for _ in range(20):
        _sold(cluster_x, 10_000)
    client = Client()
    client.force_login(cluster_x_admin_user)
    # when / then
    with django_assert_max_num_queries(25):
        client.get(PAGE)
