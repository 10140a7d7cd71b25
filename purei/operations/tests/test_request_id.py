"""Every request has an id: nginx's when well formed, else a new one; it goes back
in ``X-Request-ID`` and is on every log record made while the request runs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from django.test import Client

from purei.operations.logs import RequestIdFilter, request_id_var

NEW_ID = re.compile(r"[0-9a-f]{32}")


class Records(logging.Handler):
    """Keeps the records that reach the root logger, after Pūrei's filter."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records() -> Iterator[Records]:
    handler = Records()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def test_a_request_without_an_id_gets_a_new_one(client: Client) -> None:
    # when
    first = client.get("/healthz")
    second = client.get("/healthz")
    # then
    assert NEW_ID.fullmatch(first["X-Request-ID"])
    assert NEW_ID.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize(
    "incoming",
    ["0b2f6c9e4f1d4a3b8c7d6e5f4a3b2c1d", "3f2a-77c1-request.9:edge", "a" * 64],
)
def test_a_well_formed_incoming_id_is_kept(client: Client, incoming: str) -> None:
    # when
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    # then
    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["a" * 65, "has space", "new\nline", 'quote"s', "<script>", "ünïcode", ""],
)
def test_an_ill_formed_incoming_id_is_replaced(client: Client, incoming: str) -> None:
    # when
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    # then
    assert NEW_ID.fullmatch(response["X-Request-ID"])


def test_every_record_made_during_the_request_carries_its_id(
    client: Client, records: Records
) -> None:
    # given: Django logs a warning for every 404
    incoming = "f00dcafe0000aaaa1111bbbb2222cccc"
    # when
    response = client.get("/no-such-page-here/", HTTP_X_REQUEST_ID=incoming)
    # then
    assert response.status_code == 404
    warnings = [r for r in records.records if r.name == "django.request"]
    assert warnings, "Django logs its 404"
    assert {record.request_id for record in warnings} == {incoming}  # type: ignore[attr-defined]


def test_outside_a_request_records_carry_no_id(records: Records) -> None:
    # when
    logging.getLogger("purei.test").warning("between requests")
    # then
    assert request_id_var.get() is None
    assert [r.request_id for r in records.records] == [None]  # type: ignore[attr-defined]


def test_the_id_of_a_request_is_gone_after_it(client: Client) -> None:
    # when
    client.get("/healthz", HTTP_X_REQUEST_ID="one-request")
    # then
    assert request_id_var.get() is None
