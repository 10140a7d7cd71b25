"""Memberships: a member business in a cluster, from application to leaving.

Services change a membership's status along ``ALLOWED_MOVES`` (style.md §6.4), one
transaction each, with an audit row and an email on commit. The reads are in
``purei.members.membership_selectors``.

A business applies (its owner does); the cluster admits it at once when it does not
require approval, else its admins approve or decline (with a reason). Admins may
suspend (with a reason) and reinstate; the owner may leave. A declined or departed
business may apply again (the same row is reused). Being approved needs the
business to have declared it is in trade (Fair Trading Act).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.accounts.models import Invitation
from purei.accounts.services import invitation_accept_for_business
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.search.shelf import membership_changed

from .membership_tasks import (
    membership_applied_notify,
    membership_decided_notify,
    membership_left_notify,
)
from .models import Member, Membership

Status = Membership.Status
MAX_MESSAGE_LENGTH = 2000
MAX_REASON_LENGTH = 2000
AUDIT_FIELDS = ("status", "decided_by", "decided_at", "reason", "left_at")


class MembershipErrorCode(StrEnum):
    NOT_MEMBER_OWNER = "not_member_owner"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    CLUSTER_NOT_LIVE = "cluster_not_live"
    ALREADY_MEMBER = "membership_exists"
    MOVE_NOT_ALLOWED = "membership_move_not_allowed"
    NOT_IN_TRADE = "member_not_in_trade"
    REASON_REQUIRED = "reason_required"
    INVALID_MEMBERSHIP = "invalid_membership"
    INVALID_STATUS = "invalid_membership_status"


class MembershipConflict(DomainError):
    """The membership's state does not allow this (already a member, wrong status)."""

    status = 409


class Move(StrEnum):
    APPLY = "apply"
    APPROVE = "approve"
    DECLINE = "decline"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    LEAVE = "leave"


# Each move: the statuses it may start from, and the status it leads to. A new
# application has no status yet; ``APPLY`` here is applying *again*.
ALLOWED_MOVES: Mapping[Move, tuple[frozenset[str], str]] = {
    Move.APPLY: (frozenset({Status.DECLINED, Status.LEFT}), Status.APPLIED),
    Move.APPROVE: (frozenset({Status.APPLIED}), Status.APPROVED),
    Move.DECLINE: (frozenset({Status.APPLIED}), Status.DECLINED),
    Move.SUSPEND: (frozenset({Status.APPROVED}), Status.SUSPENDED),
    Move.REINSTATE: (frozenset({Status.SUSPENDED}), Status.APPROVED),
    Move.LEAVE: (
        frozenset({Status.APPLIED, Status.APPROVED, Status.SUSPENDED}),
        Status.LEFT,
    ),
}
# The moves a cluster's admins make (the others are the business owner's).
ADMIN_MOVES = (Move.APPROVE, Move.DECLINE, Move.SUSPEND, Move.REINSTATE)


def moves_from(status: str) -> list[Move]:
    """The moves a membership in ``status`` can make, in ``Move`` order."""
    return [move for move, (sources, _to) in ALLOWED_MOVES.items() if status in sources]


def _refused_move_message(move: Move, membership: Membership) -> str:
    status = membership.get_status_display().lower()
    messages = {
        Move.APPLY: _("This business is already %(status)s here."),
        Move.APPROVE: _(
            "Only an application can be approved; this membership is %(status)s."
        ),
        Move.DECLINE: _(
            "Only an application can be declined; this membership is %(status)s."
        ),
        Move.SUSPEND: _(
            "Only an approved member can be suspended; this membership is %(status)s."
        ),
        Move.REINSTATE: _(
            "Only a suspended member can be reinstated; this membership is %(status)s."
        ),
        Move.LEAVE: _(
            "Only a current membership or application can be left; this one is "
            "%(status)s."
        ),
    }
    return messages[move] % {"status": status}


# --- Scope -------------------------------------------------------------------------


