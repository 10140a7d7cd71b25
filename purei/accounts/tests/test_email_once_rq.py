"""A task whose RQ worker is killed mid-run is retried, and its email arrives once
(docs/adr/0022-task-queue-rq.md; purei/core/mail.py "Sent exactly once").

Everything real: two `purei worker` processes with TASKS_BACKEND=rq on a Redis
database of this test's own, the test database (SQLite copied to a file, or the
PostgreSQL test database) and an SMTP server (aiosmtpd) started here. The first
worker is killed with SIGKILL (its work-horse too) while the task sleeps before
sending. What RQ's next registry cleanup does once the dead worker's heartbeat has
lapsed (90 s after its last beat) is then done at once: that cleanup, with its
clock set past the lapse. The second worker runs the retry.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection
from django.tasks import TaskResultStatus

from purei.accounts.tests.factories import UserFactory
from purei.accounts.tests.slow_tasks import slow_welcome

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# This test's own Redis database (other suites keep to theirs).
REDIS_DB = 11
REPO = Path(__file__).resolve().parents[3]


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def queue_redis(redis_url: str) -> Iterator[str]:
    """RQ's Redis database for this test, emptied of RQ's keys before and after,
    held under a lock: two suites running this test at once (`make test` beside
    `make test-redis`) take turns on it."""
    url = f"redis://{urlsplit(redis_url).netloc}/{REDIS_DB}"
    client = redis.Redis.from_url(url)

    def empty() -> None:
        keys = list(client.scan_iter(match="rq:*"))
        if keys:
            client.delete(*keys)

    with client.lock("purei-test:rq-kill", timeout=600, blocking_timeout=600):
        empty()
        yield url
        empty()
    client.close()


def _database_url(tmp_path: Path) -> str:
    """The test database, as a subprocess can reach it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "purei.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}"
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def _worker(env: dict[str, str], delay: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from purei.cli import main; main(sys.argv[1:])",
                "worker",
            ],
            cwd=REPO,
            env={**env, "PUREI_TEST_TASK_DELAY": delay},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the work-horse too
        )


def _wait(what: str, check: Any, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes], sig: int) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def test_a_task_killed_mid_run_is_retried_and_its_email_arrives_once(
    settings: Any, tmp_path: Path, smtp: tuple[Inbox, int], queue_redis: str
) -> None:
    from django_rq import get_connection
    from rq.job import JobStatus
    from rq.registry import StartedJobRegistry
    from rq.scheduler import RQScheduler

    from purei.core.queue import Job

    # given: RQ as the task backend here and in the workers, retries 1 s apart
    inbox, smtp_port = smtp
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    settings.RQ_QUEUES = {"default": {"URL": queue_redis, "DEFAULT_TIMEOUT": 120}}
    settings.RQ = {"COMMIT_MODE": "auto"}
    settings.TASKS = {"default": {"BACKEND": "purei.core.queue.RetryingRQBackend"}}
    settings.TASKS_RETRY_SECONDS = [1, 1, 1]
    user = UserFactory.create(email="aroha@example.nz")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "purei.settings",
        "SECRET_KEY": "kill-test-secret-key-0123456789abcdefghijklmnop",
        "PUREI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": _database_url(tmp_path),
        "TASKS_BACKEND": "rq",
        "TASKS_REDIS_URL": queue_redis,
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
    }
    log = tmp_path / "workers.log"
    rq = get_connection("default")

    # when: the first worker takes the task, and is killed while it sleeps
    result = slow_welcome.enqueue(user_id=user.pk)
    first = _worker(env, delay="60", log=log)
    try:
        _wait(
            "the first worker to start the task",
            lambda: (
                Job.fetch(result.id, connection=rq).get_status() == JobStatus.STARTED
            ),
            90,
            log,
        )
        time.sleep(0.5)
    finally:
        _stop(first, signal.SIGKILL)
    assert inbox.envelopes == []
    # RQ's cleanup of abandoned jobs, its clock past the time the dead worker's
    # claim on the job runs out (purei worker runs jobs in its own process, so the
    # claim lasts the job's timeout; a forking worker's, its heartbeat's)
    registry = StartedJobRegistry("default", connection=rq, job_class=Job)
    claims = rq.zrange(registry.key, 0, -1, withscores=True)
    assert len(claims) == 1
    registry.cleanup(timestamp=float(claims[0][1]) + 1)
    # and past the dead worker's scheduler lease (61 s), which the next worker's
    # scheduler would otherwise wait out before it moves the retry to the queue
    rq.delete(RQScheduler.get_locking_key("default"))
    assert Job.fetch(result.id, connection=rq).get_status() == JobStatus.SCHEDULED
    second = _worker(env, delay="0", log=log)
    try:
        _wait(
            "the retry to finish",
            lambda: (
                Job.fetch(result.id, connection=rq).get_status() == JobStatus.FINISHED
            ),
            90,
            log,
        )
    finally:
        _stop(second, signal.SIGTERM)

    # then: one email, and the task successful
    assert [envelope.rcpt_tos for envelope in inbox.envelopes] == [["aroha@example.nz"]]
    assert b"Welcome to P" in inbox.envelopes[0].content
    assert slow_welcome.get_result(result.id).status == TaskResultStatus.SUCCESSFUL
