"""``purei worker``'s RQ worker does its maintenance every minute, not every ten
(purei.core.queue.Worker): maintenance is when RQ starts a worker's scheduler again
after it died with Redis gone under it, which a scheduled retry waits for. The full
scale run found a retry still waiting when it stopped (docs/scaling.md)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from redis import Redis
from rq import Queue
from rq.utils import now
from rq.worker import SimpleWorker

from purei.core.queue import Worker

pytestmark = pytest.mark.redis


@pytest.fixture
def connection(redis_url: str) -> Redis:
    return Redis.from_url(f"redis://{urlsplit(redis_url).netloc}/12")


def test_the_worker_does_its_maintenance_every_tasks_maintenance_seconds(
    connection: Redis, settings: Any
) -> None:
    # given
    queue = Queue("default", connection=connection)
    settings.TASKS_MAINTENANCE_SECONDS = 60
    ours, rqs = (
        Worker([queue], connection=connection),
        SimpleWorker([queue], connection=connection),
    )
    # when: the last maintenance was 61 s ago
    for worker in (ours, rqs):
        worker.last_cleaned_at = now() - datetime.timedelta(seconds=61)  # type: ignore[assignment]
    # then: ours is due, RQ's own (600 s) is not
    assert ours.maintenance_interval == 60
    assert ours.should_run_maintenance_tasks
    assert not rqs.should_run_maintenance_tasks


def test_an_idle_worker_waits_for_a_job_no_longer_than_the_interval(
    connection: Redis, settings: Any
) -> None:
    # An idle worker checks its maintenance between two waits for a job.
    settings.TASKS_MAINTENANCE_SECONDS = 60
    queue = Queue("default", connection=connection)
    assert Worker([queue], connection=connection).dequeue_timeout == 60
    assert SimpleWorker([queue], connection=connection).dequeue_timeout == 405
    given = Worker([queue], connection=connection, worker_ttl=300)
    assert given.dequeue_timeout == 285


def test_the_interval_is_a_setting(connection: Redis, settings: Any) -> None:
    settings.TASKS_MAINTENANCE_SECONDS = 5
    worker = Worker([Queue("default", connection=connection)], connection=connection)
    worker.last_cleaned_at = now() - datetime.timedelta(seconds=6)  # type: ignore[assignment]
    assert worker.maintenance_interval == 5
    assert worker.should_run_maintenance_tasks
