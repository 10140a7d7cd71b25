"""The rate limiter (purei.core.ratelimit): counts in the configured cache (the
local-memory cache, or Redis with REDIS_URL: run this module once with it set),
refuses past a limit with the time to wait, and counts nothing it refuses."""

import importlib
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from purei.core.checks import check_rate_limits
from purei.core.ratelimit import (
    Rate,
    RateLimited,
    RateLimitMiddleware,
    parse_rates,
    rate_limit_hit,
    rate_limit_request,
    wait_text,
)

HOUR = 3600
# 10:00:00 into an hour-long window (a multiple of every window length used here).
T0 = 1_800_000_000.0 - 1_800_000_000.0 % 86400


def _hit(action: str = "signup", now: float = T0, **keys: str) -> None:
    rate_limit_hit(action=action, keys=keys or {"address": "10.0.0.1"}, now=now)


def _refusal(action: str = "signup", now: float = T0, **keys: str) -> RateLimited:
    with pytest.raises(RateLimited) as caught:
        _hit(action, now, **keys)
    return caught.value


# --- rates ---------------------------------------------------------------------------


def test_rates_are_read_from_text():
    assert parse_rates("10/h") == (Rate(10, HOUR),)
    assert parse_rates("1/2m, 10/d") == (Rate(1, 120), Rate(10, 86400))
    assert parse_rates("30/s") == (Rate(30, 1),)
    assert parse_rates(" ") == ()


@pytest.mark.parametrize("text", ["10", "10/week", "0/h", "1/0m", "ten/h", "-1/h"])
def test_bad_rates_are_refused(text: str):
    with pytest.raises(ValueError, match=r"rate|1 or more"):
        parse_rates(text)


def test_a_bad_rate_in_the_settings_is_a_configuration_error(
    rate_limits: Callable[..., None],
):
    rate_limits("signup", address="lots")
    with pytest.raises(ImproperlyConfigured, match="signup"):
        _hit()


def test_the_system_check_names_a_bad_rate(settings: Any):
    # given
    settings.RATE_LIMITS = {"signup": {"address": "10/h", "email": "often"}}
    # when
    errors = check_rate_limits()
    # then
    assert [error.id for error in errors] == ["purei.core.E001"]
    assert "RATE_LIMIT_SIGNUP_EMAIL" in str(errors[0].hint)
    settings.RATE_LIMITS = {"signup": {"address": "10/h", "email": ""}}
    assert check_rate_limits() == []


def test_an_unknown_action_is_a_configuration_error(rate_limits: Callable[..., None]):
    with pytest.raises(ImproperlyConfigured, match="no entry"):
        _hit("teleport")


def test_the_limits_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    # given
    import purei.settings as module

    monkeypatch.setenv("RATE_LIMIT_SIGNUP_ADDRESS", "3/m")
    monkeypatch.setenv("RATE_LIMIT_PASSWORD_RESET_EMAIL", "")
    try:
        # when
        reloaded = importlib.reload(module)
        # then
        assert reloaded.RATE_LIMITS["signup"] == {"address": "3/m", "email": "5/h"}
        assert reloaded.RATE_LIMITS["password_reset"]["email"] == ""
    finally:
        monkeypatch.undo()
        defaults = importlib.reload(module)
    assert defaults.RATE_LIMITS["signup"]["address"] == "10/h"
    assert defaults.RATE_LIMITS_ENABLED is True
    for scopes in defaults.RATE_LIMITS.values():
        for text in scopes.values():
            assert parse_rates(text)


# --- counting ------------------------------------------------------------------------


def test_attempts_up_to_the_limit_pass_and_the_next_is_refused(
    rate_limits: Callable[..., None],
):
    # given
    rate_limits("signup", address="3/h")
    for second in range(3):
        _hit(now=T0 + second)
    # when
    refusal = _refusal(now=T0 + 3)
    # then: the next window starts at T0 + 1 h, and this one's 3 weigh in there by
    # the part of it still within the last hour: one more fits once a third of it
    # has slid out, at T0 + 1 h 20 min
    assert refusal.status == 429
    assert refusal.code == "rate_limited"
    assert refusal.field is None
    assert refusal.action == "signup"
    assert refusal.retry_after == HOUR + HOUR // 3 - 3
    assert "Try again in" in refusal.message


def test_waiting_as_long_as_the_refusal_says_is_enough(
    rate_limits: Callable[..., None],
):
    # given
    rate_limits("signup", address="3/h")
    for second in range(3):
        _hit(now=T0 + second)
    wait = _refusal(now=T0 + 3).retry_after
    # when / then: a second earlier is still refused, then it passes
    _refusal(now=T0 + 3 + wait - 1)
    _hit(now=T0 + 3 + wait)


def test_refused_attempts_are_not_counted(rate_limits: Callable[..., None]):
    # given
    rate_limits("signup", address="2/h")
    _hit(now=T0)
    _hit(now=T0)
    first = _refusal(now=T0 + 1).retry_after
    # when: hammering on
    for _ in range(20):
        _refusal(now=T0 + 1)
    # then: the wait has not grown
    assert _refusal(now=T0 + 1).retry_after == first


