"""The API's edges: Django's own refusals in the error shape, path values beyond
every id or name, and the outer bounds every input schema has (docs/api.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pydantic import ValidationError

from purei.core.api_inputs import MAX_TEXT, InputSchema, QuerySchema, WholeNumber

pytestmark = pytest.mark.django_db


def _is_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert set(body) >= {"code", "message", "field"}


def test_an_address_no_operation_has_is_a_json_404():
    _is_error(Client().get("/api/v1/no-such-thing"), 404, "not_found")


def test_outside_the_api_a_404_is_still_the_sites_page():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/clusters/" + "a" * 201 + "/products",
        "/api/v1/clusters/kai/product-reviews/9223372036854775808",  # 2**63
        "/api/v1/clusters/kai/product-reviews/9223372036854775808/rating",
    ],
)
def test_a_path_value_beyond_every_name_or_id_is_a_404(path: str) -> None:
    _is_error(Client().get(path), 404, "not_found")


class Sample(InputSchema):
    count: WholeNumber
    note: str = ""
    tags: list[str] = []


class Filters(QuerySchema):
    q: str = ""


def test_whole_numbers_come_as_json_sends_them_never_as_text_or_true():
    assert Sample(count=3).count == 3
    assert Sample.model_validate({"count": 3.0}).count == 3  # JSON Schema's integer
    for wrong in ("3", True, 3.5):
        with pytest.raises(ValidationError):
            Sample.model_validate({"count": wrong})
    with pytest.raises(ValidationError):
        Sample(count=2**63)


def test_text_lists_and_unknown_fields_are_bounded():
    with pytest.raises(ValidationError):
        Sample(count=1, note="x" * (MAX_TEXT + 1))
    with pytest.raises(ValidationError):
        Sample(count=1, tags=["x"] * 1001)
    with pytest.raises(ValidationError):
        Sample.model_validate({"count": 1, "colour": "red"})
    with pytest.raises(ValidationError):
        Filters(q="x" * 201)


def test_the_document_says_the_same_bounds():
    properties = Sample.model_json_schema()["properties"]
    assert properties["count"]["maximum"] == 2**63 - 1
    assert properties["note"]["maxLength"] == MAX_TEXT
    assert properties["tags"]["maxItems"] == 1000
    assert Filters.model_json_schema()["properties"]["q"]["maxLength"] == 200
