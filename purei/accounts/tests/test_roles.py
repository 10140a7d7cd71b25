"""Roles in clusters and member businesses: who may invite, accept, revoke, list and
remove, and the audit rows every change leaves."""

import re
import time
from typing import Any
from unittest import mock

import pytest
from django.core import mail, signing
from django.http import Http404
from django.test import Client

from purei.accounts.errors import (
    AccountErrorCode,
    InvitationUnusable,
    RoleConflict,
)
from purei.accounts.models import ClusterRole, Invitation, MemberRole
from purei.accounts.selectors import (
    INVITATION_SALT,
    cluster_role_get_for,
    cluster_role_list_for,
    invitation_get_by_token,
    invitation_get_for,
    invitation_list_for,
    invitation_token,
    member_role_get_for,
    member_role_list_for,
)
from purei.accounts.services import (
    cluster_role_remove,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    member_role_remove,
)
from purei.accounts.tests.factories import ClusterRoleFactory, UserFactory
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.tests.factories import MemberRoleFactory

pytestmark = pytest.mark.django_db

ALL_ACTORS = [
    "anonymous",
    "customer",
    "member_a_staff",
    "member_a_owner",
    "cluster_x_admin",
    "cluster_y_admin",
    "platform_staff",
]
MAY_MANAGE_CLUSTER_X = {"cluster_x_admin", "platform_staff"}
MAY_MANAGE_MEMBER_A = {"member_a_owner", "platform_staff"}


# --- invitation_create: who may invite where ----------------------------------------


@pytest.mark.parametrize("actor_name", ALL_ACTORS)
def test_who_may_invite_into_cluster_x(
    request, actor_name, cluster_x, django_capture_on_commit_callbacks
):
    # given
    actor = request.getfixturevalue(actor_name)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        if actor_name in MAY_MANAGE_CLUSTER_X:
            invitation_create(
                actor=actor, cluster=cluster_x, email="new@example.nz", role="curator"
            )
        else:
            with pytest.raises(NotPermitted):
                invitation_create(
                    actor=actor,
                    cluster=cluster_x,
                    email="new@example.nz",
                    role="curator",
                )
    # then
    allowed = actor_name in MAY_MANAGE_CLUSTER_X
    assert Invitation.objects.filter(cluster=cluster_x).exists() is allowed
    assert AuditEntry.objects.filter(cluster=cluster_x).exists() is allowed
    assert len(mail.outbox) == (1 if allowed else 0)


@pytest.mark.parametrize("actor_name", ALL_ACTORS)
def test_who_may_invite_into_member_a(
    request, actor_name, member_a, django_capture_on_commit_callbacks
):
    # given
    actor = request.getfixturevalue(actor_name)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        if actor_name in MAY_MANAGE_MEMBER_A:
            invitation_create(
                actor=actor, member=member_a, email="new@example.nz", role="staff"
            )
        else:
            with pytest.raises(NotPermitted):
                invitation_create(
                    actor=actor, member=member_a, email="new@example.nz", role="staff"
                )
    # then
    allowed = actor_name in MAY_MANAGE_MEMBER_A
    assert Invitation.objects.filter(member=member_a).exists() is allowed
    assert AuditEntry.objects.filter(member=member_a).exists() is allowed
    assert len(mail.outbox) == (1 if allowed else 0)


def test_an_owner_invites_staff_and_the_email_names_the_business(
    member_a_owner, member_a, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            actor=member_a_owner,
            member=member_a,
            email=" Tama@Example.NZ ",
            role=MemberRole.Role.STAFF,
        )
    # then
    assert (invitation.email, invitation.cluster, invitation.member) == (
        "tama@example.nz",
        None,
        member_a,
    )
    assert invitation.invited_by == member_a_owner.user
    message = mail.outbox[0]
    assert message.to == ["tama@example.nz"]
    assert "Member A Wines" in message.subject
    assert "Member A Wines" in str(message.body)
    # the link's token opens this invitation (compared by what it opens: a token
    # made again a second later carries another timestamp)
    tokens = re.findall(r"/accounts/invitations/([^/\s]+)/", str(message.body))
    assert len(tokens) == 1
    assert invitation_get_by_token(tokens[0]) == invitation
    entry = AuditEntry.objects.get()
    assert entry.verb == "invitation.created"
    assert entry.member_id == member_a.pk
    assert entry.cluster_id is None
    assert entry.actor == member_a_owner.user
    assert entry.after == {"email": "tama@example.nz", "role": "staff"}


def test_a_cluster_invitation_is_audited_for_that_cluster(platform_staff, cluster_x):
    # when
    invitation_create(
        actor=platform_staff, cluster=cluster_x, email="a@b.nz", role="admin"
    )
    # then
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.cluster_id, entry.member_id) == (
        "invitation.created",
        cluster_x.pk,
        None,
    )


