"""A search that finds nothing (issue 13): it says what found nothing and offers a
way on — the corrected spelling, the categories whose names match (as the
category facet's links: product text does not carry category names), the most
stocked categories, and the whole shop."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from purei.catalogue.models import Category
from purei.catalogue.search import POPULAR_CATEGORIES, search_suggestions
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.search.tests.factories import CategoryFactory, public_product

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def _links(html: str, css_class: str) -> list[tuple[str, str]]:
    """(href, text before the count) of each link in the list with ``css_class``."""
    found = re.search(
        rf'<ul class="search-empty__links {css_class}">(.*?)</ul>', html, re.S
    )
    if found is None:
        return []
    return [
        (href, text.strip())
        for href, text in re.findall(r'<a href="([^"]+)">([^<]+)<', found.group(1))
    ]


def _stock(cluster: Cluster, category: Category, titles: list[str]) -> None:
    for title in titles:
        public_product(cluster, title_en=title, category=category)


@pytest.fixture
def kai() -> Cluster:
    """A cluster with pottery (two), honey (three) and wine (one)."""
    cluster = ClusterFactory.create(slug="kai", name_en="Kai Collective")
    pottery = CategoryFactory.create(slug="pottery", name_en="Ceramics and pottery")
    honey = CategoryFactory.create(slug="honey", name_en="Honey")
    wine = CategoryFactory.create(slug="wine", name_en="Wine")
    _stock(cluster, pottery, ["Glazed bowl", "Tall jug"])
    _stock(cluster, honey, ["Mānuka 250 g", "Rewarewa 500 g", "Kāmahi 250 g"])
    _stock(cluster, wine, ["Avocado-coloured rosé"])
    return cluster


def test_it_says_which_words_found_nothing(client: Client, kai: Cluster) -> None:
    # when
    html = _page(client, "/search/?q=zzqx")
    # then
    assert "<h2>No products match “zzqx”</h2>" in html
    assert "Try fewer words, another spelling, or one of these." in html


def test_without_words_it_says_the_filters_found_nothing(
    client: Client, kai: Cluster
) -> None:
    # when
    html = _page(client, "/c/kai/shop/?category=honey&price=250-up")
    # then
    assert "<h2>No products match these filters</h2>" in html
    assert "Try fewer words or remove a filter." in html


def test_categories_whose_names_match_are_offered_as_facet_links(
    client: Client, kai: Cluster
) -> None:
    # given: no product's text says "pottery", only its category's name
    # when
    html = _page(client, "/search/?q=pottery")
    # then
    assert "No products match “pottery”" in html
    assert "Categories matching “pottery”" in html
    assert _links(html, "search-empty__matching") == [
        ("/search/?category=pottery", "Ceramics and pottery")
    ]
    assert '(2<span class="visually-hidden"> products</span>)' in html


def test_a_plural_or_a_prefix_of_a_category_name_matches_it(kai: Cluster) -> None:
    # then
    for query in ("wines", "cera", "HONEY"):
        names = [c.name for c in search_suggestions(query=query).categories]
        assert len(names) == 1, (query, names)
    assert search_suggestions(query="of").categories == ()


def test_popular_categories_are_the_most_stocked_never_one_already_offered(
    client: Client, kai: Cluster
) -> None:
    # when
    html = _page(client, "/c/kai/shop/?q=pottery")
    # then
    assert "Popular categories" in html
    assert _links(html, "search-empty__popular") == [
        ("/c/kai/shop/?category=honey", "Honey"),
        ("/c/kai/shop/?category=wine", "Wine"),
    ]


def test_popular_categories_are_a_few(kai: Cluster) -> None:
    # given
    for n in range(POPULAR_CATEGORIES + 2):
        public_product(kai, category=CategoryFactory.create(name_en=f"Kind {n}"))
    # then
    assert len(search_suggestions(query="zzqx").popular) == POPULAR_CATEGORIES


def test_a_clusters_shop_offers_only_its_own_categories(
    client: Client, kai: Cluster
) -> None:
    # given a category stocked only in another cluster
    other = ClusterFactory.create(slug="other")
    _stock(other, CategoryFactory.create(slug="pots", name_en="Flower pots"), ["Pot"])
    # when
    shop = _page(client, "/c/kai/shop/?q=pot")
    everywhere = _page(client, "/search/?q=potz")
    # then
    assert [text for _h, text in _links(shop, "search-empty__matching")] == [
        "Ceramics and pottery"
    ]
    assert "Flower pots" not in shop
    assert "Flower pots" in everywhere  # popular across every cluster


def test_did_you_mean_offers_the_corrected_words_without_the_filters(
    client: Client, kai: Cluster
) -> None:
    # given: "avocado" is a word of a wine's title; honey has no avocado
    # when the misspelt word is searched among the honey
    html = _page(client, "/search/?q=avacado&category=honey")
    # then
    assert "No products match “avacado”" in html
    assert (
        'Did you mean <a href="/search/?q=avocado">avocado</a>? '
        "(1 product, without the filters)" in html
    )


def test_did_you_mean_is_offered_only_when_it_finds_something(
    client: Client, kai: Cluster
) -> None:
    # when: corrected, the words find nothing either (and there is no filter)
    html = _page(client, "/search/?q=zzqx")
    # then
    assert "Did you mean" not in html


def test_the_whole_shop_is_a_link_away(client: Client, kai: Cluster) -> None:
    # when
    shop = _page(client, "/c/kai/shop/?q=zzqx")
    search = _page(client, "/search/?q=zzqx")
    # then
    assert '<a href="/c/kai/shop/">Browse the whole shop</a>' in shop
    assert '<a href="/search/">Browse every product</a>' in search
    assert '<a href="/clusters/">Browse the clusters</a>' in search


def test_the_empty_state_comes_with_htmx_results_too(
    client: Client, kai: Cluster
) -> None:
    # when
    html = _page(client, "/c/kai/shop/?q=pottery", HX_Request="true")
    # then
    assert "<html" not in html
    assert _links(html, "search-empty__matching") == [
        ("/c/kai/shop/?category=pottery", "Ceramics and pottery")
    ]


def test_an_empty_shop_offers_no_categories(client: Client) -> None:
    # given
    ClusterFactory.create(slug="empty")
    # when
    html = _page(client, "/c/empty/shop/?q=honey")
    # then
    assert "No products match “honey”" in html
    assert "search-empty__links" not in html
    assert '<a href="/c/empty/shop/">Browse the whole shop</a>' in html


# The search (its words corrected, the shelf read again), the labels, the page,
# the suggestions (the shelf's categories counted, their names), the session and
# the brand: whatever the number of products.
EMPTY_SEARCH_QUERIES = 12


@pytest.mark.parametrize("count", [5, 30])
def test_an_empty_search_runs_a_bounded_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, count: int
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kai")
    for n in range(count):
        public_product(cluster, category=CategoryFactory.create(name_en=f"Kind {n}"))
    client.get("/c/kai/shop/")
    # when / then
    with django_assert_max_num_queries(EMPTY_SEARCH_QUERIES):
        html = _page(client, "/c/kai/shop/?q=zzqx")
    assert len(_links(html, "search-empty__popular")) == POPULAR_CATEGORIES
