"""The site with a real Redis as its cache, as the README sets production up
(``REDIS_URL``). Issue 11, defect 1: with REDIS_URL set, the shop and ``/search/``
answered 500 (no ``redis`` client installed).

Run by ``make test-redis`` (``REDIS_URL=redis://127.0.0.1:6379/<n> pytest -m redis``);
skipped when REDIS_URL is not set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import redis
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.catalogue.models import Product
from purei.clusters.tests.factories import ClusterFactory
from purei.search.index import product_changed
from purei.search.tests.factories import public_product

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture(autouse=True)
def redis_cache(settings: Any) -> Iterator[redis.Redis]:
    """The cache is the Redis of REDIS_URL, with the shop and search caches on."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("runs against Redis: set REDIS_URL (make test-redis)")
    # Django's Redis cache (the suite keeps to its own keys: core/tests/redis_cache.py)
    assert isinstance(caches["default"], RedisCache)
    settings.SEARCH_CACHE_SECONDS = 300
    cache.clear()
    client = redis.Redis.from_url(url)
    yield client
    cache.clear()
    client.close()


def _keys(client: redis.Redis, kind: str) -> list[bytes]:
    """The cache's keys of one kind (Django's are ``<prefix>:<version>:<key>``)."""
    return list(client.scan_iter(match=f"*:{kind}*"))


def test_the_cache_is_the_redis_of_redis_url(redis_cache: redis.Redis) -> None:
    # when
    caches["default"].set("kia-ora", "Kia ora", 30)
    # then
    assert caches["default"].get("kia-ora") == "Kia ora"
    assert _keys(redis_cache, "kia-ora")


def test_the_shop_is_served_and_its_results_kept_in_redis(
    client: Client, redis_cache: redis.Redis
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    public_product(cluster, title_en="Kūmara")
    # when
    first = client.get("/c/kaipara/shop/")
    # then
    assert first.status_code == 200
    assert "Kūmara" in first.content.decode()
    assert _keys(redis_cache, "search-results")
    assert _keys(redis_cache, "search-part")  # the cards
    # when: again, from Redis
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/c/kaipara/shop/")
    # then
    assert again.status_code == 200
    assert "Kūmara" in again.content.decode()
    assert len(captured.captured_queries) <= 4


def test_search_and_what_it_found_are_kept_in_redis(
    client: Client, redis_cache: redis.Redis
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    for n in range(30):
        public_product(cluster, title_en=f"Kūmara {n}")
    # when
    first = client.get("/search/?q=kumara")
    # then
    assert first.status_code == 200
    assert "Kūmara" in first.content.decode()
    assert _keys(redis_cache, "search-found")
    # when: the next page of the same search reuses what it found
    with CaptureQueriesContext(connection) as captured:
        second = client.get("/search/?q=kumara&page=2")
    # then
    assert second.status_code == 200
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "search_product_fts" not in sql
    assert "search_searchdocument" not in sql


def test_a_change_shows_at_once(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, title_en="Kūmara")
    assert "Kūmara" in client.get("/c/kaipara/shop/").content.decode()
    assert "Kūmara" in client.get("/search/?q=kumara").content.decode()
    # when: renamed, and the index told (as every catalogue service does)
    Product.objects.filter(pk=product.pk).update(title_en="Golden kūmara")
    product_changed(product.pk)
    # then
    assert "Golden kūmara" in client.get("/c/kaipara/shop/").content.decode()
    assert "Golden" in client.get("/search/?q=kumara").content.decode()  # highlighted


def test_logging_in_and_its_rate_limit_work(client: Client, settings: Any) -> None:
    # given
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    UserFactory.create(email="mere@example.nz")
    other = Client()
    # when: the right password
    logged_in = other.post(
        "/accounts/login/", {"username": "mere@example.nz", "password": PASSWORD}
    )
    # then
    assert logged_in.status_code == 302
    # when: three wrong ones, then the right one
    for _ in range(3):
        client.post(
            "/accounts/login/", {"username": "mere@example.nz", "password": "wrong"}
        )
    refused = client.post(
        "/accounts/login/", {"username": "mere@example.nz", "password": PASSWORD}
    )
    # then
    assert refused.status_code == 429
