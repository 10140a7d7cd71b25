"""Stable error codes of the clusters app (style.md §6.6): clients may rely on them."""

from enum import StrEnum

from purei.core.csv_safe import FORMULA_START_CODE
from purei.core.errors import DomainError


class ClusterErrorCode(StrEnum):
    INVALID_APPLICATION = "invalid_application"
    INVALID_CLUSTER = "invalid_cluster"
    APPLICATION_NOT_PENDING = "application_not_pending"
    SLUG_TAKEN = "slug_taken"
    REASON_REQUIRED = "reason_required"
    NOT_PLATFORM_STAFF = "not_platform_staff"
    # A name starts with =, +, - or @, which spreadsheets run as a formula.
    FORMULA_START = FORMULA_START_CODE
    INVALID_LISTING_RULES = "invalid_listing_rules"
    INVALID_MONEY_ACCOUNTS = "invalid_money_accounts"


class FinderErrorCode(StrEnum):
    ANSWER_MISSING = "finder_answer_missing"
    ANSWER_INVALID = "finder_answer_invalid"
    ANSWER_UNKNOWN = "finder_answer_unknown"


class DirectoryErrorCode(StrEnum):
    UNKNOWN_TYPE = "unknown_cluster_type"
    UNKNOWN_REGION = "unknown_region"


class ApplicationAlreadyDecided(DomainError):
    """The application was approved or declined already: nothing more to decide."""

    status = 409
