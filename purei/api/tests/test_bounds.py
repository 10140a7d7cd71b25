"""Every number and date a client sends the API is bounded: out of range is a 422
naming the field (``{code, message, field, errors}``), never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import StaffFactory, UserFactory
from purei.core.actor import Actor
from purei.ledger.services.payouts import payout_run
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # more than a 64-bit integer holds

# (URL, who reads it): every list of the API that pages.
PAGED = [
    ("/api/v1/clusters/kai-bounds/audit", "admin"),
    ("/api/v1/clusters/kai-bounds/memberships", "admin"),
    ("/api/v1/clusters/kai-bounds/payouts", "admin"),
    ("/api/v1/members/maker-bounds/statements", "owner"),
    ("/api/v1/members/maker-bounds/invoices", "owner"),
    ("/api/v1/members/maker-bounds/fulfilments", "owner"),
    ("/api/v1/orders", "owner"),
    ("/api/v1/applications", "staff"),
]


@pytest.fixture
def books() -> dict[str, Any]:
    cluster = money_cluster(slug="kai-bounds")
    member = money_member(cluster, slug="maker-bounds")
    sent, _payment = paid_order(cluster, [(member, [(11500, 1)])])
    dispatch(sent)
    payout_run(
        actor=Actor.system(),
        cluster=cluster,
        until=timezone.now() + dt.timedelta(minutes=1),
    )
    owner = UserFactory.create()
    MemberRole.objects.create(user=owner, member=member, role=MemberRole.Role.OWNER)
    admin = cluster_admin(cluster).user
    return {"owner": owner, "admin": admin, "staff": StaffFactory.create()}


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["field"] == field
    assert field in body["errors"]
    assert body["message"].startswith(f"{field}: ")


@pytest.mark.parametrize(("url", "who"), PAGED)
@pytest.mark.parametrize("field", ["offset", "limit"])
def test_a_huge_offset_or_limit_is_a_422_naming_it(
    books, client: Client, url: str, who: str, field: str
):
    # given
    client.force_login(books[who])
    # when
    response = client.get(f"{url}?{field}={HUGE}")
    # then
    _refused(response, field)


@pytest.mark.parametrize(("url", "who"), PAGED)
def test_every_list_pages_the_same_way(books, client: Client, url: str, who: str):
    # given
    client.force_login(books[who])
    # when
    first = client.get(f"{url}?limit=1&offset=0")
    past_the_end = client.get(f"{url}?limit=200&offset=1000000")
    too_many = client.get(f"{url}?limit=201")
    # then
    assert first.status_code == 200
    assert set(first.json()) == {"count", "items"}
    assert len(first.json()["items"]) <= 1
    assert past_the_end.status_code == 200
    assert past_the_end.json()["items"] == []
    _refused(too_many, "limit")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("to=9999-12-31", "to"),
        ("from=9999-12-01", "from"),
        ("from=0001-01-01", "from"),
        ("from=0001-01-01&to=9999-12-31&period=week", "from"),
        ("to=99999-01-01", "to"),
    ],
)
def test_report_dates_out_of_range_are_a_422_naming_them(
    books, client: Client, query: str, field: str
):
    # given
    client.force_login(books["admin"])
    # when
    response = client.get(f"/api/v1/clusters/kai-bounds/reports?{query}")
    # then
    _refused(response, field)


def test_the_openapi_document_states_the_bounds(client: Client):
    # when
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    # then every paged list documents its limit and offset
    for path in (
        "/api/v1/clusters/{slug}/audit",
        "/api/v1/clusters/{slug}/memberships",
        "/api/v1/clusters/{slug}/payouts",
        "/api/v1/members/{slug}/statements",
        "/api/v1/members/{slug}/invoices",
        "/api/v1/members/{slug}/fulfilments",
        "/api/v1/orders",
        "/api/v1/applications",
    ):
        params = {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"]}
        assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, 200)
        assert (params["offset"]["minimum"], params["offset"]["maximum"]) == (
            0,
            1_000_000,
        )
