"""Every account email links to SITE_URL (purei.core.links), wherever it is."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from purei.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8103"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = SITE


def _links() -> list[str]:
    return [
        link
        for message in mail.outbox
        for link in re.findall(r"https?://\S+", str(message.body))
    ]


def test_sign_up_reset_and_email_change_emails_link_to_site_url(
    django_capture_on_commit_callbacks: Any,
):
    # given
    UserFactory.create(email="mere@example.nz")
    client = Client()
    # when: a welcome, a reset link and an email-change link
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "email": "aroha@example.nz",
                "full_name": "Aroha Ngata",
                "password1": "kūmara-harvest-2025",
                "password2": "kūmara-harvest-2025",
            },
        )
        Client().post("/accounts/password-reset/", {"email": "mere@example.nz"})
    tama = Client()
    tama.force_login(UserFactory.create(email="tama@example.nz"))
    with django_capture_on_commit_callbacks(execute=True):
        tama.post(
            "/accounts/email/",
            {"new_email": "tama@new.example.nz", "password": PASSWORD},
        )
    # then
    links = _links()
    assert len(links) == 3
    assert all(link.startswith(f"{SITE}/accounts/") for link in links), links
