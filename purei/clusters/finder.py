"""The type finder: "Which cluster type are we?" (design.md §2).

The decision graph is data: questions (each asks one yes/no ``key``), answers with an
edge to the next question or to an outcome, and outcomes with a cluster type (or none:
not a cluster yet), a plain explanation, examples and next steps. Everything else is
derived from it: ``classify`` walks it, ``graph_as_dict`` serves it to the API, and
``finder_chart.chart`` / ``finder_chart.outline`` draw it as a flowchart and as text.
The page, the API and the CLI all read this one graph.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.core.errors import ValidationFailed

from .errors import FinderErrorCode
from .models import ClusterType
from .rules import type_rule_errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# --- The graph's shape ---------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One answer to a question and the edge it follows (a node id)."""

    value: bool
    label: StrOrPromise
    next: str

    @property
    def word(self) -> str:
        """How the answer is written in a query string and on the command line."""
        return answer_word(self.value)


@dataclass(frozen=True)
class Question:
    id: str
    key: str
    text: StrOrPromise
    help: StrOrPromise
    answers: tuple[Answer, ...]

    def answer_for(self, value: bool) -> Answer:
        return next(a for a in self.answers if a.value is value)


@dataclass(frozen=True)
class Outcome:
    id: str
    type: ClusterType | None
    title: StrOrPromise
    summary: StrOrPromise
    explanation: StrOrPromise
    examples: tuple[StrOrPromise, ...] = ()
    next_steps: tuple[StrOrPromise, ...] = ()

    @property
    def must_declare(self) -> tuple[str, ...]:
        """What a cluster of this type must declare, from the type rules themselves."""
        if self.type is None:
            return ()
        missing = type_rule_errors(
            cluster_type=self.type, region_count=0, specialisation=""
        )
        return tuple(missing)


@dataclass(frozen=True)
class Graph:
    start: str
    questions: Mapping[str, Question]
    outcomes: Mapping[str, Outcome]

    @property
    def keys(self) -> tuple[str, ...]:
        """Every answer key the graph asks, in the order first met."""
        return tuple(dict.fromkeys(q.key for q in self.questions.values()))

    def node(self, node_id: str) -> Question | Outcome:
        if node_id in self.questions:
            return self.questions[node_id]
        return self.outcomes[node_id]


def _yes_no(*, yes: str, no: str) -> tuple[Answer, ...]:
    return (
        Answer(value=True, label=gettext_lazy("Yes"), next=yes),
        Answer(value=False, label=gettext_lazy("No"), next=no),
    )


# --- The graph -----------------------------------------------------------------

SHARED_PLACE = "shared_place"
SHARED_SPECIALISATION = "shared_specialisation"

DECLARATION_LABELS: Mapping[str, StrOrPromise] = {
    "regions": gettext_lazy("the region or regions your members share"),
    "specialisation": gettext_lazy(
        "your specialisation: the industry, crop or way of distributing you share"
    ),
}

