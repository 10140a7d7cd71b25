"""The OpenAPI document names each schema once and says how every operation fails."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest
from ninja import Schema

from purei.api.api import api
from purei.api.openapi import ERROR_RESPONSES, error_codes

PUREI = Path(__file__).resolve().parents[2]


def _schema_classes() -> list[type]:
    found: list[type] = []
    todo = [Schema]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("purei.") and ".tests" not in sub.__module__:
                found.append(sub)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    # The document names a schema by its class name: two classes with one name
    # would be documented as one (a body checked against the other's fields).
    api.get_openapi_schema()  # every module with an operation is imported
    names = Counter(cls.__name__ for cls in _schema_classes())
    assert [n for n, count in names.items() if count > 1] == []


@pytest.mark.django_db
def test_every_operation_documents_every_error_with_the_error_shape() -> None:
    document = api.get_openapi_schema()
    operations = [
        op
        for item in document["paths"].values()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) > 150
    for op in operations:
        for status in ("400", "401", "403", "404", "409", "422", "429"):
            content = op["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}
        assert op["responses"]["429"]["headers"]["Retry-After"]["required"] is True
    assert set(ERROR_RESPONSES) == {"400", "401", "403", "404", "409", "422", "429"}


def test_the_code_enum_holds_every_code_of_every_error_enum() -> None:
    codes = set(error_codes())
    assert {"invalid", "not_found", "unauthorised", "rate_limited"} <= codes
    assert {"api_key_scope_missing", "idempotency_key_reused", "sold_out"} <= codes


REFUSALS = {"DomainError", "ValidationFailed", "NotPermitted", "KeyRefused"}


def test_no_refusal_is_raised_with_a_bare_string_code() -> None:
    # A code written as a string literal would be missing from the document's enum:
    # every code comes from an ``…ErrorCode`` enum.
    offenders = []
    for path in PUREI.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in REFUSALS
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                offenders.append(f"{path.relative_to(PUREI)}:{node.lineno}")
    assert offenders == []


def test_every_input_is_bounded_in_the_document() -> None:
    """Text has a length (or pattern, enum, format), numbers a range, lists and maps
    a size: what the document refuses, the server refuses (purei.core.api_inputs)."""
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    open_ends: list[str] = []

    def walk(node: object, where: str, seen: frozenset[str]) -> None:
        if not isinstance(node, dict):
            return
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(components[name], f"{where}→{name}", seen | {name})
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                walk(sub, where, seen)
        kind = node.get("type")
        if kind == "string" and not (
            {"maxLength", "enum", "const", "pattern"} & node.keys()
            or node.get("format") in {"date", "date-time", "time", "binary"}
        ):
            open_ends.append(f"{where}: text without a length")
        if kind == "integer" and not (
            ({"minimum", "exclusiveMinimum"} & node.keys())
            and ({"maximum", "exclusiveMaximum"} & node.keys())
        ):
            open_ends.append(f"{where}: a whole number without a range")
        if kind == "number" and "maximum" not in node:
            open_ends.append(f"{where}: a number without a range")
        if kind == "array":
            if "maxItems" not in node:
                open_ends.append(f"{where}: a list without a size")
            walk(node.get("items", {}), f"{where}[]", seen)
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{where}.{name}", seen)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            if "maxProperties" not in node:
                open_ends.append(f"{where}: a map without a size")
            walk(extra, f"{where}{{}}", seen)

    for path, item in document["paths"].items():
        for method, op in item.items():
            for parameter in op.get("parameters", []):
                where = f"{method.upper()} {path} ?{parameter['name']}"
                walk(parameter.get("schema", {}), where, frozenset())
            for content in op.get("requestBody", {}).get("content", {}).values():
                walk(content.get("schema", {}), f"{method.upper()} {path}", frozenset())
    assert open_ends == []
