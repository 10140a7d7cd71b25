"""A Redis that does not answer is an empty cache, never a 500 (purei/core/cache.py):
pages are made from the database, sessions kept in it (``cached_db``), and the rate
limits let requests through, with a warning in the log.

Against a real closed port: Redis refuses every connection there, as during a
restart."""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.core.cache import FailSoftRedisCache
from purei.members.tests.factories import MemberFactory
from purei.orders.models import CartLine
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def redis_down(settings: Any) -> FailSoftRedisCache:
    """The cache, sessions and rate limits on a Redis whose port is closed."""
    settings.CACHES = {
        "default": {
            "BACKEND": "purei.core.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SEARCH_CACHE_SECONDS = 300
    cache = caches["default"]
    assert isinstance(cache, FailSoftRedisCache)
    return cache


def test_every_call_is_a_miss_and_one_failed_connect_opens_the_breaker(
    redis_down: FailSoftRedisCache, caplog: Any
) -> None:
    # given
    caplog.set_level(logging.WARNING, logger="purei.core.cache")
    # when
    redis_down.set("a", 1)
    answers = [
        redis_down.get("a", "miss"),
        redis_down.get_many(["a", "b"]),
        redis_down.add("b", 2),
        redis_down.incr("c"),
        redis_down.has_key("a"),
        redis_down.delete("a"),
    ]
    # then
    assert answers == ["miss", {}, False, 0, False, False]
    warnings = [r for r in caplog.records if "cache unavailable" in r.message]
    assert len(warnings) == 1
    assert redis_down.breaker.is_open


def test_without_redis_the_shop_answers_and_the_cart_is_kept_in_the_database(
    redis_down: FailSoftRedisCache, client: Client, rate_limits: Any
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kai")
    maker = MemberFactory.create(slug="hive-hill")
    product = public_product(cluster, member=maker, slug="manuka", title_en="Honey")
    variant = Variant.objects.get(product=product)
    # when: the storefront, a cart, a rate-limited signup
    shop = client.get("/c/kai/shop/")
    page = client.get("/c/kai/p/hive-hill/manuka/")
    added = client.post("/c/kai/cart/add/", {"variant": variant.pk, "quantity": 1})
    cart = client.get("/c/kai/cart/")
    signup = client.get("/accounts/signup/")
    # then
    assert [shop.status_code, page.status_code, signup.status_code] == [200] * 3
    assert added.status_code == 302
    assert cart.status_code == 200
    assert "Honey" in cart.content.decode()
    assert CartLine.objects.filter(variant=variant).exists()
    assert Session.objects.filter(session_key=client.session.session_key).exists()


def test_without_redis_the_rate_limits_let_requests_through(
    redis_down: FailSoftRedisCache, client: Client, rate_limits: Any
) -> None:
    # given: one reset link an hour per address
    rate_limits("password_reset", address="1/h", email="1/h")
    # when: three asked for
    answers = [
        client.post("/accounts/password-reset/", {"email": "aroha@example.nz"})
        for _ in range(3)
    ]
    # then: none refused (fail open): the cache counted nothing
    assert [answer.status_code for answer in answers] == [302] * 3
