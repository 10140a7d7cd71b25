"""The /finder/ page: one question at a time, the result, and the whole flowchart."""

import re

import pytest
from django.test import Client

from purei.clusters.finder import GRAPH

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _page(client: Client, query: str = "", **headers: str) -> tuple[int, str]:
    response = client.get(f"/finder/{query}", **headers)  # type: ignore[arg-type]
    return response.status_code, response.content.decode()


def _finder_region(body: str) -> str:
    start = body.index('<div id="finder"')
    return body[start : body.index('<section id="finder-chart"', start)]


def _chart_svg(body: str) -> str:
    start = body.index('<svg class="finder-chart__svg"')
    return body[start : body.index("</svg>", start)]


def test_first_step_asks_about_place_in_a_get_form(client: Client):
    # when
    status, body = _page(client)
    # then
    assert status == 200
    region = _finder_region(body)
    assert body.count("<h1") == 1
    assert '<form method="get" action="/finder/"' in region
    assert "<legend" in region
    assert "Do your businesses share one place?" in region
    assert 'type="radio" name="shared_place" value="yes"' in region
    assert 'type="radio" name="shared_place" value="no"' in region
    assert ">Next</button>" in region
    assert 'type="hidden"' not in region


@pytest.mark.parametrize(
    ("answer", "question_id"),
    [("yes", "specialisation_in_place"), ("no", "specialisation_apart")],
)
def test_second_step_asks_about_specialisation_and_keeps_the_first_answer(
    client: Client, answer: str, question_id: str
):
    # when
    status, body = _page(client, f"?shared_place={answer}")
    # then
    assert status == 200
    region = _finder_region(body)
    assert str(GRAPH.questions[question_id].text) in region
    assert f'<input type="hidden" name="shared_place" value="{answer}">' in region
    assert 'type="radio" name="shared_specialisation" value="yes"' in region
    assert "Question 2 of 2" in region
    assert 'href="/finder/"' in region  # back to the first question


@pytest.mark.parametrize(
    ("place", "specialisation", "type_name", "declares"),
    [
        ("yes", "yes", "Traditional", ["region", "specialisation"]),
        ("no", "yes", "Virtual", ["specialisation"]),
        ("yes", "no", "Local", ["region"]),
    ],
)
def test_result_names_the_type_and_links_to_the_prefilled_application(
    client: Client, place: str, specialisation: str, type_name: str, declares: list[str]
):
    # when
    status, body = _page(
        client, f"?shared_place={place}&shared_specialisation={specialisation}"
    )
    # then
    assert status == 200
    region = _finder_region(body)
    apply_href = (
        f'href="/apply/?type={type_name.lower()}&amp;shared_place={place}'
        f'&amp;shared_specialisation={specialisation}"'
    )
    assert f"A {type_name} cluster" in region
    assert apply_href in region
    assert f"Apply to form a {type_name} cluster" in region
    assert "What you will declare when you apply" in region
    for declared in declares:
        assert declared in region.split("What you will declare")[1]
    assert "Change my answers" in region
    assert "Start again" in region
    assert f"<title>A {type_name} cluster — " in body


def test_result_shows_the_seed_examples(client: Client):
    # when
    _status, body = _page(client, "?shared_place=yes&shared_specialisation=yes")
    # then
    assert "Marlborough wine" in _finder_region(body)
    assert "Te Hiku oysters" in _finder_region(body)


def test_clusters_like_yours_link_to_live_clusters_of_the_type(client: Client):
    # given
    from purei.clusters.models import Cluster, ClusterType
    from purei.clusters.tests.factories import ClusterFactory

    ClusterFactory.create(slug="marlborough-wine", name_en="Marlborough Wine")
    ClusterFactory.create(
        slug="hidden", name_en="Not live yet", status=Cluster.Status.DRAFT
    )
    ClusterFactory.create(slug="fair", name_en="A fair", type=ClusterType.LOCAL)
    # when
    _status, body = _page(client, "?shared_place=yes&shared_specialisation=yes")
    # then
    region = _finder_region(body)
    assert '<a href="/c/marlborough-wine/">Marlborough Wine</a>' in region
    assert "Not live yet" not in region
    assert "A fair" not in region
    assert '<a href="/clusters/?type=traditional">' in region
    assert "See the 1 Traditional cluster in the directory" in region


def test_a_group_with_neither_is_told_it_is_not_a_cluster_yet(client: Client):
    # when
    status, body = _page(client, "?shared_place=no&shared_specialisation=no")
    # then
    assert status == 200
    region = _finder_region(body)
    assert "Not a cluster yet" in region
    assert "What would make it one" in region
    assert "same place" in region
    assert "/apply/" not in region
    assert 'href="/finder/"' in region  # start again


def test_change_links_go_back_to_each_question(client: Client):
    # when
    _status, body = _page(client, "?shared_place=no&shared_specialisation=yes")
    # then
    region = _finder_region(body)
    assert 'href="/finder/?shared_place=no"' in region
    assert "Change<span" in region


