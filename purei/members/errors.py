"""Stable error codes of the members app (style.md §6.6): clients may rely on them."""

from enum import StrEnum

from purei.core.csv_safe import FORMULA_START_CODE


class MemberErrorCode(StrEnum):
    INVALID_MEMBER = "invalid_member"
    INVALID_PHOTO = "invalid_photo"
    INVALID_CREDENTIAL = "invalid_credential"
    INVALID_VERIFICATION = "invalid_verification"
    LOGIN_REQUIRED = "login_required"
    NOT_OWNER = "not_member_owner"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    NOT_APPROVED_IN_CLUSTER = "member_not_approved_in_cluster"
    TOO_MANY_PHOTOS = "too_many_photos"
    # A name starts with =, +, - or @, which spreadsheets run as a formula.
    FORMULA_START = FORMULA_START_CODE
