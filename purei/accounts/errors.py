"""Stable error codes of the accounts app (style.md §6.6): clients may rely on them."""

from enum import StrEnum

from purei.core.errors import DomainError


class AccountErrorCode(StrEnum):
    INVITATION_INVALID = "invitation_invalid"
    INVITATION_EXPIRED = "invitation_expired"
    INVITATION_USED = "invitation_used"
    INVITATION_REVOKED = "invitation_revoked"
    INVITATION_WRONG_EMAIL = "invitation_wrong_email"
    INVITATION_OTHER_CLUSTER = "invitation_other_cluster"
    INVITATION_NOT_A_ROLE = "invitation_not_a_role"
    INVITATION_NOT_FOR_BUSINESS = "invitation_not_for_business"
    INVITER_NOT_ADMIN = "invitation_inviter_not_admin"
    INVALID_INVITATION_DATA = "invalid_invitation_data"
    INVALID_ACCOUNT = "invalid_account"
    EMAIL_TAKEN = "email_taken"
    NOT_PERMITTED = "not_permitted"
    ALREADY_HAS_ROLE = "already_has_role"
    LAST_ADMIN = "last_admin"
    LAST_OWNER = "last_owner"
    INVALID_EMAIL_CHANGE = "invalid_email_change"
    EMAIL_CHANGE_INVALID = "email_change_invalid"
    EMAIL_CHANGE_EXPIRED = "email_change_expired"
    EMAIL_CHANGE_USED = "email_change_used"
    TOO_MANY_LOGIN_ATTEMPTS = "too_many_login_attempts"


class InvitationUnusable(DomainError):
    """The invitation link cannot be used (bad, expired, used or revoked)."""

    status = 410


class InvitationNotFound(InvitationUnusable):
    """The link is not one we signed, or its invitation no longer exists."""

    status = 404


class InvitationMismatch(InvitationUnusable):
    """The link is good, but not for this use: another person's, another cluster's,
    or not an invitation for a business to join."""

    status = 403


class EmailChangeUnusable(DomainError):
    """The email-change link cannot be used (expired, or already used)."""

    status = 410


class EmailChangeNotFound(EmailChangeUnusable):
    """The email-change link is not one we signed."""

    status = 404


class RoleConflict(DomainError):
    """The change would leave a cluster without an admin or a business without an
    owner, or repeats a role the person already holds."""

    status = 409