GRAPH = Graph(
    start="place",
    questions={
        "place": Question(
            id="place",
            key=SHARED_PLACE,
            text=gettext_lazy("Do your businesses share one place?"),
            help=gettext_lazy(
                "One region, district or town, or one market or fair where you all "
                "trade."
            ),
            answers=_yes_no(yes="specialisation_in_place", no="specialisation_apart"),
        ),
        "specialisation_in_place": Question(
            id="specialisation_in_place",
            key=SHARED_SPECIALISATION,
            text=gettext_lazy("Do they also share one specialisation?"),
            help=gettext_lazy(
                "The same industry or crop, or one way of distributing: for example, "
                "all making wine, or all farming oysters."
            ),
            answers=_yes_no(yes="traditional", no="local"),
        ),
        "specialisation_apart": Question(
            id="specialisation_apart",
            key=SHARED_SPECIALISATION,
            text=gettext_lazy(
                "Spread across the country, do they still share one specialisation?"
            ),
            help=gettext_lazy(
                "The same industry or crop, or one way of distributing: for example, "
                "all brewing craft beer, or all selling steel to Australian buyers."
            ),
            answers=_yes_no(yes="virtual", no="not_yet"),
        ),
    },
    outcomes={
        "traditional": Outcome(
            id="traditional",
            type=ClusterType.TRADITIONAL,
            title=gettext_lazy("A Traditional cluster"),
            summary=gettext_lazy("One place and one specialisation"),
            explanation=gettext_lazy(
                "You share a place and a specialisation: businesses in one region "
                "doing the same kind of work. Together you can tell one story about "
                "where your products come from, and share buyers, marketing and "
                "freight."
            ),
            examples=(
                gettext_lazy("Marlborough wine"),
                gettext_lazy("Te Hiku oysters"),
                gettext_lazy("Bay of Plenty avocados"),
                gettext_lazy("Kaipara kūmara"),
            ),
        ),
        "local": Outcome(
            id="local",
            type=ClusterType.LOCAL,
            title=gettext_lazy("A Local cluster"),
            summary=gettext_lazy("One place, many kinds of business"),
            explanation=gettext_lazy(
                "You share a place but not a specialisation: different kinds of "
                "business in one town, region or market. Customers buy from many of "
                "you in one cart, and the place itself is your brand."
            ),
            examples=(
                gettext_lazy("Martinborough Fair stallholders"),
                gettext_lazy("Tokoroa businesses and artisans"),
            ),
        ),
        "virtual": Outcome(
            id="virtual",
            type=ClusterType.VIRTUAL,
            title=gettext_lazy("A Virtual cluster"),
            summary=gettext_lazy("One specialisation, many places"),
            explanation=gettext_lazy(
                "You share a specialisation but not a place: businesses across "
                "Aotearoa in the same industry or crop, or with one way of "
                "distributing. Online, you sell together as one brand and offer "
                "buyers more than any one of you could alone."
            ),
            examples=(
                gettext_lazy("Aotearoa craft beer"),
                gettext_lazy(
                    "NZ steel fabricators: a one-stop shop for Australian buyers"
                ),
                gettext_lazy("Rongoā and natural health products"),
            ),
        ),
        "not_yet": Outcome(
            id="not_yet",
            type=None,
            title=gettext_lazy("Not a cluster yet"),
            summary=gettext_lazy("Neither a place nor a specialisation"),
            explanation=gettext_lazy(
                "A cluster's members share something customers can recognise: a "
                "place, a specialisation, or both. Your group shares neither yet, so "
                "it has no common story to sell under one brand."
            ),
            next_steps=(
                gettext_lazy(
                    "Find businesses in the same place as you (your town, your "
                    "region, or a market you already trade at) and form a Local "
                    "cluster."
                ),
                gettext_lazy(
                    "Find businesses that share your industry or crop, or a way of "
                    "distributing such as exporting to the same country, and form a "
                    "Virtual cluster."
                ),
                gettext_lazy(
                    "Share both a place and a specialisation, and you are a "
                    "Traditional cluster."
                ),
            ),
        ),
    },
)


def check_graph(graph: Graph = GRAPH) -> None:
    """Refuse a malformed graph: dangling edges, shared nodes, cycles, dead ends."""
    seen: set[str] = set()

    def visit(node_id: str) -> None:
        if node_id in seen:
            raise ValueError(f"node {node_id!r} is reached twice")
        if node_id not in graph.questions and node_id not in graph.outcomes:
            raise ValueError(f"edge to unknown node {node_id!r}")
        seen.add(node_id)
        if node_id in graph.questions:
            question = graph.questions[node_id]
            if sorted(a.value for a in question.answers) != [False, True]:
                raise ValueError(f"question {node_id!r} needs one yes and one no")
            for answer in question.answers:
                visit(answer.next)

    visit(graph.start)
    unreached = set(graph.questions) | set(graph.outcomes)
    if unreached - seen:
        raise ValueError(f"unreachable nodes: {sorted(unreached - seen)}")


# --- Answers as words ----------------------------------------------------------

ANSWER_WORDS: Mapping[str, bool] = {"yes": True, "no": False, "y": True, "n": False}


def answer_word(value: bool) -> str:
    return "yes" if value else "no"


def parse_answer_word(word: str) -> bool | None:
    """``yes``/``no`` (or ``y``/``n``, any case) as a boolean; ``None`` if neither."""
    return ANSWER_WORDS.get(word.strip().lower())


def answers_from_query(query: Mapping[str, str]) -> dict[str, object]:
    """The graph's answers in a query string: valid words become booleans.

    A bad word stays a string, so ``walk`` stops at its question and flags it.
    Keys the graph does not ask are dropped (a query string carries other things).
    """
    answers: dict[str, object] = {}
    for key in GRAPH.keys:
        if key in query:
            raw = query[key]
            parsed = parse_answer_word(raw)
            answers[key] = raw if parsed is None else parsed
    return answers


# --- Walking the graph ---------------------------------------------------------


@dataclass(frozen=True)
class Step:
    question: Question
    answer: Answer


@dataclass(frozen=True)
class Walk:
    """How far some answers lead: the steps taken, then a question or an outcome."""

    steps: tuple[Step, ...]
    at: Question | Outcome
    invalid: object = None
    """The bad value given for the question ``at``, if one was (else ``None``)."""

    @property
    def question(self) -> Question | None:
        """The question waiting for an answer, if the walk stopped at one."""
        return self.at if isinstance(self.at, Question) else None

    @property
    def outcome(self) -> Outcome | None:
        return self.at if isinstance(self.at, Outcome) else None

    @property
    def answers(self) -> dict[str, bool]:
        return {s.question.key: s.answer.value for s in self.steps}

    @property
    def node_ids(self) -> tuple[str, ...]:
        """Ids of the nodes on the path, ending with the current one."""
        return (*(s.question.id for s in self.steps), self.at.id)