@pytest.mark.parametrize(
    ("query", "question_key"),
    [
        ("?shared_place=maybe", "shared_place"),
        ("?shared_place=", "shared_place"),
        ("?shared_place=maybe&shared_specialisation=yes", "shared_place"),
        ("?shared_place=yes&shared_specialisation=42", "shared_specialisation"),
    ],
)
def test_a_bad_value_reasks_its_question_with_an_error(
    client: Client, query: str, question_key: str
):
    # when
    status, body = _page(client, query)
    # then
    assert status == 400
    region = _finder_region(body)
    assert 'role="alert"' in region
    assert "choose yes or no" in region
    assert f'href="#finder-{question_key}-yes"' in region
    assert f'id="finder-{question_key}-yes"' in region
    assert 'aria-describedby="finder-help finder-error"' in region
    assert "<title>Error: " in body


def test_a_bad_value_is_escaped(client: Client):
    # when
    status, body = _page(client, "?shared_place=<script>")
    # then
    assert status == 400
    assert "<script>" not in _finder_region(body)
    assert "&lt;script&gt;" in body


def test_answers_are_read_in_any_case_and_other_parameters_ignored(client: Client):
    # when
    status, body = _page(client, "?shared_place=YES&shared_specialisation=n&utm=x")
    # then
    assert status == 200
    assert "A Local cluster" in _finder_region(body)


def test_the_page_refuses_post(client: Client):
    # when
    response = client.post("/finder/", {"shared_place": "yes"})
    # then
    assert response.status_code == 405


def test_the_form_is_smoother_with_htmx_and_keeps_history(client: Client):
    # when
    _status, body = _page(client)
    # then
    form = re.search(r'<form method="get"[^>]*>', body)
    assert form is not None
    assert 'hx-get="/finder/"' in form.group()
    assert 'hx-target="#finder"' in form.group()
    assert 'hx-push-url="true"' in form.group()


def test_htmx_gets_only_the_region_and_the_flowchart_out_of_band(client: Client):
    # when
    status, body = _page(client, "?shared_place=yes", **HTMX)
    # then
    assert status == 200
    assert "<html" not in body
    assert "<h1" not in body
    assert body.count('id="finder"') == 1
    assert 'id="finder-chart" class="finder-chart" aria-labelledby' in body
    assert 'hx-swap-oob="true"' in body
    assert "autofocus" in body  # focus moves to the new question
    assert "<title>Question 2 of 2: " in body


def test_a_history_restore_gets_the_whole_page(client: Client):
    # when
    _status, body = _page(
        client, "?shared_place=yes", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    # then
    assert "<html" in body
    assert "autofocus" not in body
    assert "hx-swap-oob" not in body


def test_the_whole_flowchart_is_drawn_from_the_graph(client: Client):
    # when
    _status, body = _page(client)
    # then
    assert "The whole flowchart" in body
    svg = _chart_svg(body)
    assert 'role="img"' in svg
    assert 'aria-labelledby="finder-chart-title finder-chart-desc"' in svg
    assert '<title id="finder-chart-title">' in svg
    assert 'viewBox="0 0 ' in svg
    for node_id in [*GRAPH.questions, *GRAPH.outcomes]:
        assert f'data-node="{node_id}"' in svg
    for title in ("A Traditional cluster", "A Virtual cluster", "A Local cluster"):
        assert title in svg
    assert "Not a cluster yet" in svg
    assert svg.count("<polyline") == 2 * len(GRAPH.questions)
    assert "<tspan" in svg


def test_the_flowchart_has_a_text_equivalent_listing_every_path(client: Client):
    # when
    _status, body = _page(client)
    # then
    outline = body[body.index('<ul class="finder-outline"') : body.index("</section>")]
    for question in GRAPH.questions.values():
        assert str(question.text) in outline
    for outcome in GRAPH.outcomes.values():
        assert str(outcome.title) in outline


def test_the_flowchart_marks_the_path_taken_without_relying_on_colour(client: Client):
    # when
    _status, body = _page(client, "?shared_place=no&shared_specialisation=yes")
    # then
    svg = _chart_svg(body)
    assert svg.count("finder-chart__inner") == 3  # a double border on each step
    assert 'data-node="virtual"' in svg
    assert "Your result" in svg
    outline = body[body.index('<ul class="finder-outline"') :]
    assert outline.count("(your answer)") == 2
    assert "(your result)" in outline


def test_the_finder_page_is_in_te_reo_at_its_mi_address(client: Client):
    # when
    response = client.get("/mi/finder/")
    body = response.content.decode()
    # then: the page stays English, its te reo answers say they are Māori
    assert response.status_code == 200
    assert '<html lang="en">' in body
    assert '<span lang="mi">Āe</span>' in body
    assert '<span lang="mi">Kāo</span>' in body


def test_the_finder_page_is_english_at_its_own_address_whatever_the_cookie(
    client: Client,
):
    # given
    client.cookies["django_language"] = "mi"
    # when
    status, body = _page(client)
    # then
    assert status == 200
    assert "Āe" not in body
