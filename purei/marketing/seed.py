"""The demo's stories and newsletter, for the Martinborough Fair (issue 14):

- **two stories**, published: "The fair, all year round" (with its te reo title,
  *Nau mai, haere mai* — "Welcome", attested in docs/te-reo.md) and "Order ahead,
  collect at the gate", each with a picture from a stallholder's product photos;
- **three demo subscribers** (the demo shopper and two visitors), each asked and
  confirmed through the services, so their consent is on record like anyone's;
- **a newsletter**: the first story sent by the cluster's admin to all of them.
  In the demo, email is printed on the console (``purei demo``).

Everything goes through the stories, newsletter and campaign services, acted by
the cluster's seeded admin, so every rule holds and every step is audited. Safe to
run twice: a story is found by its address, a subscriber by its email, the
campaign by its story, and nothing is made or sent again.
"""

from __future__ import annotations

import io

from django.core.files.storage import default_storage
from django.db import transaction

from purei.accounts.models import ClusterRole, User
from purei.catalogue.models import ProductImage
from purei.catalogue.selectors import public_listings
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.marketing.models import Campaign, Story, Subscriber, SubscriptionEvent
from purei.marketing.services import (
    CampaignInput,
    StoryInput,
    SubscriptionInput,
    campaign_create,
    campaign_send,
    confirm_wording,
    consent_wording,
    story_create,
    story_image_add,
    story_publish,
    subscription_confirm,
    subscription_request,
)
from purei.marketing.tokens import confirm_token_make

FAIR = "martinborough-fair"
SOURCE = "demo seed (purei seed_demo)"

STORIES = (
    StoryInput(
        slug="the-fair-all-year-round",
        title_en="The fair, all year round",
        title_mi="Nau mai, haere mai",
        summary_en=(
            "The Martinborough Fair fills the Square on two Saturdays a year. "
            "Between them, its stalls are open here."
        ),
        body_en="""Each February and March the streets around Martinborough's Square
fill with stalls, and visitors come over the Remutaka hill for the day. The
other 363 days, our stallholders are at their benches, kilns, groves and
gardens, and now their stalls are open online.

![The makers' work, between fair days](image:1)

## One basket, many stalls

- Buy from several stallholders in **one order**, with one payment.
- Have it delivered, or collect it at the fair.
- Each stallholder is paid for their own goods, and their name is on every
  product.

Thank you for coming to the fair, and for keeping its makers busy all year.
""",
    ),
    StoryInput(
        slug="order-ahead-collect-at-the-gate",
        title_en="Order ahead, collect at the gate",
        summary_en=(
            "Skip the queues on fair day: order from any stall before the "
            "cutoff and pick everything up from one collection point."
        ),
        body_en="""On fair day the best stalls sell out by mid-morning. This year
you can order ahead from any of our stallholders and collect your whole basket
at one point by the gate on the Square.

![Ready to collect](image:1)

### How it works

1. Order online before the cutoff, from as many stalls as you like.
2. At checkout, choose to **collect at the fair**.
3. Give your name and order number at the collection point.
""",
    ),
)

SUBSCRIBERS = (
    ("shopper@purei.test", "NZ-WGN"),
    ("kiri.reader@example.nz", "NZ-WGN"),
    ("sam.visitor@example.nz", "NZ-AUK"),
)


def _admin(cluster: Cluster) -> Actor:
    role = (
        ClusterRole.objects.filter(cluster=cluster, role=ClusterRole.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if role is None:
        raise LookupError(f"{cluster.slug} has no admin to write its stories")
    return Actor(user=role.user)


def _photos(cluster: Cluster) -> list[ProductImage]:
    """Two photos of products public in the cluster, from different stallholders."""
    chosen: list[ProductImage] = []
    seen: set[int] = set()
    products = public_listings(cluster).values_list("product_id", flat=True)
    for image in (
        ProductImage.objects.filter(product_id__in=products)
        .select_related("product")
        .order_by("product__member_id", "product_id", "position", "pk")
    ):
        if image.product.member_id in seen or not image.image:
            continue
        seen.add(image.product.member_id)
        chosen.append(image)
        if len(chosen) == len(STORIES):
            break
    return chosen


def _story(
    admin: Actor, cluster: Cluster, details: StoryInput, photo: ProductImage | None
) -> int:
    if Story.objects.filter(cluster=cluster, slug=details.slug).exists():
        return 0
    story = story_create(actor=admin, cluster=cluster, details=details)
    if photo is not None:
        try:
            with default_storage.open(photo.image.name or "", "rb") as stored:
                data = io.BytesIO(stored.read())
        except OSError:
            data = None
        if data is not None:
            story_image_add(
                actor=admin,
                story=story,
                image=data,
                alt_text=photo.alt_text or str(photo.product),
            )
    story_publish(actor=admin, story=story)
    return 1


def _subscriber(cluster: Cluster, email: str, region: str) -> int:
    if Subscriber.objects.filter(
        cluster=cluster, email=email, status=Subscriber.Status.SUBSCRIBED
    ).exists():
        return 0
    user = User.objects.filter(email=email).first()
    actor = Actor(user=user) if user is not None else Actor.anonymous()
    requested = subscription_request(
        actor=actor,
        cluster=cluster,
        details=SubscriptionInput(
            email=email,
            region=region,
            source=SOURCE,
            wording=consent_wording(cluster),
        ),
    )
    event = (
        SubscriptionEvent.objects.filter(
            subscriber=requested.subscriber, kind=SubscriptionEvent.Kind.REQUESTED
        )
        .order_by("-at", "-pk")
        .first()
    )
    assert event is not None  # noqa: S101 - just made by subscription_request
    subscription_confirm(
        cluster=cluster,
        token=confirm_token_make(
            subscriber_id=requested.subscriber.pk, event_id=event.pk
        ),
        source=SOURCE,
        wording=confirm_wording(cluster),
    )
    return 1


def marketing_seed_load() -> int:
    """Load the Martinborough Fair's stories, subscribers and newsletter; how many
    things were made (0 when all were there)."""
    cluster = Cluster.objects.filter(slug=FAIR).first()
    if cluster is None:
        return 0
    changes = 0
    with transaction.atomic():
        admin = _admin(cluster)
        photos = _photos(cluster)
        for index, details in enumerate(STORIES):
            photo = photos[index] if index < len(photos) else None
            changes += _story(admin, cluster, details, photo)
        for email, region in SUBSCRIBERS:
            changes += _subscriber(cluster, email, region)
        first = Story.objects.get(cluster=cluster, slug=STORIES[0].slug)
        if not Campaign.objects.filter(cluster=cluster, story=first).exists():
            campaign = campaign_create(
                actor=admin,
                cluster=cluster,
                details=CampaignInput(
                    story_id=first.pk,
                    subject=f"{first.title_en} — {cluster.name_en}",
                    reply_to=admin.user.email if admin.user else "",
                ),
            )
            campaign_send(actor=admin, campaign=campaign)
            changes += 1
    return changes
