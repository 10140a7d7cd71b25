"""State changes of stories and newsletters. Each names its actor, checks scope
itself, is one transaction and records an audit row where an admin acts; emails go
once it commits (``purei.marketing.tasks``)."""

from .campaigns import (
    CampaignConflict,
    CampaignInput,
    campaign_create,
    campaign_delete,
    campaign_send,
)
from .newsletter import (
    SubscriptionInput,
    SubscriptionRequested,
    address_undeliverable,
    confirm_wording,
    consent_wording,
    subscriber_mark,
    subscribers_export,
    subscription_confirm,
    subscription_request,
    subscription_unsubscribe,
)
from .notify import (
    NotifyInput,
    notify_request_confirm,
    notify_request_create,
    notify_wording,
)
from .stories import (
    StoryInput,
    story_create,
    story_image_add,
    story_image_delete,
    story_publish,
    story_unpublish,
    story_update,
)

__all__ = [
    "CampaignConflict",
    "CampaignInput",
    "NotifyInput",
    "StoryInput",
    "SubscriptionInput",
    "SubscriptionRequested",
    "address_undeliverable",
    "campaign_create",
    "campaign_delete",
    "campaign_send",
    "confirm_wording",
    "consent_wording",
    "notify_request_confirm",
    "notify_request_create",
    "notify_wording",
    "story_create",
    "story_image_add",
    "story_image_delete",
    "story_publish",
    "story_unpublish",
    "story_update",
    "subscriber_mark",
    "subscribers_export",
    "subscription_confirm",
    "subscription_request",
    "subscription_unsubscribe",
]
