import pytest
from django.core import mail
from django.test import Client

import purei.settings as real_settings
from purei.accounts.errors import AccountErrorCode
from purei.accounts.models import User
from purei.accounts.services import user_signup
from purei.accounts.tests.factories import UserFactory
from purei.core.errors import DomainError, ValidationFailed

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "kūmara-harvest-2025"
URL = "/accounts/signup/"


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "email": "Aroha@Example.NZ",
        "full_name": "Aroha Ngata",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


def test_the_page_shows_a_labelled_form(client: Client):
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("email", "full_name", "password1", "password2"):
        assert f'name="{name}"' in body
        assert f'for="id_{name}"' in body
    assert 'autocomplete="new-password"' in body


def test_signing_up_creates_the_account_logs_in_and_welcomes(
    client: Client, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _form())
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    user = User.objects.get()
    assert user.email == "aroha@example.nz"
    assert user.full_name == "Aroha Ngata"
    assert user.check_password(GOOD_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aroha@example.nz"]
    assert "Welcome to Pūrei" in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/accounts/" in mail.outbox[0].body


def test_passwords_are_hashed_with_argon2(client: Client, settings):
    # given: the real hashers (the test settings use a fast one)
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS
    # when
    client.post(URL, _form())
    # then
    user = User.objects.get()
    assert user.password.startswith("argon2")
    assert user.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": GOOD_PASSWORD + "x"}, "password2", "don&#x27;t match"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password", "password2": "password"}, "password1", "common"),
        (
            {"password1": "12345678901", "password2": "12345678901"},
            "password1",
            "entirely numeric",
        ),
        (
            {"password1": "aroha-ngata", "password2": "aroha-ngata"},
            "password1",
            "too similar",
        ),
        ({"full_name": ""}, "full_name", "Tell us your name"),
        ({"email": "not an email"}, "email", "Enter a valid email address"),
        ({"email": ""}, "email", "Enter your email address"),
        ({"password1": "", "password2": ""}, "password1", "Choose a password"),
    ],
)
def test_bad_input_gets_a_clear_field_error_and_changes_nothing(
    client: Client, overrides, field, message, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _form(**overrides))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert f'href="#id_{field}"' in body
    assert f'id="id_{field}_error"' in body
    assert message in body
    assert User.objects.exists() is False
    assert mail.outbox == []
    assert "_auth_user_id" not in client.session


def test_an_email_already_in_use_in_any_case_is_refused(client: Client):
    # given
    UserFactory.create(email="aroha@example.nz")
    # when
    response = client.post(URL, _form(email="AROHA@example.nz"))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "already exists" in body
    assert 'href="/accounts/password-reset/"' in body
    assert User.objects.count() == 1


def test_a_logged_in_person_goes_to_their_account(client: Client, customer_user):
    # given
    client.force_login(customer_user)
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"


def test_next_is_followed_only_on_this_site(client: Client):
    # when
    inside = client.post(URL + "?next=/clusters/", _form())
    client.logout()
    outside = client.post(
        URL + "?next=https://evil.example/", _form(email="other@example.nz")
    )
    # then
    assert inside["Location"] == "/clusters/"
    assert outside["Location"] == "/accounts/"


# --- the service --------------------------------------------------------------------


def test_user_signup_refuses_a_taken_email():
    # given
    UserFactory.create(email="mere@example.nz")
    # when
    with pytest.raises(DomainError) as caught:
        user_signup(email=" Mere@Example.nz ", full_name="Mere", password=GOOD_PASSWORD)
    # then
    assert caught.value.code == AccountErrorCode.EMAIL_TAKEN
    assert caught.value.field == "email"
    assert User.objects.count() == 1


def test_user_signup_names_every_bad_field():
    # when
    with pytest.raises(ValidationFailed) as caught:
        user_signup(email="nope", full_name=" ", password="123")
    # then
    assert set(caught.value.errors) == {"email", "full_name", "password"}
    assert User.objects.exists() is False
