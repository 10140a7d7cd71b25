"""A task that does nothing, for measuring the task queue itself
(scripts/measure_task_queue.py)."""

from django.tasks import task


@task
def noop() -> None:
    return None
