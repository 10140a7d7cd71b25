"""The Redis cache of the test suite (``purei.test_settings``, with ``REDIS_URL``).

The suite runs in several processes at once (pytest-xdist), all on one Redis. Each
process names its keys with a prefix of its own (set in the test settings), and its
``clear()`` deletes only those keys: Django's own clears the whole Redis database,
the other processes' keys too.
"""

from __future__ import annotations

from purei.core.cache import FailSoftRedisCache


class PerProcessRedisCache(FailSoftRedisCache):
    """Pūrei's Redis cache (failing soft); ``clear()`` removes this process's keys
    only."""

    def clear(self) -> None:
        client = self._cache.get_client(write=True)
        # make_key("") is "<KEY_PREFIX>:<VERSION>:"; every version of our keys.
        pattern = f"{self.key_prefix}:*"
        batch: list[bytes] = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
