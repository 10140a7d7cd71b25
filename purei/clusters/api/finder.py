"""The type finder over JSON: the decision graph, and classifying a set of answers."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict, StrictBool

from purei.clusters.finder import (
    SHARED_PLACE,
    SHARED_SPECIALISATION,
    apply_path,
    classify,
    graph_as_dict,
    outcome_as_dict,
)
from purei.clusters.models import ClusterType
from purei.core.api_inputs import InputSchema
from purei.core.errors import ValidationFailed

router = Router(tags=["type finder"])

Declaration = Literal["regions", "specialisation"]


class FinderAnswerOut(Schema):
    value: bool = Field(description="The answer: true for yes, false for no.")
    label: str = Field(description="The answer's label in the request's language.")
    next: str = Field(description="Id of the question or outcome this answer leads to.")


class FinderQuestionOut(Schema):
    id: str = Field(description="Id of this node in the graph.")
    key: str = Field(
        description="The answer key this question fills in "
        "(two questions may ask the same key on different paths)."
    )
    text: str
    help: str
    answers: list[FinderAnswerOut]


class FinderOutcomeOut(Schema):
    id: str = Field(description="Id of this node in the graph.")
    type: ClusterType | None = Field(
        description="The cluster type, or null: the group is not a cluster yet."
    )
    type_label: str | None = Field(description="The type's name, or null.")
    title: str
    summary: str = Field(description="The outcome in a few words.")
    explanation: str = Field(description="Why, in plain language.")
    examples: list[str] = Field(description="Clusters of this type.")
    next_steps: list[str] = Field(
        description="For a group that is not a cluster yet: what would make it one."
    )
    must_declare: list[Declaration] = Field(
        description="What an application for this type must declare."
    )


class FinderGraphOut(Schema):
    start: str = Field(description="Id of the first question.")
    keys: list[str] = Field(description="Every answer key the finder asks.")
    questions: list[FinderQuestionOut]
    outcomes: list[FinderOutcomeOut]


class FinderClassifyAnswersIn(InputSchema):
    """One answer per question on the path: real booleans, not "yes" or 1."""

    model_config = ConfigDict(extra="forbid")

    shared_place: StrictBool = Field(
        description="Do the businesses share one place (a region, town or market)?"
    )
    shared_specialisation: StrictBool = Field(
        description="Do they share one specialisation "
        "(an industry, a crop or a way of distributing)?"
    )


class FinderClassifyIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    answers: FinderClassifyAnswersIn


class FinderClassifyOut(FinderOutcomeOut):
    answers: dict[str, bool] = Field(description="The answers classified.")
    apply_url: str | None = Field(
        description="The application form, prefilled with this type and these "
        "answers; null when the group is not a cluster yet."
    )


@router.get(
    "/finder",
    response=FinderGraphOut,
    summary="The type finder's decision graph",
    operation_id="finder_graph_api",
)
def finder_graph_api(request: HttpRequest) -> dict[str, Any]:
    return graph_as_dict()


@router.post(
    "/finder/classify",
    response=FinderClassifyOut,
    summary="Which cluster type are we?",
    description="Walks the decision graph with the answers given. "
    "A missing, non-boolean or unknown answer is a 422 naming `answers.<key>`.",
    operation_id="finder_classify_api",
)
def finder_classify_api(
    request: HttpRequest, payload: FinderClassifyIn
) -> dict[str, Any]:
    answers = {
        SHARED_PLACE: payload.answers.shared_place,
        SHARED_SPECIALISATION: payload.answers.shared_specialisation,
    }
    try:
        outcome = classify(answers)
    except ValidationFailed as exc:
        errors = {f"answers.{key}": messages for key, messages in exc.errors.items()}
        raise ValidationFailed(exc.code, errors) from exc
    path = apply_path(outcome, answers)
    return {
        **outcome_as_dict(outcome),
        "answers": answers,
        "apply_url": request.build_absolute_uri(path) if path else None,
    }
