"""Stable error codes of the privacy app (style.md §6.6)."""

from enum import StrEnum


class PrivacyErrorCode(StrEnum):
    LOGIN_REQUIRED = "privacy.login_required"
    NOT_MEMBER_OWNER = "privacy.not_member_owner"
    WRONG_PASSWORD = "privacy.wrong_password"  # noqa: S105 - a code, not a secret
    SOLE_OWNER = "privacy.sole_owner"
    CLUSTER_ADMIN = "privacy.cluster_admin"
