"""Sign-up, password reset and email change are rate-limited per client address and
per account or email address (purei.core.ratelimit; limits in settings.RATE_LIMITS).
A refused attempt answers 429 with the site's page and a Retry-After header, and
does nothing: no account, no email."""

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from purei.accounts.models import User
from purei.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "kūmara-harvest-2025"


def _signup(email: str, ip: str = "10.0.0.1"):
    return Client().post(
        "/accounts/signup/",
        {
            "email": email,
            "full_name": "Aroha Ngata",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
        REMOTE_ADDR=ip,
    )


def _reset(email: str, ip: str = "10.0.0.1"):
    return Client().post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=ip)


def _assert_refused_page(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert "<h1>Too many attempts</h1>" in body
    assert "Try again in" in body
    assert '<main id="main"' in body  # the site's own page, in the base template


# --- sign-up ------------------------------------------------------------------------


def test_twelve_sign_ups_in_a_row_from_one_address_stop_at_the_limit(
    rate_limits: Callable[..., None],
):
    # when: the reported case, with the shipped limit (10 an hour per address)
    responses = [_signup(f"person{n}@example.nz") for n in range(12)]
    # then
    assert [r.status_code for r in responses] == [302] * 10 + [429] * 2
    _assert_refused_page(responses[10])
    assert User.objects.count() == 10
    assert not User.objects.filter(email="person10@example.nz").exists()


def test_sign_ups_from_another_address_are_not_affected(
    rate_limits: Callable[..., None],
):
    # given
    rate_limits("signup", address="2/h")
    _signup("a@example.nz")
    _signup("b@example.nz")
    # when
    refused = _signup("c@example.nz")
    elsewhere = _signup("c@example.nz", ip="10.0.0.2")
    # then
    assert refused.status_code == 429
    assert elsewhere.status_code == 302
    assert User.objects.filter(email="c@example.nz").exists()


def test_sign_ups_for_one_email_are_limited_from_every_address(
    rate_limits: Callable[..., None],
):
    # given: five tries at one address (each refused: a password mismatch)
    for n in range(5):
        response = Client().post(
            "/accounts/signup/",
            {
                "email": "Aroha@Example.NZ",
                "full_name": "Aroha Ngata",
                "password1": GOOD_PASSWORD,
                "password2": "other",
            },
            REMOTE_ADDR=f"10.0.1.{n}",
        )
        assert response.status_code == 200
    # when
    response = _signup("aroha@example.nz", ip="10.0.2.1")
    # then
    assert response.status_code == 429
    assert User.objects.exists() is False


def test_the_sign_up_page_itself_is_never_limited(rate_limits: Callable[..., None]):
    # given
    rate_limits("signup", address="1/h")
    _signup("a@example.nz")
    # when
    response = Client().get("/accounts/signup/", REMOTE_ADDR="10.0.0.1")
    # then
    assert response.status_code == 200


def test_json_clients_get_the_error_code_and_retry_after(
    rate_limits: Callable[..., None],
):
    # given
    rate_limits("signup", address="1/h")
    _signup("a@example.nz")
    # when
    response = Client().post(
        "/accounts/signup/",
        {"email": "b@example.nz"},
        REMOTE_ADDR="10.0.0.1",
        headers={"accept": "application/json"},
    )
    # then
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited"
    assert body["field"] is None
    assert body["retry_after"] == int(response["Retry-After"]) > 0
    assert "Try again in" in body["message"]


# --- password reset ------------------------------------------------------------------


def test_three_resets_within_a_second_send_one_email(
    rate_limits: Callable[..., None],
):
    # given
    UserFactory.create(email="mere@example.nz")
    # when: the reported case, with the shipped limits
    responses = [
        _reset("mere@example.nz"),
        _reset("Mere@Example.NZ"),
        _reset("mere@example.nz"),
    ]
    # then
    assert [r.status_code for r in responses] == [302, 429, 429]
    _assert_refused_page(responses[1])
    assert len(mail.outbox) == 1


def test_resets_for_one_inbox_are_limited_from_every_address(
    rate_limits: Callable[..., None],
):
    # given
    UserFactory.create(email="mere@example.nz")
    _reset("mere@example.nz", ip="10.0.0.1")
    # when
    response = _reset("mere@example.nz", ip="10.9.9.9")
    # then
    assert response.status_code == 429
    assert len(mail.outbox) == 1


def test_resets_from_one_address_are_limited_whatever_the_email(
    rate_limits: Callable[..., None],
):
    # given
    rate_limits("password_reset", address="3/h")
    for n in range(3):
        assert _reset(f"person{n}@example.nz").status_code == 302
    UserFactory.create(email="mere@example.nz")
    # when
    response = _reset("mere@example.nz")
    # then
    assert response.status_code == 429
    assert mail.outbox == []


# --- email change --------------------------------------------------------------------


@pytest.fixture
def mere_client(db) -> Client:
    client = Client(REMOTE_ADDR="10.0.0.1")
    client.force_login(UserFactory.create(email="mere@example.nz"))
    return client


@pytest.fixture
def change(mere_client: Client, django_capture_on_commit_callbacks) -> Callable:
    def post(new_email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return mere_client.post(
                "/accounts/email/", {"new_email": new_email, "password": PASSWORD}
            )

    return post


def test_a_second_email_change_to_one_address_at_once_sends_nothing(
    rate_limits: Callable[..., None], change: Callable
):
    # when
    first = change("mere.new@example.nz")
    second = change("Mere.New@Example.NZ")
    # then
    assert first.status_code == 302
    _assert_refused_page(second)
    assert [m.to for m in mail.outbox] == [["mere.new@example.nz"]]


def test_email_changes_of_one_account_are_limited(
    rate_limits: Callable[..., None], change: Callable
):
    # given: the shipped limit, 5 an hour per account
    for n in range(5):
        assert change(f"mere{n}@example.nz").status_code == 302
    # when
    response = change("mere5@example.nz")
    # then
    assert response.status_code == 429
    assert len(mail.outbox) == 5
