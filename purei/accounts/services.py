"""State changes of the accounts app: sign-up, email changes, roles and invitations.

Roles are scoped: a cluster's roles (admin, curator) are managed by platform staff and
that cluster's admins; a member business's roles (owner, staff) by platform staff and
that business's owners. Every change to someone's role records an audit row.
"""

from __future__ import annotations

import secrets
from functools import partial
from typing import TYPE_CHECKING

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.languages import language_code

from .errors import (
    AccountErrorCode,
    EmailChangeUnusable,
    InvitationMismatch,
    InvitationUnusable,
    RoleConflict,
)
from .models import (
    INVITATION_MESSAGE_MAX_LENGTH,
    MEMBER_BUSINESS,
    ClusterRole,
    Invitation,
    MemberRole,
    User,
)
from .selectors import (
    can_manage_cluster_people,
    can_manage_member_people,
    email_change_get_by_token,
    invitation_get_for_business,
    invitation_target,
    user_get_by_email,
)
from .tasks import (
    account_welcome_send,
    email_change_send,
    email_changed_notice_send,
    invitation_send,
)

if TYPE_CHECKING:
    from purei.clusters.models import Cluster
    from purei.members.models import Member


# --- Accounts -----------------------------------------------------------------------


def _normalise_email(email: str, errors: dict[str, list[str]], field: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors[field] = [_("Enter a valid email address, like name@example.nz.")]
    return email


def _user_create(
    *,
    email: str,
    full_name: str,
    password: str,
    errors: dict[str, list[str]],
    language: str | None = None,
) -> User:
    """Check the name and password (Django's validators), then create the account."""
    full_name = (full_name or "").strip()
    if not full_name:
        errors["full_name"] = [_("Tell us your name.")]
    try:
        password_validation.validate_password(
            password, User(email=email, full_name=full_name)
        )
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationFailed(AccountErrorCode.INVALID_ACCOUNT, errors)
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name,
                language=language_code(language),
            )
    except IntegrityError:  # someone signed up with it a moment ago
        raise _email_taken(email) from None


def _email_taken(email: str) -> DomainError:
    return DomainError(
        AccountErrorCode.EMAIL_TAKEN,
        _(
            "An account with %(email)s already exists. Log in, or reset your "
            "password if you've forgotten it."
        )
        % {"email": email},
        field="email",
    )


def user_language_set(*, user: User, language: str | None) -> User:
    """Remember the language ``user`` chose (one of settings.LANGUAGES): Pūrei's
    emails to them go out in it. Does nothing for another value or no change."""
    code = language_code(language)
    if code and user.pk is not None and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_signup(
    *, email: str, full_name: str, password: str, language: str | None = None
) -> User:
    """Create an account for a new person; a welcome email follows on commit.
    ``language``: the one they signed up in; Pūrei's emails to them use it."""
    errors: dict[str, list[str]] = {}
    email = _normalise_email(email, errors, "email")
    if "email" not in errors and user_get_by_email(email) is not None:
        raise _email_taken(email)
    user = _user_create(
        email=email,
        full_name=full_name,
        password=password,
        errors=errors,
        language=language,
    )
    transaction.on_commit(
        partial(account_welcome_send.enqueue, user_id=user.pk, language=language)
    )
    return user


def _require_user(actor: Actor) -> User:
    if not actor.is_authenticated or actor.user is None:
        raise NotPermitted(AccountErrorCode.NOT_PERMITTED, _("Log in first."))
    return actor.user


@transaction.atomic
def email_change_request(
    *, actor: Actor, new_email: str, password: str, language: str | None = None
) -> str:
    """Email a link confirming ``new_email`` to that address; returns it, normalised.

    Nothing changes until the link is followed (``email_change_confirm``). The
    current password is asked for, so an open session alone cannot take the account.
    """
    user = _require_user(actor)
    errors: dict[str, list[str]] = {}
    new_email = _normalise_email(new_email, errors, "new_email")
    if "new_email" not in errors:
        if new_email == user.email.lower():
            errors["new_email"] = [_("That is already your email address.")]
        elif user_get_by_email(new_email) is not None:
            errors["new_email"] = [
                _("Another account uses this email address. Choose a different one.")
            ]
    if not password or not user.check_password(password):
        errors["password"] = [_("That isn't your current password.")]
    if errors:
        raise ValidationFailed(AccountErrorCode.INVALID_EMAIL_CHANGE, errors)
    transaction.on_commit(
        partial(
            email_change_send.enqueue,
            user_id=user.pk,
            new_email=new_email,
            language=language,
        )
    )
    return new_email


