"""gunicorn's hooks for Pūrei (``purei serve`` passes
``--config python:purei.operations.gunicorn_conf`` when ``PROMETHEUS_MULTIPROC_DIR``
is set; every other setting stays on its command line).

In prometheus_client's multiprocess mode each worker writes its metrics to files of
its own in that directory. When a worker exits, its files of live gauges must go
(``mark_process_dead``); its counters and histograms stay, so that totals never go
back. Runs in gunicorn's master process, which never loads Django.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import multiprocess


def child_exit(server: Any, worker: Any) -> None:
    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]  # prometheus_client's
