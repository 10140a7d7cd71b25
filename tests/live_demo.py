"""The demo as a newcomer gets it, served for tests that talk to it over HTTP
(Lighthouse, schemathesis): migrated, seeded, static files collected and served by
gunicorn (``purei serve``) on a free loopback port, in a temporary data directory.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests import schema_cache

PUREI = Path(sys.executable).with_name("purei")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def demo_env(data_dir: Path, port: int) -> dict[str, str]:
    """The environment of ``purei`` commands on this demo (not the caller's
    database, cache or settings)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="purei.settings",
        PUREI_DATA_DIR=str(data_dir),
        PORT=str(port),
        SECURE_COOKIES="false",
        PAYMENTS_TEST_GATEWAY="true",
        TASKS_BACKEND="immediate",
        ACCESS_LOG="",
        WEB_CONCURRENCY="2",
    )
    return env


def purei(env: dict[str, str], *arguments: str, timeout: int = 600) -> str:
    """Run one ``purei`` command on the demo; its standard output."""
    done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(PUREI), *arguments],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.stdout


def build_demo(env: dict[str, str]) -> None:
    """Migrate, seed (without the past orders, payouts and invoices: they change
    no storefront page and no API answer's shape) and collect static files."""
    # Migrated on a copy of the schema another run kept, if there is one: migrate then
    # applies nothing, and would fail if the copy were behind (tests/schema_cache.py).
    database = Path(env["PUREI_DATA_DIR"]) / "purei.sqlite3"
    schema_cache.migrated_sqlite_file(
        database, lambda: purei(env, "migrate", "--no-input", "-v", "0")
    )
    purei(env, "seed_demo", "--no-history")
    purei(env, "collectstatic", "--no-input", "-v", "0")


@contextmanager
def served(env: dict[str, str]) -> Generator[str]:
    """Serve the demo with gunicorn; yield its base URL; stop it after."""
    server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [str(PUREI), "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        for _ in range(150):
            try:
                if requests.get(base + "/", timeout=60).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the demo server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
