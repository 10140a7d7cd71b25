"""Campaigns: a published story sent to the subscribers of one segment of the
cluster's list — all of them, those in a region, buyers of a category, or trade
buyers. An admin drafts it (seeing how many it would reach), then sends it; the
sending is the tasks' (``purei.marketing.sending``), in batches, with retries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.catalogue.models import Category
from purei.clusters.models import Cluster, Region
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import DomainError, ValidationFailed
from purei.marketing.errors import MarketingErrorCode
from purei.marketing.models import Campaign, Story
from purei.marketing.tasks import campaign_recipients_prepare_task

from ._common import _add, _ordered, _require_admin, _text

WHAT = gettext_lazy("newsletter")
CAMPAIGN_FIELDS = ("story", "subject", "segment", "region", "category", "reply_to")


class CampaignConflict(DomainError):
    status = 409


@dataclass(frozen=True)
class CampaignInput:
    """A campaign as chosen: the story (its id), the subject line, the segment
    (``all``, ``region``, ``category``, ``trade``) with its region code or category
    slug, and where replies go."""

    story_id: int | None
    subject: str
    reply_to: str
    segment: str = Campaign.Segment.ALL
    region: str = ""
    category: str = ""


def _checked(cluster: Cluster, details: CampaignInput) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    story = (
        Story.objects.filter(cluster=cluster, pk=details.story_id).first()
        if details.story_id
        else None
    )
    if story is None:
        _add(errors, "story", _("Choose one of the cluster's stories."))
    elif not story.is_published:
        _add(errors, "story", _("Publish the story first: the email links to it."))
    subject = _text(details.subject)
    if not subject:
        _add(errors, "subject", _("Give the email a subject."))
    elif len(subject) > 200:
        _add(errors, "subject", _("Keep the subject to 200 characters."))
    reply_to = _text(details.reply_to).lower()
    try:
        validate_email(reply_to)
    except ValidationError:
        _add(errors, "reply_to", _("Give the address replies should go to."))
    segment = details.segment
    region = category = None
    if segment not in Campaign.Segment.values:
        _add(errors, "segment", _("Choose who gets it."))
    elif segment == Campaign.Segment.REGION:
        region = Region.objects.filter(code=_text(details.region)).first()
        if region is None:
            _add(errors, "region", _("Choose the region."))
    elif segment == Campaign.Segment.CATEGORY:
        category = Category.objects.filter(slug=_text(details.category)).first()
        if category is None:
            _add(errors, "category", _("Choose the category."))
    if errors:
        raise ValidationFailed(
            MarketingErrorCode.INVALID_CAMPAIGN, _ordered(errors, CAMPAIGN_FIELDS)
        )
    return {
        "story": story,
        "subject": subject,
        "reply_to": reply_to,
        "segment": segment,
        "region": region,
        "category": category,
    }


def _snapshot(campaign: Campaign) -> dict[str, object]:
    return {
        "story": campaign.story_id,
        "subject": campaign.subject,
        "segment": campaign.segment,
        "region": campaign.region.code if campaign.region else None,
        "category": campaign.category.slug if campaign.category else None,
        "reply_to": campaign.reply_to,
        "status": campaign.status,
    }


@transaction.atomic
def campaign_create(
    *, actor: Actor, cluster: Cluster, details: CampaignInput
) -> Campaign:
    """A draft campaign (nothing is sent until ``campaign_send``)."""
    _require_admin(actor, cluster, str(WHAT))
    values = _checked(cluster, details)
    campaign = Campaign.objects.create(
        cluster=cluster, created_by=actor.user, status=Campaign.Status.DRAFT, **values
    )
    audit_record(
        actor=actor,
        verb="campaign.created",
        target=campaign,
        cluster_id=cluster.pk,
        after=_snapshot(campaign),
    )
    return campaign


@transaction.atomic
def campaign_delete(*, actor: Actor, campaign: Campaign) -> None:
    """Throw away a draft."""
    _require_admin(actor, campaign.cluster, str(WHAT))
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != Campaign.Status.DRAFT:
        raise CampaignConflict(
            MarketingErrorCode.CAMPAIGN_WRONG_STATUS,
            _("Only a draft can be deleted; this one has been sent."),
        )
    audit_record(
        actor=actor,
        verb="campaign.deleted",
        target=campaign,
        cluster_id=campaign.cluster_id,
        before=_snapshot(campaign),
    )
    locked.delete()


@transaction.atomic
def campaign_send(*, actor: Actor, campaign: Campaign) -> Campaign:
    """Queue a draft for sending: once this commits, a task records its
    recipients (the segment as it is then) and sends in batches."""
    _require_admin(actor, campaign.cluster, str(WHAT))
    locked = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("story", "cluster", "region", "category")
        .get(pk=campaign.pk)
    )
    if locked.status != Campaign.Status.DRAFT:
        raise CampaignConflict(
            MarketingErrorCode.CAMPAIGN_WRONG_STATUS,
            _("This campaign has already been sent."),
        )
    if not locked.story.is_published:
        raise DomainError(
            MarketingErrorCode.STORY_NOT_PUBLISHED,
            _("Publish the story first: the email links to it."),
            field="story",
        )
    locked.status = Campaign.Status.QUEUED
    locked.queued_at = timezone.now()
    locked.save(update_fields=["status", "queued_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="campaign.sent",
        target=locked,
        cluster_id=locked.cluster_id,
        after=_snapshot(locked),
    )
    transaction.on_commit(
        partial(campaign_recipients_prepare_task.enqueue, campaign_id=locked.pk)
    )
    return locked
