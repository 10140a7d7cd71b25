"""Reads of the accounts app: invitations and email changes by their emailed token,
roles (scoped to the actor), users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.links import absolute_url

from .errors import (
    AccountErrorCode,
    EmailChangeNotFound,
    EmailChangeUnusable,
    InvitationMismatch,
    InvitationNotFound,
    InvitationUnusable,
)
from .models import MEMBER_BUSINESS, ClusterRole, Invitation, MemberRole, User

if TYPE_CHECKING:
    from purei.clusters.models import Cluster
    from purei.members.models import Member

INVITATION_SALT = "purei.invitation"
EMAIL_CHANGE_SALT = "purei.email-change"
# How long the link confirming a new email address stays valid.
EMAIL_CHANGE_MAX_AGE = timedelta(days=3)


# --- Invitations by token ---------------------------------------------------------


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=INVITATION_SALT)


def invitation_token(invitation: Invitation) -> str:
    """The signed, timestamped token carried by the emailed link."""
    return _signer().sign(invitation.key)


def invitation_url(invitation: Invitation) -> str:
    """The absolute link to accept ``invitation`` (on settings.SITE_URL)."""
    path = reverse(
        "accounts:invitation-accept", kwargs={"token": invitation_token(invitation)}
    )
    return absolute_url(path)


def invitation_target(invitation: Invitation) -> Cluster | Member:
    """The cluster or the member business the invitation is for."""
    target = invitation.cluster or invitation.member
    if target is None:  # the table's check constraint forbids it
        raise ValueError("An invitation names a cluster or a member business.")
    return target


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
        Invitation.objects.select_related("cluster", "member", "invited_by")
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
            % {
                "who": _inviter_name(invitation),
                "cluster": invitation_target(invitation).name,
            },
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


def invitation_get_for_business(
    *, actor: Actor, token: str, cluster: Cluster
) -> Invitation:
    """The pending invitation behind ``token`` for ``actor``'s business to join
    ``cluster``; raises InvitationUnusable (or its InvitationMismatch) otherwise.

    Besides ``invitation_get_by_token``'s checks (signature, status, age): it must
    be an invitation for a business (not a role), to this cluster, addressed to the
    actor's email, and its inviter must still run the cluster (or be platform
    staff), since it admits the business on their word.
    """
    invitation = invitation_get_by_token(token)
    if not invitation.is_for_business:
        raise InvitationMismatch(
            AccountErrorCode.INVITATION_NOT_FOR_BUSINESS,
            _(
                "This link invites you to take a role, not to bring a business in. "
                "Open it from the email to accept the role."
            ),
        )
    if invitation.cluster_id != cluster.pk:
        raise InvitationMismatch(
            AccountErrorCode.INVITATION_OTHER_CLUSTER,
            _("This invitation is for %(other)s, not for %(cluster)s.")
            % {"other": invitation_target(invitation).name, "cluster": cluster.name},
        )
    user = actor.user if actor.is_authenticated else None
    if user is None or user.email.lower() != invitation.email.lower():
        raise InvitationMismatch(
            AccountErrorCode.INVITATION_WRONG_EMAIL,
            _(
                "This invitation is for %(email)s. Log in as %(email)s to use it "
                "(log out first if you use another account)."
            )
            % {"email": invitation.email},
        )
    inviter = invitation.invited_by
    if inviter is None or not (
        inviter.is_active
        and can_manage_cluster_people(actor=Actor(user=inviter), cluster_id=cluster.pk)
    ):
        raise InvitationUnusable(
            AccountErrorCode.INVITER_NOT_ADMIN,
            _(
                "The person who sent this invitation no longer runs %(cluster)s, so "
                "it can't admit your business by itself. Ask the cluster's admins "
                "for a new invitation."
            )
            % {"cluster": cluster.name},
        )
    return invitation


# --- Users --------------------------------------------------------------------------


def user_get_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def user_is_cluster_admin(*, user: User | None, cluster: Cluster) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return ClusterRole.objects.filter(
        user=user, cluster=cluster, role=ClusterRole.Role.ADMIN
    ).exists()


# --- Roles and invitations, scoped ------------------------------------------------


def can_manage_cluster_people(*, actor: Actor, cluster_id: int) -> bool:
    """Platform staff and this cluster's admins invite, list and remove its people."""
    return actor.is_platform_staff or actor.is_cluster_admin(cluster_id)


def can_manage_member_people(*, actor: Actor, member_id: int) -> bool:
    """Platform staff and this business's owners invite, list and remove its people."""
    return actor.is_platform_staff or actor.is_member_owner(member_id)


