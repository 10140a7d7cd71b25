import re

import pytest
from django.test import Client

from purei.clusters.models import Cluster, ClusterType, LeadOrganisationKind
from purei.clusters.tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def toi() -> Cluster:
    return ClusterFactory.create(
        slug="te-tauranga-toi",
        name_en="Māori Artists of Tauranga Moana",
        name_mi="Te Tauranga Toi",
        type=ClusterType.TRADITIONAL,
        lead_org_kind=LeadOrganisationKind.ARTIST_COLLECTIVE,
        lead_org_name="Te Tauranga Toi Artists' Collective",
        specialisation="Māori art: whakairo and raranga",
        tagline="Carving and weaving by artists of Tauranga Moana.",
        story="First paragraph about Mauao.\n\nSecond <b>paragraph</b> & more.",
        regions=["NZ-BOP"],
    )


@pytest.fixture
def beer() -> Cluster:
    return ClusterFactory.create(
        slug="aotearoa-craft-beer",
        name_en="Aotearoa Craft Beer",
        type=ClusterType.VIRTUAL,
        lead_org_kind=LeadOrganisationKind.ASSOCIATION,
        lead_org_name="Independent Craft Brewers Association",
        specialisation="Craft beer from independent breweries",
        tagline="One mixed case.",
        regions=[],
    )


def page(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def card_slugs(body: str) -> list[str]:
    return re.findall(r'<h2 class="cluster-name"><a href="/c/([^/]+)/">', body)


def test_directory_lists_live_clusters_as_cards(client, toi, beer):
    # when
    body = page(client, "/clusters/")
    # then
    assert card_slugs(body) == ["aotearoa-craft-beer", "te-tauranga-toi"]
    assert body.count("<h1") == 1
    assert '<p class="cluster-name__mi" lang="mi">Te Tauranga Toi</p>' in body
    assert '<span class="tag tag--type">Traditional</span>' in body
    assert '<span class="tag tag--type">Virtual</span>' in body
    assert "Bay of Plenty" in body
    assert "All of New Zealand" in body  # a Virtual cluster without regions
    assert "Māori art: whakairo and raranga" in body
    assert "Carving and weaving by artists of Tauranga Moana." in body
    assert 'role="status" aria-live="polite">2 live clusters.' in body


def test_filter_form_offers_types_and_the_seventeen_regions(client):
    # when
    body = page(client, "/clusters/")
    # then
    form = body[
        body.index('<form class="filters') : body.index(
            "</form>", body.index('<form class="filters')
        )
    ]
    assert 'method="get"' in form
    assert len(re.findall(r'<input type="radio" name="type"', form)) == 4
    assert 'value="" checked' in form
    assert len(re.findall(r'<option value="NZ-[A-Z]{3}"', form)) == 17
    assert "Northland — Te Tai Tokerau</option>" in form
    assert '<option value="NZ-MBH">Marlborough</option>' in form
    assert '<option value="NZ-MWT">Manawatū-Whanganui</option>' in form
    assert '<label for="directory-q">' in form
    assert '<label for="directory-region">' in form
    assert 'type="submit"' in form  # works without JavaScript


def test_filters_live_in_the_url_and_stay_selected(client, toi, beer):
    # when
    body = page(client, "/clusters/?type=traditional&region=NZ-BOP&q=maori")
    # then
    assert card_slugs(body) == ["te-tauranga-toi"]
    assert 'name="type" value="traditional" checked' in body
    assert '<option value="NZ-BOP" selected>' in body
    assert 'name="q" value="maori"' in body
    assert "1 cluster matches." in body
    assert 'href="/clusters/">Clear filters</a>' in body


def test_search_is_macron_insensitive_on_the_page(client, toi, beer):
    # when
    body = page(client, "/clusters/?q=M%C4%81ori")
    plain = page(client, "/clusters/?q=MAORI")
    # then
    assert card_slugs(body) == card_slugs(plain) == ["te-tauranga-toi"]


def test_form_updates_results_with_htmx(client):
    # when
    body = page(client, "/clusters/")
    # then
    form = body[
        body.index('<form class="filters') : body.index(
            ">", body.index('<form class="filters')
        )
    ]
    assert 'hx-get="/clusters/"' in form
    assert 'hx-target="#directory-results"' in form
    assert 'hx-push-url="true"' in form
    assert "change" in form
    assert "delay:" in form
    assert '<div id="directory-results">' in body


def test_htmx_request_gets_only_the_results_and_the_count(client, toi, beer):
    # when
    response = client.get("/clusters/?type=virtual", headers={"HX-Request": "true"})
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "<form" not in body
    assert card_slugs(body) == ["aotearoa-craft-beer"]
    assert '<p id="directory-count" hx-swap-oob="innerHTML">1 cluster matches.' in body
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, toi):
    # when
    body = page(
        client,
        "/clusters/?q=toi",
        **{"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    # then
    assert "<html" in body
    assert card_slugs(body) == ["te-tauranga-toi"]


def test_no_match_shows_an_empty_state_with_ways_on(client, toi):
    # when
    body = page(client, "/clusters/?q=pounamu+jewellery")
    # then
    assert card_slugs(body) == []
    assert "0 clusters match." in body
    assert "No clusters match" in body
    assert 'href="/clusters/">Clear the filters' in body
    assert 'href="/finder/">' in body


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("type=co-operative", "cluster type in the address was not recognised"),
        ("region=NZ-XXX", "region in the address was not recognised"),
        ("region=%25%27%22%3C", "region in the address was not recognised"),
    ],
)
def test_unknown_filter_values_are_ignored_with_a_visible_note(
    client, toi, beer, query, note
):
    # when
    body = page(client, f"/clusters/?{query}")
    # then
    assert note in body
    assert card_slugs(body) == ["aotearoa-craft-beer", "te-tauranga-toi"]
    assert 'name="type" value="" checked' in body


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "kūmara " * 100,
        "q=%00%01nul",
        "q=%FF%FE",
        "q=%25%5F%5C",
        "type=&region=&q=",
        "type=traditional&type=virtual",
        "type[]=x&region[]=y",
        "page=-1&sort=;drop",
    ],
)
def test_odd_input_never_fails(client, toi, query):
    # when
    response = client.get(f"/clusters/?{query}")
    # then
    assert response.status_code == 200


