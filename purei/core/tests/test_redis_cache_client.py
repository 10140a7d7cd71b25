"""The Redis cache makes one ``redis.Redis`` per connection pool and uses it for
every call (purei/core/cache.py ``OneClientPerPool``): Django's own built one per
call, which cost a kept page more than the bare page's whole answer (issue 18).

Against a real Redis (``redis_url``: REDIS_URL's, else the local one)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from purei.core.cache import FailSoftRedisCache, OneClientPerPool


@pytest.fixture
def cache(redis_url: str) -> FailSoftRedisCache:
    return FailSoftRedisCache(
        redis_url, {"KEY_PREFIX": f"client-test-{uuid.uuid4().hex}", "TIMEOUT": 60}
    )


def test_every_call_uses_the_same_client_of_the_one_pool(
    cache: FailSoftRedisCache,
) -> None:
    # given
    client = cache._cache
    assert isinstance(client, OneClientPerPool)
    # when
    cache.set("a", 1)
    first = client.get_client(write=True)
    assert cache.get("a") == 1
    cache.get_many(["a", "b"])
    # then
    assert client.get_client() is first
    assert client.get_client(write=True) is first
    assert first.connection_pool is client._get_connection_pool(False)


def test_threads_share_the_client_and_each_reads_its_own_values(
    cache: FailSoftRedisCache,
) -> None:
    # given
    def write_then_read(n: int) -> tuple[int, dict[str, int]]:
        cache.set(f"k{n}", n)
        cache.set_many({f"m{n}": n * 10})
        return cache.get(f"k{n}"), cache.get_many([f"m{n}"])

    # when
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(write_then_read, range(64)))
    # then
    assert found == [(n, {f"m{n}": n * 10}) for n in range(64)]


def test_a_connection_the_server_closed_is_replaced_by_the_pool(
    cache: FailSoftRedisCache, redis_url: str
) -> None:
    # given: the pooled connection, closed by the server (as a Redis restart does)
    cache.set("kept", "yes")
    client = cache._cache.get_client(write=True)
    own = client.client_id()
    admin = redis.Redis.from_url(redis_url)
    assert admin.client_kill_filter(_id=str(own)) == 1
    # when
    answer = cache.get("kept")
    # then: the same client, on a new connection, and no outage declared
    assert answer == "yes"
    assert cache._cache.get_client() is client
    assert client.client_id() != own
    assert not cache.breaker.is_open
