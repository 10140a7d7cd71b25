"""Log lines a machine can read: JSON, each carrying the id of its request.

``LOG_FORMAT=json`` (settings ``LOGGING``) gives the console handler
:class:`JsonFormatter`: one JSON object per line with ``timestamp`` (UTC, ISO 8601),
``level``, ``logger``, ``message`` and ``request_id``, and whatever a record carries
besides (``extra=``). :class:`RequestIdFilter`, on the handler, puts the id of the
request being served on every record (``None`` outside a request), and ``task_id``
on the records made while a task runs.

The access line (``ACCESS_LOG_JSON``, on with ``LOG_FORMAT=json``): one per request,
logger ``purei.access``, with ``method``, ``path``, ``route``, ``status`` and
``duration_ms``. The path is logged without its query string, and a path argument
that is a secret (a reset or invitation token, …) is replaced: links in emails
carry such tokens, and logs are kept and read by more people than the database.

Imported by the logging configuration, before the apps are loaded: no models here.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

# The id of the request being served, and of the task being run (by a worker, or
# in the request by the immediate backend). Set by purei.operations.requestid.
request_id_var: ContextVar[str | None] = ContextVar("purei_request_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("purei_task_id", default=None)

access_logger = logging.getLogger("purei.access")

# Path arguments whose values are secrets (Django's password reset's uidb64 and
# token, the email-change, invitation and newsletter tokens).
SECRET_ARGUMENT = re.compile(r"token|uidb64|secret|signature|key", re.IGNORECASE)
REDACTED = "[redacted]"


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` (and, in a task, ``task_id``) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        task_id = task_id_var.get()
        if task_id is not None:
            record.task_id = task_id
        return True


class PathSecretsFilter(logging.Filter):
    """Django logs a refused or failed request with its path ("Not Found: /…",
    logger ``django.request``): the path arguments that are secrets are replaced
    there too, for every handler after this one."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            path = loggable_path(request)
            if path != request.path:
                record.args = tuple(
                    path if arg == request.path else arg for arg in record.args
                )
        return True


class JsonFormatter(BaseJsonFormatter):
    """python-json-logger's formatter with Pūrei's fields: ``timestamp`` first,
    then ``level``, ``logger``, ``message``, ``request_id`` and a record's extras.

    Django's records of a request (logger ``django.request``) carry the request
    itself; it is left out, as its text holds the query string."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        if not args and "fmt" not in kwargs:
            args = (["levelname", "name", "message", "request_id"],)
        super().__init__(*args, **kwargs)

    def add_fields(
        self,
        log_data: dict[str, Any],
        record: logging.LogRecord,
        message_dict: dict[str, Any],
    ) -> None:
        log_data["timestamp"] = None  # keeps its place first; filled in below
        super().add_fields(log_data, record, message_dict)


def loggable_path(request: HttpRequest) -> str:
    """The request's path as it may be logged: no query string, and the path
    arguments that are secrets replaced."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if isinstance(value, str) and value and SECRET_ARGUMENT.search(name):
                path = path.replace(value, REDACTED)
    return path


def access_log_write(
    request: HttpRequest, *, route: str, status: int, seconds: float
) -> None:
    """The access line of one request (logger ``purei.access``, level INFO)."""
    path = loggable_path(request)
    duration_ms = round(seconds * 1000, 2)
    access_logger.info(
        "%s %s %s %sms",
        request.method,
        path,
        status,
        duration_ms,
        extra={
            "method": request.method,
            "path": path,
            "route": route,
            "status": status,
            "duration_ms": duration_ms,
        },
    )
