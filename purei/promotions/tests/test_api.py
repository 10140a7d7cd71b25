"""Promotions over JSON, and checkout with a code through the API."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from purei.accounts.models import User
from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.members.models import Member
from purei.orders.models import ShippingPolicy, Zone
from purei.promotions.models import Promotion
from purei.promotions.tests.factories import PromotionFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def test_an_admin_adds_changes_and_pauses_a_promotion(
    client: Client, cluster_x: Cluster, cluster_x_admin_user: User
) -> None:
    client.force_login(cluster_x_admin_user)
    base = f"/api/v1/clusters/{cluster_x.slug}/promotions"
    made = client.post(
        base,
        {"name": "Ten off", "kind": "percent", "percent_bp": 1000, "code": "ten"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["code"], body["percent_bp"], body["paid_by"]) == (
        "TEN",
        1000,
        "cluster",
    )
    pk = body["id"]
    changed = client.put(
        f"{base}/{pk}",
        {"name": "Ten off", "kind": "percent", "percent_bp": 1250, "code": "ten"},
        content_type="application/json",
    )
    assert changed.json()["percent_bp"] == 1250
    paused = client.post(f"{base}/{pk}/pause", content_type="application/json")
    assert paused.json()["active"] is False
    listed = client.get(base).json()
    assert listed["count"] == 1


def test_a_refused_promotion_names_the_field(
    client: Client, cluster_x: Cluster, cluster_x_admin_user: User
) -> None:
    client.force_login(cluster_x_admin_user)
    response = client.post(
        f"/api/v1/clusters/{cluster_x.slug}/promotions",
        {"name": "Five", "kind": "fixed"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "amount"


def test_a_member_adds_its_own(
    client: Client, cluster_x: Cluster, member_a: Member, member_a_owner_user: User
) -> None:
    client.force_login(member_a_owner_user)
    response = client.post(
        "/api/v1/members/member-a/promotions",
        {
            "name": "Ours",
            "kind": "fixed",
            "amount_cents": 500,
            "cluster": cluster_x.slug,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["paid_by"], response.json()["member"]) == (
        "member",
        "member-a",
    )


@pytest.fixture
def shop(cluster_x: Cluster, member_a: Member) -> dict[str, Any]:
    ShippingPolicy.objects.create(cluster=cluster_x).rates.create(
        zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    variant = Variant.objects.get(product=public_product(cluster_x, member=member_a))
    Variant.objects.filter(pk=variant.pk).update(price_cents=4500, stock=10)
    return {"variant": variant}


def _checkout(client: Client, slug: str, code: str) -> Any:
    return client.post(
        f"/api/v1/clusters/{slug}/checkout",
        {
            "email": "ana@example.nz",
            "name": "Ana",
            "payment_method": "bank_transfer",
            "idempotency_key": uuid.uuid4().hex,
            "address": {
                "line1": "1 Queen St",
                "town": "Auckland",
                "postcode": "1010",
                "region": "NZ-AUK",
            },
            "promo_code": code,
        },
        content_type="application/json",
    )


def test_checkout_with_a_code_through_the_api(
    client: Client, cluster_x: Cluster, shop: dict[str, Any]
) -> None:
    # given: a $45.00 item in the cart, and two codes
    PromotionFactory.create(cluster=cluster_x, code="TEN", name="Ten off")
    PromotionFactory.create(
        cluster=cluster_x,
        code="BIG",
        kind=Promotion.Kind.FREE_DELIVERY,
        percent_bp=None,
        min_spend_cents=10_000,
    )
    added = client.post(
        f"/api/v1/clusters/{cluster_x.slug}/cart/lines",
        {"variant": shop["variant"].pk, "quantity": 2},
        content_type="application/json",
    )
    assert added.status_code == 201
    # the cart says what a code takes off
    cart = client.get(f"/api/v1/clusters/{cluster_x.slug}/cart?promo_code=ten").json()
    assert cart["promotions"]["discount_cents"] == 900
    assert cart["promotions"]["promo_code"] == "TEN"
    # a code that does not apply is refused with why
    refused = _checkout(client, cluster_x.slug, "big")
    assert refused.status_code == 422
    assert refused.json()["errors"]["promo_code"] == [
        "The code BIG needs a minimum spend of $100.00 on the goods it is for."
    ]
    # when
    placed = _checkout(client, cluster_x.slug, "ten")
    # then
    assert placed.status_code == 201, placed.content
    order = placed.json()
    assert (order["promo_code"], order["discount_cents"]) == ("TEN", 900)
    assert order["total_cents"] == 9000 - 900 + 850
    line = order["fulfilments"][0]["lines"][0]
    assert (line["total_cents"], line["discount_cents"], line["gst_cents"]) == (
        8100,
        900,
        0,
    )
    assert order["promotions"] == [
        {"name": "Ten off", "code": "TEN", "discount_cents": 900, "paid_by": "cluster"}
    ]
