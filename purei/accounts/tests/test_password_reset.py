import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from purei.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "pāua-shell-bright-77"
LINK = re.compile(
    r"http://127\.0\.0\.1:8000(/accounts/password-reset/[^/\s]+/[^/\s]+/)"
)


@pytest.fixture
def mere(db):
    return UserFactory.create(email="mere@example.nz", full_name="Mere Tū")


def _emailed_link() -> str:
    assert len(mail.outbox) == 1
    found = LINK.search(str(mail.outbox[0].body))
    assert found is not None
    return found.group(1)


def test_the_page_asks_for_the_email_address(client: Client):
    # when
    response = client.get("/accounts/password-reset/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="email"' in body
    assert "<h1>Reset your password</h1>" in body


def test_a_known_address_gets_a_link_on_the_site_url(client: Client, mere):
    # when
    response = client.post("/accounts/password-reset/", {"email": "Mere@Example.NZ"})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    message = mail.outbox[0]
    assert message.to == ["mere@example.nz"]
    assert "Reset your Pūrei password" in message.subject
    assert _emailed_link().startswith("/accounts/password-reset/")
    assert "3 days" in str(message.body)


def test_an_unknown_address_looks_the_same_but_gets_nothing(client: Client):
    # when
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.nz"})
    sent = client.get("/accounts/password-reset/sent/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []
    assert "If there is a Pūrei account for that address" in sent.content.decode()


def test_a_bad_address_gets_a_field_error(client: Client):
    # when
    response = client.post("/accounts/password-reset/", {"email": "nope"})
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "Enter a valid email address" in body


def test_following_the_link_sets_the_password_and_logs_in(client: Client, mere):
    # given
    client.post("/accounts/password-reset/", {"email": "mere@example.nz"})
    link = _emailed_link()
    # when
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    # then
    assert form_page.status_code == 200
    assert 'name="new_password1"' in form_page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/done/"
    mere.refresh_from_db()
    assert mere.check_password(NEW_PASSWORD)
    assert mere.check_password(PASSWORD) is False
    assert client.session["_auth_user_id"] == str(mere.pk)
    done = client.get("/accounts/password-reset/done/")
    assert "logged in with your new password" in done.content.decode()


def test_a_weak_new_password_is_refused(client: Client, mere):
    # given
    client.post("/accounts/password-reset/", {"email": "mere@example.nz"})
    set_url = client.get(_emailed_link(), follow=True).redirect_chain[-1][0]
    # when
    response = client.post(
        set_url, {"new_password1": "password", "new_password2": "password"}
    )
    # then
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    mere.refresh_from_db()
    assert mere.check_password(PASSWORD)


def test_a_used_link_cannot_be_used_again(client: Client, mere):
    # given
    client.post("/accounts/password-reset/", {"email": "mere@example.nz"})
    link = _emailed_link()
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    other = Client()
    # when
    response = other.get(link, follow=True)
    # then
    assert response.status_code == 200
    assert "This link can't be used" in response.content.decode()


def test_a_tampered_link_is_refused(client: Client, mere):
    # when
    response = client.get("/accounts/password-reset/MQ/not-a-token/", follow=True)
    # then
    assert "This link can't be used" in response.content.decode()


def test_a_reset_lifts_the_login_pause_on_the_account(client: Client, mere, settings):
    # given: the account is paused after failures from several addresses
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    for n in range(3):
        client.post(
            "/accounts/login/",
            {"username": "mere@example.nz", "password": "wrong"},
            REMOTE_ADDR=f"10.0.1.{n}",
        )
    client.post("/accounts/password-reset/", {"email": "mere@example.nz"})
    set_url = client.get(_emailed_link(), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post("/accounts/logout/")
    # when
    response = client.post(
        "/accounts/login/",
        {"username": "mere@example.nz", "password": NEW_PASSWORD},
        REMOTE_ADDR="10.0.2.1",
    )
    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(mere.pk)
