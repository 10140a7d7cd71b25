from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running Pūrei: ``purei backup`` and ``purei restore``, the request id and
    JSON logs, ``/healthz``, ``/readyz`` and ``/metrics`` (docs/operations.md).
    It reads every app's tables and the ledger's checks, so it sits above them
    all, beside the API and the demo."""

    name = "purei.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        """A request's id is forgotten when its response is closed. Tasks, in
        whichever process runs them, log with their id and count their failures:
        Django's task signals (the database and immediate backends), and
        django-tasks's own (its RQ backend sends those)."""
        from django.core.signals import request_finished
        from django.tasks.signals import task_finished, task_started

        from .metrics import task_failure_count
        from .requestid import request_id_clear, task_id_clear, task_id_set

        request_finished.connect(request_id_clear)

        signal_pairs = [(task_started, task_finished)]
        try:
            from django_tasks import signals as backport_signals
        except ImportError:  # django-tasks-rq (which needs it) not installed
            pass
        else:
            signal_pairs.append(
                (backport_signals.task_started, backport_signals.task_finished)
            )
        for started, finished in signal_pairs:
            started.connect(task_id_set)
            finished.connect(task_failure_count)
            finished.connect(task_id_clear)
