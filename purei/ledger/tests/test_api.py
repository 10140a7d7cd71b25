"""The money API: balances, statements, invoices, payout runs, reports; scoped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.core.actor import Actor
from purei.ledger.models import Invoice, Payout
from purei.ledger.reports import member_money
from purei.ledger.services.payouts import payout_run

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)

pytestmark = pytest.mark.django_db


def admin_user(cluster: Any) -> Any:
    """A new admin of ``cluster`` (the user, to log in)."""
    user = cluster_admin(cluster).user
    assert user is not None
    return user


@pytest.fixture
def books() -> dict[str, Any]:
    cluster = money_cluster(rate="10", slug="kai-api")
    member = money_member(cluster, slug="maker-api")
    sent, _p = paid_order(cluster, [(member, [(11500, 1)])])
    dispatch(sent)
    run = payout_run(
        actor=Actor.system(),
        cluster=cluster,
        until=timezone.now() + dt.timedelta(minutes=1),
    )
    paid_order(cluster, [(member, [(5000, 1)])])  # held
    owner = UserFactory.create()
    MemberRole.objects.create(user=owner, member=member, role=MemberRole.Role.OWNER)
    return {
        "cluster": cluster,
        "member": member,
        "run": run,
        "payout": Payout.objects.get(run=run),
        "owner": owner,
        "admin": admin_user(cluster),
    }


def test_balance(books, client: Client):
    client.force_login(books["owner"])
    (money,) = member_money(books["member"], [books["cluster"]])
    body = client.get("/api/v1/members/maker-api/balance").json()
    assert body == [
        {
            "cluster": "kai-api",
            "cluster_name": books["cluster"].name,
            "balance_cents": money.balance_cents,
            "eligible_cents": 0,
            "held_cents": money.balance_cents,
            "payable": True,
            "reason": "",
        }
    ]


def test_statements(books, client: Client):
    client.force_login(books["owner"])
    payout = books["payout"]
    listing = client.get("/api/v1/members/maker-api/statements").json()
    one = client.get(f"/api/v1/members/maker-api/statements/{payout.number}").json()
    assert listing["count"] == 1
    assert listing["items"][0]["number"] == payout.number
    assert "0068389" not in listing["items"][0]["bank_account"]  # masked
    assert one["total_cents"] == payout.amount_cents
    assert sum(line["amount_cents"] for line in one["lines"]) == payout.amount_cents
    assert sum(one["totals"].values()) == payout.amount_cents


def test_invoices(books, client: Client):
    client.force_login(books["owner"])
    issued = client.get("/api/v1/members/maker-api/invoices").json()
    received = client.get("/api/v1/members/maker-api/invoices?received=true").json()
    assert issued["count"] == 2
    numbers = {item["number"] for item in issued["items"]}
    assert numbers == set(
        Invoice.objects.filter(member=books["member"]).values_list("number", flat=True)
    )
    assert all(i["kind"] == "commission" for i in received["items"])
    first = issued["items"][0]
    one = client.get(f"/api/v1/members/maker-api/invoices/{first['id']}").json()
    assert one["number"] == first["number"]
    assert sum(line["total_cents"] for line in one["lines"]) == one["total_cents"]


def test_cluster_payouts_and_reports(books, client: Client):
    client.force_login(books["admin"])
    run = books["run"]
    runs = client.get("/api/v1/clusters/kai-api/payouts").json()
    one = client.get(f"/api/v1/clusters/kai-api/payouts/{run.pk}").json()
    report = client.get("/api/v1/clusters/kai-api/reports?period=week").json()
    assert runs["items"][0] == {
        "id": run.pk,
        "created_at": timezone.localtime(run.created_at).isoformat(),
        "until": timezone.localtime(run.until).isoformat(),
        "total_cents": run.total_cents,
        "payouts": 1,
        "skipped": 0,
    }
    assert one["payouts"][0]["number"] == books["payout"].number
    assert report["period"] == "week"
    assert report["totals"]["payouts_cents"] == run.total_cents
    assert report["totals"]["sales_cents"] == 11500 + 5000


def test_report_refuses_dates_out_of_order(books, client: Client):
    client.force_login(books["admin"])
    response = client.get(
        "/api/v1/clusters/kai-api/reports?from=2025-02-01&to=2025-01-01"
    )
    assert response.status_code == 422


@pytest.mark.parametrize("who", ["other_member", "other_admin", "customer"])
def test_others_get_404(books, client: Client, who: str):
    if who == "other_member":
        other = money_member(books["cluster"])
        user = UserFactory.create()
        MemberRole.objects.create(user=user, member=other, role=MemberRole.Role.OWNER)
    elif who == "other_admin":
        user = admin_user(money_cluster(slug="elsewhere"))
    else:
        user = UserFactory.create()
    client.force_login(user)
    invoice = Invoice.objects.filter(member=books["member"]).first()
    assert invoice is not None
    for url in (
        "/api/v1/members/maker-api/balance",
        "/api/v1/members/maker-api/statements",
        f"/api/v1/members/maker-api/statements/{books['payout'].number}",
        "/api/v1/members/maker-api/invoices",
        f"/api/v1/members/maker-api/invoices/{invoice.pk}",
        "/api/v1/clusters/kai-api/payouts",
        f"/api/v1/clusters/kai-api/payouts/{books['run'].pk}",
        "/api/v1/clusters/kai-api/reports",
    ):
        assert client.get(url).status_code == 404, url


def test_anonymous_gets_401(books, client: Client):
    assert client.get("/api/v1/members/maker-api/balance").status_code == 401
    assert client.get("/api/v1/clusters/kai-api/payouts").status_code == 401


def test_cluster_admin_sees_its_members_balance(books, client: Client):
    client.force_login(books["admin"])
    response = client.get("/api/v1/members/maker-api/balance")
    assert response.status_code == 200
    assert response.json()[0]["cluster"] == "kai-api"
