"""Invitations for a business to join a cluster (role "member"): who may send them,
what the email says, and how the link is checked before a business joins with it."""

import re
import time
from unittest import mock

import pytest
from django.core import mail, signing

from purei.accounts.errors import (
    AccountErrorCode,
    InvitationMismatch,
    InvitationUnusable,
)
from purei.accounts.models import MEMBER_BUSINESS, ClusterRole, Invitation, User
from purei.accounts.selectors import (
    INVITATION_SALT,
    invitation_get_by_token,
    invitation_get_for_business,
    invitation_list_for,
    invitation_token,
)
from purei.accounts.services import (
    cluster_role_remove,
    invitation_accept,
    invitation_accept_for_business,
    invitation_accept_with_signup,
    invitation_create,
    invitation_revoke,
)
from purei.accounts.tests.factories import UserFactory
from purei.clusters.manage_forms import InviteForm
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60
CAST = [
    "anonymous",
    "customer",
    "member_a_staff",
    "member_a_owner",
    "cluster_x_admin",
    "cluster_y_admin",
    "platform_staff",
]
MAY_INVITE_TO_X = {"cluster_x_admin", "platform_staff"}


@pytest.fixture
def invitation(cluster_x_admin, cluster_x) -> Invitation:
    return invitation_create(
        actor=cluster_x_admin,
        cluster=cluster_x,
        email="Hemi@Example.NZ",
        role=MEMBER_BUSINESS,
        message="Kia ora Hemi, come and sell your wine with us.",
    )


@pytest.fixture
def hemi() -> Actor:
    return Actor(user=UserFactory.create(email="hemi@example.nz"))


def _signed_days_ago(key: str, days: float) -> str:
    past = time.time() - days * DAY
    with mock.patch("time.time", return_value=past):
        return signing.TimestampSigner(salt=INVITATION_SALT).sign(key)


# --- Who may invite a business ------------------------------------------------------


@pytest.mark.parametrize("actor_name", CAST)
def test_only_cluster_x_admins_and_platform_staff_invite_businesses_to_x(
    request, cluster_x, actor_name, django_capture_on_commit_callbacks
):
    # given
    actor = request.getfixturevalue(actor_name)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        try:
            invitation_create(
                actor=actor,
                cluster=cluster_x,
                email="hemi@example.nz",
                role=MEMBER_BUSINESS,
            )
        except NotPermitted as exc:
            refused: NotPermitted | None = exc
        else:
            refused = None
    # then
    if actor_name in MAY_INVITE_TO_X:
        assert refused is None
        invitation = Invitation.objects.get()
        assert invitation.cluster == cluster_x
        assert invitation.member is None
        assert invitation.role == "member"
        assert invitation.get_role_display() == "Member business"
        assert invitation.invited_by == actor.user
        assert [m.to for m in mail.outbox] == [["hemi@example.nz"]]
    else:
        assert refused is not None
        assert refused.code == AccountErrorCode.NOT_PERMITTED
        assert Invitation.objects.exists() is False
        assert AuditEntry.objects.exists() is False
        assert mail.outbox == []


def test_the_email_says_the_cluster_invites_the_business_with_the_message(
    cluster_x_admin_user, cluster_x_admin, cluster_x, django_capture_on_commit_callbacks
):
    # given
    cluster_x_admin_user.full_name = "Aroha Tūhoe"
    cluster_x_admin_user.save()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            actor=cluster_x_admin,
            cluster=cluster_x,
            email="hemi@example.nz",
            role=MEMBER_BUSINESS,
            message="  Haere mai, Hemi!  ",
        )
    # then
    message = mail.outbox[0]
    assert message.subject == "Cluster X Wine invites your business to join it on Pūrei"
    assert "Cluster X Wine invites your business to join it on Pūrei" in message.body
    assert "role" not in message.body
    # The link's token is signed with the second it was made: read it back from
    # the email rather than making another (which may fall in the next second).
    link = re.search(
        r"http://127\.0\.0\.1:8000/accounts/invitations/([^/\s]+)/", str(message.body)
    )
    assert link is not None
    assert invitation_get_by_token(link.group(1)) == invitation
    assert "A message from Aroha Tūhoe:" in message.body
    assert "Haere mai, Hemi!" in message.body
    assert invitation.message == "Haere mai, Hemi!"


