import pytest
from django.core import mail

from purei.accounts.models import ClusterRole
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.memberships import (
    MembershipConflict,
    MembershipErrorCode,
    membership_apply,
)
from purei.members.models import Membership
from purei.members.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_owner_applies_and_waits_for_approval(
    member_a_owner, member_a, cluster_y, cluster_y_admin_user
):
    # when
    membership = membership_apply(
        actor=member_a_owner,
        member=member_a,
        cluster=cluster_y,
        message="We grow oysters too.",
    )
    # then
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPLIED
    assert membership.decided_by is None
    assert membership.decided_at is None
    assert membership.reason == "We grow oysters too."
    entry = AuditEntry.objects.get(verb="membership.applied")
    assert entry.cluster_id == cluster_y.pk
    assert entry.member_id == member_a.pk
    assert entry.actor == member_a_owner.user
    assert entry.after["status"] == "applied"
    assert entry.after["message"] == "We grow oysters too."


def test_a_business_may_belong_to_several_clusters(
    member_a_owner, member_a, cluster_x, cluster_y
):
    # when
    membership_apply(actor=member_a_owner, member=member_a, cluster=cluster_y)
    # then
    statuses = dict(
        Membership.objects.filter(member=member_a).values_list(
            "cluster__slug", "status"
        )
    )
    assert statuses == {"cluster-x": "approved", "cluster-y": "applied"}


def test_emails_the_cluster_admins(
    member_a_owner,
    member_a,
    cluster_y,
    cluster_y_admin_user,
    django_capture_on_commit_callbacks,
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        membership_apply(
            actor=member_a_owner,
            member=member_a,
            cluster=cluster_y,
            message="Kia ora, we'd love to join.",
        )
    # then
    assert [m.to for m in mail.outbox] == [["admin@cluster-y.nz"]]
    message = mail.outbox[0]
    assert "Member A Wines applied to join Cluster Y Oysters" in message.subject
    assert "Kia ora, we'd love to join." in message.body
    assert "/manage/clusters/cluster-y/members/" in message.body


def test_cluster_without_approval_admits_at_once(
    member_a_owner,
    member_a,
    cluster_y,
    cluster_y_admin_user,
    django_capture_on_commit_callbacks,
):
    # given
    Cluster.objects.filter(pk=cluster_y.pk).update(join_requires_approval=False)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_apply(
            actor=member_a_owner, member=member_a, cluster=cluster_y
        )
    # then
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by is None
    assert membership.decided_at is not None
    auto = AuditEntry.objects.get(verb="membership.auto_approved")
    assert auto.actor is None
    assert auto.cluster_id == cluster_y.pk
    assert auto.member_id == member_a.pk
    assert auto.before == {"status": "applied", "decided_at": None}
    assert auto.after["status"] == "approved"
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["admin@cluster-y.nz", member_a.email])
    welcome = next(m for m in mail.outbox if m.to == [member_a.email])
    assert "Welcome to Cluster Y Oysters" in welcome.subject


@pytest.mark.parametrize(
    "status",
    [
        Membership.Status.APPLIED,
        Membership.Status.APPROVED,
        Membership.Status.SUSPENDED,
    ],
)
def test_refuses_a_duplicate_and_changes_nothing(
    member_a_owner, member_a, cluster_y, status, django_capture_on_commit_callbacks
):
    # given
    existing = MembershipFactory.create(
        member=member_a, cluster=cluster_y, status=status
    )
    # when
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(MembershipConflict) as caught,
    ):
        membership_apply(actor=member_a_owner, member=member_a, cluster=cluster_y)
    # then
    assert caught.value.code == MembershipErrorCode.ALREADY_MEMBER
    assert caught.value.status == 409
    assert "Member A Wines" in caught.value.message
    existing.refresh_from_db()
    assert existing.status == status
    assert Membership.objects.filter(member=member_a, cluster=cluster_y).count() == 1
    assert not AuditEntry.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("status", [Membership.Status.DECLINED, Membership.Status.LEFT])
