"""Stable codes for what the insights services refuse (one per refusal)."""

from enum import StrEnum


class InsightsErrorCode(StrEnum):
    LOGIN_REQUIRED = "insights.login_required"
    NOT_MEMBER_TEAM = "insights.not_member_team"
    NOT_MEMBER_OWNER = "insights.not_member_owner"
    NOT_MEMBERS_VARIANT = "insights.not_members_variant"
    NOT_IN_CLUSTER = "insights.not_in_cluster"
    INVALID = "insights.invalid"
