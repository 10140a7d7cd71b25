"""Group buys, levies and votes on the web pages and over JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from purei.cooperation.models import Commitment, GroupBuy, LevyBill, Motion
from purei.cooperation.tests.factories import group_buy_for
from purei.ledger.tests.factories import books_balance  # noqa: F401 - autouse

pytestmark = pytest.mark.django_db


def test_a_group_buy_from_proposal_to_close_on_the_pages(
    client: Client, cluster_x, member_a, member_a_owner_user, cluster_x_admin_user
):
    # given
    client.force_login(member_a_owner_user)
    base = f"/manage/together/{cluster_x.slug}/group-buys/"
    deadline = timezone.localtime() + dt.timedelta(days=3)
    # when: proposed
    made = client.post(
        f"{base}new/",
        {
            "kind": "packaging",
            "title": "Printed paper bags",
            "supplier": "Kraft Bags Ltd",
            "unit": "bags",
            "tiers": "1 0.55\n500 0.42",
            "target_quantity": "500",
            "cap": "",
            "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "shared_cost": "95.00",
            "arrangement": "collection",
        },
    )
    # then
    assert made.status_code == 302, made.content.decode()[:3000]
    group_buy = GroupBuy.objects.get()
    assert made["Location"] == f"{base}{group_buy.pk}/"
    # and when: committed, then closed by the admin
    committed = client.post(
        f"{base}{group_buy.pk}/",
        {"action": "commit", "quantity": "500", "settle_by": "charged"},
    )
    assert committed.status_code == 302
    client.force_login(cluster_x_admin_user)
    client.post(f"{base}{group_buy.pk}/", {"action": "close"})
    page = client.get(f"{base}{group_buy.pk}/")
    # then
    assert Commitment.objects.get().total_cents == 500 * 42 + 9500
    assert "$305.00" in page.content.decode()
    assert "Record bank transfer" in page.content.decode()


def test_a_refused_commitment_shows_the_error(
    client: Client, cluster_x, member_a, member_a_owner_user
):
    group_buy = group_buy_for(cluster_x, target=10, cap=10, tiers=((1, 40),))
    client.force_login(member_a_owner_user)
    response = client.post(
        f"/manage/together/{cluster_x.slug}/group-buys/{group_buy.pk}/",
        {"action": "commit", "quantity": "11", "settle_by": "offset"},
    )
    assert response.status_code == 422
    assert "Only 10 bags are left" in response.content.decode()
    assert Commitment.objects.exists() is False


def test_levies_and_votes_on_the_pages(
    client: Client, cluster_x, member_a, member_a_owner_user, cluster_x_admin_user
):
    client.force_login(cluster_x_admin_user)
    base = f"/manage/together/{cluster_x.slug}/"
    made = client.post(
        f"{base}levies/new/",
        {"name": "Annual levy", "period": "annual", "basis": "flat", "amount": "120"},
    )
    assert made.status_code == 302
    client.post(made["Location"], {"action": "bill"})
    assert LevyBill.objects.get().amount_cents == 12000
    closes = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    opened = client.post(
        f"{base}votes/new/",
        {
            "title": "New kaitiaki",
            "kind": "choice",
            "options": "Aroha\nWiremu",
            "quorum_percent": "50",
            "closes_at": closes,
        },
    )
    assert opened.status_code == 302
    motion = Motion.objects.get()
    client.force_login(member_a_owner_user)
    option = motion.options.get(label="Wiremu")
    voted = client.post(opened["Location"], {"action": "vote", "option": option.pk})
    assert voted.status_code == 302
    page = client.get(opened["Location"])
    assert "voted: Wiremu" in page.content.decode()


def test_group_buys_levies_and_votes_over_json(
    client: Client, cluster_x, member_a, member_a_owner_user, cluster_x_admin_user
):
    # given
    client.force_login(member_a_owner_user)
    api = f"/api/v1/clusters/{cluster_x.slug}"
    made = client.post(
        f"{api}/group-buys",
        {
            "kind": "freight",
            "title": "Half a container",
            "supplier": "Mainfreight",
            "unit": "m³",
            "target_quantity": 10,
            "cap": 20,
            "deadline": (timezone.now() + dt.timedelta(days=2)).isoformat(),
            "arrangement": "delivery",
            "shared_cost_cents": 1001,
            "tiers": [{"min_quantity": 1, "unit_price_cents": 9000}],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    gb = made.json()["id"]
    over = client.post(
        f"{api}/group-buys/{gb}/commitment",
        {"quantity": 21},
        content_type="application/json",
    )
    assert over.status_code == 422
    assert over.json()["code"] == "group_buy_over_cap"
    ok = client.post(
        f"{api}/group-buys/{gb}/commitment",
        {"quantity": 12, "settle_by": "offset"},
        content_type="application/json",
    )
    assert ok.json()["committed_quantity"] == 12
    # when
    client.force_login(cluster_x_admin_user)
    closed = client.post(
        f"{api}/group-buys/{gb}/close", content_type="application/json"
    )
    # then
    body = closed.json()
    assert body["status"] == "allocated"
    assert body["commitments"][0]["total_cents"] == 12 * 9000 + 1001
    vote = client.post(
        f"{api}/votes",
        {
            "title": "Join the expo?",
            "kind": "yes_no",
            "closes_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert vote.status_code == 201
    assert [o["label"] for o in vote.json()["options"]] == ["Yes", "No"]
