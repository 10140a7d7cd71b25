import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client

from purei.accounts.errors import (
    AccountErrorCode,
    EmailChangeNotFound,
    EmailChangeUnusable,
)
from purei.accounts.models import User
from purei.accounts.selectors import (
    EMAIL_CHANGE_SALT,
    email_change_get_by_token,
    email_change_token,
)
from purei.accounts.services import email_change_confirm, email_change_request
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60
LINK = re.compile(r"http://127\.0\.0\.1:8000(/accounts/email/confirm/[^/\s]+/)")


@pytest.fixture
def mere(db) -> User:
    return UserFactory.create(email="mere@example.nz", full_name="Mere Tū")


@pytest.fixture
def logged_in(client: Client, mere: User) -> Client:
    client.force_login(mere)
    return client


def _request_change(client: Client, new_email: str = "Mere.New@Example.NZ"):
    return client.post(
        "/accounts/email/", {"new_email": new_email, "password": PASSWORD}
    )


def _link() -> str:
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


# --- asking for the change ---------------------------------------------------------


def test_the_page_needs_a_login(client: Client):
    # when
    response = client.get("/accounts/email/")
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/email/")


def test_asking_emails_a_link_to_the_new_address_and_changes_nothing_yet(
    logged_in: Client, mere: User, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = _request_change(logged_in)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mere.new@example.nz"]
    assert "Confirm your new email address" in mail.outbox[0].subject
    assert "3 days" in str(mail.outbox[0].body)
    mere.refresh_from_db()
    assert mere.email == "mere@example.nz"
    page = logged_in.get("/accounts/")
    assert "We&#x27;ve sent a link to mere.new@example.nz" in page.content.decode()


@pytest.mark.parametrize(
    ("new_email", "password", "field", "message"),
    [
        ("mere.new@example.nz", "wrong", "password", "isn&#x27;t your current"),
        ("mere.new@example.nz", "", "password", "Enter your current password"),
        ("not-an-email", PASSWORD, "new_email", "Enter a valid email address"),
        ("MERE@example.nz", PASSWORD, "new_email", "already your email address"),
        ("taken@example.nz", PASSWORD, "new_email", "Another account uses"),
    ],
)
def test_bad_requests_get_a_field_error_and_send_nothing(
    logged_in: Client,
    new_email,
    password,
    field,
    message,
    django_capture_on_commit_callbacks,
):
    # given
    UserFactory.create(email="taken@example.nz")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(
            "/accounts/email/", {"new_email": new_email, "password": password}
        )
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert f'id="id_{field}_error"' in body
    assert message in body
    assert mail.outbox == []


def test_the_service_refuses_anonymous_actors():
    # when
    with pytest.raises(NotPermitted):
        email_change_request(actor=Actor.anonymous(), new_email="a@b.nz", password="x")


# --- following the link -------------------------------------------------------------


def test_opening_the_link_asks_to_confirm_and_changes_nothing(
    logged_in: Client, mere: User, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        _request_change(logged_in)
    # when
    response = logged_in.get(_link())
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "mere@example.nz" in body
    assert "mere.new@example.nz" in body
    mere.refresh_from_db()
    assert mere.email == "mere@example.nz"


def test_confirming_changes_the_email_tells_the_old_address_and_keeps_the_login(
    logged_in: Client, mere: User, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        _request_change(logged_in)
    link = _link()
    session_before = logged_in.cookies["sessionid"].value
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(link)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    mere.refresh_from_db()
    assert mere.email == "mere.new@example.nz"
    notice = mail.outbox[-1]
    assert notice.to == ["mere@example.nz"]
    assert "was changed" in notice.subject
    assert "mere.new@example.nz" in str(notice.body)
    assert logged_in.session["_auth_user_id"] == str(mere.pk)
    assert logged_in.cookies["sessionid"].value != session_before
    assert logged_in.get("/accounts/").status_code == 200
    entry = AuditEntry.objects.get(verb="account.email_changed")
    assert entry.before == {"email": "mere@example.nz"}
    assert entry.after == {"email": "mere.new@example.nz"}


def test_confirming_without_being_logged_in_works_and_asks_to_log_in(
    logged_in: Client, mere: User, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        _request_change(logged_in)
    other = Client()
    # when
    response = other.post(_link())
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    mere.refresh_from_db()
    assert mere.email == "mere.new@example.nz"


def test_a_link_works_once(mere: User):
    # given
    token = email_change_token(user=mere, new_email="mere.new@example.nz")
    email_change_confirm(token=token)
    # when
    with pytest.raises(EmailChangeUnusable) as caught:
        email_change_confirm(token=token)
    # then
    assert caught.value.code == AccountErrorCode.EMAIL_CHANGE_USED


def test_an_expired_link_says_so_and_changes_nothing(client: Client, mere: User):
    # given
    with mock.patch("time.time", return_value=time.time() - 4 * DAY):
        token = email_change_token(user=mere, new_email="mere.new@example.nz")
    # when
    page = client.get(f"/accounts/email/confirm/{token}/")
    posted = client.post(f"/accounts/email/confirm/{token}/")
    # then
    assert page.status_code == 410
    assert posted.status_code == 410
    assert "expired" in posted.content.decode()
    mere.refresh_from_db()
    assert mere.email == "mere@example.nz"


def test_a_link_just_inside_three_days_still_works(mere: User):
    # given
    with mock.patch("time.time", return_value=time.time() - 2.9 * DAY):
        token = email_change_token(user=mere, new_email="mere.new@example.nz")
    # when
    user, new_email = email_change_get_by_token(token)
    # then
    assert (user, new_email) == (mere, "mere.new@example.nz")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + "xx",
        lambda token: "nonsense",
        lambda token: signing.TimestampSigner(salt="other").sign_object({"u": 1}),
    ],
)
def test_a_tampered_link_is_not_valid(client: Client, mere: User, tamper):
    # given
    token = tamper(email_change_token(user=mere, new_email="mere.new@example.nz"))
    # when
    response = client.post(f"/accounts/email/confirm/{token}/")
    # then
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    mere.refresh_from_db()
    assert mere.email == "mere@example.nz"


def test_a_signed_payload_of_the_wrong_shape_is_not_valid(mere: User):
    # given
    token = signing.TimestampSigner(salt=EMAIL_CHANGE_SALT).sign_object(["x"])
    # when
    with pytest.raises(EmailChangeNotFound):
        email_change_get_by_token(token)


def test_the_link_stops_working_once_the_password_changes(mere: User):
    # given
    token = email_change_token(user=mere, new_email="mere.new@example.nz")
    mere.set_password("a-whole-new-secret-55")
    mere.save()
    # when
    with pytest.raises(EmailChangeUnusable) as caught:
        email_change_confirm(token=token)
    # then
    assert caught.value.code == AccountErrorCode.EMAIL_CHANGE_USED
    mere.refresh_from_db()
    assert mere.email == "mere@example.nz"


def test_an_address_taken_meanwhile_is_refused(client: Client, mere: User):
    # given
    token = email_change_token(user=mere, new_email="mere.new@example.nz")
    UserFactory.create(email="mere.new@example.nz")
    # when
    response = client.post(f"/accounts/email/confirm/{token}/")
    # then
    assert response.status_code == 410
    assert "stays as it was" in response.content.decode()
    mere.refresh_from_db()
    assert mere.email == "mere@example.nz"
    assert AuditEntry.objects.exists() is False


def test_the_service_refuses_bad_input_with_field_errors(mere: User):
    # when
    with pytest.raises(ValidationFailed) as caught:
        email_change_request(actor=Actor(user=mere), new_email="nope", password="wrong")
    # then
    assert set(caught.value.errors) == {"new_email", "password"}