def test_creating_records_an_audit_row(cluster_x_admin, cluster_x):
    # when
    invitation = invitation_create(
        actor=cluster_x_admin,
        cluster=cluster_x,
        email="hemi@example.nz",
        role=MEMBER_BUSINESS,
        message="Welcome",
    )
    # then
    entry = AuditEntry.objects.get(verb="invitation.created")
    assert entry.cluster_id == cluster_x.pk
    assert entry.target_id == str(invitation.pk)
    assert entry.actor_email == "admin@cluster-x.nz"
    assert entry.after == {
        "email": "hemi@example.nz",
        "role": "member",
        "message": "Welcome",
    }


def test_a_business_invitation_goes_to_a_cluster_not_to_a_business(
    platform_staff, member_a
):
    # when
    with pytest.raises(ValidationFailed) as caught:
        invitation_create(
            actor=platform_staff,
            member=member_a,
            email="hemi@example.nz",
            role=MEMBER_BUSINESS,
        )
    # then
    assert "role" in caught.value.errors
    assert Invitation.objects.exists() is False


def test_a_too_long_message_is_refused_on_its_field(cluster_x_admin, cluster_x):
    # when
    with pytest.raises(ValidationFailed) as caught:
        invitation_create(
            actor=cluster_x_admin,
            cluster=cluster_x,
            email="hemi@example.nz",
            role=MEMBER_BUSINESS,
            message="x" * 1001,
        )
    # then
    assert caught.value.errors["message"] == [
        "Keep the message to 1000 characters (it has 1001)."
    ]
    assert Invitation.objects.exists() is False


def test_the_people_screen_does_not_offer_member_as_a_role(cluster_x):
    # when
    form = InviteForm(
        {"invite-email": "a@b.nz", "invite-role": "member"}, prefix="invite"
    )
    # then
    assert form.is_valid() is False
    assert "role" in form.errors
    assert "member" not in dict(form.fields["role"].choices)  # type: ignore[attr-defined]


def test_lists_keep_business_and_role_invitations_apart(
    cluster_x_admin, cluster_x, invitation
):
    # given
    curator = invitation_create(
        actor=cluster_x_admin, cluster=cluster_x, email="c@b.nz", role="curator"
    )
    # when
    business = list(
        invitation_list_for(actor=cluster_x_admin, cluster=cluster_x, kind="business")
    )
    roles = list(
        invitation_list_for(actor=cluster_x_admin, cluster=cluster_x, kind="role")
    )
    # then
    assert business == [invitation]
    assert roles == [curator]


@pytest.mark.parametrize("actor_name", ["cluster_y_admin", "member_a_owner"])
def test_revoking_is_refused_to_others(request, invitation, actor_name):
    # when
    with pytest.raises(NotPermitted):
        invitation_revoke(
            actor=request.getfixturevalue(actor_name), invitation=invitation
        )
    # then
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_its_admins_revoke_it(cluster_x_admin, invitation):
    # when
    invitation_revoke(actor=cluster_x_admin, invitation=invitation)
    # then
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


# --- Accepting grants no role -----------------------------------------------------


def test_it_cannot_be_accepted_as_a_role(invitation, hemi):
    # when
    with pytest.raises(InvitationMismatch) as caught:
        invitation_accept(invitation=invitation, user=hemi.user)
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_NOT_A_ROLE
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert ClusterRole.objects.filter(user=hemi.user).exists() is False


def test_signing_up_from_it_makes_the_account_and_leaves_it_pending(invitation):
    # when
    user = invitation_accept_with_signup(
        invitation=invitation, full_name="Hemi Walker", password="kūmara-harvest-2025"
    )
    # then
    assert user.email == "hemi@example.nz"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert ClusterRole.objects.filter(user=user).exists() is False


# --- Checking the link for a business to join ------------------------------------


def test_the_invited_person_gets_the_invitation(invitation, hemi, cluster_x):
    # when
    found = invitation_get_for_business(
        actor=hemi, token=invitation_token(invitation), cluster=cluster_x
    )
    # then
    assert found == invitation


