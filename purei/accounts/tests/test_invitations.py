import re
import time
from unittest import mock

import pytest
from django.core import mail, signing

from purei.accounts.errors import (
    AccountErrorCode,
    InvitationNotFound,
    InvitationUnusable,
)
from purei.accounts.models import ClusterRole, Invitation, User
from purei.accounts.selectors import (
    INVITATION_SALT,
    invitation_get_by_token,
    invitation_token,
)
from purei.accounts.services import (
    invitation_accept,
    invitation_accept_with_signup,
    invitation_create,
    invitation_revoke,
)
from purei.accounts.tasks import invitation_send
from purei.accounts.tests.factories import UserFactory
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.core.errors import DomainError, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


@pytest.fixture
def cluster():
    return ClusterFactory.create(name_en="Te Hiku Oysters", slug="te-hiku-oysters")


@pytest.fixture
def invitation(platform_staff, cluster) -> Invitation:
    return invitation_create(
        actor=platform_staff,
        cluster=cluster,
        email="Mere@Example.NZ",
        role=ClusterRole.Role.ADMIN,
    )


def _signed_days_ago(key: str, days: float) -> str:
    past = time.time() - days * DAY
    with mock.patch("time.time", return_value=past):
        return signing.TimestampSigner(salt=INVITATION_SALT).sign(key)


# --- invitation_create ------------------------------------------------------------


def test_create_stores_a_random_key_and_emails_the_link(
    platform_staff, cluster, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            actor=platform_staff,
            cluster=cluster,
            email=" Mere@Example.NZ ",
            role=ClusterRole.Role.ADMIN,
        )
    # then
    assert invitation.email == "mere@example.nz"
    assert len(invitation.key) >= 40
    assert invitation.status == Invitation.Status.PENDING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mere@example.nz"]
    assert "Te Hiku Oysters" in message.subject
    # The link's token is signed with the time it was made (a second may pass
    # between the email and this line on a busy machine): read it from the email,
    # and check it is the invitation's own.
    found = re.search(
        r"http://127\.0\.0\.1:8000/accounts/invitations/([^/\s]+)/", str(message.body)
    )
    assert found is not None, message.body
    assert invitation_get_by_token(found.group(1)) == invitation
    assert found.group(1).split(":")[0] == invitation_token(invitation).split(":")[0]


def test_a_cluster_admin_may_invite_to_their_own_cluster(
    cluster, django_capture_on_commit_callbacks
):
    # given
    admin = UserFactory.create()
    ClusterRole.objects.create(user=admin, cluster=cluster, role="admin")
    # when
    invitation = invitation_create(
        actor=Actor(user=admin), cluster=cluster, email="a@b.nz", role="curator"
    )
    # then
    assert invitation.invited_by == admin


@pytest.mark.parametrize("actor_name", ["anonymous", "customer"])
def test_create_refuses_others_and_changes_nothing(
    request, cluster, actor_name, django_capture_on_commit_callbacks
):
    # given
    actor = request.getfixturevalue(actor_name)
    # when
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(NotPermitted),
    ):
        invitation_create(actor=actor, cluster=cluster, email="a@b.nz", role="admin")
    # then
    assert Invitation.objects.exists() is False
    assert mail.outbox == []


def test_create_refuses_an_admin_of_another_cluster(cluster):
    # given
    other_admin = UserFactory.create()
    ClusterRole.objects.create(
        user=other_admin, cluster=ClusterFactory.create(), role="admin"
    )
    # when
    with pytest.raises(NotPermitted):
        invitation_create(
            actor=Actor(user=other_admin), cluster=cluster, email="a@b.nz", role="admin"
        )
    # then
    assert Invitation.objects.exists() is False


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [("not an email", "admin", "email"), ("a@b.nz", "owner", "role")],
)
def test_create_refuses_bad_input(platform_staff, cluster, email, role, field):
    # when
    with pytest.raises(ValidationFailed) as caught:
        invitation_create(actor=platform_staff, cluster=cluster, email=email, role=role)
    # then
    assert caught.value.field == field
    assert Invitation.objects.exists() is False


# --- invitation_get_by_token ------------------------------------------------------


def test_a_fresh_token_finds_its_invitation(invitation):
    # when
    found = invitation_get_by_token(invitation_token(invitation))
    # then
    assert found == invitation


def test_a_token_just_inside_its_age_still_works(invitation, settings):
    # given
    settings.INVITATION_MAX_AGE_DAYS = 14
    token = _signed_days_ago(invitation.key, 13.9)
    # when
    found = invitation_get_by_token(token)
    # then
    assert found == invitation


def test_an_expired_token_says_so_and_who_to_ask(invitation, settings):
    # given
    settings.INVITATION_MAX_AGE_DAYS = 14
    token = _signed_days_ago(invitation.key, 15)
    # when
    with pytest.raises(InvitationUnusable) as caught:
        invitation_get_by_token(token)
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_EXPIRED
    assert "expired" in caught.value.message
    assert "Pūrei team" in caught.value.message


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" + token,
        lambda token: "nonsense",
        lambda token: signing.TimestampSigner(salt="other").sign(token.split(":")[0]),
    ],
)
def test_a_tampered_token_is_not_valid(invitation, tamper):
    # when
    with pytest.raises(InvitationNotFound) as caught:
        invitation_get_by_token(tamper(invitation_token(invitation)))
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_INVALID
    assert caught.value.status == 404
    assert "not valid" in caught.value.message


def test_a_revoked_invitation_says_so(platform_staff, invitation):
    # given
    invitation_revoke(actor=platform_staff, invitation=invitation)
    # when
    with pytest.raises(InvitationUnusable) as caught:
        invitation_get_by_token(invitation_token(invitation))
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_REVOKED
    assert "revoked" in caught.value.message


