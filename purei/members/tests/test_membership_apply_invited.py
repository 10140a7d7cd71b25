"""Joining with an invitation: ``membership_apply(invitation_token=…)`` approves the
business at once, on its inviter's word, and uses the invitation up."""

import time
from unittest import mock

import pytest
from django.core import mail, signing

from purei.accounts.errors import AccountErrorCode, InvitationUnusable
from purei.accounts.models import MEMBER_BUSINESS, Invitation
from purei.accounts.selectors import INVITATION_SALT, invitation_token
from purei.accounts.services import invitation_create, invitation_revoke
from purei.core.errors import NotPermitted
from purei.core.models import AuditEntry
from purei.members.memberships import (
    MembershipConflict,
    MembershipErrorCode,
    membership_apply,
)
from purei.members.models import Member, Membership
from purei.members.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(cluster_y_admin, cluster_y) -> Invitation:
    """Cluster Y (which requires approval) invites member A's owner."""
    assert cluster_y.join_requires_approval is True
    return invitation_create(
        actor=cluster_y_admin,
        cluster=cluster_y,
        email="owner@member-a.nz",
        role=MEMBER_BUSINESS,
    )


@pytest.fixture
def token(invitation) -> str:
    return invitation_token(invitation)


def _pending(invitation: Invitation) -> bool:
    invitation.refresh_from_db()
    return invitation.status == Invitation.Status.PENDING


def test_an_invited_business_is_approved_at_once_by_its_inviter(
    member_a_owner, member_a, cluster_y, cluster_y_admin_user, invitation, token
):
    # when
    membership = membership_apply(
        actor=member_a_owner,
        member=member_a,
        cluster=cluster_y,
        message="Thanks for asking!",
        invitation_token=token,
    )
    # then
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == cluster_y_admin_user
    assert membership.decided_at is not None
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == member_a_owner.user
    verbs = list(
        AuditEntry.objects.filter(cluster=cluster_y)
        .order_by("pk")
        .values_list("verb", "actor_email")
    )
    assert verbs == [
        ("invitation.created", "admin@cluster-y.nz"),
        ("invitation.accepted", "owner@member-a.nz"),
        ("membership.applied", "owner@member-a.nz"),
        ("membership.invited_approved", "admin@cluster-y.nz"),
    ]
    approved = AuditEntry.objects.get(verb="membership.invited_approved")
    assert approved.member_id == member_a.pk
    assert approved.before["status"] == "applied"
    assert approved.after["status"] == "approved"
    assert approved.after["decided_by"] == cluster_y_admin_user.pk
    assert approved.after["invitation"] == invitation.pk


def test_the_admins_and_the_business_are_told(
    member_a_owner,
    member_a,
    cluster_y,
    cluster_y_admin_user,
    token,
    django_capture_on_commit_callbacks,
):
    # given
    cluster_y_admin_user.full_name = "Rāwiri Oysters"
    cluster_y_admin_user.save()
    Member.objects.filter(pk=member_a.pk).update(email="")  # owners are emailed
    # when
    with django_capture_on_commit_callbacks(execute=True):
        membership_apply(
            actor=member_a_owner,
            member=member_a,
            cluster=cluster_y,
            invitation_token=token,
        )
    # then
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"admin@cluster-y.nz", "owner@member-a.nz"}
    to_admin = by_recipient["admin@cluster-y.nz"]
    assert to_admin.subject == "Member A Wines joined Cluster Y Oysters"
    assert (
        "Member A Wines has accepted the invitation from Rāwiri Oysters and joined "
        "Cluster Y Oysters" in to_admin.body
    )
    to_business = by_recipient["owner@member-a.nz"]
    assert to_business.subject == "Welcome to Cluster Y Oysters"
    assert "has accepted the invitation and is now a member" in to_business.body


def test_the_usual_in_trade_rule_still_applies(
    member_a_owner, member_a, cluster_y, invitation, token
):
    # given
    Member.objects.filter(pk=member_a.pk).update(in_trade=False)
    # when
    with pytest.raises(MembershipConflict) as caught:
        membership_apply(
            actor=member_a_owner,
            member=member_a,
            cluster=cluster_y,
            invitation_token=token,
        )
    # then
    assert caught.value.code == MembershipErrorCode.NOT_IN_TRADE
    assert "Fair Trading Act" in caught.value.message
    assert Membership.objects.filter(cluster=cluster_y).exists() is False
    assert _pending(invitation)
    assert AuditEntry.objects.filter(verb__startswith="membership.").exists() is False


