"""Stable error codes of the marketing app (style.md §6.6): clients may rely on them."""

from enum import StrEnum


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
