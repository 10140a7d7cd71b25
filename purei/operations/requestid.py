"""Every request gets an id, and everything about it carries that id.

``RequestIdMiddleware`` sits first in ``MIDDLEWARE``. It takes the ``X-Request-ID``
that nginx sets when the value is well formed (nginx is trusted to make it; a client
behind nginx cannot, as nginx replaces it), or makes one (a uuid4 in hex). The id is
kept in a context variable until the response is closed, so that every log record
made meanwhile carries it (``purei.operations.logs.RequestIdFilter``), and it goes
back in the response's ``X-Request-ID`` header, so a person reporting a problem can
quote it.

The same middleware times the request once for the metrics (latency by route,
``purei.operations.metrics``) and, in JSON logging, writes the one access line per
request (logger ``purei.access``; ``purei.operations.logs``): one timer and one
place, so the cost per request stays near 15 microseconds (docs/operations.md
"Observability").
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from .logs import access_log_write, request_id_var, task_id_var
from .metrics import http_request_observe

REQUEST_ID_HEADER = "X-Request-ID"
# What an incoming id may look like: nginx's $request_id is 32 hex digits, a uuid
# has dashes; anything longer or with other characters is replaced (it ends up in
# every log line).
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_from(incoming: str) -> str:
    """The incoming id when it is well formed, else a new one."""
    if incoming and WELL_FORMED_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def route_of(request: HttpRequest) -> str:
    """The URL pattern that served ``request`` by its view name (``app:name``, or the
    view's dotted path when the pattern has no name), never the path itself: the
    metrics' label takes a bounded set of values. "unmatched" when no pattern did
    (a 404 of the resolver, or an answer from a middleware such as a redirect)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return str(match.view_name or match.route or "unnamed")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID", ""))
        request.request_id = request_id  # type: ignore[attr-defined]  # for views and templates
        # Kept until the response is closed (request_id_clear), not only until this
        # returns: Django logs a 4xx answer ("Not Found: …") after the last
        # middleware, and that line should carry the id too.
        request_id_var.set(request_id)
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response[REQUEST_ID_HEADER] = request_id
        route = route_of(request)
        http_request_observe(
            method=request.method or "",
            route=route,
            status=response.status_code,
            seconds=seconds,
        )
        if settings.ACCESS_LOG_JSON:
            access_log_write(
                request, route=route, status=response.status_code, seconds=seconds
            )
        return response


def request_id_clear(sender: Any, **kwargs: Any) -> None:
    """On ``request_finished`` (the response closed): records made after it, in
    this thread, belong to no request."""
    request_id_var.set(None)


def task_id_set(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """On ``task_started``: the task's records carry its id from now on."""
    task_id_var.set(str(task_result.id))


def task_id_clear(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """On ``task_finished``: the records after it carry no task id."""
    task_id_var.set(None)