def walk(answers: Mapping[str, object], graph: Graph = GRAPH) -> Walk:
    """Follow the answers from the start until an outcome or an unanswered question.

    An answer that is not a real boolean stops the walk at its question.
    """
    steps: list[Step] = []
    node_id = graph.start
    while node_id in graph.questions:
        question = graph.questions[node_id]
        value = answers.get(question.key)
        if not isinstance(value, bool):
            return Walk(steps=tuple(steps), at=question, invalid=value)
        answer = question.answer_for(value)
        steps.append(Step(question=question, answer=answer))
        node_id = answer.next
    return Walk(steps=tuple(steps), at=graph.outcomes[node_id])


def classify(answers: Mapping[str, object], graph: Graph = GRAPH) -> Outcome:
    """The outcome the answers lead to.

    Raises ``ValidationFailed`` naming the field: an unknown key, an answer that is not
    ``True`` or ``False``, or a question on the path left unanswered.
    """
    unknown = [key for key in answers if key not in graph.keys]
    if unknown:
        raise ValidationFailed(
            FinderErrorCode.ANSWER_UNKNOWN,
            {
                key: [
                    _("%(field)s is not a question the finder asks. It asks: %(keys)s.")
                    % {"field": key, "keys": ", ".join(graph.keys)}
                ]
                for key in unknown
            },
        )
    invalid = [k for k, v in answers.items() if not isinstance(v, bool)]
    if invalid:
        raise ValidationFailed(
            FinderErrorCode.ANSWER_INVALID,
            {
                key: [_("%(field)s must be true (yes) or false (no).") % {"field": key}]
                for key in invalid
            },
        )
    result = walk(answers, graph)
    if isinstance(result.at, Question):
        raise ValidationFailed(
            FinderErrorCode.ANSWER_MISSING,
            {
                result.at.key: [
                    _(
                        "%(field)s is missing: answer true (yes) or false (no) to "
                        "“%(question)s”"
                    )
                    % {"field": result.at.key, "question": result.at.text}
                ]
            },
        )
    return result.at


def total_questions(walk_result: Walk, graph: Graph = GRAPH) -> int:
    """How many questions this path asks at most, counting those already answered."""

    def depth(node_id: str) -> int:
        if node_id not in graph.questions:
            return 0
        return 1 + max(depth(a.next) for a in graph.questions[node_id].answers)

    return len(walk_result.steps) + depth(walk_result.at.id)


def apply_query(outcome: Outcome, answers: Mapping[str, bool]) -> dict[str, str]:
    """The query string the application form prefills from (its contract)."""
    if outcome.type is None:
        return {}
    query = {"type": str(outcome.type)}
    for key in GRAPH.keys:
        if key in answers:
            query[key] = answer_word(answers[key])
    return query


def apply_path(outcome: Outcome, answers: Mapping[str, bool]) -> str | None:
    """``/apply/?type=…&shared_place=…&shared_specialisation=…``, or None."""
    query = apply_query(outcome, answers)
    if not query:
        return None
    return f"{reverse('clusters:apply')}?{urlencode(query)}"


# --- Serving the graph -----------------------------------------------------------


def outcome_as_dict(outcome: Outcome) -> dict[str, Any]:
    return {
        "id": outcome.id,
        "type": outcome.type,
        "type_label": str(outcome.type.label) if outcome.type else None,
        "title": str(outcome.title),
        "summary": str(outcome.summary),
        "explanation": str(outcome.explanation),
        "examples": [str(e) for e in outcome.examples],
        "next_steps": [str(s) for s in outcome.next_steps],
        "must_declare": list(outcome.must_declare),
    }


def graph_as_dict(graph: Graph = GRAPH) -> dict[str, Any]:
    """The whole graph in the active language, for the API."""
    return {
        "start": graph.start,
        "keys": list(graph.keys),
        "questions": [
            {
                "id": q.id,
                "key": q.key,
                "text": str(q.text),
                "help": str(q.help),
                "answers": [
                    {"value": a.value, "label": str(a.label), "next": a.next}
                    for a in q.answers
                ],
            }
            for q in graph.questions.values()
        ],
        "outcomes": [outcome_as_dict(o) for o in graph.outcomes.values()],
    }


def paths(graph: Graph = GRAPH) -> Iterator[tuple[dict[str, bool], Outcome]]:
    """Every complete path: the answers it takes and the outcome it reaches."""

    def go(
        node_id: str, answers: dict[str, bool]
    ) -> Iterator[tuple[dict[str, bool], Outcome]]:
        if node_id in graph.outcomes:
            yield answers, graph.outcomes[node_id]
            return
        question = graph.questions[node_id]
        for answer in question.answers:
            yield from go(answer.next, {**answers, question.key: answer.value})

    yield from go(graph.start, {})
