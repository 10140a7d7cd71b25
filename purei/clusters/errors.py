"""Stable error codes of the clusters app (style.md §6.6): clients may rely on them."""

from enum import StrEnum

from purei.core.errors import DomainError


class ClusterErrorCode(StrEnum):
    INVALID_APPLICATION = "invalid_application"
    INVALID_CLUSTER = "invalid_cluster"
    APPLICATION_NOT_PENDING = "application_not_pending"
    SLUG_TAKEN = "slug_taken"
    REASON_REQUIRED = "reason_required"
    NOT_PLATFORM_STAFF = "not_platform_staff"


class ApplicationAlreadyDecided(DomainError):
    """The application was approved or declined already: nothing more to decide."""

    status = 409