def cluster_role_list_for(*, actor: Actor, cluster: Cluster) -> QuerySet[ClusterRole]:
    """Who holds which role in ``cluster``; Http404 unless the actor manages it."""
    if not can_manage_cluster_people(actor=actor, cluster_id=cluster.pk):
        raise Http404
    return (
        ClusterRole.objects.filter(cluster=cluster)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def member_role_list_for(*, actor: Actor, member: Member) -> QuerySet[MemberRole]:
    """Who holds which role in ``member``; Http404 unless the actor manages it."""
    if not can_manage_member_people(actor=actor, member_id=member.pk):
        raise Http404
    return (
        MemberRole.objects.filter(member=member)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def cluster_role_get_for(*, actor: Actor, role_id: int) -> ClusterRole:
    """One cluster role the actor may manage; Http404 otherwise."""
    visible = ClusterRole.objects.select_related("user", "cluster")
    if not actor.is_platform_staff:
        visible = visible.filter(cluster_id__in=actor.admin_cluster_ids)
    return get_object_or_404(visible, pk=role_id)


def member_role_get_for(*, actor: Actor, role_id: int) -> MemberRole:
    """One member role the actor may manage; Http404 otherwise."""
    visible = MemberRole.objects.select_related("user", "member")
    if not actor.is_platform_staff:
        visible = visible.filter(member_id__in=actor.owned_member_ids)
    return get_object_or_404(visible, pk=role_id)


def invitation_list_for(
    *,
    actor: Actor,
    cluster: Cluster | None = None,
    member: Member | None = None,
    kind: Literal["role", "business"] | None = None,
) -> QuerySet[Invitation]:
    """The invitations to ``cluster`` or to ``member`` (exactly one), newest first;
    Http404 unless the actor may invite there. ``kind`` keeps only the invitations
    to take a role ("role") or for a business to join ("business")."""
    if cluster is not None and member is None:
        if not can_manage_cluster_people(actor=actor, cluster_id=cluster.pk):
            raise Http404
        found = Invitation.objects.filter(cluster=cluster)
    elif member is not None and cluster is None:
        if not can_manage_member_people(actor=actor, member_id=member.pk):
            raise Http404
        found = Invitation.objects.filter(member=member)
    else:
        raise ValueError("Name exactly one of cluster and member.")
    if kind == "business":
        found = found.filter(role=MEMBER_BUSINESS)
    elif kind == "role":
        found = found.exclude(role=MEMBER_BUSINESS)
    return found.select_related("invited_by", "accepted_by").order_by(
        "-created_at", "-pk"
    )


def invitation_get_for(*, actor: Actor, invitation_id: int) -> Invitation:
    """One invitation the actor may manage (revoke); Http404 otherwise."""
    visible = Invitation.objects.select_related("cluster", "member", "invited_by")
    if not actor.is_platform_staff:
        visible = visible.filter(
            Q(cluster_id__in=actor.admin_cluster_ids)
            | Q(member_id__in=actor.owned_member_ids)
        )
    return get_object_or_404(visible, pk=invitation_id)


@dataclass(frozen=True)
class AccountRoles:
    """What one person does on Pūrei, for their account page."""

    cluster_roles: list[ClusterRole]
    member_roles: list[MemberRole]

    @property
    def any(self) -> bool:
        return bool(self.cluster_roles or self.member_roles)


def account_roles_for(*, actor: Actor) -> AccountRoles:
    """The actor's own roles: clusters they run or curate, businesses they own or
    work for. Http404 for anonymous actors."""
    if not actor.is_authenticated or actor.user is None:
        raise Http404
    return AccountRoles(
        cluster_roles=list(
            ClusterRole.objects.filter(user=actor.user)
            .select_related("cluster")
            .order_by("cluster__name_en", "role")
        ),
        member_roles=list(
            MemberRole.objects.filter(user=actor.user)
            .select_related("member")
            .order_by("member__trading_name", "member__legal_name", "role")
        ),
    )


# --- Email change by token ----------------------------------------------------------


def _email_change_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=EMAIL_CHANGE_SALT)


def _account_fingerprint(user: User) -> str:
    """Changes when the account's email or password does: a link made before either
    change stops working."""
    return salted_hmac(
        EMAIL_CHANGE_SALT,
        f"{user.pk}|{user.email}|{user.password}",
        algorithm="sha256",
    ).hexdigest()[:32]


def email_change_token(*, user: User, new_email: str) -> str:
    """The signed, timestamped token in the link sent to the new address."""
    payload = {"u": user.pk, "e": new_email, "f": _account_fingerprint(user)}
    return _email_change_signer().sign_object(payload, compress=True)


def email_change_url(*, user: User, new_email: str) -> str:
    token = email_change_token(user=user, new_email=new_email)
    path = reverse("accounts:email-change-confirm", kwargs={"token": token})
    return absolute_url(path)


def email_change_get_by_token(token: str) -> tuple[User, str]:
    """The account and the new address behind ``token``.

    Raises EmailChangeNotFound (bad signature) or EmailChangeUnusable (expired,
    already used, or the account changed since the link was sent).
    """
    signer = _email_change_signer()
    invalid = EmailChangeNotFound(
        AccountErrorCode.EMAIL_CHANGE_INVALID,
        _(
            "This link is not valid. Check that you copied the whole link from the "
            "email, or ask for the change again from your account page."
        ),
    )
    try:
        payload: Any = signer.unsign_object(token, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired:
        raise EmailChangeUnusable(
            AccountErrorCode.EMAIL_CHANGE_EXPIRED,
            _(
                "This link has expired: links to confirm a new email address last "
                "%(days)s days. Ask for the change again from your account page."
            )
            % {"days": EMAIL_CHANGE_MAX_AGE.days},
        ) from None
    except (signing.BadSignature, ValueError):
        raise invalid from None
    if not isinstance(payload, dict):
        raise invalid
    user_id, new_email = payload.get("u"), payload.get("e")
    if not isinstance(user_id, int) or not isinstance(new_email, str):
        raise invalid
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise invalid
    if payload.get("f") != _account_fingerprint(user):
        raise EmailChangeUnusable(
            AccountErrorCode.EMAIL_CHANGE_USED,
            _(
                "This link was already used, or your email address or password "
                "changed after it was sent. Ask for the change again from your "
                "account page if you still need it."
            ),
        )
    return user, new_email
