"""The two order lists in /manage/ cost an exact, fixed number of queries, however
many orders there are: forty orders (two pages of 25 and 15), each with parts of
two members, every page read with the same queries.

A change that adds a query to either page (a lazy relation in the template, a
count per row) fails here with the queries it made."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from purei.accounts.models import User
from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import Fulfilment
from purei.orders.tests.factories import order_with_parts, variant_of

pytestmark = pytest.mark.django_db

ORDERS = 40
PAGES = [(1, 25), (2, 15)]  # (page, rows on it): 25 a page

# The member's list: the session, the user, the user's member roles, the member,
# the paginator's count, the member's clusters (the screen's header), the page's
# fulfilments (with their order, region and pickup event), and their lines.
MEMBER_LIST_QUERIES = 8
# The cluster's list: the session, the user, the cluster, the user's cluster roles,
# the paginator's count, the page's orders, and their fulfilments with members.
CLUSTER_LIST_QUERIES = 7


@pytest.fixture
def forty_orders(cluster_x: Cluster, member_a: Member) -> list[str]:
    """Forty paid orders of cluster X, each with a part for member A (two lines)
    and a part for member B (one line), the second half of them shipped."""
    member_b = MemberFactory.create(slug="member-b", trading_name="Member B Cheese")
    MembershipFactory.create(
        member=member_b, cluster=cluster_x, status=Membership.Status.APPROVED
    )
    wine = variant_of(member_a, sku="PINOT-750", price_cents=2999, stock=1000)
    rose = variant_of(member_a, sku="ROSE-750", price_cents=2499, stock=1000)
    cheese = variant_of(member_b, sku="BRIE-200", price_cents=1800, stock=1000)
    numbers = []
    for n in range(ORDERS):
        order = order_with_parts(
            cluster_x,
            [(member_a, [(wine, 1), (rose, 2)]), (member_b, [(cheese, 1)])],
            number=f"LIST{n:04d}",
            r18=n % 3 == 0,
        )
        if n >= ORDERS // 2:
            Fulfilment.objects.filter(order=order).update(
                status=Fulfilment.Status.SHIPPED
            )
        numbers.append(order.number)
    assert Variant.objects.filter(stock__lt=0).count() == 0
    return numbers


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(body: str, numbers: list[str]) -> int:
    return sum(f">{number}</a>" in body for number in numbers)


def test_the_member_list_of_40_orders_costs_a_fixed_number_of_queries(
    forty_orders: list[str], member_a_owner_user: User, django_assert_num_queries: Any
) -> None:
    client = _client(member_a_owner_user)
    for page, rows in PAGES:
        # when
        with django_assert_num_queries(MEMBER_LIST_QUERIES):
            response = client.get(
                f"/manage/members/member-a/orders/?tab=all&page={page}"
            )
        # then
        assert response.status_code == 200
        body = response.content.decode()
        assert _rows(body, forty_orders) == rows
        assert body.count("ROSE-750") == rows  # each row's lines
        assert "BRIE-200" not in body  # member B's part is not member A's to see


def test_the_cluster_list_of_40_orders_costs_a_fixed_number_of_queries(
    forty_orders: list[str], cluster_x_admin_user: User, django_assert_num_queries: Any
) -> None:
    client = _client(cluster_x_admin_user)
    for page, rows in PAGES:
        # when
        with django_assert_num_queries(CLUSTER_LIST_QUERIES):
            response = client.get(f"/manage/clusters/cluster-x/orders/?page={page}")
        # then
        assert response.status_code == 200
        body = response.content.decode()
        assert _rows(body, forty_orders) == rows
        assert body.count("Member B Cheese") == rows  # each order's parts, by member
