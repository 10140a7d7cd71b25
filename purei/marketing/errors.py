"""Stable error codes of the marketing app (style.md §6.6): clients may rely on them."""

from enum import StrEnum

from django.utils.translation import gettext as _

from purei.core.errors import DomainError


class MarketingErrorCode(StrEnum):
    LOGIN_REQUIRED = "login_required"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    INVALID_STORY = "invalid_story"
    INVALID_STORY_IMAGE = "invalid_story_image"
    TOO_MANY_IMAGES = "too_many_story_images"
    INVALID_SUBSCRIPTION = "invalid_subscription"
    LINK_INVALID = "link_invalid"
    INVALID_CAMPAIGN = "invalid_campaign"
    CAMPAIGN_WRONG_STATUS = "campaign_wrong_status"
    STORY_NOT_PUBLISHED = "story_not_published"
    UNKNOWN_ADDRESS = "unknown_subscriber"
    INVALID_NOTIFY = "invalid_notify_request"
    INVALID_REVIEW = "invalid_review"
    NOT_VERIFIED_BUYER = "not_verified_buyer"
    REVIEW_LOCKED = "review_locked"
    ALREADY_REPLIED = "review_already_replied"
    INVALID_REPLY = "invalid_review_reply"
    NOT_MEMBER_TEAM = "not_member_team"
    NOT_CURATOR = "not_curator"
    REVIEW_WRONG_STATUS = "review_wrong_status"


def link_invalid() -> DomainError:
    """An emailed link that is damaged, too old, replaced or of another cluster."""
    return DomainError(
        MarketingErrorCode.LINK_INVALID,
        _(
            "This link doesn't work any more: it is older than a week, or a newer "
            "one was sent. Ask again from the newsletter page."
        ),
    )