@transaction.atomic
def email_change_confirm(*, token: str, language: str | None = None) -> User:
    """Follow the emailed link: the account's email becomes the new address, and the
    old address is told on commit. The link works once, for three days."""
    user, new_email = email_change_get_by_token(token)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if (locked.email, locked.password) != (user.email, user.password):
        raise EmailChangeUnusable(
            AccountErrorCode.EMAIL_CHANGE_USED, _("This link was already used.")
        )
    taken = EmailChangeUnusable(
        AccountErrorCode.EMAIL_TAKEN,
        _(
            "Another account started using %(email)s after you asked for the change, "
            "so your email address stays as it was."
        )
        % {"email": new_email},
    )
    if User.objects.filter(email__iexact=new_email).exclude(pk=locked.pk).exists():
        raise taken
    old_email = locked.email
    locked.email = new_email
    try:
        with transaction.atomic():
            locked.save(update_fields=["email"])
    except IntegrityError:
        raise taken from None
    audit_record(
        actor=Actor(user=locked),
        verb="account.email_changed",
        target=locked,
        before={"email": old_email},
        after={"email": new_email},
    )
    transaction.on_commit(
        partial(
            email_changed_notice_send.enqueue,
            user_id=locked.pk,
            old_email=old_email,
            language=language,
        )
    )
    return locked


# --- Invitations --------------------------------------------------------------------


def _require_people_manager(
    actor: Actor, *, cluster_id: int | None, member_id: int | None
) -> None:
    """Platform staff, or an admin of this cluster / an owner of this business."""
    if cluster_id is not None:
        if can_manage_cluster_people(actor=actor, cluster_id=cluster_id):
            return
        raise NotPermitted(
            AccountErrorCode.NOT_PERMITTED,
            _(
                "Only platform staff or this cluster's admins can manage its "
                "invitations."
            ),
        )
    if member_id is not None and can_manage_member_people(
        actor=actor, member_id=member_id
    ):
        return
    raise NotPermitted(
        AccountErrorCode.NOT_PERMITTED,
        _("Only platform staff or this business's owners can manage its people."),
    )