@pytest.mark.parametrize(
    "status",
    [
        Membership.Status.APPROVED,
        Membership.Status.APPLIED,
        Membership.Status.SUSPENDED,
    ],
)
def test_an_existing_membership_is_refused_and_nothing_changes(
    member_a_owner, member_a, cluster_y, invitation, token, status
):
    # given
    existing = MembershipFactory.create(
        member=member_a, cluster=cluster_y, status=status
    )
    # when
    with pytest.raises(MembershipConflict) as caught:
        membership_apply(
            actor=member_a_owner,
            member=member_a,
            cluster=cluster_y,
            invitation_token=token,
        )
    # then
    assert caught.value.code == MembershipErrorCode.ALREADY_MEMBER
    existing.refresh_from_db()
    assert existing.status == status
    assert existing.decided_by is None
    assert _pending(invitation)
    assert AuditEntry.objects.exclude(verb="invitation.created").exists() is False


def test_a_declined_business_invited_back_is_approved_on_the_same_row(
    member_a_owner, member_a, cluster_y, cluster_y_admin_user, token
):
    # given
    declined = MembershipFactory.create(
        member=member_a, cluster=cluster_y, status=Membership.Status.DECLINED
    )
    # when
    membership = membership_apply(
        actor=member_a_owner, member=member_a, cluster=cluster_y, invitation_token=token
    )
    # then
    assert membership.pk == declined.pk
    declined.refresh_from_db()
    assert declined.status == Membership.Status.APPROVED
    assert declined.decided_by == cluster_y_admin_user


def test_a_revoked_invitation_is_refused_and_nothing_changes(
    cluster_y_admin, member_a_owner, member_a, cluster_y, invitation, token
):
    # given
    invitation_revoke(actor=cluster_y_admin, invitation=invitation)
    # when
    with pytest.raises(InvitationUnusable) as caught:
        membership_apply(
            actor=member_a_owner,
            member=member_a,
            cluster=cluster_y,
            invitation_token=token,
        )
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_REVOKED
    assert Membership.objects.filter(cluster=cluster_y).exists() is False


def test_an_expired_invitation_is_refused_and_nothing_changes(
    member_a_owner, member_a, cluster_y, invitation
):
    # given
    past = time.time() - 15 * 24 * 60 * 60
    with mock.patch("time.time", return_value=past):
        old_token = signing.TimestampSigner(salt=INVITATION_SALT).sign(invitation.key)
    # when
    with pytest.raises(InvitationUnusable) as caught:
        membership_apply(
            actor=member_a_owner,
            member=member_a,
            cluster=cluster_y,
            invitation_token=old_token,
        )
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_EXPIRED
    assert Membership.objects.filter(cluster=cluster_y).exists() is False
    assert _pending(invitation)


def test_an_invitation_for_someone_else_is_refused(
    cluster_y_admin, member_a_owner, member_a, cluster_y
):
    # given
    for_someone_else = invitation_create(
        actor=cluster_y_admin,
        cluster=cluster_y,
        email="someone@else.nz",
        role=MEMBER_BUSINESS,
    )
    # when
    with pytest.raises(InvitationUnusable) as caught:
        membership_apply(
            actor=member_a_owner,
            member=member_a,
            cluster=cluster_y,
            invitation_token=invitation_token(for_someone_else),
        )
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_WRONG_EMAIL
    assert Membership.objects.filter(cluster=cluster_y).exists() is False
    assert _pending(for_someone_else)


def test_an_invitation_to_another_cluster_is_refused(
    cluster_x_admin, cluster_x, member_a_owner, member_a, cluster_y
):
    # given
    to_x = invitation_create(
        actor=cluster_x_admin,
        cluster=cluster_x,
        email="owner@member-a.nz",
        role=MEMBER_BUSINESS,
    )
    # when
    with pytest.raises(InvitationUnusable) as caught:
        membership_apply(
            actor=member_a_owner,
            member=member_a,
            cluster=cluster_y,
            invitation_token=invitation_token(to_x),
        )
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_OTHER_CLUSTER
    assert Membership.objects.filter(cluster=cluster_y).exists() is False
    assert _pending(to_x)


def test_staff_of_the_business_cannot_use_it(
    cluster_y_admin, member_a_staff, member_a, cluster_y
):
    # given
    for_staff = invitation_create(
        actor=cluster_y_admin,
        cluster=cluster_y,
        email="staff@member-a.nz",
        role=MEMBER_BUSINESS,
    )
    # when
    with pytest.raises(NotPermitted) as caught:
        membership_apply(
            actor=member_a_staff,
            member=member_a,
            cluster=cluster_y,
            invitation_token=invitation_token(for_staff),
        )
    # then
    assert caught.value.code == MembershipErrorCode.NOT_MEMBER_OWNER
    assert Membership.objects.filter(cluster=cluster_y).exists() is False
    assert _pending(for_staff)
