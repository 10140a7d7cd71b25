"""Stable codes of the promotions domain's refusals."""

from enum import StrEnum


class PromotionErrorCode(StrEnum):
    INVALID = "invalid_promotion"
    LOGIN_REQUIRED = "login_required"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    NOT_MEMBER_TEAM = "not_member_team"
    # Checkout: the code typed does not count (or no longer does).
    CODE_REFUSED = "promo_code_refused"
