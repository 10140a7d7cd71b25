"""The promotions' manage screens: a cluster's admins and a member's team."""

from __future__ import annotations

import pytest
from django.test import Client

from purei.accounts.models import User
from purei.clusters.models import Cluster
from purei.members.models import Member
from purei.promotions.models import Promotion
from purei.promotions.tests.factories import PromotionFactory

pytestmark = pytest.mark.django_db


def test_an_admin_lists_adds_edits_and_pauses(
    client: Client, cluster_x: Cluster, cluster_x_admin_user: User
) -> None:
    # given
    client.force_login(cluster_x_admin_user)
    base = f"/manage/clusters/{cluster_x.slug}/promotions/"
    # when: a promotion is added
    added = client.post(
        base + "new/",
        {"name": "Free delivery over $80", "kind": "free_delivery", "min_spend": "80"},
    )
    # then
    assert added.status_code == 302
    promotion = Promotion.objects.get()
    assert (promotion.min_spend_cents, promotion.paid_by, promotion.code) == (
        8000,
        "cluster",
        None,
    )
    page = client.get(base).content.decode()
    assert "Free delivery over $80" in page
    assert "Spend $80.00 or more" in page
    assert "Running" in page
    # when it gets a code and is paused
    edited = client.post(
        base + f"{promotion.pk}/update/",
        {"name": "Free delivery", "kind": "free_delivery", "code": "ship-free"},
    )
    assert edited.status_code == 302
    assert client.post(base + f"{promotion.pk}/pause/").status_code == 302
    # then
    promotion.refresh_from_db()
    assert (promotion.code, promotion.min_spend_cents, promotion.active) == (
        "SHIP-FREE",
        0,
        False,
    )
    assert "Paused" in client.get(base).content.decode()


def test_a_refused_form_says_why_beside_each_field(
    client: Client, cluster_x: Cluster, cluster_x_admin_user: User
) -> None:
    client.force_login(cluster_x_admin_user)
    response = client.post(
        f"/manage/clusters/{cluster_x.slug}/promotions/new/",
        {"name": "Big", "kind": "percent", "percent": "150"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Give a percentage above 0 and at most 100" in body
    assert 'href="#id_percent"' in body
    assert not Promotion.objects.exists()


def test_a_member_adds_its_own_promotion_in_a_cluster_it_sells_in(
    client: Client, cluster_x: Cluster, member_a: Member, member_a_owner_user: User
) -> None:
    client.force_login(member_a_owner_user)
    response = client.post(
        "/manage/members/member-a/promotions/new/",
        {
            "cluster": str(cluster_x.pk),
            "name": "Honey week",
            "kind": "buy_x_get_y",
            "buy_quantity": "2",
            "get_quantity": "1",
            "code": "honey",
        },
    )
    assert response.status_code == 302
    promotion = Promotion.objects.get()
    assert (promotion.member, promotion.paid_by, promotion.code) == (
        member_a,
        "member",
        "HONEY",
    )
    page = client.get("/manage/members/member-a/promotions/").content.decode()
    assert "Buy 2, get 1 free" in page
    # the cluster's admins see it among the cluster's promotions
    assert promotion in Promotion.objects.filter(cluster=cluster_x)


def test_platform_staff_read_but_do_not_change(
    client: Client, cluster_x: Cluster, staff_user: User
) -> None:
    promotion = PromotionFactory.create(cluster=cluster_x, name="Ten off")
    client.force_login(staff_user)
    base = f"/manage/clusters/{cluster_x.slug}/promotions/"
    page = client.get(base).content.decode()
    assert "Ten off" in page
    assert "only its admins can change them" in page
    assert client.post(base + f"{promotion.pk}/pause/").status_code == 403
    assert Promotion.objects.get(pk=promotion.pk).active
