"""Remembering, for a few seconds, that a service did not answer.

When the read replica or the Redis cache is down, every request would otherwise try
it again first and wait for the refusal (or the connect timeout). A ``Breaker`` is
tripped by the first failure and stays open for ``seconds``: meanwhile callers go
straight to their fallback (the primary database, a cache miss). So a stopped
service costs at most one failed connect per process per interval.

Per process and per thread-safe enough: a float written and read whole.
"""

from __future__ import annotations

import time


class Breaker:
    """Open (the service is taken as down) for ``seconds`` after :meth:`trip`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._down_until = 0.0

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self._down_until

    def trip(self) -> None:
        self._down_until = time.monotonic() + self.seconds

    def reset(self) -> None:
        self._down_until = 0.0