@pytest.mark.parametrize(
    ("target", "role", "field"),
    [
        ("member", "admin", "role"),
        ("member", "curator", "role"),
        ("cluster", "owner", "role"),
        ("cluster", "staff", "role"),
    ],
)
def test_each_place_has_its_own_roles(
    platform_staff, cluster_x, member_a, target, role, field
):
    # given
    where = {"cluster": cluster_x} if target == "cluster" else {"member": member_a}
    # when
    with pytest.raises(ValidationFailed) as caught:
        invitation_create(actor=platform_staff, email="a@b.nz", role=role, **where)
    # then
    assert caught.value.field == field
    assert Invitation.objects.exists() is False


@pytest.mark.parametrize("both", [True, False])
def test_an_invitation_names_exactly_one_place(
    platform_staff, cluster_x, member_a, both
):
    # given
    where = {"cluster": cluster_x, "member": member_a} if both else {}
    # when
    with pytest.raises(ValidationFailed) as caught:
        invitation_create(actor=platform_staff, email="a@b.nz", role="admin", **where)
    # then
    assert caught.value.code == AccountErrorCode.INVALID_INVITATION_DATA
    assert Invitation.objects.exists() is False


def test_inviting_someone_who_already_has_the_role_is_refused(
    member_a_owner, member_a, member_a_staff_user
):
    # when
    with pytest.raises(RoleConflict) as caught:
        invitation_create(
            actor=member_a_owner,
            member=member_a,
            email="STAFF@member-a.nz",
            role="staff",
        )
    # then
    assert caught.value.code == AccountErrorCode.ALREADY_HAS_ROLE
    assert caught.value.field == "email"
    assert Invitation.objects.exists() is False


# --- invitation_accept for a member role --------------------------------------------


@pytest.fixture
def staff_invitation(member_a_owner, member_a) -> Invitation:
    return invitation_create(
        actor=member_a_owner, member=member_a, email="tama@example.nz", role="staff"
    )


def test_accepting_a_member_invitation_grants_the_member_role(
    staff_invitation, member_a
):
    # given
    tama = UserFactory.create(email="tama@example.nz")
    # when
    role = invitation_accept(invitation=staff_invitation, user=tama)
    # then
    assert isinstance(role, MemberRole)
    assert (role.user, role.member, role.role) == (tama, member_a, "staff")
    assert ClusterRole.objects.filter(user=tama).exists() is False
    assert Actor(user=tama).is_member_team(member_a.pk)
    entry = AuditEntry.objects.get(verb="invitation.accepted")
    assert entry.member_id == member_a.pk
    assert entry.actor == tama


def test_accepting_a_member_invitation_on_the_web_leads_to_manage(
    client: Client, staff_invitation, member_a
):
    # given
    url = f"/accounts/invitations/{invitation_token(staff_invitation)}/"
    # when
    page = client.get(url)
    response = client.post(
        url,
        {
            "full_name": "Tama Rēweti",
            "password1": "kūmara-harvest-2025",
            "password2": "kūmara-harvest-2025",
        },
    )
    # then
    assert page.status_code == 200
    assert "Member A Wines" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/manage/"
    assert MemberRole.objects.filter(
        user__email="tama@example.nz", member=member_a, role="staff"
    ).exists()


def test_an_expired_member_invitation_says_so(client: Client, staff_invitation):
    # given
    with mock.patch("time.time", return_value=time.time() - 15 * 24 * 3600):
        token = signing.TimestampSigner(salt=INVITATION_SALT).sign(staff_invitation.key)
    # when
    response = client.get(f"/accounts/invitations/{token}/")
    # then
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert MemberRole.objects.filter(user__email="tama@example.nz").exists() is False


# --- invitation_revoke ----------------------------------------------------------------


@pytest.mark.parametrize("actor_name", ALL_ACTORS)
def test_who_may_revoke_a_member_invitation(request, actor_name, staff_invitation):
    # given
    actor = request.getfixturevalue(actor_name)
    AuditEntry.objects.all().delete()
    # when
    if actor_name in MAY_MANAGE_MEMBER_A:
        invitation_revoke(actor=actor, invitation=staff_invitation)
    else:
        with pytest.raises(NotPermitted):
            invitation_revoke(actor=actor, invitation=staff_invitation)
    # then
    staff_invitation.refresh_from_db()
    allowed = actor_name in MAY_MANAGE_MEMBER_A
    expected = Invitation.Status.REVOKED if allowed else Invitation.Status.PENDING
    assert staff_invitation.status == expected
    assert AuditEntry.objects.filter(verb="invitation.revoked").exists() is allowed