def test_the_previous_window_weighs_in_so_no_double_burst_at_its_edge(
    rate_limits: Callable[..., None],
):
    # given: 10 attempts in the last minute of a window
    rate_limits("signup", address="10/h")
    end = T0 + HOUR
    for n in range(10):
        _hit(now=end - 60 + n)
    # when / then: just after the edge, nothing more passes
    refusal = _refusal(now=end + 1)
    # ... until enough of the previous window has slid out (1 in 10 of it)
    assert refusal.retry_after == HOUR // 10 - 1
    _hit(now=end + HOUR // 10)
    _refusal(now=end + HOUR // 10)


def test_one_in_two_minutes_means_at_least_two_minutes_apart(
    rate_limits: Callable[..., None],
):
    # given
    rate_limits("password_reset", address="", email="1/2m")
    _hit("password_reset", now=T0 + 100, email="mere@example.nz")
    # when
    refusal = _refusal("password_reset", now=T0 + 101, email="mere@example.nz")
    # then: the next window (from T0 + 120) has the previous attempt in full
    assert refusal.retry_after == 240 - 101
    _refusal("password_reset", now=T0 + 239, email="mere@example.nz")
    _hit("password_reset", now=T0 + 240, email="mere@example.nz")


def test_every_rate_must_allow(rate_limits: Callable[..., None]):
    # given: 1 in 2 minutes and 2 a day
    rate_limits("password_reset", address="", email="1/2m,2/d")
    _hit("password_reset", now=T0, email="mere@example.nz")
    _hit("password_reset", now=T0 + 600, email="mere@example.nz")
    # when: long past two minutes, but the day's two are used up
    refusal = _refusal("password_reset", now=T0 + 1200, email="mere@example.nz")
    # then
    assert refusal.retry_after > 86400 - 1200


def test_scopes_and_identities_count_apart(rate_limits: Callable[..., None]):
    # given
    rate_limits("signup", address="1/h", email="1/h")
    _hit(address="10.0.0.1", email="a@example.nz")
    # then: another address and another email pass
    _hit(address="10.0.0.2", email="b@example.nz")
    # but the same email from a third address does not
    _refusal(address="10.0.0.3", email="a@example.nz")


def test_a_refused_scope_leaves_the_others_uncounted(rate_limits: Callable[..., None]):
    # given
    rate_limits("signup", address="2/h", email="1/h")
    _hit(address="10.0.0.1", email="a@example.nz")
    # when: the email refuses; the address's attempt must not be counted either
    _refusal(address="10.0.0.1", email="a@example.nz")
    # then: the address still has its second attempt
    _hit(address="10.0.0.1", email="b@example.nz")
    _refusal(address="10.0.0.1", email="c@example.nz")


def test_an_empty_rate_or_identity_is_not_limited(rate_limits: Callable[..., None]):
    rate_limits("signup", address="", email="1/h")
    for _ in range(5):
        _hit(address="10.0.0.1", email="")


def test_limits_can_be_turned_off(rate_limits: Callable[..., None], settings: Any):
    # given
    rate_limits("signup", address="1/h")
    settings.RATE_LIMITS_ENABLED = False
    # then
    for _ in range(5):
        _hit()


def test_attempts_at_the_same_moment_pass_exactly_up_to_the_limit(
    rate_limits: Callable[..., None],
):
    # given: 24 attempts at once, from threads (one Redis, or one process's memory)
    rate_limits("signup", address="5/h")
    passed: list[bool] = []
    start = threading.Barrier(24)

    def attempt() -> None:
        start.wait()
        try:
            _hit()
        except RateLimited:
            passed.append(False)
        else:
            passed.append(True)

    threads = [threading.Thread(target=attempt) for _ in range(24)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert passed.count(True) == 5
    assert passed.count(False) == 19


def test_emails_count_whatever_their_case(
    rate_limits: Callable[..., None], rf: RequestFactory
):
    # given
    rate_limits("signup", address="", email="1/h")
    rate_limit_request(rf.post("/"), "signup", email=" Mere@Example.NZ ")
    # then
    with pytest.raises(RateLimited):
        rate_limit_request(rf.post("/"), "signup", email="mere@example.nz")


# --- the answer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (119 * 60, "119 minutes"),
        (120 * 60, "2 hours"),
        (86399, "24 hours"),
    ],
)
def test_the_wait_reads_naturally(seconds: int, text: str):
    assert wait_text(seconds) == text


def _refusing_view(request: HttpRequest) -> HttpResponse:
    raise RateLimited(action="signup", retry_after=240)


def test_a_refusal_is_the_sites_429_page(db: None, rf: RequestFactory):
    # given
    request = rf.post("/accounts/signup/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    middleware = RateLimitMiddleware(_refusing_view)
    try:
        _refusing_view(request)
    except RateLimited as exc:
        # when
        response = middleware.process_exception(request, exc)
    # then
    assert response is not None
    assert response.status_code == 429
    assert response["Retry-After"] == "240"
    body = response.content.decode()
    assert "<h1>Too many attempts</h1>" in body
    assert 'role="alert"' in body
    assert "Try again in 4 minutes." in body
    assert 'href="/accounts/signup/"' in body
    assert '<main id="main"' in body


def test_a_refusal_is_json_for_api_clients(rf: RequestFactory):
    # given
    request = rf.post("/accounts/signup/", headers={"accept": "application/json"})
    # when
    response = RateLimitMiddleware(_refusing_view).process_exception(
        request, RateLimited(action="signup", retry_after=240)
    )
    # then
    assert response is not None
    assert response.status_code == 429
    assert response["Retry-After"] == "240"
    assert json.loads(response.content) == {
        "code": "rate_limited",
        "message": (
            "This has been tried too often in a short time, so it is paused to "
            "keep accounts and inboxes safe. Try again in 4 minutes."
        ),
        "field": None,
        "retry_after": 240,
    }


def test_other_exceptions_pass_through(rf: RequestFactory):
    middleware = RateLimitMiddleware(_refusing_view)
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None
