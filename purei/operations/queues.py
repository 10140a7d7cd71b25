"""The task queues as settings describe them, for the readiness check and the
queue-depth metric.

Read from ``settings.TASKS`` (and ``settings.RQ_QUEUES`` for django-tasks-rq)
whatever backend each alias names, so that a backend configured elsewhere is seen
as it is configured, without importing the code that configured it:

- ``django_tasks_db.DatabaseBackend``: the tasks' table; waiting = READY rows;
- ``django_tasks_rq.RQBackend``: the Redis of each of its RQ queues; waiting = the
  queue's length;
- Django's immediate and dummy backends: nothing outside the process to check;
- any other: not checked (reported ``skipped``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count

if TYPE_CHECKING:
    from redis import Redis

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_BACKEND = "django_tasks_rq.RQBackend"
IN_PROCESS_BACKENDS = frozenset(
    {
        "django.tasks.backends.immediate.ImmediateBackend",
        "django.tasks.backends.dummy.DummyBackend",
    }
)
READY = "READY"


def task_backends() -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(alias, backend path, its settings) of every configured task backend."""
    for alias, params in getattr(settings, "TASKS", {}).items():
        yield alias, str(params.get("BACKEND", "")), params


def rq_queue_names(params: Mapping[str, Any]) -> list[str]:
    """The RQ queues an RQBackend alias uses: its ``QUEUES`` (``["default"]`` when
    absent, as Django's base backend has it), every queue of ``RQ_QUEUES`` when
    empty (as django-tasks-rq has it)."""
    names = list(params.get("QUEUES", ["default"]))
    return names or list(getattr(settings, "RQ_QUEUES", {}))


def rq_redis(queue_name: str, *, timeout: float) -> Redis:
    """A Redis client for ``RQ_QUEUES[queue_name]`` that gives up after ``timeout``
    seconds (its own, closed by the caller). A ``URL`` or ``HOST`` is connected here
    with that timeout; other forms (Sentinels, a Unix socket, a cache's connection)
    as django-rq connects them."""
    import redis

    config: dict[str, Any] = getattr(settings, "RQ_QUEUES", {})[queue_name]
    if "URL" in config:
        extra = {"db": config["DB"]} if config.get("DB") is not None else {}
        return redis.Redis.from_url(
            config["URL"],
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            **extra,
        )
    if "HOST" in config:
        return redis.Redis(
            host=config["HOST"],
            port=int(config.get("PORT", 6379)),
            db=int(config.get("DB") or 0),
            username=config.get("USERNAME"),
            password=config.get("PASSWORD"),
            ssl=bool(config.get("SSL", False)),
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
        )
    from django_rq.connection_utils import get_redis_connection

    return get_redis_connection(config)


def queue_ready_check(
    backend: str, params: Mapping[str, Any], *, timeout: float
) -> bool:
    """Raises when the queue of a task backend cannot be reached; False when there
    is nothing Pūrei knows how to check."""
    if backend == DATABASE_BACKEND:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(status=READY).exists()
        return True
    if backend == RQ_BACKEND:
        for name in rq_queue_names(params):
            client = rq_redis(name, timeout=timeout)
            try:
                client.ping()
            finally:
                client.close()
        return True
    return backend in IN_PROCESS_BACKENDS


def queue_depths(*, timeout: float = 1.0) -> Iterator[tuple[str, str, int]]:
    """(backend alias, queue name, tasks waiting) of every queue that has any
    outside the process."""
    for alias, backend, params in task_backends():
        if backend == DATABASE_BACKEND:
            from django_tasks_db.models import DBTaskResult

            waiting = (
                DBTaskResult.objects.filter(backend_name=alias, status=READY)
                .order_by()
                .values_list("queue_name")
                .annotate(n=Count("pk"))
            )
            counts = dict(waiting)
            for name in params.get("QUEUES") or ["default"]:
                counts.setdefault(name, 0)
            for name, count in sorted(counts.items()):
                yield alias, name, count
        elif backend == RQ_BACKEND:
            from rq import Queue

            for name in rq_queue_names(params):
                client = rq_redis(name, timeout=timeout)
                try:
                    yield alias, name, Queue(name, connection=client).count
                finally:
                    client.close()
