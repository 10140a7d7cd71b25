"""Reads of the accounts app: invitations by their emailed token, roles, users."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from .errors import AccountErrorCode, InvitationNotFound, InvitationUnusable
from .models import ClusterRole, Invitation, User

if TYPE_CHECKING:
    from purei.clusters.models import Cluster

INVITATION_SALT = "purei.invitation"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=INVITATION_SALT)


def invitation_token(invitation: Invitation) -> str:
    """The signed, timestamped token carried by the emailed link."""
    return _signer().sign(invitation.key)


def invitation_url(invitation: Invitation) -> str:
    """The absolute link to accept ``invitation`` (settings.SITE_URL)."""
    path = reverse(
        "accounts:invitation-accept", kwargs={"token": invitation_token(invitation)}
    )
    return f"{settings.SITE_URL}{path}"


def _inviter_name(invitation: Invitation) -> str:
    inviter = invitation.invited_by
    if inviter is None or inviter.is_staff:
        return _("the Pūrei team")
    return inviter.get_full_name()


def invitation_get_by_token(token: str) -> Invitation:
    """The pending invitation behind ``token``; raises InvitationUnusable otherwise.

    Checks the signature, then the invitation's status, then the token's age
    (settings.INVITATION_MAX_AGE_DAYS).
    """
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    expired = False
    try:
        key = _signer().unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        key, expired = _signer().unsign(token), True
    except signing.BadSignature:
        key = None
    invitation = (
        Invitation.objects.select_related("cluster", "invited_by")
        .filter(key=key)
        .first()
        if key
        else None
    )
    if invitation is None:
        raise InvitationNotFound(
            AccountErrorCode.INVITATION_INVALID,
            _(
                "This invitation link is not valid. Check that you copied the "
                "whole link from the email, or ask for a new invitation."
            ),
        )
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationUnusable(
            AccountErrorCode.INVITATION_USED,
            _(
                "This invitation has already been used. Log in with %(email)s "
                "to carry on."
            )
            % {"email": invitation.email},
        )
    if invitation.status == Invitation.Status.REVOKED:
        raise InvitationUnusable(
            AccountErrorCode.INVITATION_REVOKED,
            _(
                "This invitation was withdrawn (revoked). Ask %(who)s if you "
                "still need access to %(cluster)s."
            )
            % {"who": _inviter_name(invitation), "cluster": invitation.cluster},
        )
    if expired:
        raise InvitationUnusable(
            AccountErrorCode.INVITATION_EXPIRED,
            _(
                "This invitation has expired — ask %(who)s for a new one. "
                "Invitations last %(days)s days."
            )
            % {"who": _inviter_name(invitation), "days": max_age.days},
        )
    return invitation


def user_get_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def user_is_cluster_admin(*, user: User | None, cluster: Cluster) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return ClusterRole.objects.filter(
        user=user, cluster=cluster, role=ClusterRole.Role.ADMIN
    ).exists()