def test_a_revoked_member_invitation_cannot_be_used(member_a_owner, staff_invitation):
    # given
    invitation_revoke(actor=member_a_owner, invitation=staff_invitation)
    # when
    with pytest.raises(InvitationUnusable) as caught:
        invitation_get_by_token(invitation_token(staff_invitation))
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_REVOKED
    assert "Member A Wines" in caught.value.message


@pytest.mark.parametrize("actor_name", ALL_ACTORS)
def test_who_may_revoke_a_cluster_invitation(
    request, actor_name, platform_staff, cluster_x
):
    # given
    invitation = invitation_create(
        actor=platform_staff, cluster=cluster_x, email="a@b.nz", role="curator"
    )
    actor = request.getfixturevalue(actor_name)
    # when
    if actor_name in MAY_MANAGE_CLUSTER_X:
        invitation_revoke(actor=actor, invitation=invitation)
    else:
        with pytest.raises(NotPermitted):
            invitation_revoke(actor=actor, invitation=invitation)
    # then
    invitation.refresh_from_db()
    allowed = actor_name in MAY_MANAGE_CLUSTER_X
    assert (invitation.status == Invitation.Status.REVOKED) is allowed


# --- cluster_role_remove --------------------------------------------------------------


@pytest.mark.parametrize("actor_name", ALL_ACTORS)
def test_who_may_remove_a_cluster_role(request, actor_name, cluster_x):
    # given
    curator = ClusterRoleFactory.create(cluster=cluster_x, role="curator")
    actor = request.getfixturevalue(actor_name)
    # when
    if actor_name in MAY_MANAGE_CLUSTER_X:
        cluster_role_remove(actor=actor, role=curator)
    else:
        with pytest.raises(NotPermitted):
            cluster_role_remove(actor=actor, role=curator)
    # then
    allowed = actor_name in MAY_MANAGE_CLUSTER_X
    assert ClusterRole.objects.filter(pk=curator.pk).exists() is not allowed
    removed = AuditEntry.objects.filter(verb="cluster_role.removed", cluster=cluster_x)
    assert removed.exists() is allowed


def test_removing_a_role_records_who_lost_what(cluster_x_admin, cluster_x):
    # given
    curator = ClusterRoleFactory.create(
        cluster=cluster_x, role="curator", user=UserFactory.create(email="c@x.nz")
    )
    # when
    cluster_role_remove(actor=cluster_x_admin, role=curator)
    # then
    entry = AuditEntry.objects.get()
    assert entry.actor == cluster_x_admin.user
    assert entry.before == {"user": "c@x.nz", "role": "curator"}
    assert entry.target_type == "accounts.clusterrole"


def test_the_last_admin_of_a_cluster_cannot_be_removed(
    cluster_x_admin, cluster_x, platform_staff
):
    # given
    role = ClusterRole.objects.get(user=cluster_x_admin.user, cluster=cluster_x)
    # when
    with pytest.raises(RoleConflict) as caught:
        cluster_role_remove(actor=platform_staff, role=role)
    # then
    assert caught.value.code == AccountErrorCode.LAST_ADMIN
    assert caught.value.status == 409
    assert "only admin" in caught.value.message
    assert ClusterRole.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.exists() is False


def test_an_admin_may_step_down_when_another_admin_remains(cluster_x_admin, cluster_x):
    # given
    ClusterRoleFactory.create(cluster=cluster_x, role="admin")
    own = ClusterRole.objects.get(user=cluster_x_admin.user, cluster=cluster_x)
    # when
    cluster_role_remove(actor=cluster_x_admin, role=own)
    # then
    assert ClusterRole.objects.filter(pk=own.pk).exists() is False
    assert cluster_x_admin.is_cluster_admin(cluster_x.pk) is False


# --- member_role_remove ---------------------------------------------------------------


@pytest.mark.parametrize("actor_name", ALL_ACTORS)
def test_who_may_remove_a_member_role(request, actor_name, member_a):
    # given
    helper = MemberRoleFactory.create(member=member_a, role="staff")
    actor = request.getfixturevalue(actor_name)
    # when
    if actor_name in MAY_MANAGE_MEMBER_A:
        member_role_remove(actor=actor, role=helper)
    else:
        with pytest.raises(NotPermitted):
            member_role_remove(actor=actor, role=helper)
    # then
    allowed = actor_name in MAY_MANAGE_MEMBER_A
    assert MemberRole.objects.filter(pk=helper.pk).exists() is not allowed
    removed = AuditEntry.objects.filter(verb="member_role.removed", member=member_a)
    assert removed.exists() is allowed


def test_the_last_owner_of_a_business_cannot_be_removed(
    member_a_owner, member_a, platform_staff
):
    # given
    role = MemberRole.objects.get(user=member_a_owner.user, member=member_a)
    # when
    with pytest.raises(RoleConflict) as caught:
        member_role_remove(actor=platform_staff, role=role)
    # then
    assert caught.value.code == AccountErrorCode.LAST_OWNER
    assert "only owner" in caught.value.message
    assert MemberRole.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.exists() is False


