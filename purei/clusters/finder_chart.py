"""The finder's flowchart, drawn from the graph in ``finder.py``.

``chart`` places every question and outcome as a box with labelled yes/no arrows (the
page renders it as an inline SVG); ``outline`` gives the same paths as nested text for
screen readers. Both can mark the path a visitor has taken so far.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext as _

from .finder import GRAPH, Answer, Graph, Outcome, Question, Walk

if TYPE_CHECKING:
    pass


# --- The flowchart -------------------------------------------------------------

NODE_WIDTH = 216
FONT_SIZE = 15
LINE_HEIGHT = 20
PADDING = 12
WRAP_CHARS = 24
SUMMARY_CHARS = 28
GAP_X = 24
GAP_Y = 72
MARGIN = 12
INSET = 5


@dataclass(frozen=True)
class ChartLine:
    text: str
    x: float
    y: float
    kind: Literal["text", "summary", "badge"] = "text"


@dataclass(frozen=True)
class ChartNode:
    id: str
    kind: Literal["question", "outcome"]
    x: float
    y: float
    width: float
    height: float
    lines: tuple[ChartLine, ...]
    taken: bool
    current: bool
    type: str = ""

    @property
    def inner(self) -> tuple[float, float, float, float]:
        """x, y, width, height of the inner border that marks a node on the path."""
        return (
            self.x + INSET,
            self.y + INSET,
            self.width - 2 * INSET,
            self.height - 2 * INSET,
        )


@dataclass(frozen=True)
class ChartEdge:
    source: str
    target: str
    label: str
    points: str
    label_x: float
    label_y: float
    taken: bool


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    nodes: tuple[ChartNode, ...]
    edges: tuple[ChartEdge, ...]


def wrap_label(text: str, width: int = WRAP_CHARS) -> list[str]:
    """Split a label into lines of at most ``width`` characters (long words kept)."""
    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _node_text(node: Question | Outcome) -> str:
    return str(node.text if isinstance(node, Question) else node.title)


def _edges_taken(taken: Walk | None) -> set[tuple[str, str]]:
    if taken is None:
        return set()
    return {(s.question.id, s.answer.next) for s in taken.steps}


def chart(graph: Graph = GRAPH, taken: Walk | None = None) -> Chart:
    """Place every node and edge of the graph as a top-down tree.

    Leaves sit side by side in depth-first order; a question sits centred over its
    answers. ``taken`` marks the path walked so far (and its current node).
    """
    on_path = set(taken.node_ids) if taken else set()
    current = taken.at.id if taken else None
    edges_taken = _edges_taken(taken)

    depth: dict[str, int] = {}
    order: list[str] = []

    def visit(node_id: str, level: int) -> None:
        depth[node_id] = level
        order.append(node_id)
        if node_id in graph.questions:
            for answer in graph.questions[node_id].answers:
                visit(answer.next, level + 1)

    visit(graph.start, 0)

    lines: dict[str, list[tuple[str, Literal["text", "summary", "badge"]]]] = {}
    for node_id in order:
        node = graph.node(node_id)
        lines[node_id] = [(line, "text") for line in wrap_label(_node_text(node))]
        if isinstance(node, Outcome):
            lines[node_id] += [
                (line, "summary")
                for line in wrap_label(str(node.summary), SUMMARY_CHARS)
            ]
        if node_id == current:
            badge = (
                _("You are here") if isinstance(node, Question) else _("Your result")
            )
            lines[node_id].append((str(badge), "badge"))

    def height_of(node_id: str) -> float:
        return 2 * PADDING + len(lines[node_id]) * LINE_HEIGHT

    levels = max(depth.values()) + 1
    row_height = [
        max(height_of(n) for n in order if depth[n] == level) for level in range(levels)
    ]
    row_top = [
        MARGIN + sum(row_height[:level]) + level * GAP_Y for level in range(levels)
    ]

    centre_x: dict[str, float] = {}
    leaves = [n for n in order if n not in graph.questions]

    def place(node_id: str) -> float:
        if node_id in graph.questions:
            xs = [place(a.next) for a in graph.questions[node_id].answers]
            centre_x[node_id] = sum(xs) / len(xs)
        else:
            index = leaves.index(node_id)
            centre_x[node_id] = MARGIN + index * (NODE_WIDTH + GAP_X) + NODE_WIDTH / 2
        return centre_x[node_id]

    place(graph.start)

    nodes: list[ChartNode] = []
    for node_id in order:
        node = graph.node(node_id)
        x = centre_x[node_id] - NODE_WIDTH / 2
        y = row_top[depth[node_id]]
        text_lines = lines[node_id]
        placed = tuple(
            ChartLine(
                text=text,
                x=centre_x[node_id],
                y=y + PADDING + FONT_SIZE + i * LINE_HEIGHT,
                kind=kind,
            )
            for i, (text, kind) in enumerate(text_lines)
        )
        nodes.append(
            ChartNode(
                id=node_id,
                kind="question" if isinstance(node, Question) else "outcome",
                x=x,
                y=y,
                width=NODE_WIDTH,
                height=height_of(node_id),
                lines=placed,
                taken=node_id in on_path,
                current=node_id == current,
                type=str(node.type or "none") if isinstance(node, Outcome) else "",
            )
        )

    edges: list[ChartEdge] = []
    for question in graph.questions.values():
        level = depth[question.id]
        start_x = centre_x[question.id]
        start_y = row_top[level] + height_of(question.id)
        child_top = row_top[level + 1]
        middle_y = row_top[level] + row_height[level] + GAP_Y / 2
        for answer in question.answers:
            end_x = centre_x[answer.next]
            points = [
                (start_x, start_y),
                (start_x, middle_y),
                (end_x, middle_y),
                (end_x, child_top - 2),
            ]
            edges.append(
                ChartEdge(
                    source=question.id,
                    target=answer.next,
                    label=str(answer.label),
                    points=" ".join(f"{px:g},{py:g}" for px, py in points),
                    label_x=end_x + 8,
                    label_y=middle_y + (child_top - middle_y) / 2 + 5,
                    taken=(question.id, answer.next) in edges_taken,
                )
            )

    width = 2 * MARGIN + len(leaves) * NODE_WIDTH + (len(leaves) - 1) * GAP_X
    height = row_top[-1] + row_height[-1] + MARGIN
    return Chart(width=width, height=height, nodes=tuple(nodes), edges=tuple(edges))


@dataclass(frozen=True)
class OutlineBranch:
    answer: Answer
    node: OutlineNode
    taken: bool


@dataclass(frozen=True)
class OutlineNode:
    """The graph as a nested list of decision paths (the flowchart's text)."""

    question: Question | None
    outcome: Outcome | None
    branches: tuple[OutlineBranch, ...]
    current: bool


def outline(graph: Graph = GRAPH, taken: Walk | None = None) -> OutlineNode:
    edges_taken = _edges_taken(taken)
    current = taken.at.id if taken else None

    def build(node_id: str) -> OutlineNode:
        if node_id in graph.outcomes:
            return OutlineNode(
                question=None,
                outcome=graph.outcomes[node_id],
                branches=(),
                current=node_id == current,
            )
        question = graph.questions[node_id]
        return OutlineNode(
            question=question,
            outcome=None,
            branches=tuple(
                OutlineBranch(
                    answer=a,
                    node=build(a.next),
                    taken=(node_id, a.next) in edges_taken,
                )
                for a in question.answers
            ),
            current=node_id == current,
        )

    return build(graph.start)