def test_directory_answers_get_only(client):
    assert client.post("/clusters/").status_code == 405


def test_directory_with_forty_clusters_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    # given
    for n in range(40):
        ClusterFactory.create(
            type=[ClusterType.TRADITIONAL, ClusterType.VIRTUAL][n % 2],
            regions=["NZ-MBH", "NZ-CAN"] if n % 2 == 0 else [],
        )
    # when: regions for the form, clusters, their regions, their shops' counts
    with django_assert_num_queries(4):
        response = client.get("/clusters/")
    # then
    assert len(card_slugs(response.content.decode())) == 40


def test_htmx_results_cost_three_queries(client, django_assert_num_queries):
    # given
    for _ in range(10):
        ClusterFactory.create(regions=["NZ-MBH"])
    # when: clusters, their regions, their shops' counts
    with django_assert_num_queries(3):
        response = client.get("/clusters/?q=test", headers={"HX-Request": "true"})
    # then
    assert len(card_slugs(response.content.decode())) == 10


def test_cluster_home_shows_everything_about_the_cluster(client, toi):
    # when
    body = page(client, "/c/te-tauranga-toi/")
    # then
    assert "<title>Māori Artists of Tauranga Moana — a cluster on Pūrei</title>" in body
    assert (
        '<meta name="description" content="Carving and weaving by artists of '
        'Tauranga Moana.">' in body
    )
    assert body.count("<h1") == 1
    assert '<h1 class="cluster-name">Māori Artists of Tauranga Moana</h1>' in body
    assert '<p class="cluster-name__mi" lang="mi">Te Tauranga Toi</p>' in body
    assert "Traditional" in body
    assert "Members share one place and one specialisation." in body
    assert "Te Tauranga Toi Artists&#x27; Collective" in body
    assert "Artist collective" in body
    assert 'Bay of Plenty (<span lang="mi">Toi Moana</span>)' in body
    assert "Māori art: whakairo and raranga" in body
    assert (
        '<p class="lede">Carving and weaving by artists of Tauranga Moana.</p>' in body
    )
    assert "<p>First paragraph about Mauao.</p>" in body
    assert "<p>Second &lt;b&gt;paragraph&lt;/b&gt; &amp; more.</p>" in body
    assert 'href="/clusters/">Back to all clusters</a>' in body


def test_cluster_home_of_a_virtual_cluster_says_it_spans_the_country(client, beer):
    # when
    body = page(client, "/c/aotearoa-craft-beer/")
    # then
    assert "All of New Zealand" in body
    assert "Members share one specialisation, wherever they are" in body
    assert 'lang="mi"' not in body.split("<main", 1)[1].split("</main>")[0]


@pytest.mark.parametrize("status", [Cluster.Status.DRAFT, Cluster.Status.PAUSED])
def test_cluster_home_is_404_unless_live(client, status):
    # given
    ClusterFactory.create(slug="not-live", status=status)
    # when
    response = client.get("/c/not-live/")
    # then
    assert response.status_code == 404


def test_cluster_home_is_404_for_a_missing_cluster(client):
    assert client.get("/c/nowhere/").status_code == 404
