"""Is this process able to serve? The checks behind ``/readyz``.

``/healthz`` asks nothing of anyone (the process answers, so it lives). ``/readyz``
asks each part Pūrei needs, all at once, each in a thread of its own, and waits
``READYZ_TIMEOUT_SECONDS`` at most: a part that has not answered by then counts as
failed (its thread is left to finish on its own, and closes its connections).

- ``database``: ``SELECT 1`` on every alias of ``DATABASES``. A replica (an alias
  named ``replica…``, or whose ``TEST["MIRROR"]`` is set) that fails makes the
  answer ``degraded`` but still ready: reads fall back to the primary.
- ``cache``: a key set, read back and deleted, in every alias of ``CACHES``.
- ``queue``: every alias of ``TASKS`` (``purei.operations.queues``).
- ``storage``: ``exists()`` of a probe name in the default storage.

The answer names parts and aliases and, for a failure, the exception's class only:
never a host, user or password (exception messages may hold them; they go to the
log, which is private).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django.db import connections

from .queues import queue_ready_check, task_backends

logger = logging.getLogger(__name__)

PROBE_NAME = "purei-readyz-probe"

OK = "ok"
FAIL = "fail"
DEGRADED = "degraded"
SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Check:
    part: str
    name: str
    run: Callable[[], bool]
    # A part Pūrei can do without (a database replica): its failure degrades.
    optional: bool = False


def database_is_replica(alias: str) -> bool:
    config = settings.DATABASES[alias]
    return "replica" in alias or bool(config.get("TEST", {}).get("MIRROR"))


def database_check(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True


def cache_check(alias: str) -> bool:
    cache = caches[alias]
    key, value = f"purei:readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise LookupError("the cache did not return what was set")
    finally:
        cache.delete(key)
    return True


def storage_check() -> bool:
    storages["default"].exists(PROBE_NAME)
    return True


def readiness_checks(*, timeout: float) -> list[Check]:
    """Every check for the parts this process is configured with."""
    checks = [
        Check(
            "database",
            alias,
            partial(database_check, alias),
            optional=database_is_replica(alias),
        )
        for alias in settings.DATABASES
    ]
    checks += [
        Check("cache", alias, partial(cache_check, alias)) for alias in settings.CACHES
    ]
    checks += [
        Check(
            "queue", alias, partial(queue_ready_check, backend, params, timeout=timeout)
        )
        for alias, backend, params in task_backends()
    ]
    checks.append(Check("storage", "default", storage_check))
    return checks


def _run(check: Check) -> tuple[bool, float]:
    """In its own thread: the check, how long it took (ms); then that thread's
    database connections are closed (each check opens its own)."""
    started = time.perf_counter()
    try:
        checked = check.run()
    finally:
        connections.close_all()
    return checked, round((time.perf_counter() - started) * 1000, 1)


def readiness(*, timeout: float | None = None) -> tuple[str, dict[str, Any]]:
    """The overall status (``ok``, ``degraded`` or ``fail``) and the report, part by
    part and alias by alias: ``{"status": …, "ms": …}``, or ``{"status": "fail",
    "error": <exception class or "timeout">}``."""
    if timeout is None:
        timeout = float(settings.READYZ_TIMEOUT_SECONDS)
    checks = readiness_checks(timeout=timeout)
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    try:
        futures: list[Future[tuple[bool, float]]] = [
            pool.submit(_run, check) for check in checks
        ]
        wait(futures, timeout=timeout)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    overall = OK
    report: dict[str, Any] = {}
    for check, future in zip(checks, futures, strict=True):
        result: dict[str, Any]
        if not future.done():
            logger.warning(
                "readiness: %s %r did not answer in %ss",
                check.part,
                check.name,
                timeout,
            )
            result = {"status": FAIL, "error": "timeout"}
        elif (error := future.exception()) is not None:
            logger.warning("readiness: %s %r failed: %r", check.part, check.name, error)
            result = {"status": FAIL, "error": type(error).__name__}
        else:
            checked, ms = future.result()
            result = {"status": OK if checked else SKIPPED, "ms": ms}
        if result["status"] == FAIL:
            if check.optional:
                result["status"] = DEGRADED
                overall = DEGRADED if overall == OK else overall
            else:
                overall = FAIL
        report.setdefault(check.part, {})[check.name] = result
    return overall, report
