"""GET /api/v1/finder and POST /api/v1/finder/classify."""

import json
from typing import Any

import pytest
from django.test import Client

from purei.clusters.api.finder import FinderClassifyAnswersIn, FinderClassifyIn, router
from purei.clusters.finder import GRAPH

pytestmark = pytest.mark.django_db

CLASSIFY = "/api/v1/finder/classify"


def _classify(client: Client, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(CLASSIFY, data, content_type="application/json")


def test_graph_lists_questions_answers_and_outcomes(client: Client):
    # when
    response = client.get("/api/v1/finder")
    # then
    assert response.status_code == 200
    data = response.json()
    assert data["start"] == "place"
    assert data["keys"] == ["shared_place", "shared_specialisation"]
    assert [q["id"] for q in data["questions"]] == list(GRAPH.questions)
    first = data["questions"][0]
    assert first["key"] == "shared_place"
    assert first["text"] == "Do your businesses share one place?"
    assert first["help"]
    assert first["answers"] == [
        {"value": True, "label": "Yes", "next": "specialisation_in_place"},
        {"value": False, "label": "No", "next": "specialisation_apart"},
    ]
    outcomes = {o["id"]: o for o in data["outcomes"]}
    assert outcomes["traditional"]["type"] == "traditional"
    assert outcomes["traditional"]["must_declare"] == ["regions", "specialisation"]
    assert outcomes["not_yet"]["type"] is None
    assert outcomes["not_yet"]["next_steps"]


@pytest.mark.parametrize(
    ("place", "specialisation", "expected_type", "apply_query"),
    [
        (
            True,
            True,
            "traditional",
            "type=traditional&shared_place=yes&shared_specialisation=yes",
        ),
        (
            False,
            True,
            "virtual",
            "type=virtual&shared_place=no&shared_specialisation=yes",
        ),
        (True, False, "local", "type=local&shared_place=yes&shared_specialisation=no"),
        (False, False, None, None),
    ],
)
def test_classify_returns_the_type_and_a_plain_explanation(
    client: Client,
    place: bool,
    specialisation: bool,
    expected_type: str | None,
    apply_query: str | None,
):
    # given
    body = {"answers": {"shared_place": place, "shared_specialisation": specialisation}}
    # when
    response = _classify(client, body)
    # then
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == expected_type
    assert data["explanation"]
    assert data["answers"] == body["answers"]
    if apply_query is None:
        assert data["apply_url"] is None
        assert data["next_steps"]
    else:
        assert data["apply_url"] == f"http://testserver/apply/?{apply_query}"


def test_classify_names_a_missing_answer(client: Client):
    # when
    response = _classify(client, {"answers": {"shared_specialisation": True}})
    # then
    assert response.status_code == 422
    error = response.json()
    assert error["field"] == "answers.shared_place"
    assert "answers.shared_place" in error["message"]


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, None, [True], {"v": True}])
def test_classify_takes_only_real_booleans(client: Client, value: object):
    # when
    response = _classify(
        client, {"answers": {"shared_place": value, "shared_specialisation": False}}
    )
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "answers.shared_place"


def test_classify_refuses_an_unknown_answer(client: Client):
    # when
    response = _classify(
        client,
        {
            "answers": {
                "shared_place": True,
                "shared_specialisation": True,
                "shared_language": True,
            }
        },
    )
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "answers.shared_language"


def test_classify_refuses_an_unknown_top_level_field(client: Client):
    # when
    response = _classify(
        client,
        {"answers": {"shared_place": True, "shared_specialisation": True}, "x": 1},
    )
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "x"


@pytest.mark.parametrize(
    "body", ["", "{", "not json", "[]", "{}", '{"answers": null}', "42"]
)
def test_classify_answers_a_bad_body_with_a_4xx(client: Client, body: str):
    # when
    response = _classify(client, body)
    # then
    assert 400 <= response.status_code < 500
    error = response.json()
    assert error["code"]
    assert error["message"]


def test_classify_refuses_get(client: Client):
    # when
    response = client.get(CLASSIFY)
    # then
    assert response.status_code == 405


def test_the_answers_schema_is_precise():
    # when
    schema = FinderClassifyIn.model_json_schema()
    # then
    answers = schema["$defs"]["FinderClassifyAnswersIn"]
    assert schema["required"] == ["answers"]
    assert schema["additionalProperties"] is False
    assert answers["required"] == ["shared_place", "shared_specialisation"]
    assert answers["additionalProperties"] is False
    assert answers["properties"]["shared_place"]["type"] == "boolean"


def test_the_operations_are_named():
    # when
    names = {
        operation.operation_id
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    }
    # then
    assert names == {"finder_graph_api", "finder_classify_api"}


def test_the_api_schema_asks_exactly_the_graphs_keys():
    # then: the schema and the graph cannot drift apart
    assert tuple(FinderClassifyAnswersIn.model_fields) == GRAPH.keys


def test_the_openapi_document_describes_the_finder(client: Client):
    # when
    schema = client.get("/api/v1/openapi.json").json()
    # then
    operations = {
        op["operationId"]
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/finder")
        for op in item.values()
    }
    body = schema["paths"]["/api/v1/finder/classify"]["post"]["requestBody"]
    body_ref = body["content"]["application/json"]["schema"]["$ref"]
    classify_in = schema["components"]["schemas"][body_ref.rsplit("/", 1)[-1]]
    answers_ref = classify_in["properties"]["answers"]["$ref"]
    answers = schema["components"]["schemas"][answers_ref.rsplit("/", 1)[-1]]
    assert operations == {"finder_graph_api", "finder_classify_api"}
    assert answers["required"] == ["shared_place", "shared_specialisation"]
    assert answers["additionalProperties"] is False
    assert answers["properties"]["shared_place"]["type"] == "boolean"
