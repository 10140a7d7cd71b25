"""Prometheus metrics, with prometheus_client (docs/operations.md "Observability").

Counted as things happen, in the process they happen in:

- ``purei_http_request_duration_seconds`` (histogram) and
  ``purei_http_requests_total``, labelled ``method``, ``route`` (the URL pattern's
  view name, "unmatched" when none; never the path, so the series stay few) and
  ``status`` (``2xx``, ``4xx``, …); by ``purei.operations.requestid``;
- ``purei_tasks_failed_total``, labelled ``task`` (its dotted path): every task
  that finishes FAILED, in whichever process ran it (Django's ``task_finished``,
  and django-tasks's for the RQ backend).

Read when scraped, by :class:`PureiCollector`, at most every
``METRICS_CACHE_SECONDS`` (a few queries, cached in the process):

- ``purei_orders`` by ``status`` and ``purei_payments`` by ``state`` (every value
  of the field, 0 included);
- ``purei_tasks_queue_depth`` by ``backend`` and ``queue``: tasks waiting.

Several processes (gunicorn's workers, the task worker): with
``PROMETHEUS_MULTIPROC_DIR`` set before they start, each writes its counts to files
there and ``/metrics`` sums every process's files (prometheus_client's multiprocess
mode). The directory must be emptied when the server starts (``purei serve`` does).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Count
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

# No ``*_created`` series beside each counter and histogram: twice the series for
# a time Prometheus does not need.
disable_created_metrics()  # type: ignore[no-untyped-call]  # prometheus_client's

HTTP_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}
)
HTTP_LABELS = ("method", "route", "status")

HTTP_REQUEST_DURATION = Histogram(
    "purei_http_request_duration_seconds",
    "Time from the first middleware receiving a request to its response.",
    HTTP_LABELS,
)
HTTP_REQUESTS = Counter("purei_http_requests", "Requests answered.", HTTP_LABELS)
TASKS_FAILED = Counter(
    "purei_tasks_failed", "Background tasks that finished FAILED.", ("task",)
)


# The histogram's and the counter's series of each (method, route, status class),
# found once: prometheus_client's labels() costs microseconds on every request.
# As bounded as the labels are (unknown methods are "other").
_http_series: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def http_request_observe(
    *, method: str, route: str, status: int, seconds: float
) -> None:
    method = method if method in HTTP_METHODS else "other"
    key = (method, route, status // 100)
    series = _http_series.get(key)
    if series is None:
        labels = (method, route, f"{status // 100}xx")
        series = (
            HTTP_REQUEST_DURATION.labels(*labels),
            HTTP_REQUESTS.labels(*labels),
        )
        _http_series[key] = series
    series[0].observe(seconds)
    series[1].inc()


def task_failure_count(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """On ``task_finished``: counts the task when it failed."""
    if task_result.status == "FAILED":
        TASKS_FAILED.labels(task_result.task.module_path).inc()


class PureiCollector(Collector):
    """The gauges read from the database and the queues when scraped, kept for
    ``METRICS_CACHE_SECONDS`` so that frequent scrapes cost a few queries at most
    every so often. A part that cannot be read is left out (and logged), so the
    request metrics still come out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._families: list[Metric] = []
        self._read_at: float | None = None

    def describe(self) -> Iterable[Metric]:
        # Names only: registering must not query (the registry would collect()).
        return [
            GaugeMetricFamily("purei_orders", ""),
            GaugeMetricFamily("purei_payments", ""),
            GaugeMetricFamily("purei_tasks_queue_depth", ""),
        ]

    def collect(self) -> Iterable[Metric]:
        max_age = float(settings.METRICS_CACHE_SECONDS)
        with self._lock:
            now = time.monotonic()
            if self._read_at is None or now - self._read_at >= max_age:
                self._families = list(self._read())
                self._read_at = now
            return list(self._families)

    def _read(self) -> Iterator[Metric]:
        for read in (self._orders, self._payments, self._queues):
            try:
                yield read()
            except Exception:
                logger.exception("metrics: %s could not be read", read.__name__)

    @staticmethod
    def _orders() -> Metric:
        from purei.orders.models import Order

        counts = dict(
            Order.objects.order_by().values_list("status").annotate(n=Count("pk"))
        )
        family = GaugeMetricFamily(
            "purei_orders", "Orders by status.", labels=("status",)
        )
        for status in Order.Status.values:
            family.add_metric((status,), counts.get(status, 0))
        return family

    @staticmethod
    def _payments() -> Metric:
        from purei.payments.models import Payment

        counts = dict(
            Payment.objects.order_by().values_list("status").annotate(n=Count("pk"))
        )
        family = GaugeMetricFamily(
            "purei_payments", "Payments by state.", labels=("state",)
        )
        for state in Payment.Status.values:
            family.add_metric((state,), counts.get(state, 0))
        return family

    @staticmethod
    def _queues() -> Metric:
        from .queues import queue_depths

        family = GaugeMetricFamily(
            "purei_tasks_queue_depth",
            "Tasks waiting to run.",
            labels=("backend", "queue"),
        )
        for backend, queue, waiting in queue_depths():
            family.add_metric((backend, queue), waiting)
        return family


purei_collector = PureiCollector()
REGISTRY.register(purei_collector)


def multiprocess_dir() -> str:
    """PROMETHEUS_MULTIPROC_DIR: prometheus_client reads it when it is imported,
    so it comes from the environment, never from settings."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def metrics_registry() -> CollectorRegistry:
    """The process's own registry, or, in multiprocess mode, one that sums every
    process's files (and reads the gauges here)."""
    path = multiprocess_dir()
    if not path:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=path)  # type: ignore[no-untyped-call]  # prometheus_client's
    registry.register(purei_collector)
    return registry


def metrics_render(accept: str) -> tuple[bytes, str]:
    """The exposition (Prometheus text, or OpenMetrics when asked) and its
    content type."""
    encoder, content_type = choose_encoder(accept)
    return encoder(metrics_registry()), content_type
