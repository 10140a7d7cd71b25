"""Deprecation in v1: an operation on its way out says so in every answer.

An operation is deprecated with Ninja's ``deprecated=True`` and, in
``openapi_extra``, when and what instead::

    @router.get("/old", deprecated=True, openapi_extra={"x-deprecation": {
        "since": "2027-01-01", "sunset": "2027-07-01", "instead": "GET /new"}})

Every answer of it then carries ``Deprecation: @<since, Unix time>`` (RFC 9745),
``Sunset: <HTTP date>`` (RFC 8594) when a sunset is set, and a ``Link`` to the
API's docs (``rel="deprecation"``); the OpenAPI document marks it
``deprecated``. The rules of what may change in v1 are in docs/api.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date
from ninja.operation import Operation

# The API's own docs page (relative: resolved against the request's address).
DOCS_LINK = '</api/v1/docs>; rel="deprecation"'


def _timestamp(day: str) -> int:
    return int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp())


def deprecation_headers(operation: Operation) -> dict[str, str]:
    """The headers every answer of ``operation`` carries (none if it is current)."""
    if not operation.deprecated:
        return {}
    notes = (operation.openapi_extra or {}).get("x-deprecation", {})
    since = notes.get("since")
    headers = {"Deprecation": f"@{_timestamp(since)}" if since else "?1"}
    if sunset := notes.get("sunset"):
        headers["Sunset"] = http_date(_timestamp(sunset))
    headers["Link"] = DOCS_LINK
    return headers


def _operation_of(run: Callable[..., Any]) -> Operation:
    """The operation whose ``run`` this is (under the decorators applied before)."""
    while not hasattr(run, "__self__"):
        run = run.__wrapped__  # type: ignore[attr-defined]
    return run.__self__  # type: ignore[no-any-return]


def _announced(run: Callable[..., Any]) -> Callable[..., Any]:
    operation = _operation_of(run)
    headers = deprecation_headers(operation)
    if not headers:
        return run

    @wraps(run)
    def announced_run(request: HttpRequest, **kwargs: Any) -> Any:
        response: HttpResponse = run(request, **kwargs)
        for name, value in headers.items():
            response[name] = value
        return response

    return announced_run


def install(api: Any) -> None:
    """Make every deprecated operation of ``api`` say so (before its URLs are built)."""
    api.add_decorator(_announced, mode="view")
