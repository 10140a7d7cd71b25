"""Tasks on RQ (``TASKS_BACKEND=rq``; docs/adr/0022-task-queue-rq.md).

django-tasks-rq's backend, with two things added:

- **Retries.** Every task is enqueued with ``Retry(max=len(TASKS_RETRY_SECONDS),
  interval=TASKS_RETRY_SECONDS)``. RQ uses it both when a task raises and when its
  worker died mid-run (SIGKILL, a lost machine): the dead worker's job stays in the
  queue's StartedJobRegistry until its heartbeat lapses (the job monitoring
  interval, 30 s, plus 60 s), and the next registry cleanup of a worker (at its
  start and every ``TASKS_MAINTENANCE_SECONDS``: :class:`Worker`) moves it back to
  the queue while retries are left, else to the failed jobs. Retries with a delay
  are scheduled, so `purei worker` runs RQ's scheduler too (``--with-scheduler``;
  delayed tasks need it anyway).
- **Emails once.** :class:`Job` runs each task inside ``purei.core.mail.task_run``
  (the task and its result id, the same on every retry), so a retried task does not
  send an email its first attempt sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import django_rq
from django.conf import settings
from django.db import close_old_connections
from django.tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django.tasks.signals import task_enqueued
from django.utils.crypto import get_random_string
from django_tasks_rq import Job as TasksJob
from django_tasks_rq import RQBackend
from django_tasks_rq.backend import failed_callback, success_callback
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq.callbacks import Callback
from rq.job import JobStatus, Retry
from rq.worker import SimpleWorker

from .mail import task_run

logger = logging.getLogger(__name__)


class Job(TasksJob):
    """django-tasks-rq's job, sending each of its emails once per task run.

    ``purei worker`` runs jobs in the worker's own process (RQ's ``SimpleWorker``),
    not in a process forked for each: a forked child starts with cold caches (every
    email's templates compiled again, a new database connection), which made an
    order's email take seconds. So the job does what Django does around a request:
    it drops database connections that are broken or past ``CONN_MAX_AGE`` before
    and after it runs."""

    def _execute(self) -> Any:
        close_old_connections()
        try:
            with task_run(f"{self.func.module_path}:{self.id}"):
                return super()._execute()
        finally:
            close_old_connections()


class Worker(SimpleWorker):
    """RQ's ``SimpleWorker`` (jobs in the worker's own process: :class:`Job` says
    why) with its maintenance every ``TASKS_MAINTENANCE_SECONDS`` (60) instead of
    RQ's 10 minutes. Maintenance is when a worker starts its scheduler again if
    the scheduler process died (it does when Redis goes away under it: a restart,
    a failover) and when it puts a dead worker's job back for its retry; a retry
    waits in the scheduled registry until a scheduler moves it, so with RQ's
    default a retry could wait ten minutes.

    An idle worker looks at its maintenance only between two waits for a job, and
    RQ waits ``worker_ttl`` minus 15 s (405 s by default); so the worker's TTL is the
    interval + 15 s, unless given (``--worker-ttl``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        interval = int(settings.TASKS_MAINTENANCE_SECONDS)
        kwargs.setdefault("maintenance_interval", interval)
        if not kwargs.get("worker_ttl"):
            kwargs["worker_ttl"] = interval + 15
        super().__init__(*args, **kwargs)


# How long an enqueue waits for Redis to come back (a restart, a failover) before it
# gives up: the task is usually enqueued after the order's commit, and giving up
# then loses its email.
ENQUEUE_WAITS = (0.2, 0.5, 1.0, 2.0, 4.0)


def _riding_out_outages[T](enqueue: Callable[[], T]) -> T:
    """``enqueue()``, tried again after each of ``ENQUEUE_WAITS`` while Redis does
    not answer (measured in the scale demo: a Redis restart takes about a second,
    and without this every checkout in it answered 500 with its order placed and
    its emails never queued)."""
    for wait in ENQUEUE_WAITS:
        try:
            return enqueue()
        except (RedisConnectionError, RedisTimeoutError):
            logger.warning(
                "Redis did not answer an enqueue: trying again in %s s", wait
            )
            time.sleep(wait)
    return enqueue()


def retry() -> Retry | None:
    intervals = list(settings.TASKS_RETRY_SECONDS)
    return Retry(max=len(intervals), interval=intervals) if intervals else None


class RetryingRQBackend(RQBackend):
    """``RQBackend`` whose jobs carry :func:`retry` (its ``enqueue``, with it), and
    which keeps one queue (one Redis connection pool) per queue name: django-rq's
    ``get_queue`` makes a new client, so a new TCP connection, on every call, which
    was most of an enqueue's cost (measured: 19 ms a task, then 3.9 ms)."""

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self._queues: dict[str, Any] = {}

    def _queue(self, name: str) -> Any:
        if (queue := self._queues.get(name)) is None:
            queue = self._queues[name] = django_rq.get_queue(name, job_class=Job)
        return queue

    # Typed loosely: django-tasks-rq is typed for django-tasks (the backport), Pūrei's
    # tasks are Django's own (django.tasks), which the backend takes as they are.
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        self.validate_task(task)
        task_result: TaskResult[Any, Any] = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = self._queue(task.queue_name)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
            retry=retry(),
        )
        if task.run_after is None:
            job = _riding_out_outages(
                lambda: queue.enqueue_job(
                    job, at_front=task.priority == TASK_MAX_PRIORITY
                )
            )
        else:
            job = _riding_out_outages(lambda: queue.schedule_job(job, task.run_after))
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result
