"""``purei serve`` in multiprocess metrics: it empties PROMETHEUS_MULTIPROC_DIR and
gives gunicorn the hook that tidies after a worker; without it, the command line
is what it always was. With JSON logs gunicorn's own access log is off unless
ACCESS_LOG asks for it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from purei.cli import metrics_dir_prepare, serve_args
from purei.operations.gunicorn_conf import child_exit

TODAY = [
    "gunicorn",
    "purei.wsgi:application",
    "--bind",
    "127.0.0.1:8000",
    "--workers",
    "2",
    "--limit-request-line",
    "8190",
    "--access-logfile",
    "-",
]


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: Any) -> None:
    for name in (
        "PORT",
        "HOST",
        "WEB_CONCURRENCY",
        "ACCESS_LOG",
        "LOG_FORMAT",
        "PROMETHEUS_MULTIPROC_DIR",
    ):
        monkeypatch.delenv(name, raising=False)


def test_the_command_line_is_unchanged_without_the_new_variables() -> None:
    assert serve_args() == TODAY
    assert metrics_dir_prepare() is False


def test_multiprocess_metrics_add_the_hooks(monkeypatch: Any, tmp_path: Path) -> None:
    # given
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    # when
    args = serve_args()
    # then
    assert args == [*TODAY, "--config", "python:purei.operations.gunicorn_conf"]


def test_the_metrics_directory_is_made_or_emptied(
    monkeypatch: Any, tmp_path: Path
) -> None:
    # given: what a previous run left
    folder = tmp_path / "metrics"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    assert metrics_dir_prepare() is True
    assert list(folder.iterdir()) == []
    (folder / "counter_123.db").write_bytes(b"old counts")
    (folder / "histogram_123.db").write_bytes(b"old counts")
    (folder / "README").write_text("not ours")
    # when
    metrics_dir_prepare()
    # then
    assert [f.name for f in folder.iterdir()] == ["README"]


def test_json_logs_turn_gunicorns_access_log_off(monkeypatch: Any) -> None:
    # given
    monkeypatch.setenv("LOG_FORMAT", "json")
    # then
    assert "--access-logfile" not in serve_args()
    monkeypatch.setenv("ACCESS_LOG", "/var/log/purei/access.log")
    assert serve_args()[-2:] == ["--access-logfile", "/var/log/purei/access.log"]


def test_a_worker_that_exits_leaves_no_live_gauges(
    monkeypatch: Any, tmp_path: Path
) -> None:
    # given: the files of worker 4242, and of another
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    for name in ("gauge_livesum_4242.db", "gauge_liveall_4242.db", "counter_4242.db"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "gauge_livesum_5151.db").write_bytes(b"")
    # when: gunicorn's master calls the hook with the worker that exited
    child_exit(None, SimpleNamespace(pid=4242))
    # then: its live gauges go, its counts stay
    assert sorted(f.name for f in tmp_path.iterdir()) == [
        "counter_4242.db",
        "gauge_livesum_5151.db",
    ]
