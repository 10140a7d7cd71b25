"""The demo's reviews: a few, only of products the demo shopper received in the
demo's past orders (``purei.settlement.seed``: delivered or collected), written
through ``review_write`` as that shopper, approved by the cluster's admin, and
one with the maker's reply. A product nobody ordered has no review, so no
rating. Safe to run twice: a review is one per buyer and product."""

from __future__ import annotations

from django.db import transaction

from purei.accounts.models import ClusterRole, MemberRole, User
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.marketing.models import Review
from purei.marketing.review_selectors import RECEIVED
from purei.marketing.services.reviews import (
    ReviewInput,
    review_moderate,
    review_reply,
    review_write,
)
from purei.orders.models import OrderLine

DEMO_BUYER = "shopper@purei.test"
PER_CLUSTER = 2
WORDS = (
    (5, "Exactly as described, and beautifully packed. We'll be back."),
    (4, "Lovely quality. It took a day longer than we hoped, but worth it."),
)
REPLY = "Ngā mihi — thank you for the kind words!"


def review_seed_load() -> int:
    """Write the demo's reviews; how many were made (0 when all were there)."""
    buyer = User.objects.filter(email=DEMO_BUYER).first()
    if buyer is None:
        return 0
    shopper = Actor(user=buyer)
    made = 0
    with transaction.atomic():
        for cluster in Cluster.objects.filter(orders__customer=buyer).distinct():
            made += _cluster_reviews(cluster, shopper, buyer)
    return made


def _cluster_reviews(cluster: Cluster, shopper: Actor, buyer: User) -> int:
    admin_role = ClusterRole.objects.filter(
        cluster=cluster, role=ClusterRole.Role.ADMIN
    ).first()
    if admin_role is None:
        return 0
    admin = Actor(user=admin_role.user)
    product_ids = list(
        OrderLine.objects.filter(
            order__cluster=cluster,
            order__customer=buyer,
            fulfilment__status__in=RECEIVED,
            product__isnull=False,
        )
        .order_by("product_id")
        .values_list("product_id", flat=True)
        .distinct()[:PER_CLUSTER]
    )
    made = 0
    for index, product_id in enumerate(product_ids):
        if Review.objects.filter(product_id=product_id, author=buyer).exists():
            continue
        stars, body = WORDS[index % len(WORDS)]
        review = review_write(
            actor=shopper,
            cluster=cluster,
            product_id=product_id,
            details=ReviewInput(stars=stars, body=body),
        )
        if index == 0:
            owner = MemberRole.objects.filter(member_id=review.member_id).first()
            if owner is not None:
                review_reply(actor=Actor(user=owner.user), review=review, text=REPLY)
        if review.status == Review.Status.PENDING:
            review_moderate(actor=admin, review=review, action="approve")
        made += 1
    return made
