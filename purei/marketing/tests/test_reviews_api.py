"""Reviews over JSON: the public list and rating, writing, replying, moderating."""

from __future__ import annotations

import pytest
from django.test import Client

from purei.accounts.tests.factories import UserFactory
from purei.marketing.models import Review

from .review_factories import received_product, review_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def olive_oil(cluster_x, member_a, customer_user):
    return received_product(cluster_x, member_a, customer_user, slug="olive-oil")


def test_the_public_sees_approved_reviews_and_the_rating(
    client: Client, cluster_x, olive_oil
):
    # given
    review_of(olive_oil, cluster_x, UserFactory.create(full_name="Kiri Moana"), stars=4)
    review_of(olive_oil, cluster_x, UserFactory.create(), stars=1, status="pending")
    base = f"/api/v1/clusters/cluster-x/product-reviews/{olive_oil.pk}"
    # when
    listed = client.get(base).json()
    rating = client.get(f"{base}/rating").json()
    # then
    assert listed["count"] == 1
    assert listed["items"][0]["author"] == "Kiri M."
    assert rating == {"count": 1, "average": 4.0}


def test_a_buyer_writes_through_the_api_and_others_are_refused(
    client: Client, cluster_x, olive_oil, customer_user, member_a_owner_user
):
    url = f"/api/v1/clusters/cluster-x/product-reviews/{olive_oil.pk}"
    body = {"stars": 5, "body": "Great"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    client.force_login(member_a_owner_user)
    refused = client.post(url, body, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_verified_buyer")
    client.force_login(customer_user)
    bad = client.post(url, {"stars": 6, "body": "x"}, content_type="application/json")
    assert bad.status_code == 422
    # when
    made = client.post(url, body, content_type="application/json")
    # then
    assert made.status_code == 201
    assert made.json()["status"] == "pending"
    assert Review.objects.get().stars == 5


def test_reply_moderate_and_settings_through_the_api(
    client: Client,
    cluster_x,
    olive_oil,
    customer_user,
    member_a_staff_user,
    cluster_x_admin_user,
):
    # given
    review = review_of(olive_oil, cluster_x, customer_user, status="pending")
    client.force_login(member_a_staff_user)
    # when
    replied = client.post(
        f"/api/v1/members/member-a/reviews/{review.pk}/reply",
        {"reply": "Kia ora"},
        content_type="application/json",
    )
    twice = client.post(
        f"/api/v1/members/member-a/reviews/{review.pk}/reply",
        {"reply": "Again"},
        content_type="application/json",
    )
    client.force_login(cluster_x_admin_user)
    queue = client.get("/api/v1/clusters/cluster-x/reviews").json()
    no_reason = client.post(
        f"/api/v1/clusters/cluster-x/reviews/{review.pk}/moderate",
        {"action": "reject"},
        content_type="application/json",
    )
    approved = client.post(
        f"/api/v1/clusters/cluster-x/reviews/{review.pk}/moderate",
        {"action": "approve"},
        content_type="application/json",
    )
    setting = client.put(
        "/api/v1/clusters/cluster-x/review-settings",
        {"needs_approval": False},
        content_type="application/json",
    )
    # then
    assert replied.json()["reply"] == "Kia ora"
    assert twice.status_code == 400
    assert [item["id"] for item in queue["items"]] == [review.pk]
    assert no_reason.status_code == 422
    assert approved.json()["status"] == "approved"
    assert setting.json() == {"needs_approval": False}
    got = client.get("/api/v1/clusters/cluster-x/review-settings").json()
    assert got == {"needs_approval": False}
