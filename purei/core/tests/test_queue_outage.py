"""An enqueue rides out a Redis restart: the task is queued once Redis answers
again, instead of the request failing after its order was placed (the scale demo's
"Redis restarted" phase found it: 7 checkouts answered 500)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from purei.core.queue import ENQUEUE_WAITS, RetryingRQBackend
from purei.core.tests.noop_tasks import noop

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_server(port: int, directory: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - a fixed program and arguments
        [
            str(shutil.which("redis-server")),
            "--bind", "127.0.0.1", "--port", str(port), "--save", "",
            "--appendonly", "no", "--dir", str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if Redis(port=port, socket_connect_timeout=0.2).ping():
                return server
        except (OSError, RedisConnectionError):
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("redis-server did not start")


@pytest.fixture
def port_and_dir(tmp_path: Path) -> tuple[int, Path]:
    return _free_port(), tmp_path


def test_an_enqueue_waits_for_redis_to_come_back(
    port_and_dir: tuple[int, Path], settings: object
) -> None:
    # given: a queue on a Redis that is down while the task is enqueued
    port, directory = port_and_dir
    settings.RQ_QUEUES = {  # type: ignore[attr-defined]
        "default": {"URL": f"redis://127.0.0.1:{port}/0", "DEFAULT_TIMEOUT": 60}
    }
    backend = RetryingRQBackend("default", {"QUEUES": ["default"], "OPTIONS": {}})
    started: list[subprocess.Popen[bytes]] = []
    later = threading.Timer(
        ENQUEUE_WAITS[0] + 0.1,
        lambda: started.append(_redis_server(port, directory)),
    )
    later.start()
    try:
        # when
        result = backend.enqueue(noop, (), {})
        # then: queued once Redis answered
        later.join()
        queued = Redis(port=port).lrange("rq:queue:default", 0, -1)
        assert [bytes(job).decode() for job in queued] == [result.id]  # type: ignore[arg-type]
    finally:
        later.cancel()
        for server in started:
            server.terminate()
            server.wait(timeout=10)