def _holds_role(
    user: User, *, cluster: Cluster | None, member: Member | None, role: str
) -> bool:
    if cluster is not None:
        found = ClusterRole.objects.filter(user=user, cluster=cluster, role=role)
        return found.exists()
    return MemberRole.objects.filter(user=user, member=member, role=role).exists()


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    email: str,
    role: str,
    cluster: Cluster | None = None,
    member: Member | None = None,
    message: str = "",
    language: str | None = None,
) -> Invitation:
    """Invite ``email`` to take ``role`` in ``cluster`` or in ``member`` (exactly
    one); the link is emailed on commit.

    Cluster roles (admin, curator) are given by platform staff and the cluster's
    admins; member roles (owner, staff) by platform staff and the business's owners.
    The role ``member`` (``MEMBER_BUSINESS``) invites a business to join
    ``cluster`` (its admins and platform staff send these): it grants no role, and
    the business the invitee chooses joins approved (``membership_apply``).
    ``message`` is an optional personal note quoted in the email. ``language`` is
    the invitee's, when known (the email is written in it).
    """
    if (cluster is None) == (member is None):
        raise ValidationFailed(
            AccountErrorCode.INVALID_INVITATION_DATA,
            {"target": [_("Invite people to one cluster or to one business.")]},
        )
    _require_people_manager(
        actor,
        cluster_id=cluster.pk if cluster is not None else None,
        member_id=member.pk if member is not None else None,
    )
    errors: dict[str, list[str]] = {}
    email = _normalise_email(email, errors, "email")
    if cluster is not None and role not in {*ClusterRole.Role.values, MEMBER_BUSINESS}:
        errors["role"] = [_("Choose a role this cluster has.")]
    if member is not None and role not in MemberRole.Role.values:
        errors["role"] = [_("Choose a role this business has: owner or staff.")]
    message = (message or "").strip()
    if len(message) > INVITATION_MESSAGE_MAX_LENGTH:
        errors["message"] = [
            _("Keep the message to %(max)s characters (it has %(length)s).")
            % {"max": INVITATION_MESSAGE_MAX_LENGTH, "length": len(message)}
        ]
    if errors:
        raise ValidationFailed(AccountErrorCode.INVALID_INVITATION_DATA, errors)
    invitee = user_get_by_email(email)
    if (
        role != MEMBER_BUSINESS
        and invitee is not None
        and _holds_role(invitee, cluster=cluster, member=member, role=role)
    ):
        target_name = cluster.name if cluster is not None else str(member)
        raise RoleConflict(
            AccountErrorCode.ALREADY_HAS_ROLE,
            _("%(email)s already has this role in %(target)s.")
            % {"email": email, "target": target_name},
            field="email",
        )
    invitation = Invitation.objects.create(
        key=secrets.token_urlsafe(32),
        email=email,
        cluster=cluster,
        member=member,
        role=role,
        message=message,
        invited_by=actor.user,
    )
    audit_record(
        actor=actor,
        verb="invitation.created",
        target=invitation,
        cluster_id=invitation.cluster_id,
        member_id=invitation.member_id,
        after={
            "email": email,
            "role": role,
            **({"message": message} if message else {}),
        },
    )
    transaction.on_commit(
        partial(invitation_send.enqueue, invitation_id=invitation.pk, language=language)
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User
) -> ClusterRole | MemberRole:
    """Give ``user`` the invited role and mark the invitation accepted.

    Callers find ``invitation`` with ``invitation_get_by_token`` (which checks the
    link's signature and age). Accepting again as the same person changes nothing.
    An invitation for a business to join grants no role: it is used by joining
    (``invitation_accept_for_business``), and refused here.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.is_for_business:
        raise InvitationMismatch(
            AccountErrorCode.INVITATION_NOT_A_ROLE,
            _(
                "This invitation is for a business to join %(cluster)s: choose "
                "your business on the cluster's join page."
            )
            % {"cluster": invitation_target(locked).name},
        )
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
    role: ClusterRole | MemberRole
    if locked.cluster_id is not None:
        role, _created = ClusterRole.objects.get_or_create(
            user=user, cluster_id=locked.cluster_id, role=locked.role
        )
    elif locked.member_id is not None:
        role, _created = MemberRole.objects.get_or_create(
            user=user, member_id=locked.member_id, role=locked.role
        )
    else:  # the table's check constraint forbids it
        raise ValueError("An invitation names a cluster or a member business.")
    if not already_mine:
        locked.status = Invitation.Status.ACCEPTED
        locked.accepted_by = user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "accepted_by", "decided_at", "updated_at"])
        audit_record(
            actor=Actor(user=user),
            verb="invitation.accepted",
            target=locked,
            cluster_id=locked.cluster_id,
            member_id=locked.member_id,
            after={"user": user.email, "role": locked.role},
        )
    invitation.status, invitation.accepted_by = locked.status, locked.accepted_by
    invitation.decided_at = locked.decided_at
    return role


@transaction.atomic
def invitation_accept_with_signup(
    *,
    invitation: Invitation,
    full_name: str,
    password: str,
    language: str | None = None,
) -> User:
    """Create the invited person's account (their invited email) and accept.

    For an invitation for a business to join, only the account is made: the
    invitation is used when the business joins (``invitation_accept_for_business``).
    """
    if user_get_by_email(invitation.email) is not None:
        raise DomainError(
            AccountErrorCode.EMAIL_TAKEN,
            _("An account with %(email)s already exists: log in to accept.")
            % {"email": invitation.email},
            field="email",
        )
    user = _user_create(
        email=invitation.email.lower(),
        full_name=full_name,
        password=password,
        errors={},
        language=language,
    )
    if not invitation.is_for_business:
        invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_accept_for_business(
    *, actor: Actor, token: str, cluster: Cluster
) -> Invitation:
    """Use the invitation behind ``token`` for ``actor``'s business to join
    ``cluster``: checks it again (``invitation_get_for_business``: signature, age,
    still pending, this cluster, the actor's email, an inviter who still runs the
    cluster) with the row locked, and marks it accepted by the actor.

    The membership itself is the members app's (``membership_apply`` calls this in
    its transaction, so a refused application leaves the invitation pending).
    """
    invitation = invitation_get_for_business(actor=actor, token=token, cluster=cluster)
    user = _require_user(actor)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.PENDING:  # used or revoked a moment ago
        raise InvitationUnusable(
            AccountErrorCode.INVITATION_USED
            if locked.status == Invitation.Status.ACCEPTED
            else AccountErrorCode.INVITATION_REVOKED,
            _("This invitation can no longer be used: it is %(status)s.")
            % {"status": locked.get_status_display().lower()},
        )
    locked.status = Invitation.Status.ACCEPTED
    locked.accepted_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "accepted_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="invitation.accepted",
        target=locked,
        cluster_id=locked.cluster_id,
        after={"user": user.email, "role": locked.role},
    )
    invitation.status, invitation.accepted_by = locked.status, locked.accepted_by
    invitation.decided_at = locked.decided_at
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link stops working."""
    _require_people_manager(
        actor, cluster_id=invitation.cluster_id, member_id=invitation.member_id
    )
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.PENDING:
        raise InvitationUnusable(
            AccountErrorCode.INVITATION_USED,
            _("Only a pending invitation can be revoked."),
        )
    locked.status = Invitation.Status.REVOKED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="invitation.revoked",
        target=locked,
        cluster_id=locked.cluster_id,
        member_id=locked.member_id,
        before={"status": Invitation.Status.PENDING.value},
        after={"status": locked.status},
    )
    invitation.status, invitation.decided_at = locked.status, locked.decided_at
    return invitation