def _can_admin(actor: Actor, cluster_id: int) -> bool:
    return actor.is_platform_staff or actor.is_cluster_admin(cluster_id)


def _require_admin(actor: Actor, membership: Membership) -> None:
    if not _can_admin(actor, membership.cluster_id):
        raise NotPermitted(
            MembershipErrorCode.NOT_CLUSTER_ADMIN,
            _("Only this cluster's admins can decide on its memberships."),
        )


def _require_owner(actor: Actor, member: Member) -> None:
    if not actor.is_member_owner(member.pk):
        raise NotPermitted(
            MembershipErrorCode.NOT_MEMBER_OWNER,
            _("Only an owner of %(member)s can do this for it.")
            % {"member": member.name},
        )


def _require_in_trade(member: Member) -> None:
    if not member.in_trade:
        raise MembershipConflict(
            MembershipErrorCode.NOT_IN_TRADE,
            _(
                "%(member)s has not declared that it is in trade. A business must "
                "say it sells in trade (as the Fair Trading Act asks of online "
                "sellers) before it can be a member: its owner can declare it on "
                "the business profile."
            )
            % {"member": member.name},
            field="member",
        )


def _clean_text(value: str, *, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationFailed(
            MembershipErrorCode.INVALID_MEMBERSHIP,
            {
                field: [
                    _("Keep it to %(max)s characters (it has %(length)s).")
                    % {"max": max_length, "length": len(value)}
                ]
            },
        )
    return value


def _required_reason(reason: str, message: str) -> str:
    reason = _clean_text(reason, field="reason", max_length=MAX_REASON_LENGTH)
    if not reason:
        raise ValidationFailed(
            MembershipErrorCode.REASON_REQUIRED, {"reason": [message]}
        )
    return reason


# --- Services ----------------------------------------------------------------------


@transaction.atomic
def membership_apply(
    *,
    actor: Actor,
    member: Member,
    cluster: Cluster,
    message: str = "",
    invitation_token: str | None = None,
) -> Membership:
    """Apply for ``member`` to join ``cluster`` (an owner of the member only).

    The cluster must be live. A business may belong to several clusters, but only
    once to each: an application, membership or suspension already there is
    refused; a declined or departed business applies again on the same row. When
    the cluster does not require approval, the membership is approved at once
    (``decided_by`` empty). The cluster's admins are emailed. The applicant's
    message is kept in ``reason`` while the application waits.

    ``invitation_token`` is the link of an invitation for a business to join
    (``accounts.services.invitation_accept_for_business`` checks it all again and
    marks it accepted; an unusable one raises ``InvitationUnusable`` and nothing
    changes). An invited business is approved at once, even where the cluster
    requires approval: ``decided_by`` is the person who invited it.
    """
    _require_owner(actor, member)
    message = _clean_text(message, field="message", max_length=MAX_MESSAGE_LENGTH)
    cluster = Cluster.objects.get(pk=cluster.pk)
    if cluster.status != Cluster.Status.LIVE:
        raise MembershipConflict(
            MembershipErrorCode.CLUSTER_NOT_LIVE,
            _("%(cluster)s is not taking members yet.") % {"cluster": cluster.name},
        )
    # Used first, so its refusals come first; a later refusal rolls it back.
    invitation = (
        invitation_accept_for_business(
            actor=actor, token=invitation_token, cluster=cluster
        )
        if invitation_token
        else None
    )
    member = Member.objects.get(pk=member.pk)
    _require_in_trade(member)
    existing = (
        Membership.objects.select_for_update()
        .filter(member=member, cluster=cluster)
        .first()
    )
    now = timezone.now()
    if existing is not None:
        if existing.status not in ALLOWED_MOVES[Move.APPLY][0]:
            raise MembershipConflict(
                MembershipErrorCode.ALREADY_MEMBER,
                _already_message(existing, member, cluster),
                field="member",
            )
        membership = existing
        before = snapshot(membership, AUDIT_FIELDS)
    else:
        membership = Membership(member=member, cluster=cluster)
        before = {}
    membership.status = Status.APPLIED
    membership.applied_at = now
    membership.decided_at = None
    membership.decided_by = None
    membership.reason = message
    membership.left_at = None
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:  # the same business applied a moment ago
        raise MembershipConflict(
            MembershipErrorCode.ALREADY_MEMBER,
            _("%(member)s has already applied to join %(cluster)s.")
            % {"member": member.name, "cluster": cluster.name},
            field="member",
        ) from None
    audit_record(
        actor=actor,
        verb="membership.applied",
        target=membership,
        cluster_id=cluster.pk,
        member_id=member.pk,
        before=before,
        after={**snapshot(membership, AUDIT_FIELDS), "message": message},
    )
    if invitation is not None:
        _approve_invited(membership, invitation=invitation, now=now)
    elif not cluster.join_requires_approval:
        before = snapshot(membership, AUDIT_FIELDS)
        membership.status = Status.APPROVED
        membership.decided_at = now
        membership.save(update_fields=["status", "decided_at", "updated_at"])
        audit_record(
            actor=Actor.system(),  # no person decided: the cluster admits all
            verb="membership.auto_approved",
            target=membership,
            cluster_id=cluster.pk,
            member_id=member.pk,
            before=before,
            after=snapshot(membership, AUDIT_FIELDS),
        )
        transaction.on_commit(
            partial(
                membership_decided_notify.enqueue,
                membership_id=membership.pk,
                verb="auto_approved",
            )
        )
    _shelf_follows(membership)
    transaction.on_commit(
        partial(
            membership_applied_notify.enqueue,
            membership_id=membership.pk,
            invited=invitation is not None,
        )
    )
    return membership


def _approve_invited(
    membership: Membership, *, invitation: Invitation, now: datetime
) -> None:
    """Approve an application made with an invitation: its inviter decided."""
    before = snapshot(membership, AUDIT_FIELDS)
    inviter = invitation.invited_by
    membership.status = Status.APPROVED
    membership.decided_at = now
    membership.decided_by = inviter
    membership.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    audit_record(
        actor=Actor(user=inviter),  # the inviter decided, when inviting
        verb="membership.invited_approved",
        target=membership,
        cluster_id=membership.cluster_id,
        member_id=membership.member_id,
        before=before,
        after={**snapshot(membership, AUDIT_FIELDS), "invitation": invitation.pk},
    )
    transaction.on_commit(
        partial(
            membership_decided_notify.enqueue,
            membership_id=membership.pk,
            verb="invited_approved",
        )
    )


def _already_message(membership: Membership, member: Member, cluster: Cluster) -> str:
    names = {"member": member.name, "cluster": cluster.name}
    if membership.status == Status.APPLIED:
        return (
            _(
                "%(member)s has already applied to join %(cluster)s; the "
                "application is waiting for the cluster's admins."
            )
            % names
        )
    if membership.status == Status.SUSPENDED:
        return (
            _(
                "%(member)s's membership of %(cluster)s is suspended; ask the "
                "cluster's admins to reinstate it."
            )
            % names
        )
    return _("%(member)s is already a member of %(cluster)s.") % names


def _decide(
    *,
    actor: Actor,
    membership: Membership,
    move: Move,
    verb: str,
    reason: str,
) -> Membership:
    """Move a membership as its cluster's admin: checks, records, notifies."""
    _require_admin(actor, membership)
    locked = (
        Membership.objects.select_for_update()
        .select_related("member", "cluster")
        .get(pk=membership.pk)
    )
    sources, target = ALLOWED_MOVES[move]
    if locked.status not in sources:
        raise MembershipConflict(
            MembershipErrorCode.MOVE_NOT_ALLOWED, _refused_move_message(move, locked)
        )
    if target == Status.APPROVED:
        _require_in_trade(locked.member)
    before = snapshot(locked, AUDIT_FIELDS)
    locked.status = target
    locked.decided_by = actor.user if actor.is_authenticated else None
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(
        update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"]
    )
    _shelf_follows(locked)
    audit_record(
        actor=actor,
        verb=f"membership.{verb}",
        target=locked,
        cluster_id=locked.cluster_id,
        member_id=locked.member_id,
        before=before,
        after=snapshot(locked, AUDIT_FIELDS),
    )
    transaction.on_commit(
        partial(membership_decided_notify.enqueue, membership_id=locked.pk, verb=verb)
    )
    _copy(locked, membership)
    return membership


def _shelf_follows(membership: Membership) -> None:
    """Tell the search app whether the member is now admitted to the cluster, so
    its products there go on or off the shop's shelf (an explicit call:
    ``purei.search`` sits below members)."""
    membership_changed(
        member_id=membership.member_id,
        cluster_id=membership.cluster_id,
        open=membership.status == Status.APPROVED,
    )


def _copy(source: Membership, target: Membership) -> None:
    if source is not target:
        for name in (*AUDIT_FIELDS, "applied_at", "updated_at"):
            setattr(target, name, getattr(source, name))


@transaction.atomic
def membership_approve(
    *, actor: Actor, membership: Membership, reason: str = ""
) -> Membership:
    """Approve an application (the cluster's admins; the business must be in
    trade). ``reason`` is an optional note to the business."""
    return _decide(
        actor=actor,
        membership=membership,
        move=Move.APPROVE,
        verb="approved",
        reason=_clean_text(reason, field="reason", max_length=MAX_REASON_LENGTH),
    )


@transaction.atomic
def membership_decline(
    *, actor: Actor, membership: Membership, reason: str
) -> Membership:
    """Decline an application with a reason, emailed to the business."""
    return _decide(
        actor=actor,
        membership=membership,
        move=Move.DECLINE,
        verb="declined",
        reason=_required_reason(
            reason,
            _("Say why the application is declined: the business will read it."),
        ),
    )


@transaction.atomic
def membership_suspend(
    *, actor: Actor, membership: Membership, reason: str
) -> Membership:
    """Suspend an approved member with a reason, emailed to the business."""
    return _decide(
        actor=actor,
        membership=membership,
        move=Move.SUSPEND,
        verb="suspended",
        reason=_required_reason(
            reason,
            _("Say why the member is suspended: the business will read it."),
        ),
    )


@transaction.atomic
def membership_reinstate(
    *, actor: Actor, membership: Membership, reason: str = ""
) -> Membership:
    """Lift a suspension (the business must still be in trade)."""
    return _decide(
        actor=actor,
        membership=membership,
        move=Move.REINSTATE,
        verb="reinstated",
        reason=_clean_text(reason, field="reason", max_length=MAX_REASON_LENGTH),
    )


@transaction.atomic
def membership_leave(*, actor: Actor, membership: Membership) -> Membership:
    """The business leaves the cluster (or withdraws its application): its owner
    only. The cluster's admins are told."""
    locked = (
        Membership.objects.select_for_update()
        .select_related("member", "cluster")
        .get(pk=membership.pk)
    )
    _require_owner(actor, locked.member)
    if locked.status not in ALLOWED_MOVES[Move.LEAVE][0]:
        raise MembershipConflict(
            MembershipErrorCode.MOVE_NOT_ALLOWED,
            _refused_move_message(Move.LEAVE, locked),
        )
    before = snapshot(locked, AUDIT_FIELDS)
    locked.status = ALLOWED_MOVES[Move.LEAVE][1]
    locked.left_at = timezone.now()
    locked.save(update_fields=["status", "left_at", "updated_at"])
    _shelf_follows(locked)
    audit_record(
        actor=actor,
        verb="membership.left",
        target=locked,
        cluster_id=locked.cluster_id,
        member_id=locked.member_id,
        before=before,
        after=snapshot(locked, AUDIT_FIELDS),
    )
    transaction.on_commit(
        partial(membership_left_notify.enqueue, membership_id=locked.pk)
    )
    _copy(locked, membership)
    return membership
