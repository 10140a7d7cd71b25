"""Reads of reviews (docs/marketing.md "Reviews"). Every read is scoped: the public
sees approved reviews of a public product in a live cluster; a buyer their own
received lines and reviews; a member's team the reviews of its products; a
cluster's curators (and platform staff, to look) its queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Avg, Count, F, QuerySet, Window
from django.http import Http404
from django.utils.translation import gettext as _

from purei.catalogue.models import Product
from purei.catalogue.selectors import public_listings
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member
from purei.orders.models import Fulfilment, Order, OrderLine

from .models import Review, ReviewSettings

# What makes a line "received": its member's part was delivered or collected.
RECEIVED = (Fulfilment.Status.DELIVERED, Fulfilment.Status.COLLECTED)
# How many reviews a product page shows (the newest; the API pages through all).
SHOWN_ON_PAGE = 10


@dataclass(frozen=True)
class ProductRating:
    """A product's approved reviews in a cluster: how many, their average and
    the newest few (with the maker's replies)."""

    count: int
    average: float | None
    reviews: Sequence[Review]

    @property
    def average_text(self) -> str:
        return f"{self.average:.1f}" if self.average is not None else ""

    @property
    def more(self) -> int:
        return max(self.count - len(self.reviews), 0)


def review_settings_for(*, cluster: Cluster) -> ReviewSettings:
    """The cluster's review settings (the defaults, unsaved, when it has none)."""
    found = ReviewSettings.objects.filter(cluster=cluster).first()
    return found or ReviewSettings(cluster=cluster)


def reviews_approved(*, cluster: Cluster, product_id: int) -> QuerySet[Review]:
    """A product's approved reviews in a cluster, newest first."""
    return (
        Review.objects.filter(
            cluster=cluster, product_id=product_id, status=Review.Status.APPROVED
        )
        .select_related("author")
        .order_by("-published_at", "-pk")
    )


def product_rating(
    *, cluster: Cluster, product_id: int, limit: int = SHOWN_ON_PAGE
) -> ProductRating:
    """The count, average and newest ``limit`` approved reviews in ONE query: the
    count and average are window aggregates over every approved review, read
    from the first row (none: no rating at all)."""
    rows = list(
        reviews_approved(cluster=cluster, product_id=product_id).annotate(
            total=Window(Count("pk")), mean=Window(Avg("stars"))
        )[:limit]
    )
    if not rows:
        return ProductRating(count=0, average=None, reviews=())
    first = rows[0]
    total: int = first.total
    mean = float(first.mean)
    return ProductRating(count=total, average=mean, reviews=rows)


def received_line_for(
    *, actor: Actor, cluster: Cluster, product_id: int
) -> OrderLine | None:
    """The newest line of ``product_id`` that ``actor`` bought in ``cluster`` and
    received (its part delivered or collected, not every item cancelled, the
    order not cancelled); None when there is none."""
    if not actor.is_authenticated:
        return None
    return (
        OrderLine.objects.filter(
            order__cluster=cluster,
            order__customer=actor.user,
            product_id=product_id,
            fulfilment__status__in=RECEIVED,
            quantity__gt=F("cancelled_quantity"),
        )
        .exclude(order__status=Order.Status.CANCELLED)
        .select_related("order", "fulfilment")
        .order_by("-fulfilment__completed_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class ReviewTarget:
    """What a buyer may review: the product, the line that proves it, and their
    review of it if they wrote one."""

    product: Product
    line: OrderLine
    review: Review | None


def review_target_get_for(
    *, actor: Actor, cluster: Cluster, product_id: int
) -> ReviewTarget:
    """``Http404`` unless ``actor`` received ``product_id`` in ``cluster``."""
    line = received_line_for(actor=actor, cluster=cluster, product_id=product_id)
    if line is None:
        raise Http404(_("Nothing you received here to review."))
    product = Product.objects.select_related("member").get(pk=product_id)
    review = Review.objects.filter(product_id=product_id, author=actor.user).first()
    return ReviewTarget(product=product, line=line, review=review)


def review_list_for_author(*, actor: Actor) -> QuerySet[Review]:
    """The actor's own reviews, newest first."""
    if not actor.is_authenticated:
        return Review.objects.none()
    return Review.objects.filter(author=actor.user).select_related("product", "cluster")


def review_list_for_member(*, actor: Actor, member: Member) -> QuerySet[Review]:
    """The reviews of ``member``'s products, every status, newest first (for its
    team and platform staff; ``member`` comes from ``member_get_for_team``)."""
    if not (actor.is_platform_staff or actor.is_member_team(member.pk)):
        raise Http404
    return Review.objects.filter(member=member).select_related(
        "product", "author", "cluster"
    )


def review_get_for_member(*, actor: Actor, member: Member, review_id: int) -> Review:
    try:
        return review_list_for_member(actor=actor, member=member).get(pk=review_id)
    except Review.DoesNotExist:
        raise Http404(_("No such review.")) from None


def review_queue_for_cluster(
    *, actor: Actor, cluster: Cluster, status: str = Review.Status.PENDING
) -> QuerySet[Review]:
    """The cluster's reviews with ``status``, oldest first (its curators and
    admins; platform staff look)."""
    if not (actor.is_platform_staff or cluster.pk in actor.curator_cluster_ids):
        raise Http404(_("No cluster you curate lives at this address."))
    return (
        Review.objects.filter(cluster=cluster, status=status)
        .select_related("product", "member", "author", "moderated_by")
        .order_by("created_at", "pk")
    )


def review_counts_for_cluster(*, actor: Actor, cluster: Cluster) -> dict[str, int]:
    if not (actor.is_platform_staff or cluster.pk in actor.curator_cluster_ids):
        raise Http404
    rows = (
        Review.objects.filter(cluster=cluster)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def review_get_for_curator(*, actor: Actor, cluster: Cluster, review_id: int) -> Review:
    if not (actor.is_platform_staff or cluster.pk in actor.curator_cluster_ids):
        raise Http404
    try:
        return Review.objects.select_related("product", "member", "author").get(
            cluster=cluster, pk=review_id
        )
    except Review.DoesNotExist:
        raise Http404(_("No such review.")) from None


def product_get_public_by_id(*, cluster: Cluster, product_id: int) -> Product:
    """A product public in ``cluster`` (the catalogue's rule), else ``Http404``."""
    listing = (
        public_listings()
        .filter(cluster=cluster, product_id=product_id)
        .select_related("product__member")
        .first()
    )
    if listing is None:
        raise Http404(_("No such product here."))
    return listing.product
