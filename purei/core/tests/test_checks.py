"""Pūrei's own system checks: ``check --deploy`` says when REDIS_URL points at
nothing (issue 11, defect 1: with no Redis client, the shop and search answered 500)."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from purei.core.checks import check_redis_answers, without_password

NOTHING_THERE = "redis://127.0.0.1:6390/0"


def _redis_cache(settings: Any, location: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
        }
    }


def test_redis_that_does_not_answer_is_a_deploy_error(settings: Any) -> None:
    # given
    _redis_cache(settings, NOTHING_THERE)
    # when
    errors = check_redis_answers()
    # then
    assert [error.id for error in errors] == ["purei.core.E002"]
    assert isinstance(errors[0], Error)
    assert NOTHING_THERE in errors[0].msg
    assert "does not answer" in errors[0].msg


def test_check_deploy_fails_on_it(settings: Any) -> None:
    # given
    _redis_cache(settings, NOTHING_THERE)
    # when / then
    with pytest.raises(SystemCheckError, match=r"purei\.E001"):
        call_command("check", "--deploy", "--tag", "caches")


def test_plain_check_does_not_ping(settings: Any) -> None:
    # given: `make check` runs `manage.py check` without a Redis
    _redis_cache(settings, NOTHING_THERE)
    # when / then: no error without --deploy
    call_command("check", "--tag", "caches")


def test_redis_that_answers_passes(settings: Any, redis_url: str) -> None:
    # given
    _redis_cache(settings, redis_url)
    # when / then
    assert check_redis_answers() == []


def test_a_missing_redis_client_is_a_deploy_error(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: as before `redis` was in requirements.lock
    _redis_cache(settings, "redis://127.0.0.1:6379/0")
    monkeypatch.setitem(sys.modules, "redis", None)
    # when
    errors = check_redis_answers()
    # then
    assert [error.id for error in errors] == ["purei.core.E002"]
    assert "the redis client is not installed" in errors[0].msg


def test_each_server_of_a_list_is_checked(settings: Any, redis_url: str) -> None:
    # given
    _redis_cache(settings, f"{redis_url},{NOTHING_THERE}")
    # when
    errors = check_redis_answers()
    # then
    assert len(errors) == 1
    assert NOTHING_THERE in errors[0].msg


def test_no_redis_nothing_to_check(settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert check_redis_answers() == []


def test_a_password_is_never_shown() -> None:
    assert (
        without_password("redis://cache:s3cret@redis.example.nz:6380/1")
        == "redis://cache:***@redis.example.nz:6380/1"
    )
    assert without_password(NOTHING_THERE) == NOTHING_THERE
