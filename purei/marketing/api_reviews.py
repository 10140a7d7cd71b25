"""Reviews over JSON (docs/marketing.md "Reviews"); browser session for writes.

- ``GET /clusters/{slug}/product-reviews/{product_id}``: a public product's
  approved reviews in a live cluster, newest first (paged), with the count and
  average; anyone.
- ``POST /clusters/{slug}/product-reviews/{product_id}``: write (or, while it is
  editable, change) your review of a product you received there; 403 unless
  you are its verified buyer.
- ``GET /members/{slug}/reviews``, ``POST …/{review_id}/reply``: the reviews of
  a member's products, and its one reply (its team; platform staff read).
- ``GET /clusters/{slug}/reviews?status=``, ``POST …/{review_id}/moderate``: the
  moderation queue (curators and admins; platform staff read).
- ``GET|PUT /clusters/{slug}/review-settings``: whether new reviews wait for a
  curator (curators read, admins change).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.params.functions import Query as QueryParam
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.catalogue.selectors import cluster_get_for_curator
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.core.pagination import Mapped, Paginated
from purei.marketing.models import Review
from purei.marketing.review_selectors import (
    product_get_public_by_id,
    product_rating,
    review_get_for_curator,
    review_get_for_member,
    review_list_for_member,
    review_queue_for_cluster,
    review_settings_for,
    reviews_approved,
)
from purei.marketing.services.reviews import (
    ReviewInput,
    review_moderate,
    review_reply,
    review_settings_update,
    review_write,
)
from purei.members.selectors import member_get_for_team

router = Router(tags=["reviews"])

StatusName = Literal["pending", "approved", "rejected", "hidden"]


class ReviewPublicOut(Schema):
    id: int
    stars: int
    body: str
    author: str = Field(description="First name and last initial.")
    published_at: dt.datetime | None
    reply: str
    replied_at: dt.datetime | None


class RatingOut(Schema):
    count: int
    average: float | None = Field(description="1 decimal; null without reviews.")


class ReviewOut(ReviewPublicOut):
    product_id: int
    cluster: str
    status: StatusName
    reason: str
    editable: bool
    created_at: dt.datetime


def _public(review: Review) -> ReviewPublicOut:
    return ReviewPublicOut(
        id=review.pk,
        stars=review.stars,
        body=review.body,
        author=review.author_name,
        published_at=review.published_at,
        reply=review.reply,
        replied_at=review.replied_at,
    )


def _full(review: Review) -> ReviewOut:
    return ReviewOut(
        **_public(review).model_dump(),
        product_id=review.product_id,
        cluster=review.cluster.slug,
        status=review.status,  # type: ignore[arg-type]  # one of StatusName
        reason=review.reason,
        editable=review.is_editable,
        created_at=review.created_at,
    )


@router.get(
    "/clusters/{slug}/product-reviews/{product_id}/rating",
    response=RatingOut,
    url_name="product-rating",
    summary="A public product's review count and average in a cluster",
)
def product_rating_api(request: HttpRequest, slug: str, product_id: int) -> RatingOut:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    product = product_get_public_by_id(cluster=cluster, product_id=product_id)
    rating = product_rating(cluster=cluster, product_id=product.pk, limit=1)
    average = round(rating.average, 1) if rating.average is not None else None
    return RatingOut(count=rating.count, average=average)


@router.get(
    "/clusters/{slug}/product-reviews/{product_id}",
    response=list[ReviewPublicOut],
    url_name="product-reviews",
    summary="A public product's approved reviews in a cluster, newest first",
)
@paginate(Paginated)
def product_reviews_api(
    request: HttpRequest, slug: str, product_id: int
) -> Mapped[Review, ReviewPublicOut]:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    product = product_get_public_by_id(cluster=cluster, product_id=product_id)
    return Mapped(reviews_approved(cluster=cluster, product_id=product.pk), _public)


class ReviewIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    stars: int = Field(ge=1, le=5)
    body: str = Field(max_length=2000)


@router.post(
    "/clusters/{slug}/product-reviews/{product_id}",
    response={201: ReviewOut},
    auth=django_auth,
    url_name="product-review-write",
    summary="Write or change your review of a product you received",
)
def product_review_write_api(
    request: HttpRequest, slug: str, product_id: int, payload: ReviewIn
) -> Status[ReviewOut]:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    review = review_write(
        actor=actor,
        cluster=cluster,
        product_id=product_id,
        details=ReviewInput(stars=payload.stars, body=payload.body),
    )
    review.cluster = cluster
    return Status(201, _full(review))


@router.get(
    "/members/{slug}/reviews",
    response=list[ReviewOut],
    auth=django_auth,
    url_name="member-reviews",
    summary="The reviews of a member's products (every status)",
)
@paginate(Paginated)
def member_reviews_api(request: HttpRequest, slug: str) -> Mapped[Review, ReviewOut]:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    return Mapped(review_list_for_member(actor=actor, member=member), _full)


class ReviewReplyIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    reply: str = Field(max_length=2000)


@router.post(
    "/members/{slug}/reviews/{review_id}/reply",
    response=ReviewOut,
    auth=django_auth,
    url_name="member-review-reply",
    summary="The maker's one reply to a review",
)
def member_review_reply_api(
    request: HttpRequest, slug: str, review_id: int, payload: ReviewReplyIn
) -> ReviewOut:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    review = review_get_for_member(actor=actor, member=member, review_id=review_id)
    return _full(review_reply(actor=actor, review=review, text=payload.reply))


@router.get(
    "/clusters/{slug}/reviews",
    response=list[ReviewOut],
    auth=django_auth,
    url_name="cluster-reviews",
    summary="A cluster's reviews with a status (pending first): the queue",
)
@paginate(Paginated)
def cluster_reviews_api(
    request: HttpRequest,
    slug: str,
    status: str = QueryParam("pending", max_length=16),
) -> Mapped[Review, ReviewOut]:
    """``status``: pending, approved, rejected or hidden (else pending)."""
    if status not in Review.Status.values:
        status = Review.Status.PENDING
    actor = actor_from(request)
    cluster = cluster_get_for_curator(actor=actor, slug=slug)
    reviews = review_queue_for_cluster(actor=actor, cluster=cluster, status=status)
    return Mapped(reviews.select_related("cluster"), _full)


class ReviewModerateIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["approve", "reject", "hide"]
    reason: str = Field("", max_length=300)


@router.post(
    "/clusters/{slug}/reviews/{review_id}/moderate",
    response=ReviewOut,
    auth=django_auth,
    url_name="cluster-review-moderate",
    summary="Approve, reject (with a reason) or hide (with a reason) a review",
)
def cluster_review_moderate_api(
    request: HttpRequest, slug: str, review_id: int, payload: ReviewModerateIn
) -> ReviewOut:
    actor = actor_from(request)
    cluster = cluster_get_for_curator(actor=actor, slug=slug)
    review = review_get_for_curator(actor=actor, cluster=cluster, review_id=review_id)
    moderated = review_moderate(
        actor=actor, review=review, action=payload.action, reason=payload.reason
    )
    moderated.cluster = cluster
    return _full(moderated)


class ReviewSettingsOut(Schema):
    needs_approval: bool = Field(description="New reviews wait for a curator.")


class ReviewSettingsIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    needs_approval: bool


@router.get(
    "/clusters/{slug}/review-settings",
    response=ReviewSettingsOut,
    auth=django_auth,
    url_name="review-settings-get",
    summary="Whether a cluster's new reviews wait for a curator",
)
def review_settings_get_api(request: HttpRequest, slug: str) -> ReviewSettingsOut:
    cluster = cluster_get_for_curator(actor=actor_from(request), slug=slug)
    found = review_settings_for(cluster=cluster)
    return ReviewSettingsOut(needs_approval=found.needs_approval)


@router.put(
    "/clusters/{slug}/review-settings",
    response=ReviewSettingsOut,
    auth=django_auth,
    url_name="review-settings-update",
    summary="Choose whether new reviews wait for a curator (the cluster's admins)",
)
def review_settings_update_api(
    request: HttpRequest, slug: str, payload: ReviewSettingsIn
) -> ReviewSettingsOut:
    actor = actor_from(request)
    cluster = cluster_get_for_curator(actor=actor, slug=slug)
    found = review_settings_update(
        actor=actor, cluster=cluster, needs_approval=payload.needs_approval
    )
    return ReviewSettingsOut(needs_approval=found.needs_approval)
