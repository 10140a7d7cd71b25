"""The type finder's graph and its pure functions (design.md §2)."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purei.clusters.errors import FinderErrorCode
from purei.clusters.finder import (
    GRAPH,
    SHARED_PLACE,
    SHARED_SPECIALISATION,
    Graph,
    Outcome,
    Question,
    answers_from_query,
    apply_path,
    check_graph,
    classify,
    graph_as_dict,
    paths,
    walk,
)
from purei.clusters.finder_chart import WRAP_CHARS, chart, outline, wrap_label
from purei.clusters.models import ClusterType
from purei.core.errors import ValidationFailed

# design.md §2: (one region?, one specialisation?) → type; neither is not a cluster.
TYPE_TABLE: dict[tuple[bool, bool], ClusterType | None] = {
    (True, True): ClusterType.TRADITIONAL,
    (False, True): ClusterType.VIRTUAL,
    (True, False): ClusterType.LOCAL,
    (False, False): None,
}


def test_the_graph_is_a_well_formed_tree():
    # when / then: no dangling edge, no shared node, nothing unreachable
    check_graph(GRAPH)


def test_check_graph_refuses_an_edge_to_nowhere():
    # given
    place = GRAPH.questions["place"]
    broken_answers = (place.answers[0], replace(place.answers[1], next="nowhere"))
    broken = replace(
        GRAPH,
        questions={**GRAPH.questions, "place": replace(place, answers=broken_answers)},
    )
    # when / then
    with pytest.raises(ValueError, match="nowhere"):
        check_graph(broken)


def test_check_graph_refuses_an_unreachable_outcome():
    # given
    lost = Outcome(id="lost", type=None, title="Lost", summary="", explanation="")
    broken = replace(GRAPH, outcomes={**GRAPH.outcomes, "lost": lost})
    # when / then
    with pytest.raises(ValueError, match="lost"):
        check_graph(broken)


def test_the_graph_asks_about_place_then_specialisation():
    # then
    assert GRAPH.keys == (SHARED_PLACE, SHARED_SPECIALISATION)
    assert GRAPH.questions[GRAPH.start].key == SHARED_PLACE


def test_every_path_reaches_one_of_four_outcomes():
    # when
    reached = {outcome.id for _answers, outcome in paths()}
    # then
    assert (
        reached == set(GRAPH.outcomes) == {"traditional", "virtual", "local", "not_yet"}
    )


@pytest.mark.parametrize(
    ("place", "specialisation", "expected"),
    [(p, s, t) for (p, s), t in TYPE_TABLE.items()],
)
def test_classify_follows_the_type_table(
    place: bool, specialisation: bool, expected: ClusterType | None
):
    # when
    outcome = classify({SHARED_PLACE: place, SHARED_SPECIALISATION: specialisation})
    # then
    assert outcome.type == expected


@given(place=st.booleans(), specialisation=st.booleans())
def test_classify_agrees_with_the_table_for_any_answers(
    place: bool, specialisation: bool
):
    # when
    outcome = classify({SHARED_PLACE: place, SHARED_SPECIALISATION: specialisation})
    # then
    assert outcome.type == TYPE_TABLE[(place, specialisation)]
    assert (outcome.type is None) == (not place and not specialisation)


@given(
    value=st.one_of(
        st.none(),
        st.integers(),
        st.text(),
        st.floats(allow_nan=False),
        st.lists(st.booleans()),
    )
)
def test_classify_refuses_any_answer_that_is_not_a_boolean(value: object):
    # when
    with pytest.raises(ValidationFailed) as caught:
        classify({SHARED_PLACE: value, SHARED_SPECIALISATION: True})
    # then
    assert caught.value.code == FinderErrorCode.ANSWER_INVALID
    assert caught.value.field == SHARED_PLACE


def test_classify_names_the_missing_first_answer():
    # when
    with pytest.raises(ValidationFailed) as caught:
        classify({SHARED_SPECIALISATION: True})
    # then
    assert caught.value.code == "finder_answer_missing"
    assert caught.value.field == SHARED_PLACE
    assert SHARED_PLACE in caught.value.message


@pytest.mark.parametrize("place", [True, False])
def test_classify_names_the_missing_second_answer(place: bool):
    # when
    with pytest.raises(ValidationFailed) as caught:
        classify({SHARED_PLACE: place})
    # then
    assert caught.value.code == "finder_answer_missing"
    assert caught.value.field == SHARED_SPECIALISATION


def test_classify_refuses_yes_as_a_string():
    # when
    with pytest.raises(ValidationFailed) as caught:
        classify({SHARED_PLACE: "yes", SHARED_SPECIALISATION: False})
    # then
    assert caught.value.code == "finder_answer_invalid"
    assert caught.value.errors == {
        SHARED_PLACE: ["shared_place must be true (yes) or false (no)."]
    }


def test_classify_refuses_an_unknown_key():
    # when
    with pytest.raises(ValidationFailed) as caught:
        classify({SHARED_PLACE: True, SHARED_SPECIALISATION: True, "colour": True})
    # then
    assert caught.value.code == "finder_answer_unknown"
    assert caught.value.field == "colour"


def test_classify_refuses_an_empty_set_of_answers():
    # when / then
    with pytest.raises(ValidationFailed, match=SHARED_PLACE):
        classify({})


@pytest.mark.parametrize(
    ("outcome_id", "declares"),
    [
        ("traditional", ("regions", "specialisation")),
        ("local", ("regions",)),
        ("virtual", ("specialisation",)),
        ("not_yet", ()),
    ],
)
def test_each_type_declares_what_the_type_rules_require(
    outcome_id: str, declares: tuple[str, ...]
):
    # then
    assert GRAPH.outcomes[outcome_id].must_declare == declares


@pytest.mark.parametrize(
    ("outcome_id", "examples"),
    [
        ("traditional", ["Marlborough wine", "Te Hiku oysters"]),
        ("virtual", ["Aotearoa craft beer", "steel fabricators"]),
        ("local", ["Martinborough Fair stallholders", "Tokoroa businesses"]),
    ],
)
def test_each_type_explains_itself_with_the_seed_examples(
    outcome_id: str, examples: list[str]
):
    # given
    outcome = GRAPH.outcomes[outcome_id]
    # when
    text = " ".join(str(e) for e in outcome.examples)
    # then
    assert str(outcome.explanation)
    for example in examples:
        assert example in text


def test_not_a_cluster_says_what_would_make_it_one():
    # when
    outcome = classify({SHARED_PLACE: False, SHARED_SPECIALISATION: False})
    # then
    steps = " ".join(str(s) for s in outcome.next_steps)
    assert outcome.type is None
    assert str(outcome.title) == "Not a cluster yet"
    assert "same place" in steps
    assert "industry or crop" in steps


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {SHARED_PLACE: True, SHARED_SPECIALISATION: True},
            "/apply/?type=traditional&shared_place=yes&shared_specialisation=yes",
        ),
        (
            {SHARED_PLACE: False, SHARED_SPECIALISATION: True},
            "/apply/?type=virtual&shared_place=no&shared_specialisation=yes",
        ),
        (
            {SHARED_PLACE: True, SHARED_SPECIALISATION: False},
            "/apply/?type=local&shared_place=yes&shared_specialisation=no",
        ),
        ({SHARED_PLACE: False, SHARED_SPECIALISATION: False}, None),
    ],
)
def test_apply_path_is_the_application_forms_prefill_contract(
    answers: dict[str, bool], expected: str | None
):
    # when
    path = apply_path(classify(answers), answers)
    # then
    assert path == expected


def test_answers_from_query_reads_words_and_keeps_bad_ones_for_the_walk():
    # when
    answers = answers_from_query(
        {SHARED_PLACE: "YES", SHARED_SPECIALISATION: "maybe", "utm_source": "x"}
    )
    # then
    assert answers == {SHARED_PLACE: True, SHARED_SPECIALISATION: "maybe"}


def test_walk_stops_at_the_first_unanswered_question():
    # when
    result = walk({SHARED_PLACE: False})
    # then
    assert isinstance(result.at, Question)
    assert result.at.id == "specialisation_apart"
    assert result.answers == {SHARED_PLACE: False}
    assert result.node_ids == ("place", "specialisation_apart")
    assert result.invalid is None


def test_walk_stops_at_a_bad_answer_and_keeps_it():
    # when
    result = walk({SHARED_PLACE: "maybe", SHARED_SPECIALISATION: True})
    # then
    assert result.question is not None
    assert result.question.id == "place"
    assert result.invalid == "maybe"
    assert result.steps == ()


def test_graph_as_dict_lists_questions_answers_and_outcomes():
    # when
    data = graph_as_dict()
    # then
    assert data["start"] == "place"
    assert data["keys"] == [SHARED_PLACE, SHARED_SPECIALISATION]
    ids = {q["id"] for q in data["questions"]} | {o["id"] for o in data["outcomes"]}
    for question in data["questions"]:
        assert [a["value"] for a in question["answers"]] == [True, False]
        assert all(a["next"] in ids for a in question["answers"])
    assert {o["type"] for o in data["outcomes"]} == {
        "traditional",
        "virtual",
        "local",
        None,
    }


def test_wrap_label_keeps_lines_short():
    # when
    lines = wrap_label(
        "Spread across the country, do they still share one specialisation?"
    )
    # then
    assert len(lines) > 1
    assert all(len(line) <= WRAP_CHARS for line in lines)


def _overlap(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def test_chart_places_every_node_inside_the_drawing_without_overlaps():
    # when
    drawing = chart()
    # then
    boxes = {n.id: (n.x, n.y, n.width, n.height) for n in drawing.nodes}
    assert set(boxes) == set(GRAPH.questions) | set(GRAPH.outcomes)
    for x, y, width, height in boxes.values():
        assert x >= 0
        assert x + width <= drawing.width
        assert y >= 0
        assert y + height <= drawing.height
    ids = list(boxes)
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            assert not _overlap(boxes[first], boxes[second]), (first, second)


def test_chart_draws_one_labelled_edge_per_answer():
    # when
    drawing = chart()
    # then
    expected = {
        (q.id, a.next, str(a.label))
        for q in GRAPH.questions.values()
        for a in q.answers
    }
    assert {(e.source, e.target, e.label) for e in drawing.edges} == expected


def test_chart_keeps_each_text_line_inside_its_box():
    # when
    drawing = chart(taken=walk({SHARED_PLACE: True}))
    # then
    for node in drawing.nodes:
        for line in node.lines:
            assert node.y < line.y < node.y + node.height
            assert len(line.text) <= WRAP_CHARS + 4


def test_chart_marks_the_path_taken_and_where_you_are():
    # when
    drawing = chart(taken=walk({SHARED_PLACE: False, SHARED_SPECIALISATION: True}))
    # then
    taken_nodes = {n.id for n in drawing.nodes if n.taken}
    taken_edges = {(e.source, e.target) for e in drawing.edges if e.taken}
    current = [n for n in drawing.nodes if n.current]
    assert taken_nodes == {"place", "specialisation_apart", "virtual"}
    assert taken_edges == {
        ("place", "specialisation_apart"),
        ("specialisation_apart", "virtual"),
    }
    assert [n.id for n in current] == ["virtual"]
    assert current[0].lines[-1].kind == "badge"


def test_outline_lists_every_path_as_text():
    # when
    tree = outline(taken=walk({SHARED_PLACE: True}))
    # then
    assert tree.question is not None
    assert tree.question.id == "place"
    leaves = [
        leaf.node.outcome.id
        for branch in tree.branches
        for leaf in branch.node.branches
        if leaf.node.outcome is not None
    ]
    assert leaves == ["traditional", "local", "virtual", "not_yet"]
    assert [b.taken for b in tree.branches] == [True, False]
    assert tree.branches[0].node.current


def test_a_different_graph_is_walked_the_same_way():
    # given: the functions take any graph, not only the built-in one
    question = Question(
        id="q",
        key="shared_place",
        text="Shared place?",
        help="",
        answers=GRAPH.questions["specialisation_in_place"].answers,
    )
    small = Graph(
        start="q",
        questions={"q": question},
        outcomes={k: GRAPH.outcomes[k] for k in ("traditional", "local")},
    )
    # when
    outcome = classify({"shared_place": False}, small)
    # then
    check_graph(small)
    assert outcome.type == ClusterType.LOCAL
