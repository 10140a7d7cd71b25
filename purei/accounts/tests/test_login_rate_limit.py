import importlib
import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client, RequestFactory

from purei.accounts.ratelimit import lockout_response, login_username
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.core.ratelimit import client_ip

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def mere(db):
    return UserFactory.create(email="mere@example.nz")


def _login(client: Client, email: str, password: str, ip: str = "10.0.0.1"):
    return client.post(URL, {"username": email, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limits_are_read_from_the_environment(monkeypatch):
    # given
    import purei.settings as module

    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "7")
    monkeypatch.setenv("LOGIN_COOLOFF_MINUTES", "30")
    try:
        # when
        reloaded = importlib.reload(module)
        # then
        assert reloaded.AXES_FAILURE_LIMIT == 7
        assert reloaded.LOGIN_COOLOFF_MINUTES == 30
        assert reloaded.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
        assert reloaded.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
        assert reloaded.AUTHENTICATION_BACKENDS[0].startswith("axes.")
    finally:
        monkeypatch.undo()
        defaults = importlib.reload(module)
    assert defaults.AXES_FAILURE_LIMIT == 5
    assert defaults.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_a_wrong_password_warns_how_many_tries_are_left(client: Client, mere):
    # when
    response = _login(client, "mere@example.nz", "wrong")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 more failed attempts and logging in will be paused for 15" in body


def test_too_many_failures_for_one_account_pause_it_with_a_clear_page(
    client: Client, mere
):
    # given
    for _ in range(3):
        _login(client, "mere@example.nz", "wrong")
    # when: even the right password is refused now
    response = _login(client, "mere@example.nz", PASSWORD)
    # then
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    body = response.content.decode()
    assert "<h1>Too many login attempts</h1>" in body
    assert "wait 15 minutes" in body
    assert 'href="/accounts/password-reset/"' in body
    assert '<main id="main"' in body  # the site's own page, not a bare message
    assert _logged_in(client) is False


def test_the_third_failure_already_answers_with_the_pause(client: Client, mere):
    # given
    for _ in range(2):
        _login(client, "mere@example.nz", "wrong")
    # when
    response = _login(client, "mere@example.nz", "wrong")
    # then
    assert response.status_code == 429


def test_the_account_is_paused_from_every_address(client: Client, mere):
    # given: failures from three different addresses
    for n in range(3):
        _login(client, "mere@example.nz", "wrong", ip=f"10.0.0.{n + 1}")
    # when
    response = _login(client, "mere@example.nz", PASSWORD, ip="10.9.9.9")
    # then
    assert response.status_code == 429
    assert _logged_in(client) is False


def test_the_account_is_counted_whatever_the_case_of_the_email(client: Client, mere):
    # given
    for email in ("MERE@example.nz", "Mere@Example.NZ", "mere@example.nz"):
        _login(client, email, "wrong", ip="10.0.0.7")
    # when
    response = _login(client, "mere@example.nz", PASSWORD, ip="10.0.0.8")
    # then
    assert response.status_code == 429


def test_one_address_is_paused_whatever_account_it_tries(client: Client, mere):
    # given: one address guesses three different accounts
    for name in ("a", "b", "c"):
        _login(client, f"{name}@example.nz", "wrong", ip="10.0.0.66")
    # when: it then tries a real account with the right password
    response = _login(client, "mere@example.nz", PASSWORD, ip="10.0.0.66")
    # then
    assert response.status_code == 429
    assert _logged_in(client) is False


def test_other_accounts_and_addresses_are_not_affected(client: Client, mere):
    # given
    for _ in range(3):
        _login(client, "someone@example.nz", "wrong", ip="10.0.0.66")
    # when
    response = _login(client, "mere@example.nz", PASSWORD, ip="10.0.0.2")
    # then
    assert response.status_code == 302
    assert _logged_in(client) is True


def test_logging_in_works_again_after_the_cooloff(client: Client, mere):
    # given
    for _ in range(3):
        _login(client, "mere@example.nz", "wrong")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    # when
    response = _login(client, "mere@example.nz", PASSWORD)
    # then
    assert response.status_code == 302
    assert _logged_in(client) is True


def test_the_admin_login_is_limited_too(client: Client):
    # given
    UserFactory.create(email="root@purei.test", is_staff=True, is_superuser=True)
    for _ in range(3):
        client.post(
            "/admin/login/",
            {"username": "root@purei.test", "password": "wrong"},
            REMOTE_ADDR="10.0.0.3",
        )
    # when
    response = client.post(
        "/admin/login/",
        {"username": "root@purei.test", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.4",
    )
    # then
    assert response.status_code == 429
    assert "Too many login attempts" in response.content.decode()
    assert _logged_in(client) is False


def test_api_clients_get_the_error_json(rf: RequestFactory):
    # given
    request = rf.post("/api/v1/anything", content_type="application/json")
    # when
    response = lockout_response(request, None, {"username": "mere@example.nz"})
    # then
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    body = json.loads(response.content)
    assert body["code"] == "too_many_login_attempts"
    assert body["field"] is None
    assert body["retry_after"] == 15 * 60
    assert "15 minutes" in body["message"]


# --- who is logging in, from where ---------------------------------------------------


def test_the_account_name_is_trimmed_and_lower_cased(rf: RequestFactory):
    # given
    request = rf.post(URL, {"username": " Mere@Example.NZ "})
    # then
    assert login_username(request, None) == "mere@example.nz"
    assert login_username(request, {"username": "A@B.NZ"}) == "a@b.nz"
    assert login_username(rf.post(URL, {}), None) is None


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # the client cannot spoof the last hop
        (2, "6.6.6.6, 1.1.1.1, 10.0.0.9", "1.1.1.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    rf: RequestFactory, settings, proxies, forwarded, expected
):
    # given
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post(URL, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    # then
    assert client_ip(request) == expected
