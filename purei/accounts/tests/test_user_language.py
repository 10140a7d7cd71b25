"""A person's language is stored when they sign up, accept an invitation or switch
language, and every email to them goes out in it."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from purei.accounts.models import User
from purei.accounts.services import user_language_set
from purei.accounts.tests.factories import UserFactory
from purei.core.mail import recipient_language, send_templated_email

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "aroha@example.nz",
    "full_name": "Aroha Ngata",
    "password1": "kūmara-harvest-2025",
    "password2": "kūmara-harvest-2025",
}


def _html(message: Any) -> str:
    [(html, _mimetype)] = message.alternatives
    return str(html)


@pytest.mark.parametrize(("path", "language"), [("/", "en"), ("/mi/", "mi")])
def test_signing_up_stores_the_language_used_and_welcomes_in_it(
    path: str, language: str, django_capture_on_commit_callbacks: Any
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"{path}accounts/signup/", SIGNUP)
    # then
    assert User.objects.get(email="aroha@example.nz").language == language
    [welcome] = mail.outbox
    assert welcome.extra_headers["Content-Language"] == language
    assert f'<html lang="{language}">' in _html(welcome)


def test_switching_language_while_logged_in_is_remembered():
    # given
    user = UserFactory.create(email="tama@example.nz")
    client = Client()
    client.force_login(user)
    # when: the switch link on an English page opens its te reo twin
    response = client.get("/mi/clusters/", HTTP_REFERER="http://testserver/clusters/")
    # then
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.language == "mi"
    # and back to English
    client.get("/clusters/", HTTP_REFERER="http://testserver/mi/clusters/")
    user.refresh_from_db()
    assert user.language == "en"


def test_browsing_without_switching_writes_nothing():
    # given
    user = UserFactory.create(email="tama@example.nz", language="en")
    client = Client()
    client.force_login(user)
    client.get("/clusters/")  # warm up: sessions, caches
    # when: a page in the same language, an API call from a te reo page, another site
    client.get("/clusters/", HTTP_REFERER="http://testserver/clusters/")
    client.get("/api/v1/clusters", HTTP_REFERER="http://testserver/mi/clusters/")
    client.get("/mi/clusters/", HTTP_REFERER="https://elsewhere.example/")
    # then
    user.refresh_from_db()
    assert user.language == "en"


def test_user_language_set_keeps_only_known_languages():
    # given
    user = UserFactory.create(email="tama@example.nz", language="en")
    # when
    user_language_set(user=user, language="fr")
    # then
    user.refresh_from_db()
    assert user.language == "en"
    user_language_set(user=user, language="mi")
    user.refresh_from_db()
    assert user.language == "mi"


def test_every_email_uses_the_recipients_stored_language():
    # given: a person who uses Pūrei in te reo
    UserFactory.create(email="Mere@Example.nz", language="mi")
    # when: an email written without a language, or in another
    send_templated_email(
        to="mere@example.nz",
        template_prefix="accounts/email/welcome",
        context={
            "user": User.objects.get(),
            "account_url": "http://127.0.0.1:8000/accounts/",
        },
        language="en",
    )
    # then: it goes out in theirs
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "mi"
    assert '<html lang="mi">' in _html(message)


def test_without_an_account_the_language_they_used_counts_else_the_default():
    assert recipient_language("nobody@example.nz", "mi") == "mi"
    assert recipient_language("nobody@example.nz", "mi-NZ") == "mi"
    assert recipient_language("nobody@example.nz", "fr") == "en"
    assert recipient_language("nobody@example.nz") == "en"
