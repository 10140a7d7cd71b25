"""Stable error codes of the accounts app (style.md §6.6): clients may rely on them."""

from enum import StrEnum

from purei.core.errors import DomainError


class AccountErrorCode(StrEnum):
    INVITATION_INVALID = "invitation_invalid"
    INVITATION_EXPIRED = "invitation_expired"
    INVITATION_USED = "invitation_used"
    INVITATION_REVOKED = "invitation_revoked"
    INVITATION_WRONG_EMAIL = "invitation_wrong_email"
    INVALID_INVITATION_DATA = "invalid_invitation_data"
    INVALID_ACCOUNT = "invalid_account"
    EMAIL_TAKEN = "email_taken"
    NOT_PERMITTED = "not_permitted"


class InvitationUnusable(DomainError):
    """The invitation link cannot be used (bad, expired, used or revoked)."""

    status = 410


class InvitationNotFound(InvitationUnusable):
    """The link is not one we signed, or its invitation no longer exists."""

    status = 404
