"""Django's Redis cache, failing soft (``REDIS_URL``; docs/scaling.md "Data tier").

Django's ``RedisCache`` raises when Redis does not answer, and every shop, search and
product page reads the cache, as do sessions (``cached_db``) and the rate limits: a
Redis restart would answer 500 until it was back. Here a connection error or timeout
is logged and taken as a miss — a read returns the default, a write stores nothing,
a count (``incr``) returns 0 — and the page is made from the database as if the
cache were empty. After a failure Redis is left alone for ``RETRY_SECONDS`` (a
:class:`~purei.core.outage.Breaker`), so an outage costs one failed connect per
process per interval, not one per cache call.

What that means while Redis is down: pages are rendered afresh (slower, correct);
sessions are read from and written to the database (``cached_db``); the rate limits
count nothing, so they let everything through (fail open) with a warning in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .outage import Breaker

logger = logging.getLogger(__name__)

T = TypeVar("T")
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 5.0


class OneClientPerPool(RedisCacheClient):
    """Django's Redis cache client, with one ``redis.Redis`` per connection pool,
    made once.

    Django's ``get_client`` builds a new ``redis.Redis`` around the pool on every
    cache call. With redis-py 8 that constructor costs about 0.25 ms: a kept page
    (one ``get_many``, and a ``set`` when its stock is checked) spent more time
    building clients than the bare page spends in all (profiled for issue 18,
    docs/performance.md). A ``redis.Redis`` holds no connection of its own (it
    takes one from the pool per command, and the pool starts afresh in a forked
    process), so one per pool serves every call and thread of the process."""

    # Django's own, not in django-stubs.
    _client: Callable[..., Any]
    _get_connection_pool: Callable[[bool], Any]

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        # By the pool's identity: the pools live as long as this client.
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)
            self._clients[id(pool)] = client
        return client


class FailSoftRedisCache(RedisCache):
    """``RedisCache`` whose calls treat an unreachable Redis as an empty cache."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = OneClientPerPool
        self.breaker = Breaker(RETRY_SECONDS)

    def _soft(self, what: str, call: Callable[[], T], fallback: T) -> T:
        if self.breaker.is_open:
            return fallback
        try:
            return call()
        except UNAVAILABLE as exc:
            self.breaker.trip()
            logger.warning(
                "cache unavailable (%s: %s); treated as a miss for %s s "
                "(rate limits let requests through meanwhile)",
                what,
                exc,
                self.breaker.seconds,
            )
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft(
            "get",
            lambda: super(FailSoftRedisCache, self).get(key, default, version),
            default,
        )

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> Any:
        keys = list(keys)
        return self._soft(
            "get_many",
            lambda: super(FailSoftRedisCache, self).get_many(keys, version),
            {},
        )

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._soft(
            "has_key",
            lambda: super(FailSoftRedisCache, self).has_key(key, version),
            False,
        )

    def set(
        self,
        key: Any,
        value: Any,
        timeout: Any = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._soft(
            "set",
            lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version),
            None,
        )

    def add(
        self,
        key: Any,
        value: Any,
        timeout: Any = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._soft(
            "add",
            lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version),
            False,
        )

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: Any = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        return self._soft(
            "set_many",
            lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version),
            list(data),
        )

    def touch(
        self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._soft(
            "touch",
            lambda: super(FailSoftRedisCache, self).touch(key, timeout, version),
            False,
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._soft(
            "delete",
            lambda: super(FailSoftRedisCache, self).delete(key, version),
            False,
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._soft(
            "delete_many",
            lambda: super(FailSoftRedisCache, self).delete_many(keys, version),
            None,
        )

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._soft(
            "incr", lambda: super(FailSoftRedisCache, self).incr(key, delta, version), 0
        )
