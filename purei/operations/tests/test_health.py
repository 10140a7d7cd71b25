"""``/healthz`` answers without asking anything; ``/readyz`` asks every part and
says 503 when one the site needs does not answer (real failures: a port where
nothing listens), 200 ``degraded`` when only a replica fails."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from pytest_django import DjangoDbBlocker

from purei.operations import health

NOTHING_LISTENS = "127.0.0.1:1"


def test_healthz_answers_without_the_database_or_the_cache(
    client: Client, settings: Any
) -> None:
    # given: no `db` fixture here, so a query would fail the test; and a cache
    # where nothing listens
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{NOTHING_LISTENS}/0",
        }
    }
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_not_redirected_to_https(client: Client, settings: Any) -> None:
    # given
    settings.SECURE_SSL_REDIRECT = True
    # when
    health = client.get("/healthz")
    page = client.get("/finder/")
    # then: probes come over plain http
    assert health.status_code == 200
    assert page.status_code == 301


@pytest.mark.django_db
@pytest.mark.usefixtures("primary_only")
def test_readyz_when_every_part_answers(client: Client) -> None:
    # when
    response = client.get("/readyz")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["default"]["status"] == "ok"
    assert body["cache"]["default"]["status"] == "ok"
    assert body["queue"]["default"]["status"] == "ok"
    assert body["storage"]["default"]["status"] == "ok"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_does_not_answer(
    client: Client, settings: Any
) -> None:
    # given: the cache is a Redis where nothing listens
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://:hunter2-secret@{NOTHING_LISTENS}/0",
        }
    }
    # when
    response = client.get("/readyz")
    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["cache"]["default"] == {"status": "fail", "error": "ConnectionError"}
    assert body["database"]["default"]["status"] == "ok"
    # never a host or a password in the answer
    assert "hunter2" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


@pytest.fixture
def replica_nowhere() -> Iterator[str]:
    """A ``replica`` database alias on a PostgreSQL port where nothing listens
    (overriding DATABASES does not reach django.db.connections: the alias is put
    in the settings it read, then taken out)."""
    raw = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "purei",
        "USER": "postgres",
        "PASSWORD": "hunter2-secret",
        "HOST": "127.0.0.1",
        "PORT": "1",
        "TEST": {"MIRROR": "default"},
    }
    both = {"default": connections.settings["default"], "replica": raw}
    config = connections.configure_settings(both)["replica"]
    kept = [
        (d, d.get("replica")) for d in (connections.settings, django_settings.DATABASES)
    ]
    for databases, _before in kept:
        databases["replica"] = config
    connections[
        "replica"
    ].close()  # a connection of the test settings' replica, if one was made
    try:
        yield "replica"
    finally:
        connections["replica"].close()
        for databases, before in kept:
            if before is None:
                databases.pop("replica", None)
            else:
                databases["replica"] = before


@pytest.fixture
def primary_only() -> Iterator[None]:
    """The test settings' read replica (a mirror of the test database, which a
    test case may not reach from another thread) out of DATABASES for a test; the
    replica's own cases are below."""
    kept = [
        (d, d.pop("replica", None))
        for d in (connections.settings, django_settings.DATABASES)
    ]
    try:
        yield
    finally:
        for databases, before in kept:
            if before is not None:
                databases["replica"] = before


def test_a_replica_that_fails_degrades_but_stays_ready(
    client: Client,
    replica_nowhere: str,
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
) -> None:
    # when: outside a test case's transaction (a test case refuses connections to
    # an alias it was not given, and cannot be given one made after it started)
    with django_db_blocker.unblock():
        response = client.get("/readyz")
    # then: reads fall back to the primary
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["default"]["status"] == "ok"
    assert body["database"]["replica"] == {
        "status": "degraded",
        "error": "OperationalError",
    }
    assert "hunter2" not in json.dumps(body)


@pytest.mark.django_db
@pytest.mark.usefixtures("primary_only")
def test_a_part_slower_than_the_timeout_fails(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a storage that does not answer within the time allowed (it waits
    # for the end of the test; with a timeout of 0 alone, fast parts sometimes
    # answered before the wait and the test failed at random)
    settings.READYZ_TIMEOUT_SECONDS = 0.05
    answer = threading.Event()

    def slow_storage() -> bool:
        answer.wait(5)
        return True

    monkeypatch.setattr(health, "storage_check", slow_storage)
    # when
    try:
        response = client.get("/readyz")
    finally:
        answer.set()
    # then
    assert response.status_code == 503
    errors = {
        part: {name: result.get("error") for name, result in aliases.items()}
        for part, aliases in response.json().items()
        if part != "status"
    }
    assert errors["storage"] == {"default": "timeout"}
