"""Reviews (docs/marketing.md "Reviews"): the services' rules, the selectors'
scope and single query, the product page's section and JSON-LD, the pages."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from purei.accounts.tests.factories import UserFactory
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.marketing.models import Review, ReviewSettings
from purei.marketing.review_selectors import product_rating
from purei.marketing.services.reviews import (
    ReviewInput,
    review_moderate,
    review_reply,
    review_settings_update,
    review_write,
)
from purei.orders.models import Fulfilment, OrderLine
from purei.search.tests.factories import public_product

from .review_factories import bought, received_product, review_of

pytestmark = pytest.mark.django_db

GOOD = ReviewInput(stars=4, body="Smooth and fresh.")


@pytest.fixture
def olive_oil(cluster_x, member_a, customer_user):
    return received_product(
        cluster_x, member_a, customer_user, slug="olive-oil", title_en="Olive oil"
    )


# --- writing ---------------------------------------------------------------------


def test_a_verified_buyer_writes_a_review_that_waits_and_the_maker_is_emailed(
    cluster_x, member_a, customer, olive_oil, django_capture_on_commit_callbacks
):
    # given
    member_a.email = "hello@member-a.nz"
    member_a.save(update_fields=["email"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        review = review_write(
            actor=customer, cluster=cluster_x, product_id=olive_oil.pk, details=GOOD
        )
    # then
    assert (review.stars, review.status, review.member_id) == (
        4,
        "pending",
        member_a.pk,
    )
    assert review.order_line is not None
    assert AuditEntry.objects.filter(verb="review.written").count() == 1
    assert mail.outbox[0].to == ["hello@member-a.nz"]
    assert "4-star review of Olive oil" in mail.outbox[0].subject


def test_without_approval_a_review_shows_at_once(
    cluster_x, customer, olive_oil, cluster_x_admin
):
    # given
    review_settings_update(
        actor=cluster_x_admin, cluster=cluster_x, needs_approval=False
    )
    # when
    review = review_write(
        actor=customer, cluster=cluster_x, product_id=olive_oil.pk, details=GOOD
    )
    # then
    assert review.status == "approved"
    assert review.published_at is not None


@pytest.mark.parametrize(
    "why", ["not_received", "cancelled_items", "other_cluster", "not_bought"]
)
def test_only_a_buyer_who_received_it_may_review(
    cluster_x, cluster_y, member_a, customer, customer_user, why
):
    # given
    product = public_product(cluster_x, member=member_a)
    if why == "not_received":
        bought(cluster_x, customer_user, product, status=Fulfilment.Status.SHIPPED)
    elif why == "cancelled_items":
        bought(cluster_x, customer_user, product)
        OrderLine.objects.filter(product=product).update(cancelled_quantity=1)
    elif why == "other_cluster":
        bought(cluster_y, customer_user, product)
    # when
    with pytest.raises(NotPermitted) as refused:
        review_write(
            actor=customer, cluster=cluster_x, product_id=product.pk, details=GOOD
        )
    # then
    assert refused.value.code == "not_verified_buyer"
    assert not Review.objects.exists()
    assert not AuditEntry.objects.filter(verb__startswith="review").exists()


def test_collected_counts_as_received(cluster_x, member_a, customer, customer_user):
    # given
    product = public_product(cluster_x, member=member_a)
    bought(cluster_x, customer_user, product, status=Fulfilment.Status.COLLECTED)
    # when
    review = review_write(
        actor=customer, cluster=cluster_x, product_id=product.pk, details=GOOD
    )
    # then
    assert review.pk


@pytest.mark.parametrize(
    ("stars", "body", "field"),
    [
        (0, "Fine", "stars"),
        (6, "Fine", "stars"),
        ("x", "Fine", "stars"),
        (3, " ", "body"),
    ],
)
def test_stars_and_text_are_checked(cluster_x, customer, olive_oil, stars, body, field):
    with pytest.raises(ValidationFailed) as refused:
        review_write(
            actor=customer,
            cluster=cluster_x,
            product_id=olive_oil.pk,
            details=ReviewInput(stars=stars, body=body),
        )
    assert field in refused.value.errors
    assert not Review.objects.exists()


def test_one_review_per_buyer_editable_until_moderated(
    cluster_x, customer, olive_oil, cluster_x_admin
):
    # given
    first = review_write(
        actor=customer, cluster=cluster_x, product_id=olive_oil.pk, details=GOOD
    )
    # when: written again, it is changed, not doubled
    again = review_write(
        actor=customer,
        cluster=cluster_x,
        product_id=olive_oil.pk,
        details=ReviewInput(stars=2, body="Changed my mind."),
    )
    # then
    assert again.pk == first.pk
    assert Review.objects.get().stars == 2
    # when: a curator decides, it is locked
    review_moderate(actor=cluster_x_admin, review=again, action="approve")
    with pytest.raises(DomainError) as refused:
        review_write(
            actor=customer, cluster=cluster_x, product_id=olive_oil.pk, details=GOOD
        )
    # then
    assert refused.value.code == "review_locked"
    assert Review.objects.get().stars == 2


# --- replying --------------------------------------------------------------------


def test_the_maker_replies_once(cluster_x, customer_user, olive_oil, member_a_staff):
    # given
    review = review_of(olive_oil, cluster_x, customer_user)
    # when
    review_reply(actor=member_a_staff, review=review, text="Thank you!")
    with pytest.raises(DomainError) as refused:
        review_reply(actor=member_a_staff, review=review, text="Again")
    # then
    assert refused.value.code == "review_already_replied"
    review.refresh_from_db()
    assert review.reply == "Thank you!"
    assert review.is_editable is False
    assert AuditEntry.objects.filter(verb="review.replied").count() == 1


def test_only_the_makers_team_replies(
    cluster_x, customer_user, olive_oil, cluster_x_admin, customer
):
    review = review_of(olive_oil, cluster_x, customer_user)
    for actor in (cluster_x_admin, customer):
        with pytest.raises(NotPermitted):
            review_reply(actor=actor, review=review, text="Hi")
    review.refresh_from_db()
    assert review.reply == ""


# --- moderating ------------------------------------------------------------------


def test_a_curator_rejects_with_a_reason_and_it_is_audited(
    cluster_x, customer_user, olive_oil, cluster_x_admin
):
    # given
    review = review_of(olive_oil, cluster_x, customer_user, status="pending")
    # when: no reason
    with pytest.raises(ValidationFailed):
        review_moderate(actor=cluster_x_admin, review=review, action="reject")
    # when
    review_moderate(
        actor=cluster_x_admin, review=review, action="reject", reason="Off topic"
    )
    # then
    review.refresh_from_db()
    assert (review.status, review.reason) == ("rejected", "Off topic")
    entry = AuditEntry.objects.get(verb="review.rejected")
    assert entry.cluster_id == cluster_x.pk


def test_hide_then_approve_again(cluster_x, customer_user, olive_oil, cluster_x_admin):
    review = review_of(olive_oil, cluster_x, customer_user)
    review_moderate(actor=cluster_x_admin, review=review, action="hide", reason="Spam")
    assert product_rating(cluster=cluster_x, product_id=olive_oil.pk).count == 0
    review_moderate(actor=cluster_x_admin, review=review, action="approve")
    assert product_rating(cluster=cluster_x, product_id=olive_oil.pk).count == 1


def test_moves_not_allowed_are_refused(
    cluster_x, customer_user, olive_oil, cluster_x_admin
):
    review = review_of(olive_oil, cluster_x, customer_user)
    with pytest.raises(DomainError) as refused:
        review_moderate(
            actor=cluster_x_admin, review=review, action="reject", reason="x"
        )
    assert refused.value.code == "review_wrong_status"


def test_other_clusters_and_platform_staff_do_not_moderate(
    cluster_x, customer_user, olive_oil, cluster_y_admin, platform_staff
):
    review = review_of(olive_oil, cluster_x, customer_user, status="pending")
    for actor in (cluster_y_admin, platform_staff):
        with pytest.raises(NotPermitted):
            review_moderate(actor=actor, review=review, action="approve")
    review.refresh_from_db()
    assert review.status == "pending"
    assert not AuditEntry.objects.exists()


def test_only_admins_change_the_setting(cluster_x, member_a_owner, platform_staff):
    for actor in (member_a_owner, platform_staff):
        with pytest.raises(NotPermitted):
            review_settings_update(actor=actor, cluster=cluster_x, needs_approval=False)
    assert not ReviewSettings.objects.exists()


# --- the rating ------------------------------------------------------------------


def test_the_rating_counts_approved_reviews_only_in_one_query(
    cluster_x, member_a, django_assert_num_queries
):
    # given
    product = public_product(cluster_x, member=member_a)
    for stars in (5, 4, 4):
        review_of(product, cluster_x, UserFactory.create(), stars=stars)
    review_of(product, cluster_x, UserFactory.create(), stars=1, status="pending")
    review_of(product, cluster_x, UserFactory.create(), stars=1, status="hidden")
    # when
    with django_assert_num_queries(1):
        rating = product_rating(cluster=cluster_x, product_id=product.pk, limit=2)
    # then
    assert (rating.count, rating.average_text, len(rating.reviews)) == (3, "4.3", 2)
    assert rating.more == 1


# --- the product page ------------------------------------------------------------


def _json_ld(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def _page(product) -> str:
    return f"/c/cluster-x/p/{product.member.slug}/{product.slug}/"


def test_the_product_page_shows_approved_reviews_and_their_rating(
    client: Client, cluster_x, member_a, olive_oil
):
    # given
    author = UserFactory.create(full_name="Aroha Te Whare")
    review_of(
        olive_oil, cluster_x, author, stars=4, body="Peppery <b>", reply="Kia ora!"
    )
    review_of(olive_oil, cluster_x, UserFactory.create(), stars=1, status="pending")
    # when
    html = client.get(_page(olive_oil)).content.decode()
    # then
    data = _json_ld(html)
    assert data["@type"] == "Product"
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.0",
        "reviewCount": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert data["review"][0]["author"] == {"@type": "Person", "name": "Aroha W."}
    assert data["review"][0]["reviewBody"] == "Peppery <b>"
    assert "Peppery <b>" not in html  # escaped in the page and the JSON
    assert "4.0 out of 5" in html
    assert "Reply from Member A Wines" in html
    assert "Kia ora!" in html


def test_no_reviews_no_rating(client: Client, cluster_x, member_a, olive_oil):
    # given: only a review waiting for a curator
    review_of(olive_oil, cluster_x, UserFactory.create(), status="pending")
    # when
    html = client.get(_page(olive_oil)).content.decode()
    # then
    data = _json_ld(html)
    assert "aggregateRating" not in data
    assert "review" not in data
    assert "No reviews yet" in html


# --- the pages -------------------------------------------------------------------


def test_the_order_page_links_received_items_to_the_review_form(
    client: Client, cluster_x, member_a, customer_user
):
    # given
    product = public_product(cluster_x, member=member_a, title_en="Olive oil")
    order = bought(cluster_x, customer_user, product)
    waiting = public_product(cluster_x, member=member_a, title_en="Tapenade")
    bought(cluster_x, customer_user, waiting, status=Fulfilment.Status.SHIPPED)
    client.force_login(customer_user)
    # when
    html = client.get(f"/orders/{order.number}/").content.decode()
    # then
    assert f'href="/c/cluster-x/reviews/{product.pk}/write/"' in html
    assert "Review Olive oil" in html
    assert f"/reviews/{waiting.pk}/write/" not in html


def test_a_buyer_writes_a_review_on_the_web(
    client: Client, cluster_x, customer_user, olive_oil
):
    # given
    client.force_login(customer_user)
    url = f"/c/cluster-x/reviews/{olive_oil.pk}/write/"
    page = client.get(url).content.decode()
    assert 'type="radio" name="stars"' in page
    assert "<legend>Your rating" in page
    # when: no stars
    refused = client.post(url, {"body": "Good"})
    # then
    assert refused.status_code == 422
    assert not Review.objects.exists()
    # when
    response = client.post(url, {"stars": "5", "body": "Good"})
    # then
    assert response.status_code == 302
    assert Review.objects.get().stars == 5


def test_the_review_form_is_404_for_what_you_did_not_receive(
    client: Client, cluster_x, member_a, customer_user
):
    product = public_product(cluster_x, member=member_a)
    client.force_login(customer_user)
    assert client.get(f"/c/cluster-x/reviews/{product.pk}/write/").status_code == 404


def test_the_maker_replies_and_the_curator_moderates_on_the_web(
    client: Client,
    cluster_x,
    customer_user,
    olive_oil,
    member_a_owner_user,
    cluster_x_admin_user,
):
    # given
    review = review_of(olive_oil, cluster_x, customer_user, status="pending")
    client.force_login(member_a_owner_user)
    assert (
        "Smooth" not in client.get("/manage/members/member-a/reviews/").content.decode()
    )
    # when
    client.post(
        f"/manage/members/member-a/reviews/{review.pk}/reply/", {"reply": "Ngā mihi"}
    )
    client.force_login(cluster_x_admin_user)
    queue = client.get("/manage/clusters/cluster-x/reviews/").content.decode()
    client.post(
        f"/manage/clusters/cluster-x/reviews/{review.pk}/", {"action": "approve"}
    )
    client.post(
        "/manage/clusters/cluster-x/reviews/settings/", {"needs_approval": "False"}
    )
    # then
    assert "Lovely." in queue
    review.refresh_from_db()
    assert (review.reply, review.status) == ("Ngā mihi", "approved")
    assert ReviewSettings.objects.get(cluster=cluster_x).needs_approval is False


def test_a_curator_may_not_change_the_setting(
    client: Client, cluster_x, platform_staff
):
    # platform staff may look at the queue, never change it
    client.force_login(platform_staff.user)
    assert client.get("/manage/clusters/cluster-x/reviews/").status_code == 200
    response = client.post(
        "/manage/clusters/cluster-x/reviews/settings/", {"needs_approval": "False"}
    )
    assert response.status_code == 403