# --- Removing roles -----------------------------------------------------------------


@transaction.atomic
def cluster_role_remove(*, actor: Actor, role: ClusterRole) -> None:
    """Take a cluster role away. A cluster always keeps at least one admin."""
    _require_people_manager(actor, cluster_id=role.cluster_id, member_id=None)
    # Lock the cluster's admins (in key order) so two removals cannot both pass.
    admin_ids = list(
        ClusterRole.objects.select_for_update()
        .filter(cluster_id=role.cluster_id, role=ClusterRole.Role.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    locked = ClusterRole.objects.select_for_update().filter(pk=role.pk).first()
    if locked is None:  # already removed
        return
    if locked.role == ClusterRole.Role.ADMIN and admin_ids == [locked.pk]:
        raise RoleConflict(
            AccountErrorCode.LAST_ADMIN,
            _(
                "%(person)s is the only admin of %(cluster)s. Make someone else an "
                "admin first."
            )
            % {"person": role.user.get_full_name(), "cluster": role.cluster.name},
        )
    audit_record(
        actor=actor,
        verb="cluster_role.removed",
        target=locked,
        cluster_id=locked.cluster_id,
        before={"user": role.user.email, "role": locked.role},
    )
    locked.delete()
    actor.forget_roles()


@transaction.atomic
def member_role_remove(*, actor: Actor, role: MemberRole) -> None:
    """Take a member-business role away. A business always keeps at least one
    owner."""
    _require_people_manager(actor, cluster_id=None, member_id=role.member_id)
    owner_ids = list(
        MemberRole.objects.select_for_update()
        .filter(member_id=role.member_id, role=MemberRole.Role.OWNER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    locked = MemberRole.objects.select_for_update().filter(pk=role.pk).first()
    if locked is None:  # already removed
        return
    if locked.role == MemberRole.Role.OWNER and owner_ids == [locked.pk]:
        raise RoleConflict(
            AccountErrorCode.LAST_OWNER,
            _(
                "%(person)s is the only owner of %(member)s. Make someone else an "
                "owner first."
            )
            % {"person": role.user.get_full_name(), "member": role.member.name},
        )
    audit_record(
        actor=actor,
        verb="member_role.removed",
        target=locked,
        member_id=locked.member_id,
        before={"user": role.user.email, "role": locked.role},
    )
    locked.delete()
    actor.forget_roles()


# --- Closing an account --------------------------------------------------------


def account_close_blockers(*, user: User) -> tuple[list[str], list[str]]:
    """Why ``user`` may not close their account yet: the names of the member
    businesses of which they are the only owner, and of the clusters they are an
    admin of (docs/privacy.md "Closing an account")."""
    owned = MemberRole.objects.filter(user=user, role=MemberRole.Role.OWNER)
    sole = [
        role.member.name
        for role in owned.select_related("member").order_by("member__trading_name")
        if MemberRole.objects.filter(
            member_id=role.member_id, role=MemberRole.Role.OWNER
        ).count()
        == 1
    ]
    admin = [
        role.cluster.name
        for role in ClusterRole.objects.filter(
            user=user, role=ClusterRole.Role.ADMIN
        ).select_related("cluster")
    ]
    return sole, sorted(admin)


@transaction.atomic
def user_tombstone(*, user: User, tombstone_email: str) -> User:
    """Erase the account's personal details and close it for good: the email
    becomes ``tombstone_email``, the name goes, no password works, no role is
    left. The row stays so orders, reviews and audit rows still point at one
    (closed) account. Called by ``privacy.services.account_close`` after its
    checks."""
    MemberRole.objects.filter(user=user).delete()
    ClusterRole.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=user.email).update(email=tombstone_email)
    user.email = tombstone_email
    user.full_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return user