def test_a_used_invitation_says_so(invitation):
    # given
    user = UserFactory.create(email="mere@example.nz")
    invitation_accept(invitation=invitation, user=user)
    # when
    with pytest.raises(InvitationUnusable) as caught:
        invitation_get_by_token(invitation_token(invitation))
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_USED
    assert "already been used" in caught.value.message


# --- invitation_accept ------------------------------------------------------------


def test_accept_grants_the_role_and_marks_it_accepted(invitation, cluster):
    # given
    user = UserFactory.create(email="mere@example.nz")
    # when
    role = invitation_accept(invitation=invitation, user=user)
    # then
    assert isinstance(role, ClusterRole)
    assert (role.user, role.cluster, role.role) == (user, cluster, "admin")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == user
    assert invitation.decided_at is not None


def test_accepting_twice_as_the_same_person_changes_nothing(invitation):
    # given
    user = UserFactory.create(email="mere@example.nz")
    invitation_accept(invitation=invitation, user=user)
    # when
    invitation_accept(invitation=invitation, user=user)
    # then
    assert ClusterRole.objects.filter(user=user).count() == 1


def test_accept_keeps_an_existing_role(invitation, cluster):
    # given
    user = UserFactory.create(email="mere@example.nz")
    ClusterRole.objects.create(user=user, cluster=cluster, role="admin")
    # when
    invitation_accept(invitation=invitation, user=user)
    # then
    assert ClusterRole.objects.filter(user=user).count() == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_accept_refuses_someone_else(invitation):
    # given
    other = UserFactory.create(email="someone@example.nz")
    # when
    with pytest.raises(NotPermitted) as caught:
        invitation_accept(invitation=invitation, user=other)
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_WRONG_EMAIL
    assert ClusterRole.objects.exists() is False
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_accept_refuses_a_revoked_invitation(platform_staff, invitation):
    # given
    invitation_revoke(actor=platform_staff, invitation=invitation)
    user = UserFactory.create(email="mere@example.nz")
    # when
    with pytest.raises(InvitationUnusable):
        invitation_accept(invitation=invitation, user=user)
    # then
    assert ClusterRole.objects.exists() is False


def test_accept_refuses_an_invitation_used_by_someone_else(invitation):
    # given
    first = UserFactory.create(email="mere@example.nz")
    invitation_accept(invitation=invitation, user=first)
    first.email = "mere.old@example.nz"
    first.save()
    second = UserFactory.create(email="mere@example.nz")
    # when
    with pytest.raises(InvitationUnusable) as caught:
        invitation_accept(invitation=invitation, user=second)
    # then
    assert caught.value.code == AccountErrorCode.INVITATION_USED
    assert ClusterRole.objects.filter(user=second).exists() is False


# --- invitation_accept_with_signup ------------------------------------------------


def test_signup_creates_the_account_with_the_invited_email(invitation, cluster):
    # when
    user = invitation_accept_with_signup(
        invitation=invitation, full_name="Mere Tū", password="kūmara-harvest-2025"
    )
    # then
    assert user.email == "mere@example.nz"
    assert user.full_name == "Mere Tū"
    assert user.check_password("kūmara-harvest-2025")
    assert ClusterRole.objects.filter(user=user, cluster=cluster, role="admin").exists()


@pytest.mark.parametrize(
    ("full_name", "password", "field"),
    [
        ("Mere Tū", "short", "password"),
        ("Mere Tū", "password123", "password"),
        ("Mere Tū", "12345678901", "password"),
        ("", "kūmara-harvest-2025", "full_name"),
    ],
)
def test_signup_refuses_weak_passwords_and_missing_names(
    invitation, full_name, password, field
):
    # when
    with pytest.raises(ValidationFailed) as caught:
        invitation_accept_with_signup(
            invitation=invitation, full_name=full_name, password=password
        )
    # then
    assert field in caught.value.errors
    assert User.objects.filter(email="mere@example.nz").exists() is False
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_signup_refuses_when_the_account_exists(invitation):
    # given
    UserFactory.create(email="mere@example.nz")
    # when
    with pytest.raises(DomainError) as caught:
        invitation_accept_with_signup(
            invitation=invitation, full_name="Mere", password="kūmara-harvest-2025"
        )
    # then
    assert caught.value.code == AccountErrorCode.EMAIL_TAKEN
    assert ClusterRole.objects.exists() is False


# --- invitation_revoke ------------------------------------------------------------


def test_revoke_marks_it_revoked(platform_staff, invitation):
    # when
    invitation_revoke(actor=platform_staff, invitation=invitation)
    # then
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert invitation.decided_at is not None


def test_revoke_refuses_others_and_changes_nothing(customer, invitation):
    # when
    with pytest.raises(NotPermitted):
        invitation_revoke(actor=customer, invitation=invitation)
    # then
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_revoke_refuses_an_accepted_invitation(platform_staff, invitation):
    # given
    invitation_accept(
        invitation=invitation, user=UserFactory.create(email="mere@example.nz")
    )
    # when
    with pytest.raises(InvitationUnusable):
        invitation_revoke(actor=platform_staff, invitation=invitation)
    # then
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_the_email_task_sends_nothing_once_revoked(
    platform_staff, invitation, django_capture_on_commit_callbacks
):
    # given
    invitation_revoke(actor=platform_staff, invitation=invitation)
    # when
    sent = invitation_send.call(invitation_id=invitation.pk)
    # then
    assert sent is False
    assert mail.outbox == []