def test_declined_or_departed_business_applies_again_on_the_same_row(
    member_a_owner, member_a, cluster_y, cluster_y_admin_user, status
):
    # given
    old = MembershipFactory.create(
        member=member_a,
        cluster=cluster_y,
        status=status,
        decided_by=cluster_y_admin_user,
        reason="Not yet.",
    )
    # when
    membership = membership_apply(
        actor=member_a_owner, member=member_a, cluster=cluster_y, message="Again"
    )
    # then
    assert membership.pk == old.pk
    old.refresh_from_db()
    assert old.status == Membership.Status.APPLIED
    assert old.decided_by is None
    assert old.decided_at is None
    assert old.left_at is None
    assert old.reason == "Again"
    entry = AuditEntry.objects.get(verb="membership.applied")
    assert entry.before["status"] == status


@pytest.mark.parametrize(
    "actor_name",
    ["anonymous", "customer", "member_a_staff", "cluster_x_admin", "platform_staff"],
)
def test_only_an_owner_of_the_business_may_apply(
    request, actor_name, member_a, cluster_y
):
    # given
    actor = request.getfixturevalue(actor_name)
    # when
    with pytest.raises(NotPermitted) as caught:
        membership_apply(actor=actor, member=member_a, cluster=cluster_y)
    # then
    assert caught.value.code == MembershipErrorCode.NOT_MEMBER_OWNER
    assert not Membership.objects.filter(cluster=cluster_y).exists()
    assert not AuditEntry.objects.exists()


def test_owner_of_another_business_may_not_apply_for_it(member_a_owner, cluster_y):
    # given
    other = MembershipFactory.create(status=Membership.Status.APPROVED).member
    # when
    with pytest.raises(NotPermitted):
        membership_apply(actor=member_a_owner, member=other, cluster=cluster_y)
    # then
    assert not Membership.objects.filter(cluster=cluster_y).exists()


@pytest.mark.parametrize("status", [Cluster.Status.DRAFT, Cluster.Status.PAUSED])
def test_cluster_must_be_live(member_a_owner, member_a, cluster_y, status):
    # given
    Cluster.objects.filter(pk=cluster_y.pk).update(status=status)
    # when
    with pytest.raises(MembershipConflict) as caught:
        membership_apply(actor=member_a_owner, member=member_a, cluster=cluster_y)
    # then
    assert caught.value.code == MembershipErrorCode.CLUSTER_NOT_LIVE
    assert not Membership.objects.filter(cluster=cluster_y).exists()


def test_a_business_not_in_trade_is_told_to_declare_it(
    member_a_owner, member_a, cluster_y
):
    # given
    member_a.in_trade = False
    member_a.save(update_fields=["in_trade"])
    # when
    with pytest.raises(MembershipConflict) as caught:
        membership_apply(actor=member_a_owner, member=member_a, cluster=cluster_y)
    # then
    assert caught.value.code == MembershipErrorCode.NOT_IN_TRADE
    assert caught.value.field == "member"
    assert "in trade" in caught.value.message
    assert not Membership.objects.filter(cluster=cluster_y).exists()


def test_a_message_too_long_is_refused(member_a_owner, member_a, cluster_y):
    # when
    with pytest.raises(ValidationFailed) as caught:
        membership_apply(
            actor=member_a_owner, member=member_a, cluster=cluster_y, message="x" * 2001
        )
    # then
    assert caught.value.field == "message"
    assert not Membership.objects.filter(cluster=cluster_y).exists()


def test_an_admin_role_does_not_let_you_apply_for_a_business(
    cluster_y_admin_user, member_a, cluster_y
):
    # given: an admin of cluster Y who is not on member A's team
    actor = Actor(user=cluster_y_admin_user)
    assert ClusterRole.objects.filter(user=cluster_y_admin_user).exists()
    # when
    with pytest.raises(NotPermitted):
        membership_apply(actor=actor, member=member_a, cluster=cluster_y)
    # then
    assert not Membership.objects.filter(cluster=cluster_y).exists()
