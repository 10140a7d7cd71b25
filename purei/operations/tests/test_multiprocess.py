"""Several processes, one ``/metrics``: with ``PROMETHEUS_MULTIPROC_DIR`` each
process writes its counts to files of its own there, and a scrape of any process
sums them all (prometheus_client's multiprocess mode, as under gunicorn's workers).

Two real Python processes serve requests here, with ``LOG_FORMAT=json`` as in
production: their log lines are JSON carrying each request's id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from purei.operations.tests.test_metrics import sample, scrape

# A process serving ``count`` requests to /healthz through Django's whole stack;
# it prints their ids.
SERVE = """
import json, sys
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
ids = [client.get("/healthz")["X-Request-ID"] for _ in range(int(sys.argv[1]))]
print(json.dumps(ids))
"""


def _serving(count: int, metrics_dir: Path, data_dir: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "purei.test_settings",
        "PYTHONPATH": str(settings.BASE_DIR.parent),
        "PUREI_DATA_DIR": str(data_dir),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "LOG_FORMAT": "json",
    }
    return subprocess.Popen(  # noqa: S603 - this Python, a fixed script
        [sys.executable, "-c", SERVE, str(count)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db
def test_two_processes_counts_are_summed(
    tmp_path: Path, client: Client, monkeypatch: Any
) -> None:
    # given
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    # when: two processes serve 2 and 3 requests
    processes = [_serving(n, metrics_dir, tmp_path / "data") for n in (2, 3)]
    outputs = [process.communicate(timeout=120) for process in processes]
    # then: each wrote its own files
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    pids = {process.pid for process in processes}
    assert {f.name for f in metrics_dir.iterdir()} >= {
        f"counter_{pid}.db" for pid in pids
    } | {f"histogram_{pid}.db" for pid in pids}
    # and a scrape here (in multiprocess mode) sums both, beside the gauges
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(metrics_dir))
    text = scrape(client)
    labels = {"method": "GET", "route": "operations:healthz", "status": "2xx"}
    assert sample(text, "purei_http_requests_total", **labels) == 5
    assert sample(text, "purei_http_request_duration_seconds_count", **labels) == 5
    assert sample(text, "purei_orders", status="paid") == 0
    # and each access line is JSON with its request's id
    for out, err in outputs:
        ids = json.loads(out)
        lines = [json.loads(line) for line in err.splitlines() if line.strip()]
        access = [line for line in lines if line["logger"] == "purei.access"]
        assert [line["request_id"] for line in access] == ids
        assert {line["route"] for line in access} == {"operations:healthz"}
