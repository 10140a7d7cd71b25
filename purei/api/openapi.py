"""The OpenAPI document says how every operation fails, not only how it succeeds.

Each operation documents 400, 401, 403, 404, 409, 422 and 429 with the one error
shape of the API, ``Error`` (``{code, message, field, errors}``), whose ``code`` is an
enum of every code Pūrei can answer: the members of every ``…ErrorCode`` enum in the
apps plus the few codes the API's own edge gives (``purei/api/api.py``). A 429 also
documents its ``Retry-After`` header.

``tests`` check that the enum is complete (no error raised with a bare string) and
schemathesis checks every answer against this document (docs/api.md, "Errors").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest

from purei.core.api_inputs import INT_MAX

# The codes the API's edge answers with (purei/api/api.py's handlers).
EDGE_CODES = ("invalid", "not_found", "unauthorised", "error")

ERROR_SCHEMA = "Error"

ERROR_RESPONSES: dict[str, str] = {
    "400": "Refused by a rule: `code` says which, `message` says why.",
    "401": "No valid credentials: log in, or send a valid API key "
    "(`Authorization: Bearer pk_live_…`).",
    "403": "Not allowed: the person's role, or the key's owner or scopes, "
    "do not reach this.",
    "404": "Not found, or not yours to see (the two are not told apart).",
    "409": "In conflict with the current state: already decided, in progress, "
    "sold out, or an `Idempotency-Key` still being answered.",
    "422": "Invalid input: `field` names the first field at fault and `errors` "
    "maps every field at fault to its messages.",
    "429": "Too many requests: wait `Retry-After` seconds and try again.",
}


# Answered by the web server (gunicorn) before Pūrei sees the request: its own page.
URI_TOO_LONG: dict[str, Any] = {
    "description": "The address (path and query) is longer than the web server "
    "reads (4,094 bytes with gunicorn's default); answered by the web server "
    "as a short HTML page, not in the error shape.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def _walk(cls: type) -> list[type]:
    found: list[type] = []
    sub: type
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_walk(sub))
    return found


def error_codes() -> list[str]:
    """Every code an error answer can carry, sorted."""
    # Every app's errors are imported by now: the API's routers import the
    # services whose refusals they answer with.
    codes = set(EDGE_CODES)
    for enum_class in _walk(StrEnum):
        if enum_class.__module__.startswith("purei.") and enum_class.__name__.endswith(
            "ErrorCode"
        ):
            codes.update(member.value for member in enum_class)  # type: ignore[attr-defined]
    return sorted(codes)


def error_schema() -> dict[str, Any]:
    return {
        "title": ERROR_SCHEMA,
        "type": "object",
        "required": ["code", "message", "field"],
        "properties": {
            "code": {
                "type": "string",
                "enum": error_codes(),
                "description": "Stable: a client may branch on it.",
            },
            "message": {
                "type": "string",
                "description": "For people, in the request's language.",
            },
            "field": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "description": "The input at fault (dotted path), if one is.",
            },
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": "Validation: every field at fault and its messages.",
            },
            "retry_after": {
                "type": "integer",
                "minimum": 0,
                "description": "429: seconds to wait (also the Retry-After header).",
            },
        },
    }


def _error_response(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": ERROR_RESPONSES[status],
        "content": {
            "application/json": {
                "schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
            }
        },
    }
    if status == "429":
        response["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "required": True,
                "schema": {"type": "integer", "minimum": 0},
            }
        }
    return response


# A path's slugs, numbers and ids: anything longer or out of range names nothing,
# and is a 404 (``within_path_bounds``, on every operation).
PATH_TEXT_MAX = 200
_DIGITS = re.compile(r"^-?[0-9]+$")


def path_out_of_bounds(kwargs: dict[str, Any]) -> bool:
    """A path value longer than any name, or a number beyond every id."""
    for value in kwargs.values():
        text = str(value)
        if len(text) > PATH_TEXT_MAX:
            return True
        if _DIGITS.match(text) and not -INT_MAX <= int(text) <= INT_MAX:
            return True
    return False


def within_path_bounds(run: Callable[..., Any]) -> Callable[..., Any]:
    """A Ninja view decorator: out-of-bounds path values are a 404 before the
    operation runs (an id past 2**63 - 1 would otherwise reach the database)."""

    @wraps(run)
    def bounded_run(request: HttpRequest, **kwargs: Any) -> Any:
        if path_out_of_bounds(kwargs):
            raise Http404
        return run(request, **kwargs)

    return bounded_run


def _bound_path_parameters(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "path":
            continue
        schema = parameter.setdefault("schema", {})
        if schema.get("type") == "string":
            schema.setdefault("maxLength", PATH_TEXT_MAX)
        elif schema.get("type") == "integer":
            schema.setdefault("minimum", 1)
            schema.setdefault("maximum", INT_MAX)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error shape and the error responses to every operation of ``schema``,
    and the outer bounds of its path parameters."""
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})[ERROR_SCHEMA] = error_schema()
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            _bound_path_parameters(operation)
            responses = operation.setdefault("responses", {})
            for status in ERROR_RESPONSES:
                responses.setdefault(status, _error_response(status))
            responses.setdefault("414", URI_TOO_LONG)
    return schema
