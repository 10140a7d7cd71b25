from typing import Any

from django.apps import AppConfig


def _task_started(sender: object, task_result: Any, **kwargs: Any) -> None:
    from django.tasks.backends.immediate import ImmediateBackend

    from .mail import task_run_started

    # The database backend's worker sends its backend itself, not its class.
    backend = sender if isinstance(sender, type) else type(sender)
    if not issubclass(backend, ImmediateBackend):
        task_run_started(f"{task_result.task.module_path}:{task_result.id}")


def _task_finished(sender: object, task_result: Any, **kwargs: Any) -> None:
    from .mail import task_run_finished

    task_run_finished(f"{task_result.task.module_path}:{task_result.id}")


class CoreConfig(AppConfig):
    name = "purei.core"
    label = "core"

    def ready(self) -> None:
        from django.tasks.signals import task_finished, task_started

        from . import checks  # noqa: F401 - registers the system checks

        # A task run by a worker (database backend) sends each email once
        # (purei/core/mail.py "Sent exactly once"); RQ's worker: purei/core/queue.py.
        task_started.connect(_task_started, dispatch_uid="purei.core.email_once")
        task_finished.connect(_task_finished, dispatch_uid="purei.core.email_once")
