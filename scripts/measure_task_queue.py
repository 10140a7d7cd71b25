"""Measure the task backends (docs/adr/0022-task-queue-rq.md): the cost of
enqueueing a no-op task, and how many such tasks one worker runs a second.

    PYTHONPATH=. .venv/bin/python scripts/measure_task_queue.py database 500
    PYTHONPATH=. .venv/bin/python scripts/measure_task_queue.py rq 500
    RQ_WORKER_CLASS=rq.worker.SimpleWorker … rq 500   (no fork per task)

Uses the database of DATABASE_URL (migrated) and, for rq, TASKS_REDIS_URL (default
redis://127.0.0.1:6379/11; its queue is emptied first). A worker is started once on
the empty queue (its start-up time) and once on COUNT tasks; the difference is the
time the tasks took.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _worker(backend: str) -> float:
    """Seconds a burst worker takes to drain the queue and exit."""
    command = (
        [
            "rqworker",
            "--burst",
            "--job-class",
            "purei.core.queue.Job",
            "--worker-class",
            os.environ.get("RQ_WORKER_CLASS", "rq.worker.Worker"),
            "default",
        ]
        if backend == "rq"
        else ["db_worker", "--batch", "--interval", "0"]
    )
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", *command, "-v", "0"],
        cwd=REPO,
        check=True,
        env=os.environ,
    )
    return time.perf_counter() - started


def main() -> None:
    backend, count = sys.argv[1], int(sys.argv[2])
    os.environ["TASKS_BACKEND"] = backend
    os.environ.setdefault("TASKS_REDIS_URL", "redis://127.0.0.1:6379/11")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")
    import django

    django.setup()
    from purei.core.tests.noop_tasks import noop

    if backend == "rq":
        import django_rq

        django_rq.get_queue("default").empty()
    else:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()
    idle = _worker(backend)
    started = time.perf_counter()
    for _ in range(count):
        noop.enqueue()
    enqueue = time.perf_counter() - started
    busy = _worker(backend)
    print(  # noqa: T201
        f"{backend}: enqueue {enqueue / count * 1000:.2f} ms/task; "
        f"one worker: {count / (busy - idle):.0f} tasks/s "
        f"({count} tasks in {busy - idle:.2f} s after a {idle:.2f} s start)"
    )


if __name__ == "__main__":
    main()
