"""Approve, decline, suspend, reinstate and leave: every move, allowed and refused."""

import pytest
from django.core import mail

from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.memberships import (
    ALLOWED_MOVES,
    MembershipConflict,
    MembershipErrorCode,
    Move,
    membership_approve,
    membership_decline,
    membership_leave,
    membership_reinstate,
    membership_suspend,
    moves_from,
)
from purei.members.models import Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status
REASON = "Your listing photos show imported goods."

ADMIN_SERVICES = {
    Move.APPROVE: lambda actor, m: membership_approve(actor=actor, membership=m),
    Move.DECLINE: lambda actor, m: membership_decline(
        actor=actor, membership=m, reason=REASON
    ),
    Move.SUSPEND: lambda actor, m: membership_suspend(
        actor=actor, membership=m, reason=REASON
    ),
    Move.REINSTATE: lambda actor, m: membership_reinstate(actor=actor, membership=m),
}
VERBS = {
    Move.APPROVE: "membership.approved",
    Move.DECLINE: "membership.declined",
    Move.SUSPEND: "membership.suspended",
    Move.REINSTATE: "membership.reinstated",
}


@pytest.fixture
def membership_in_x(cluster_x, member_a):
    """Member A's membership of cluster X (approved by the cast; tests reset it)."""
    return Membership.objects.get(member=member_a, cluster=cluster_x)


def set_status(membership: Membership, status: str) -> Membership:
    Membership.objects.filter(pk=membership.pk).update(status=status)
    membership.refresh_from_db()
    return membership


def test_moves_are_data():
    # then
    assert moves_from(Status.APPLIED) == [Move.APPROVE, Move.DECLINE, Move.LEAVE]
    assert moves_from(Status.APPROVED) == [Move.SUSPEND, Move.LEAVE]
    assert moves_from(Status.SUSPENDED) == [Move.REINSTATE, Move.LEAVE]
    assert moves_from(Status.DECLINED) == [Move.APPLY]
    assert moves_from(Status.LEFT) == [Move.APPLY]
    assert set(ALLOWED_MOVES) == set(Move)


ALLOWED = [
    (move, status)
    for move in ADMIN_SERVICES
    for status in Status.values
    if status in ALLOWED_MOVES[move][0]
]
REFUSED = [
    (move, status)
    for move in ADMIN_SERVICES
    for status in Status.values
    if status not in ALLOWED_MOVES[move][0]
]


@pytest.mark.parametrize(("move", "status"), ALLOWED)
def test_admin_makes_each_allowed_move(
    cluster_x_admin, membership_in_x, move, status, django_capture_on_commit_callbacks
):
    # given
    membership = set_status(membership_in_x, status)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        ADMIN_SERVICES[move](cluster_x_admin, membership)
    # then
    membership.refresh_from_db()
    assert membership.status == ALLOWED_MOVES[move][1]
    assert membership.decided_by == cluster_x_admin.user
    assert membership.decided_at is not None
    entry = AuditEntry.objects.get(verb=VERBS[move])
    assert entry.actor == cluster_x_admin.user
    assert entry.cluster_id == membership.cluster_id
    assert entry.member_id == membership.member_id
    assert entry.before["status"] == status
    assert entry.after["status"] == ALLOWED_MOVES[move][1]
    assert [m.to for m in mail.outbox] == [[membership.member.email]]


@pytest.mark.parametrize(("move", "status"), REFUSED)
def test_admin_is_refused_every_other_move_and_nothing_changes(
    cluster_x_admin, membership_in_x, move, status, django_capture_on_commit_callbacks
):
    # given
    membership = set_status(membership_in_x, status)
    # when
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(MembershipConflict) as caught,
    ):
        ADMIN_SERVICES[move](cluster_x_admin, membership)
    # then
    assert caught.value.code == MembershipErrorCode.MOVE_NOT_ALLOWED
    assert caught.value.status == 409
    membership.refresh_from_db()
    assert membership.status == status
    assert membership.decided_by is None
    assert not AuditEntry.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("move", list(ADMIN_SERVICES))
@pytest.mark.parametrize(
    "actor_name",
    ["anonymous", "customer", "member_a_staff", "member_a_owner", "cluster_y_admin"],
)
def test_only_this_clusters_admins_decide(request, membership_in_x, move, actor_name):
    # given: a membership each move could be made from
    membership = set_status(membership_in_x, sorted(ALLOWED_MOVES[move][0])[0])
    before = membership.status
    actor = request.getfixturevalue(actor_name)
    # when
    with pytest.raises(NotPermitted) as caught:
        ADMIN_SERVICES[move](actor, membership)
    # then
    assert caught.value.code == MembershipErrorCode.NOT_CLUSTER_ADMIN
    membership.refresh_from_db()
    assert membership.status == before
    assert not AuditEntry.objects.exists()


def test_platform_staff_may_decide(platform_staff, membership_in_x):
    # given
    membership = set_status(membership_in_x, Status.APPLIED)
    # when
    membership_approve(actor=platform_staff, membership=membership)
    # then
    membership.refresh_from_db()
    assert membership.status == Status.APPROVED
    assert membership.decided_by == platform_staff.user