def test_accepting_for_a_business_marks_it_accepted_with_an_audit_row(
    invitation, hemi, cluster_x
):
    # when
    accepted = invitation_accept_for_business(
        actor=hemi, token=invitation_token(invitation), cluster=cluster_x
    )
    # then
    invitation.refresh_from_db()
    assert accepted.status == invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == hemi.user
    assert invitation.decided_at is not None
    entry = AuditEntry.objects.get(verb="invitation.accepted")
    assert entry.actor_email == "hemi@example.nz"
    assert entry.cluster_id == cluster_x.pk
    assert ClusterRole.objects.filter(user=hemi.user).exists() is False


def test_an_expired_link_says_so(invitation, hemi, cluster_x):
    # given
    token = _signed_days_ago(invitation.key, 15)
    # when
    with pytest.raises(InvitationUnusable) as caught:
        invitation_accept_for_business(actor=hemi, token=token, cluster=cluster_x)
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_EXPIRED
    assert "expired" in caught.value.message
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_revoked_link_says_so(cluster_x_admin, invitation, hemi, cluster_x):
    # given
    invitation_revoke(actor=cluster_x_admin, invitation=invitation)
    # when
    with pytest.raises(InvitationUnusable) as caught:
        invitation_accept_for_business(
            actor=hemi, token=invitation_token(invitation), cluster=cluster_x
        )
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_REVOKED
    assert invitation.accepted_by is None


def test_a_used_link_says_so(invitation, hemi, cluster_x):
    # given
    token = invitation_token(invitation)
    invitation_accept_for_business(actor=hemi, token=token, cluster=cluster_x)
    # when
    with pytest.raises(InvitationUnusable) as caught:
        invitation_accept_for_business(actor=hemi, token=token, cluster=cluster_x)
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_USED


def test_a_tampered_link_is_not_valid(invitation, hemi, cluster_x):
    # when
    with pytest.raises(InvitationUnusable) as caught:
        invitation_accept_for_business(
            actor=hemi, token=invitation_token(invitation) + "x", cluster=cluster_x
        )
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_INVALID


@pytest.mark.parametrize("actor_name", ["anonymous", "customer", "member_a_owner"])
def test_someone_with_another_email_is_refused(
    request, invitation, cluster_x, actor_name
):
    # when
    with pytest.raises(InvitationMismatch) as caught:
        invitation_accept_for_business(
            actor=request.getfixturevalue(actor_name),
            token=invitation_token(invitation),
            cluster=cluster_x,
        )
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_WRONG_EMAIL
    assert caught.value.status == 403
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_another_clusters_join_refuses_it(invitation, hemi, cluster_y):
    # when
    with pytest.raises(InvitationMismatch) as caught:
        invitation_accept_for_business(
            actor=hemi, token=invitation_token(invitation), cluster=cluster_y
        )
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_OTHER_CLUSTER
    assert caught.value.message == (
        "This invitation is for Cluster X Wine, not for Cluster Y Oysters."
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_role_invitation_cannot_bring_a_business_in(cluster_x_admin, cluster_x, hemi):
    # given
    curator = invitation_create(
        actor=cluster_x_admin,
        cluster=cluster_x,
        email="hemi@example.nz",
        role="curator",
    )
    # when
    with pytest.raises(InvitationMismatch) as caught:
        invitation_accept_for_business(
            actor=hemi, token=invitation_token(curator), cluster=cluster_x
        )
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_NOT_FOR_BUSINESS
    curator.refresh_from_db()
    assert curator.status == Invitation.Status.PENDING


def test_it_stops_admitting_once_its_inviter_no_longer_runs_the_cluster(
    platform_staff, cluster_x_admin_user, invitation, hemi, cluster_x
):
    # given
    UserFactory.create(email="second-admin@cluster-x.nz")
    ClusterRole.objects.create(
        user=User.objects.get(email="second-admin@cluster-x.nz"),
        cluster=cluster_x,
        role="admin",
    )
    role = ClusterRole.objects.get(user=cluster_x_admin_user, cluster=cluster_x)
    cluster_role_remove(actor=platform_staff, role=role)
    # when
    with pytest.raises(InvitationUnusable) as caught:
        invitation_accept_for_business(
            actor=hemi, token=invitation_token(invitation), cluster=cluster_x
        )
    # then
    assert caught.value.code == AccountErrorCode.INVITER_NOT_ADMIN
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
