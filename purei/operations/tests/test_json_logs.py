"""With ``LOG_FORMAT=json`` each log line is one JSON object carrying the request's
id; each request has one access line (logger ``purei.access``) that never holds a
query string or a token of the path."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.test import Client

from purei.operations.logs import JsonFormatter, PathSecretsFilter, RequestIdFilter


@pytest.fixture
def json_lines() -> Iterator[StringIO]:
    """What the console handler writes with LOG_FORMAT=json (the same formatter and
    filter as settings.LOGGING), to a buffer."""
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(PathSecretsFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def test_the_console_handler_is_configured_so(settings: Any) -> None:
    console = settings.LOGGING["handlers"]["console"]
    filters = [settings.LOGGING["filters"][name]["()"] for name in console["filters"]]
    assert filters == [
        "purei.operations.logs.RequestIdFilter",
        "purei.operations.logs.PathSecretsFilter",
    ]
    # the test settings log text, as the default is
    assert settings.LOG_FORMAT == "text"
    assert "formatter" not in console


@pytest.fixture
def access_log(settings: Any) -> None:
    settings.ACCESS_LOG_JSON = True


def _parsed(stream: StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_log_line_is_json_with_the_request_id(
    client: Client, json_lines: StringIO
) -> None:
    # when
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-1234")
    # then
    assert response.status_code == 404
    [line] = [
        line for line in _parsed(json_lines) if line["logger"] == "django.request"
    ]
    assert line["request_id"] == "req-1234"
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["timestamp"].endswith("+00:00")
    assert list(line)[:5] == ["timestamp", "level", "logger", "message", "request_id"]


def test_the_access_line_of_a_request(
    client: Client, json_lines: StringIO, access_log: None
) -> None:
    # when
    response = client.get("/healthz", HTTP_X_REQUEST_ID="req-5678")
    # then
    [line] = [line for line in _parsed(json_lines) if line["logger"] == "purei.access"]
    assert line["request_id"] == response["X-Request-ID"] == "req-5678"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["route"] == "operations:healthz"
    assert line["status"] == 200
    assert 0 < line["duration_ms"] < 10_000
    assert line["level"] == "INFO"


def test_no_access_line_unless_asked(client: Client, json_lines: StringIO) -> None:
    # when: the test settings keep LOG_FORMAT text, so ACCESS_LOG_JSON is off
    client.get("/healthz")
    # then
    assert [x for x in _parsed(json_lines) if x["logger"] == "purei.access"] == []


def test_query_strings_and_path_tokens_stay_out_of_the_log(
    client: Client, json_lines: StringIO, access_log: None
) -> None:
    # when: a 404 with a query, and an invitation link with its token
    client.get("/no-such-page/?token=SECRET-QUERY-TOKEN&email=a@b.nz")
    client.get("/accounts/invitations/SECRET-PATH-TOKEN/")
    # then
    text = json_lines.getvalue()
    assert "SECRET-QUERY-TOKEN" not in text
    assert "a@b.nz" not in text
    assert "SECRET-PATH-TOKEN" not in text
    access = [x for x in _parsed(json_lines) if x["logger"] == "purei.access"]
    assert "Not Found: /accounts/invitations/[redacted]/" in text
    assert [(line["path"], line["route"]) for line in access] == [
        ("/no-such-page/", "unmatched"),
        ("/accounts/invitations/[redacted]/", "accounts:invitation-accept"),
    ]


def test_a_record_with_extras_keeps_them(json_lines: StringIO) -> None:
    # when
    logging.getLogger("purei.test").info("paid", extra={"order": "PUR-000001"})
    # then
    [line] = _parsed(json_lines)
    assert line["message"] == "paid"
    assert line["order"] == "PUR-000001"
    assert line["request_id"] is None
