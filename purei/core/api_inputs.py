"""The base of every API input: nothing a client sends is unbounded.

``InputSchema`` refuses unknown fields, and gives every field that declares no
bound of its own the platform's outer bounds, in the OpenAPI document and in
validation alike, so that what the document refuses the server refuses too
(schemathesis checks both ways, docs/api.md "Errors"):

- text: at most ``MAX_TEXT`` characters;
- whole numbers: within a signed 64-bit integer (what every database column holds);
- lists: at most ``MAX_ITEMS`` items; maps: at most ``MAX_ITEMS`` keys.

A field's own, tighter bound (``Field(max_length=…, ge=…)``) always wins; these
only close what was left open. Whole numbers may be sent as ``3`` or ``3.0`` (JSON
does not tell them apart) but never as ``"3"`` or ``true``.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Strict, model_validator

MAX_TEXT = 10_000
# A query's texts are filters and words to find: short, so that even an over-long
# one fits the request line the web server reads (and gets the API's 422).
MAX_QUERY_TEXT = 200
MAX_ITEMS = 1_000
INT_MIN = -(2**63) + 1
INT_MAX = 2**63 - 1

_TEXT_BOUNDED = frozenset({"maxLength", "enum", "const", "pattern"})
_OPEN_FORMATS = frozenset({"date", "date-time", "time", "uuid", "binary"})
_CONSTRAINT_NAMES = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusiveMinimum",
    "lt": "exclusiveMaximum",
    "multiple_of": "multipleOf",
}


def _whole(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A whole number as JSON sends it: 3 or 3.0, never "3" or true.
WholeNumber = Annotated[int, BeforeValidator(_whole), Strict()]


def _bound(schema: dict[str, Any], max_text: int = MAX_TEXT) -> None:
    """Close the open bounds of one property's schema, in place."""
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            _bound(sub, max_text)
    # A constraint Pydantic could not place on a wrapped type (WholeNumber's
    # validator) comes out under its Python name: say it in JSON Schema's words.
    for python, json_name in _CONSTRAINT_NAMES.items():
        if python in schema:
            schema[json_name] = schema.pop(python)
    kind = schema.get("type")
    if kind == "string" and not (_TEXT_BOUNDED & schema.keys()):
        if schema.get("format") not in _OPEN_FORMATS:
            schema["maxLength"] = max_text
    elif kind == "integer":
        if "minimum" not in schema and "exclusiveMinimum" not in schema:
            schema["minimum"] = INT_MIN
        if "maximum" not in schema and "exclusiveMaximum" not in schema:
            schema["maximum"] = INT_MAX
    elif kind == "array":
        schema.setdefault("maxItems", MAX_ITEMS)
        if isinstance(schema.get("items"), dict):
            _bound(schema["items"], max_text)
    elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        schema.setdefault("maxProperties", MAX_ITEMS)
        _bound(schema["additionalProperties"], max_text)


def _bound_properties(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        _bound(prop)


def _bound_query_properties(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        _bound(prop, MAX_QUERY_TEXT)


def _check(value: Any, where: str) -> None:
    """Refuse what ``_bound`` documents as out of bounds (nested models check
    their own fields)."""
    if isinstance(value, (bool, Schema)):
        return
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            raise ValueError(f"{where}: out of range")
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(f"{where}: at most {MAX_TEXT} characters")
    elif isinstance(value, (list, tuple, set)):
        if len(value) > MAX_ITEMS:
            raise ValueError(f"{where}: at most {MAX_ITEMS} items")
        for item in value:
            _check(item, where)
    elif isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise ValueError(f"{where}: at most {MAX_ITEMS} keys")
        for item in value.values():
            _check(item, where)


class InputSchema(Schema):
    """What a client sends: unknown fields refused, every field bounded."""

    model_config = ConfigDict(
        extra="forbid",
        str_max_length=MAX_TEXT,
        json_schema_extra=_bound_properties,
    )

    @model_validator(mode="after")
    def _within_bounds(self) -> InputSchema:
        for name in type(self).model_fields:
            _check(getattr(self, name), name)
        return self


class QuerySchema(InputSchema):
    """Filters in the query string: as ``InputSchema``, texts at most
    ``MAX_QUERY_TEXT`` characters."""

    model_config = ConfigDict(
        str_max_length=MAX_QUERY_TEXT,
        json_schema_extra=_bound_query_properties,
    )
