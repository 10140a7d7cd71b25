"""With the RQ backend (django-tasks-rq), ``/readyz`` pings the Redis of its queues
and ``/metrics`` counts the jobs waiting in them: a real Redis (``redis_url``; a db
number of these tests' own), and a port where nothing listens."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from django.test import Client
from rq import Queue

from purei.operations.tests.test_metrics import sample, scrape

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

# These tests' own Redis database (the suite's cache uses another).
OWN_DB = 14
RQ_BACKEND = "django_tasks_rq.RQBackend"


@pytest.fixture
def rq_url(redis_url: str) -> str:
    return urlsplit(redis_url)._replace(path=f"/{OWN_DB}").geturl()


@pytest.fixture
def queue_name() -> str:
    return f"purei-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def rq_queue(rq_url: str, queue_name: str) -> Iterator[Queue]:
    connection = redis.Redis.from_url(rq_url)
    queue = Queue(queue_name, connection=connection)
    try:
        yield queue
    finally:
        queue.empty()
        connection.close()


def _rq_tasks(settings: Any, queue_name: str, url: str) -> None:
    """The RQ backend with two queues: Pūrei's tasks' ("default") and this test's."""
    queues = ["default", queue_name]
    settings.TASKS = {"default": {"BACKEND": RQ_BACKEND, "QUEUES": queues}}
    settings.RQ_QUEUES = {name: {"URL": url} for name in queues}


def rq_url_of(queue: Queue) -> str:
    kwargs = queue.connection.connection_pool.connection_kwargs
    return f"redis://{kwargs['host']}:{kwargs['port']}/{kwargs['db']}"


@pytest.fixture
def settings_metrics_afresh(settings: Any) -> None:
    settings.METRICS_CACHE_SECONDS = 0


def test_readyz_pings_the_queues_redis(
    client: Client, settings: Any, rq_url: str, queue_name: str
) -> None:
    # given
    _rq_tasks(settings, queue_name, rq_url)
    # when
    response = client.get("/readyz")
    # then
    assert response.status_code == 200
    assert response.json()["queue"]["default"]["status"] == "ok"


def test_readyz_is_503_when_the_queues_redis_does_not_answer(
    client: Client, settings: Any, queue_name: str
) -> None:
    # given
    _rq_tasks(settings, queue_name, "redis://:hunter2-secret@127.0.0.1:1/0")
    # when
    response = client.get("/readyz")
    # then
    assert response.status_code == 503
    assert response.json()["queue"]["default"] == {
        "status": "fail",
        "error": "ConnectionError",
    }
    assert "hunter2" not in response.content.decode()


def test_jobs_waiting_in_an_rq_queue(
    client: Client, settings: Any, settings_metrics_afresh: None, rq_queue: Queue
) -> None:
    # given
    _rq_tasks(settings, rq_queue.name, rq_url_of(rq_queue))
    labels = {"backend": "default", "queue": rq_queue.name}
    assert sample(scrape(client), "purei_tasks_queue_depth", **labels) == 0
    # when
    rq_queue.enqueue("math.floor", 1.5)
    rq_queue.enqueue("math.floor", 2.5)
    # then
    assert sample(scrape(client), "purei_tasks_queue_depth", **labels) == 2
