import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client

from purei.accounts.models import ClusterRole, Invitation, User
from purei.accounts.selectors import INVITATION_SALT, invitation_token
from purei.accounts.services import invitation_create, invitation_revoke
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.clusters.tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "kūmara-harvest-2025"


@pytest.fixture
def cluster():
    return ClusterFactory.create(name_en="Te Hiku Oysters", slug="te-hiku-oysters")


@pytest.fixture
def invitation(platform_staff, cluster) -> Invitation:
    return invitation_create(
        actor=platform_staff, cluster=cluster, email="mere@example.nz", role="admin"
    )


@pytest.fixture
def url(invitation) -> str:
    return f"/accounts/invitations/{invitation_token(invitation)}/"


def _logged_in_email(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


def test_anonymous_without_an_account_sees_a_signup_form(client: Client, url):
    # when
    response = client.get(url)
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "Te Hiku Oysters" in body
    assert 'value="mere@example.nz"' in body
    assert 'name="full_name"' in body
    assert 'name="password1"' in body
    assert 'name="password2"' in body


def test_signup_creates_the_account_grants_the_role_and_logs_in(
    client: Client, url, cluster
):
    # when
    response = client.post(
        url,
        {
            "full_name": "Mere Tū",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            "email": "attacker@example.nz",  # ignored: the email is fixed
        },
        follow=False,
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/c/te-hiku-oysters/"
    user = User.objects.get(email="mere@example.nz")
    assert user.full_name == "Mere Tū"
    assert ClusterRole.objects.filter(user=user, cluster=cluster, role="admin").exists()
    assert _logged_in_email(client) == "mere@example.nz"
    assert User.objects.filter(email="attacker@example.nz").exists() is False


@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        (GOOD_PASSWORD, GOOD_PASSWORD + "x", "don&#x27;t match"),
        ("short", "short", "too short"),
        ("password", "password", "too common"),
    ],
)
def test_signup_refuses_bad_passwords_and_changes_nothing(
    client: Client, url, invitation, password1, password2, message
):
    # when
    response = client.post(
        url, {"full_name": "Mere", "password1": password1, "password2": password2}
    )
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert message in body
    assert User.objects.filter(email="mere@example.nz").exists() is False
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_anonymous_with_an_account_is_asked_to_log_in(client: Client, url):
    # given
    UserFactory.create(email="mere@example.nz")
    # when
    response = client.get(url)
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "/accounts/login/?next=/accounts/invitations/" in body
    assert 'name="password1"' not in body


def test_logged_in_as_the_invited_person_confirms_with_a_post(
    client: Client, url, cluster, invitation
):
    # given
    mere = UserFactory.create(email="mere@example.nz")
    client.force_login(mere)
    # when
    page = client.get(url)
    response = client.post(url)
    # then
    assert page.status_code == 200
    assert "Accept the invitation" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/c/te-hiku-oysters/"
    assert ClusterRole.objects.filter(user=mere, cluster=cluster, role="admin").exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_logging_in_through_the_link_comes_back_to_accept(client: Client, url):
    # given
    UserFactory.create(email="mere@example.nz")
    # when
    response = client.post(
        "/accounts/login/?next=" + url,
        {"username": "mere@example.nz", "password": PASSWORD, "next": url},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == url


def test_logged_in_as_someone_else_explains_and_offers_logout(
    client: Client, url, invitation
):
    # given
    client.force_login(UserFactory.create(email="someone@example.nz"))
    # when
    page = client.get(url)
    post = client.post(url)
    # then
    assert page.status_code == 403
    body = page.content.decode()
    assert "someone@example.nz" in body
    assert "mere@example.nz" in body
    assert 'action="/accounts/logout/"' in body
    assert post.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert ClusterRole.objects.exists() is False


def test_a_reused_link_says_it_was_used(client: Client, url):
    # given
    client.post(
        url,
        {"full_name": "Mere", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    client.logout()
    # when
    response = client.get(url)
    # then
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_an_expired_link_says_so(client: Client, invitation, settings):
    # given
    settings.INVITATION_MAX_AGE_DAYS = 14
    with mock.patch("time.time", return_value=time.time() - 15 * 24 * 3600):
        token = signing.TimestampSigner(salt=INVITATION_SALT).sign(invitation.key)
    # when
    response = client.get(f"/accounts/invitations/{token}/")
    posted = client.post(
        f"/accounts/invitations/{token}/",
        {"full_name": "Mere", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    # then
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert posted.status_code == 410
    assert User.objects.filter(email="mere@example.nz").exists() is False


def test_a_tampered_link_is_not_valid(client: Client, url):
    # when
    response = client.get(url[:-3] + "x/")
    # then
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_a_revoked_link_says_so(client: Client, url, invitation, platform_staff):
    # given
    invitation_revoke(actor=platform_staff, invitation=invitation)
    # when
    response = client.get(url)
    # then
    assert response.status_code == 410
    assert "revoked" in response.content.decode()