@pytest.mark.parametrize(
    ("move", "status"),
    [(Move.APPROVE, Status.APPLIED), (Move.REINSTATE, Status.SUSPENDED)],
)
def test_approval_needs_the_business_in_trade(
    cluster_x_admin, membership_in_x, move, status
):
    # given
    membership = set_status(membership_in_x, status)
    membership.member.in_trade = False
    membership.member.save(update_fields=["in_trade"])
    # when
    with pytest.raises(MembershipConflict) as caught:
        ADMIN_SERVICES[move](cluster_x_admin, membership)
    # then
    assert caught.value.code == MembershipErrorCode.NOT_IN_TRADE
    assert "Fair Trading Act" in caught.value.message
    membership.refresh_from_db()
    assert membership.status == status
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("service", "status"),
    [(membership_decline, Status.APPLIED), (membership_suspend, Status.APPROVED)],
)
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_decline_and_suspend_need_a_reason(
    cluster_x_admin, membership_in_x, service, status, reason
):
    # given
    membership = set_status(membership_in_x, status)
    # when
    with pytest.raises(ValidationFailed) as caught:
        service(actor=cluster_x_admin, membership=membership, reason=reason)
    # then
    assert caught.value.code == MembershipErrorCode.REASON_REQUIRED
    assert caught.value.field == "reason"
    membership.refresh_from_db()
    assert membership.status == status
    assert not AuditEntry.objects.exists()


def test_the_reason_is_kept_and_emailed(
    cluster_x_admin, membership_in_x, django_capture_on_commit_callbacks
):
    # given
    membership = set_status(membership_in_x, Status.APPLIED)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        membership_decline(actor=cluster_x_admin, membership=membership, reason=REASON)
    # then
    membership.refresh_from_db()
    assert membership.reason == REASON
    message = mail.outbox[0]
    assert message.to == [membership.member.email]
    assert "Cluster X Wine" in message.subject
    assert REASON in message.body
    entry = AuditEntry.objects.get(verb="membership.declined")
    assert entry.after["reason"] == REASON


def test_email_goes_to_the_owners_when_the_business_has_no_address(
    cluster_x_admin,
    membership_in_x,
    member_a_owner_user,
    django_capture_on_commit_callbacks,
):
    # given
    membership = set_status(membership_in_x, Status.APPROVED)
    membership.member.email = ""
    membership.member.save(update_fields=["email"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        membership_suspend(actor=cluster_x_admin, membership=membership, reason=REASON)
    # then
    assert [m.to for m in mail.outbox] == [["owner@member-a.nz"]]


# --- Leaving ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.APPLIED, Status.APPROVED, Status.SUSPENDED])
def test_owner_leaves(
    member_a_owner,
    membership_in_x,
    cluster_x_admin_user,
    status,
    django_capture_on_commit_callbacks,
):
    # given
    membership = set_status(membership_in_x, status)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        membership_leave(actor=member_a_owner, membership=membership)
    # then
    membership.refresh_from_db()
    assert membership.status == Status.LEFT
    assert membership.left_at is not None
    entry = AuditEntry.objects.get(verb="membership.left")
    assert entry.actor == member_a_owner.user
    assert entry.cluster_id == membership.cluster_id
    assert [m.to for m in mail.outbox] == [["admin@cluster-x.nz"]]


@pytest.mark.parametrize("status", [Status.DECLINED, Status.LEFT])
def test_leaving_twice_or_after_decline_is_refused(
    member_a_owner, membership_in_x, status
):
    # given
    membership = set_status(membership_in_x, status)
    # when
    with pytest.raises(MembershipConflict):
        membership_leave(actor=member_a_owner, membership=membership)
    # then
    membership.refresh_from_db()
    assert membership.status == status
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "actor_name",
    [
        "customer",
        "member_a_staff",
        "cluster_x_admin",
        "cluster_y_admin",
        "platform_staff",
    ],
)
def test_only_an_owner_makes_the_business_leave(request, membership_in_x, actor_name):
    # given
    actor = request.getfixturevalue(actor_name)
    # when
    with pytest.raises(NotPermitted):
        membership_leave(actor=actor, membership=membership_in_x)
    # then
    membership_in_x.refresh_from_db()
    assert membership_in_x.status == Status.APPROVED


def test_decisions_in_one_cluster_leave_the_others_alone(
    cluster_x_admin, cluster_y, member_a, membership_in_x
):
    # given
    in_y = MembershipFactory.create(
        member=member_a, cluster=cluster_y, status=Status.APPROVED
    )
    other = MembershipFactory.create(
        member=MemberFactory.create(),
        cluster=membership_in_x.cluster,
        status=Status.APPLIED,
    )
    # when
    membership_suspend(actor=cluster_x_admin, membership=membership_in_x, reason=REASON)
    # then
    in_y.refresh_from_db()
    other.refresh_from_db()
    assert in_y.status == Status.APPROVED
    assert other.status == Status.APPLIED
