"""Reads of stories, subscribers, campaigns and notification requests.

Public reads give only published stories of live clusters. A cluster's
newsletter and drafts are for its admins and platform staff: anyone else gets
``Http404`` (a wrong id looks exactly like a missing one).

Segments (``segment_subscribers``) are one query each, whatever the list's size:
subscribed addresses only (a subscription is the consent; a segment only narrows
it), filtered with ``EXISTS`` subqueries on the cluster's own orders and trade
accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from purei.accounts.models import User
from purei.catalogue.models import Category, Variant
from purei.catalogue.selectors import public_listings
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.marketing.errors import link_invalid
from purei.marketing.models import (
    Campaign,
    CampaignRecipient,
    NotifyRequest,
    Story,
    StoryImage,
    Subscriber,
)
from purei.marketing.tokens import (
    TokenInvalid,
    confirm_token_read,
    notify_token_read,
    unsubscribe_token_read,
)
from purei.orders.models import Order, OrderLine, SalesWindow

# Orders that count as a purchase for "buyers of a category".
BOUGHT_STATUSES = (Order.Status.PAID, Order.Status.ON_ACCOUNT)
# A trade account that buys: ``trade`` is marketing's sibling in the layers (ADR
# 0013), so it is read through the user's ``trade_roles`` relation, as
# ``Actor.trade_account_ids`` does, without importing it.
TRADE_APPROVED = "approved"


def _require_manager(actor: Actor, cluster: Cluster) -> None:
    if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
        raise Http404(_("No cluster you manage lives at this address."))


def _with_images(stories: QuerySet[Story]) -> QuerySet[Story]:
    return stories.prefetch_related(
        Prefetch("images", queryset=StoryImage.objects.order_by("number"))
    )


# --- Stories ---------------------------------------------------------------------


def story_list_public(*, cluster: Cluster) -> QuerySet[Story]:
    """The cluster's published stories, newest first, with their pictures."""
    return _with_images(
        Story.objects.filter(cluster=cluster, status=Story.Status.PUBLISHED)
    ).order_by("-published_at", "-pk")


def story_get_public(*, cluster: Cluster, slug: str) -> Story:
    story = story_list_public(cluster=cluster).filter(slug=slug).first()
    if story is None:
        raise Http404(_("No such story in this cluster."))
    return story


def story_list_for_admin(*, actor: Actor, cluster: Cluster) -> QuerySet[Story]:
    """Every story of the cluster, drafts first, then newest."""
    _require_manager(actor, cluster)
    return (
        Story.objects.filter(cluster=cluster)
        .annotate(image_count=Count("images"))
        .order_by("status", "-published_at", "-updated_at", "-pk")
    )


def story_get_for_admin(*, actor: Actor, cluster: Cluster, story_id: int) -> Story:
    _require_manager(actor, cluster)
    story = _with_images(Story.objects.filter(cluster=cluster, pk=story_id)).first()
    if story is None:
        raise Http404(_("No such story in this cluster."))
    return story


def story_image_get_for_admin(
    *, actor: Actor, story: Story, image_id: int
) -> StoryImage:
    _require_manager(actor, story.cluster)
    image = StoryImage.objects.filter(story=story, pk=image_id).first()
    if image is None:
        raise Http404(_("No such picture."))
    return image


def story_choices_for_campaign(*, actor: Actor, cluster: Cluster) -> list[Story]:
    """The published stories a campaign may send, newest first."""
    _require_manager(actor, cluster)
    return list(
        Story.objects.filter(cluster=cluster, status=Story.Status.PUBLISHED).order_by(
            "-published_at", "-pk"
        )[:100]
    )


# --- Subscribers and segments ----------------------------------------------------


