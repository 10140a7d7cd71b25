"""State changes of the accounts app: invitations and the accounts they create."""

from __future__ import annotations

import secrets
from functools import partial
from typing import TYPE_CHECKING

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.errors import DomainError, NotPermitted, ValidationFailed

from .errors import AccountErrorCode, InvitationUnusable
from .models import ClusterRole, Invitation, User
from .selectors import user_get_by_email, user_is_cluster_admin
from .tasks import invitation_send

if TYPE_CHECKING:
    from purei.clusters.models import Cluster


def _require_cluster_manager(actor: Actor, cluster: Cluster) -> None:
    """Platform staff, or an admin of this cluster."""
    if actor.is_platform_staff or user_is_cluster_admin(
        user=actor.user, cluster=cluster
    ):
        return
    raise NotPermitted(
        AccountErrorCode.NOT_PERMITTED,
        _("Only platform staff or this cluster's admins can manage its invitations."),
    )


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    cluster: Cluster,
    email: str,
    role: str,
    language: str | None = None,
) -> Invitation:
    """Invite ``email`` to take ``role`` in ``cluster``; the link is emailed on commit.

    ``language`` is the invitee's, when known (the email is written in it).
    """
    _require_cluster_manager(actor, cluster)
    email = email.strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    if role not in ClusterRole.Role.values:
        errors["role"] = [_("Choose a role this cluster has.")]
    if errors:
        raise ValidationFailed(AccountErrorCode.INVALID_INVITATION_DATA, errors)
    invitation = Invitation.objects.create(
        key=secrets.token_urlsafe(32),
        email=email,
        cluster=cluster,
        role=role,
        invited_by=actor.user,
    )
    transaction.on_commit(
        partial(invitation_send.enqueue, invitation_id=invitation.pk, language=language)
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> ClusterRole:
    """Give ``user`` the invited role and mark the invitation accepted.

    Callers find ``invitation`` with ``invitation_get_by_token`` (which checks the
    link's signature and age). Accepting again as the same person changes nothing.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    already_mine = (
        locked.status == Invitation.Status.ACCEPTED and locked.accepted_by_id == user.pk
    )
    if locked.status == Invitation.Status.REVOKED:
        raise InvitationUnusable(
            AccountErrorCode.INVITATION_REVOKED, _("This invitation was revoked.")
        )
    if locked.status == Invitation.Status.ACCEPTED and not already_mine:
        raise InvitationUnusable(
            AccountErrorCode.INVITATION_USED,
            _("This invitation has already been used."),
        )
    if user.email.lower() != locked.email.lower():
        raise NotPermitted(
            AccountErrorCode.INVITATION_WRONG_EMAIL,
            _("This invitation is for %(email)s, not for you.")
            % {"email": locked.email},
        )
    role, _created = ClusterRole.objects.get_or_create(
        user=user, cluster_id=locked.cluster_id, role=locked.role
    )
    if not already_mine:
        locked.status = Invitation.Status.ACCEPTED
        locked.accepted_by = user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "accepted_by", "decided_at", "updated_at"])
    invitation.status, invitation.accepted_by = locked.status, locked.accepted_by
    invitation.decided_at = locked.decided_at
    return role


@transaction.atomic
def invitation_accept_with_signup(
    *, invitation: Invitation, full_name: str, password: str
) -> User:
    """Create the invited person's account (their invited email) and accept."""
    if user_get_by_email(invitation.email) is not None:
        raise DomainError(
            AccountErrorCode.EMAIL_TAKEN,
            _("An account with %(email)s already exists: log in to accept.")
            % {"email": invitation.email},
            field="email",
        )
    full_name = full_name.strip()
    errors: dict[str, list[str]] = {}
    if not full_name:
        errors["full_name"] = [_("Tell us your name.")]
    user = User(email=invitation.email.lower(), full_name=full_name)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationFailed(AccountErrorCode.INVALID_ACCOUNT, errors)
    user = User.objects.create_user(
        email=invitation.email, password=password, full_name=full_name
    )
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link stops working."""
    _require_cluster_manager(actor, invitation.cluster)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.PENDING:
        raise InvitationUnusable(
            AccountErrorCode.INVITATION_USED,
            _("Only a pending invitation can be revoked."),
        )
    locked.status = Invitation.Status.REVOKED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at", "updated_at"])
    invitation.status, invitation.decided_at = locked.status, locked.decided_at
    return invitation
