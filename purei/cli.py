"""The ``purei`` command.

``purei demo``   migrate, load the seed clusters and demo logins, then serve
``purei serve``  serve with gunicorn on 127.0.0.1:$PORT (default 8000)
``purei worker`` run background tasks (the database backend's worker, or RQ's with
                 TASKS_BACKEND=rq)
``purei finder`` which cluster type are we? (``--place yes --specialisation no``)
Anything else is passed to Django's management commands (``purei migrate``, …).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

USAGE = __doc__ or ""


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")
    import django

    django.setup()


def _manage(*argv: str) -> None:
    from django.core.management import call_command

    call_command(*argv)


def metrics_dir_prepare() -> bool:
    """With PROMETHEUS_MULTIPROC_DIR set: make it, or empty it of the files a
    previous run's processes left (their counts would be added to this run's), and
    say so. docs/operations.md "Observability"."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if not path:
        return False
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.remove(os.path.join(path, name))
    return True


def serve_args(port: str | None = None) -> list[str]:
    """gunicorn's command line for ``purei serve``."""
    port = port or os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    args = [
        "gunicorn",
        "purei.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        workers,
        # The longest request line gunicorn reads (its default is 4,094 bytes):
        # the API's query texts are bounded well below it (purei.core.api_inputs),
        # so an over-long value gets the API's 422, not the web server's 414.
        "--limit-request-line",
        "8190",
    ]
    # ACCESS_LOG: where the access log goes ("-", the default, is stdout; empty
    # turns it off, as the benchmark does). With LOG_FORMAT=json it is off unless
    # set: Pūrei writes its own access lines in JSON then.
    json_logs = os.environ.get("LOG_FORMAT", "").strip().lower() == "json"
    access_log = os.environ.get("ACCESS_LOG", "" if json_logs else "-")
    if access_log:
        args += ["--access-logfile", access_log]
    # Metrics of several workers (prometheus_client's multiprocess mode): the hook
    # that tidies after a worker exits.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        args += ["--config", "python:purei.operations.gunicorn_conf"]
    return args


def serve(port: str | None = None) -> None:
    """Replace this process with the app server (gunicorn, or granian with
    ``APP_SERVER=granian``; docs/adr/0023-app-server.md) serving Pūrei on the
    loopback address (``HOST``, ``PORT``) with ``WEB_CONCURRENCY`` processes."""
    metrics_dir_prepare()
    if os.environ.get("APP_SERVER", "gunicorn") == "granian":
        _granian(
            os.environ.get("HOST", "127.0.0.1"),
            port or os.environ.get("PORT", "8000"),
            os.environ.get("WEB_CONCURRENCY", "2"),
        )
    args = serve_args(port)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    os.execv(gunicorn, args)  # noqa: S606 - fixed program and arguments


def _granian(host: str, port: str, workers: str) -> None:
    """granian's WSGI server: the same app, processes and address as gunicorn's."""
    args = [
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        port,
        "--workers",
        workers,
        # One request at a time per process, as gunicorn's sync workers: Django's
        # database connections are per thread, and the figures stay comparable.
        "--blocking-threads",
        "1",
        "--no-ws",
    ]
    json_logs = os.environ.get("LOG_FORMAT", "").strip().lower() == "json"
    if os.environ.get("ACCESS_LOG", "" if json_logs else "-"):
        args += ["--access-log"]
    else:
        args += ["--no-access-log"]
    granian = os.path.join(os.path.dirname(sys.executable), "granian")
    os.execv(granian, [*args, "purei.wsgi:application"])  # noqa: S606 - fixed program


def worker(rest: Sequence[str]) -> None:
    """Work the task queue: RQ's worker (with its scheduler, for retries and delayed
    tasks) on the configured queues when TASKS_BACKEND=rq, else the database
    backend's ``db_worker``. Extra arguments go to the command."""
    from django.conf import settings

    if "django_rq" in settings.INSTALLED_APPS:
        # Jobs run in the worker's process, not a fork per job (purei.core.queue.Job
        # says why), with maintenance every minute (purei.core.queue.Worker);
        # ``--worker-class rq.worker.Worker`` among the arguments forks.
        worker_class = (
            []
            if "--worker-class" in rest
            else ["--worker-class", "purei.core.queue.Worker"]
        )
        _manage(
            "rqworker",
            "--job-class",
            "purei.core.queue.Job",
            *worker_class,
            "--with-scheduler",
            *rest,
            *settings.RQ_QUEUES,
        )
    else:
        _manage("db_worker", *rest)


def demo() -> None:
    # The demo runs tasks in-process so invitation emails print at once.
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    # Served over plain http on the loopback address: cookies cannot be Secure-only.
    os.environ.setdefault("SECURE_COOKIES", "false")
    # The demo takes payment with the documented test cards (docs/payments.md).
    os.environ.setdefault("PAYMENTS_TEST_GATEWAY", "true")
    metrics_dir_prepare()
    _setup_django()
    _manage("migrate", "--no-input", "-v", "0")
    _manage("seed_demo")
    _manage("collectstatic", "--no-input", "-v", "0")
    port = os.environ.get("PORT", "8000")
    print(f"\nPūrei demo: http://127.0.0.1:{port}/  (Ctrl-C to stop)\n", flush=True)  # noqa: T201
    serve(port)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)  # noqa: T201
        return
    command, rest = args[0], args[1:]
    if command == "demo":
        demo()
    elif command == "serve":
        # Before Django starts: apps register Prometheus metrics as they load
        # (django_rq's among them), and in multiprocess mode each writes a file there.
        metrics_dir_prepare()
        _setup_django()
        serve()
    elif command == "worker":
        _setup_django()
        worker(rest)
    else:
        from django.core.management import execute_from_command_line

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")
        # ``purei import-products`` runs the ``import_products`` command.
        execute_from_command_line(["purei", command.replace("-", "_"), *rest])


if __name__ == "__main__":
    main()