def subscriber_counts(*, actor: Actor, cluster: Cluster) -> dict[str, int]:
    """How many addresses the cluster's list has, by status."""
    _require_manager(actor, cluster)
    rows = (
        Subscriber.objects.filter(cluster=cluster)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def subscriber_list_for_admin(
    *, actor: Actor, cluster: Cluster
) -> QuerySet[Subscriber]:
    _require_manager(actor, cluster)
    return (
        Subscriber.objects.filter(cluster=cluster)
        .select_related("region")
        .order_by("email", "pk")
    )


def subscriber_for_confirm_token(*, cluster: Cluster, token: str) -> Subscriber:
    """The subscriber a confirmation link is for (``DomainError`` if the link is
    damaged, too old, or of another cluster)."""
    try:
        data = confirm_token_read(token)
    except TokenInvalid:
        raise link_invalid() from None
    subscriber = Subscriber.objects.filter(
        pk=data.subscriber_id, cluster=cluster
    ).first()
    if subscriber is None:
        raise link_invalid()
    return subscriber


def subscriber_for_unsubscribe_token(*, cluster: Cluster, token: str) -> Subscriber:
    """The subscriber an unsubscribe link is for (``DomainError`` likewise)."""
    try:
        data = unsubscribe_token_read(token)
    except TokenInvalid:
        raise link_invalid() from None
    subscriber = Subscriber.objects.filter(
        pk=data.subscriber_id, cluster=cluster
    ).first()
    if subscriber is None:
        raise link_invalid()
    return subscriber


def category_with_descendants(category_id: int) -> list[int]:
    """The category and every category under it (categories are few: one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [category_id]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def segment_subscribers(
    *,
    cluster: Cluster,
    segment: str,
    region_id: int | None = None,
    category_id: int | None = None,
) -> QuerySet[Subscriber]:
    """The subscribed addresses of one segment of the cluster's list."""
    subscribers = Subscriber.objects.filter(
        cluster=cluster, status=Subscriber.Status.SUBSCRIBED
    )
    if segment == Campaign.Segment.ALL:
        return subscribers
    if segment == Campaign.Segment.REGION:
        if region_id is None:
            return subscribers.none()
        return subscribers.filter(region_id=region_id)
    if segment == Campaign.Segment.CATEGORY:
        categories = category_with_descendants(category_id) if category_id else []
        bought = OrderLine.objects.filter(
            order__cluster_id=cluster.pk,
            order__status__in=BOUGHT_STATUSES,
            product__category_id__in=categories,
        )
        return subscribers.filter(
            Exists(bought.filter(order__customer_id=OuterRef("user_id")))
            | Exists(bought.filter(order__email__iexact=OuterRef("email")))
        )
    if segment == Campaign.Segment.TRADE:
        buyers = User.objects.filter(
            trade_roles__account__cluster_id=cluster.pk,
            trade_roles__account__status=TRADE_APPROVED,
        )
        return subscribers.filter(
            Exists(buyers.filter(pk=OuterRef("user_id")))
            | Exists(buyers.filter(email__iexact=OuterRef("email")))
        )
    raise ValueError(f"Unknown segment {segment!r}")


def campaign_segment_subscribers(campaign: Campaign) -> QuerySet[Subscriber]:
    return segment_subscribers(
        cluster=campaign.cluster,
        segment=campaign.segment,
        region_id=campaign.region_id,
        category_id=campaign.category_id,
    )


# --- Campaigns -------------------------------------------------------------------


def campaign_list_for_admin(*, actor: Actor, cluster: Cluster) -> QuerySet[Campaign]:
    _require_manager(actor, cluster)
    return (
        Campaign.objects.filter(cluster=cluster)
        .select_related("story", "region", "category")
        .order_by("-created_at", "-pk")
    )


def campaign_get_for_admin(
    *, actor: Actor, cluster: Cluster, campaign_id: int
) -> Campaign:
    _require_manager(actor, cluster)
    campaign = (
        Campaign.objects.filter(cluster=cluster, pk=campaign_id)
        .select_related("story", "region", "category", "cluster")
        .first()
    )
    if campaign is None:
        raise Http404(_("No such campaign in this cluster."))
    return campaign


@dataclass(frozen=True)
class CampaignProgress:
    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.sending + self.sent + self.failed + self.skipped


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """How far the campaign's sending is, by recipients' status (one query)."""
    rows = (
        CampaignRecipient.objects.filter(campaign=campaign)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return CampaignProgress(**dict(rows))


# --- Notify requests -------------------------------------------------------------


def variant_get_for_notify(*, cluster: Cluster, variant_id: int) -> Variant:
    """A variant of a product public in ``cluster`` now; ``Http404`` otherwise."""
    variant = (
        Variant.objects.filter(
            pk=variant_id,
            product_id__in=public_listings(cluster).values("product_id"),
        )
        .select_related("product__member")
        .first()
    )
    if variant is None:
        raise Http404(_("No such product in this cluster."))
    return variant


def _in_stock() -> Q:
    return ~Q(stock_policy=Variant.StockPolicy.TRACKED) | Q(stock__gt=0)


def back_in_stock_due(*, limit: int) -> list[NotifyRequest]:
    """Up to ``limit`` confirmed "back in stock" requests whose variant has stock
    again and whose product is still public in the request's cluster (one query)."""
    available = Variant.objects.filter(_in_stock(), pk=OuterRef("target_id")).filter(
        product_id__in=public_listings()
        .filter(cluster_id=OuterRef(OuterRef("cluster_id")))
        .values("product_id")
    )
    return list(
        NotifyRequest.objects.filter(
            kind=NotifyRequest.Kind.BACK_IN_STOCK,
            status=NotifyRequest.Status.WAITING,
        )
        .filter(Exists(available))
        .select_related("cluster")
        .order_by("pk")[:limit]
    )


def notify_window_for(
    *, cluster: Cluster, token: str = "", request: NotifyRequest | None = None
) -> SalesWindow | None:
    """The sales window a "window opens" request (``request``, or the one an
    emailed ``token`` names) is about, for the confirmation page to say "when
    orders open for …"; None for "back in stock" or a link that doesn't work
    (the confirmation itself says so)."""
    if request is None:
        try:
            request_id = notify_token_read(token)
        except TokenInvalid:
            return None
        request = NotifyRequest.objects.filter(pk=request_id, cluster=cluster).first()
    if request is None or request.kind != NotifyRequest.Kind.WINDOW_OPENS:
        return None
    return SalesWindow.objects.filter(pk=request.target_id, cluster=cluster).first()
