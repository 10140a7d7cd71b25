"""A member's fulfilments over the JSON API: list, read, move, cancel; 401, 403,
404, 409 and 422 like the rest of the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from purei.accounts.models import MemberRole, User
from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import Fulfilment, Order, OrderLine
from purei.orders.tests.factories import order_with_parts, variant_of
from purei.payments.models import Refund

pytestmark = pytest.mark.django_db

S = Fulfilment.Status
BASE = "/api/v1/members/member-a/fulfilments"


@pytest.fixture
def member_b(cluster_x: Cluster) -> Member:
    member = MemberFactory.create(slug="member-b", trading_name="Member B Cheese")
    MembershipFactory.create(
        member=member, cluster=cluster_x, status=Membership.Status.APPROVED
    )
    return member


@pytest.fixture
def member_b_owner_user(member_b: Member) -> User:
    user = UserFactory.create(email="owner@member-b.nz")
    MemberRole.objects.create(user=user, member=member_b, role=MemberRole.Role.OWNER)
    return user


@pytest.fixture
def wine(member_a: Member) -> Variant:
    return variant_of(member_a, sku="PINOT-750", price_cents=2999, stock=50)


@pytest.fixture
def order(cluster_x: Cluster, member_a: Member, member_b: Member, wine) -> Order:
    cheese = variant_of(member_b, sku="BRIE-200", price_cents=1800, stock=5)
    return order_with_parts(
        cluster_x,
        [(member_a, [(wine, 3)]), (member_b, [(cheese, 1)])],
        name="Hemi Shopper",
    )


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_team_lists_its_fulfilments(
    order: Order, member_a_staff_user: User
) -> None:
    # when
    response = _client(member_a_staff_user).get(BASE)
    # then
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["order"] == order.number
    assert item["customer"] == "Hemi Shopper"
    assert item["status"] == "new"
    assert item["next"] == ["packed", "shipped"]
    assert item["ship_to"]["line1"] == "12 Queen Street"
    assert item["pickup"] is None
    assert [(line["sku"], line["quantity"]) for line in item["lines"]] == [
        ("PINOT-750", 3)
    ]


def test_the_list_filters_by_status_or_tab(
    cluster_x: Cluster, member_a: Member, wine: Variant, member_a_owner_user: User
) -> None:
    # given
    new = order_with_parts(cluster_x, [(member_a, [(wine, 1)])], number="NEWONE01")
    shipped = order_with_parts(cluster_x, [(member_a, [(wine, 1)])], number="SHIPPED1")
    Fulfilment.objects.filter(order=shipped).update(status=S.SHIPPED)
    client = _client(member_a_owner_user)

    def numbers(status: str) -> list[str]:
        response = client.get(f"{BASE}?status={status}")
        assert response.status_code == 200
        return [item["order"] for item in response.json()["items"]]

    # then
    assert numbers("new") == [new.number]
    assert numbers("to_pack") == [new.number]
    assert numbers("shipped") == [shipped.number]
    assert numbers("delivered") == []
    assert client.get(f"{BASE}?status=lost").status_code == 422


def test_the_list_costs_the_same_queries_for_2_or_10(
    cluster_x: Cluster, member_a: Member, wine: Variant, member_a_owner_user: User
) -> None:
    client = _client(member_a_owner_user)
    for _ in range(2):
        order_with_parts(cluster_x, [(member_a, [(wine, 1)])])
    client.get(BASE)
    with CaptureQueriesContext(connection) as two:
        client.get(BASE)
    for _ in range(8):
        order_with_parts(cluster_x, [(member_a, [(wine, 1)])])
    with CaptureQueriesContext(connection) as ten:
        assert len(client.get(BASE).json()["items"]) == 10
    assert len(two) == len(ten) <= 8


def test_the_team_reads_and_moves_one(
    order: Order, member_a: Member, member_a_owner_user: User
) -> None:
    # given
    client = _client(member_a_owner_user)
    url = f"{BASE}/{order.number}"
    # when
    read = client.get(url)
    packed = _post(client, f"{url}/advance", {"to": "packed"})
    shipped = _post(
        client,
        f"{url}/advance",
        {"to": "shipped", "carrier": "NZ Post", "tracking_number": "LX9NZ"},
    )
    # then
    assert read.status_code == packed.status_code == shipped.status_code == 200
    assert packed.json()["status"] == "packed"
    assert shipped.json()["status"] == "shipped"
    assert shipped.json()["carrier"] == "NZ Post"
    assert shipped.json()["next"] == ["delivered"]
    assert shipped.json()["can_cancel"] is False


def test_a_move_not_allowed_is_409_and_a_missing_carrier_422(
    order: Order, member_a: Member, member_a_owner_user: User
) -> None:
    client = _client(member_a_owner_user)
    url = f"{BASE}/{order.number}/advance"
    refused = _post(client, url, {"to": "delivered"})
    no_carrier = _post(client, url, {"to": "shipped"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_transition"
    assert no_carrier.status_code == 422
    assert no_carrier.json()["field"] == "carrier"
    assert _post(client, url, {"to": "packed", "extra": 1}).status_code == 422
    assert Fulfilment.objects.get(order=order, member=member_a).status == S.NEW


def test_an_unpaid_order_cannot_move(
    cluster_x: Cluster, member_a: Member, wine: Variant, member_a_owner_user: User
) -> None:
    order = order_with_parts(cluster_x, [(member_a, [(wine, 1)])], paid_with=None)
    response = _post(
        _client(member_a_owner_user),
        f"{BASE}/{order.number}/advance",
        {"to": "packed"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "order_not_paid"


def test_the_team_cancels_lines_then_the_rest(
    order: Order, member_a: Member, wine: Variant, member_a_owner_user: User
) -> None:
    # given
    client = _client(member_a_owner_user)
    url = f"{BASE}/{order.number}/cancel"
    wine_line = OrderLine.objects.get(order=order, sku="PINOT-750")
    # when
    some = _post(
        client,
        url,
        {"reason": "Corked", "lines": [{"line": wine_line.pk, "quantity": 2}]},
    )
    rest = _post(client, url, {"reason": "Closing"})
    # then
    assert some.status_code == rest.status_code == 200
    assert some.json()["refunded_cents"] == 2 * 2999
    assert some.json()["fulfilment"]["lines"][0]["quantity"] == 1
    assert rest.json()["refunded_cents"] == 2999 + 500
    assert rest.json()["fulfilment"]["status"] == "cancelled"
    assert Variant.objects.get(pk=wine.pk).stock == 50
    assert sorted(Refund.objects.values_list("amount_cents", flat=True)) == [
        2999 + 500,
        2 * 2999,
    ]


def test_cancel_refuses_bad_lines_and_a_missing_reason(
    order: Order, member_a_owner_user: User
) -> None:
    client = _client(member_a_owner_user)
    url = f"{BASE}/{order.number}/cancel"
    wine_line = OrderLine.objects.get(order=order, sku="PINOT-750")
    too_many = _post(
        client, url, {"reason": "x", "lines": [{"line": wine_line.pk, "quantity": 9}]}
    )
    unknown = _post(client, url, {"reason": "x", "lines": [{"line": 0, "quantity": 1}]})
    no_reason = _post(client, url, {"reason": " "})
    assert too_many.status_code == unknown.status_code == no_reason.status_code == 422
    assert too_many.json()["field"] == f"lines.{wine_line.pk}"
    assert no_reason.json()["field"] == "reason"
    assert not Refund.objects.exists()


def test_anonymous_is_401(order: Order) -> None:
    client = Client()
    assert client.get(BASE).status_code == 401
    assert (
        _post(client, f"{BASE}/{order.number}/cancel", {"reason": "x"}).status_code
        == 401
    )


def test_platform_staff_read_but_changing_is_403(
    order: Order, staff_user: User
) -> None:
    client = _client(staff_user)
    assert client.get(f"{BASE}/{order.number}").status_code == 200
    moved = _post(client, f"{BASE}/{order.number}/advance", {"to": "packed"})
    cancelled = _post(client, f"{BASE}/{order.number}/cancel", {"reason": "x"})
    assert moved.status_code == cancelled.status_code == 403
    assert not Refund.objects.exists()


@pytest.mark.parametrize(
    "who",
    [
        "member_b_owner_user",
        "cluster_x_admin_user",
        "cluster_y_admin_user",
        "customer_user",
    ],
)
def test_anyone_else_gets_404(
    order: Order, member_a: Member, who: str, request: pytest.FixtureRequest
) -> None:
    client = _client(request.getfixturevalue(who))
    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}/{order.number}").status_code == 404
    assert (
        _post(client, f"{BASE}/{order.number}/advance", {"to": "packed"}).status_code
        == 404
    )
    assert (
        _post(client, f"{BASE}/{order.number}/cancel", {"reason": "x"}).status_code
        == 404
    )
    assert Fulfilment.objects.get(order=order, member=member_a).status == S.NEW


def test_member_b_cannot_reach_member_as_part_through_its_own_slug(
    order: Order, member_b_owner_user: User
) -> None:
    client = _client(member_b_owner_user)
    own = client.get(f"/api/v1/members/member-b/fulfilments/{order.number}")
    assert own.status_code == 200
    assert [line["sku"] for line in own.json()["lines"]] == ["BRIE-200"]
