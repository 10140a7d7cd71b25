"""Stable codes of the cooperation domain's refusals."""

from enum import StrEnum


class CooperationErrorCode(StrEnum):
    INVALID_THREAD = "invalid_thread"
    INVALID_REPLY = "invalid_reply"
    THREAD_LOCKED = "thread_locked"
    INVALID_MODERATION = "invalid_moderation"
    NOT_MODERATOR = "not_moderator"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    INVALID_RESOURCE = "invalid_resource"
    INVALID_PARTNER_POST = "invalid_partner_post"
    NOT_POSTER = "not_poster"
    OWN_POST = "own_post"
    POST_CLOSED = "post_closed"
    NOT_A_MEMBER = "not_a_member"
    NOT_MEMBER_OWNER = "not_member_owner"
    INVALID_DIGEST = "invalid_digest"
    INVALID_SHARING = "invalid_sharing"