def test_a_second_owner_can_be_removed(member_a_owner, member_a):
    # given
    other = MemberRoleFactory.create(member=member_a, role="owner")
    # when
    member_role_remove(actor=member_a_owner, role=other)
    # then
    assert MemberRole.objects.filter(pk=other.pk).exists() is False


# --- selectors: only what the actor may manage ---------------------------------------


@pytest.mark.parametrize("actor_name", ALL_ACTORS)
def test_cluster_role_list_is_scoped(request, actor_name, cluster_x, cluster_x_admin):
    # given
    actor = request.getfixturevalue(actor_name)
    # when / then
    if actor_name in MAY_MANAGE_CLUSTER_X:
        roles = list(cluster_role_list_for(actor=actor, cluster=cluster_x))
        assert [r.user.email for r in roles] == ["admin@cluster-x.nz"]
    else:
        with pytest.raises(Http404):
            cluster_role_list_for(actor=actor, cluster=cluster_x)


@pytest.mark.parametrize("actor_name", ALL_ACTORS)
def test_member_role_list_is_scoped(
    request, actor_name, member_a, member_a_owner, member_a_staff
):
    # given
    actor = request.getfixturevalue(actor_name)
    # when / then
    if actor_name in MAY_MANAGE_MEMBER_A:
        roles = list(member_role_list_for(actor=actor, member=member_a))
        assert sorted(r.user.email for r in roles) == [
            "owner@member-a.nz",
            "staff@member-a.nz",
        ]
    else:
        with pytest.raises(Http404):
            member_role_list_for(actor=actor, member=member_a)


@pytest.mark.parametrize("actor_name", ALL_ACTORS)
def test_invitation_lists_are_scoped(
    request, actor_name, platform_staff, cluster_x, member_a
):
    # given
    invitation_create(
        actor=platform_staff, cluster=cluster_x, email="c@x.nz", role="curator"
    )
    invitation_create(
        actor=platform_staff, member=member_a, email="s@a.nz", role="staff"
    )
    actor = request.getfixturevalue(actor_name)
    # when / then
    if actor_name in MAY_MANAGE_CLUSTER_X:
        found = invitation_list_for(actor=actor, cluster=cluster_x)
        assert [i.email for i in found] == ["c@x.nz"]
    else:
        with pytest.raises(Http404):
            invitation_list_for(actor=actor, cluster=cluster_x)
    if actor_name in MAY_MANAGE_MEMBER_A:
        found = invitation_list_for(actor=actor, member=member_a)
        assert [i.email for i in found] == ["s@a.nz"]
    else:
        with pytest.raises(Http404):
            invitation_list_for(actor=actor, member=member_a)


@pytest.mark.parametrize("actor_name", ALL_ACTORS)
def test_single_rows_are_found_only_in_scope(
    request, actor_name, platform_staff, cluster_x, member_a, member_a_staff
):
    # given
    cluster_invitation = invitation_create(
        actor=platform_staff, cluster=cluster_x, email="c@x.nz", role="curator"
    )
    member_invitation = invitation_create(
        actor=platform_staff, member=member_a, email="s@a.nz", role="staff"
    )
    curator = ClusterRoleFactory.create(cluster=cluster_x, role="curator")
    staff_role = MemberRole.objects.get(user=member_a_staff.user)
    actor = request.getfixturevalue(actor_name)
    cases: list[tuple[set[str], Any, int, str]] = [
        (MAY_MANAGE_CLUSTER_X, cluster_role_get_for, curator.pk, "role_id"),
        (MAY_MANAGE_MEMBER_A, member_role_get_for, staff_role.pk, "role_id"),
        (
            MAY_MANAGE_CLUSTER_X,
            invitation_get_for,
            cluster_invitation.pk,
            "invitation_id",
        ),
        (
            MAY_MANAGE_MEMBER_A,
            invitation_get_for,
            member_invitation.pk,
            "invitation_id",
        ),
    ]
    for allowed, selector, pk, key in cases:
        # when / then
        if actor_name in allowed:
            assert selector(actor=actor, **{key: pk}).pk == pk
        else:
            with pytest.raises(Http404):
                selector(actor=actor, **{key: pk})


def test_invitation_list_needs_exactly_one_place(platform_staff, cluster_x, member_a):
    # when / then
    with pytest.raises(ValueError, match="exactly one"):
        invitation_list_for(actor=platform_staff)
    with pytest.raises(ValueError, match="exactly one"):
        invitation_list_for(actor=platform_staff, cluster=cluster_x, member=member_a)
