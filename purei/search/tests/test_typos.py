"""Typo tolerance on both engines: a word that finds nothing is corrected from the
dictionary of indexed words (PostgreSQL: pg_trgm; SQLite: FTS5's trigram index and
the same similarity)."""

import pytest
from django.test import Client

from purei.catalogue.search import ProductFilters, search_products
from purei.members.models import Member
from purei.search.entries import MakerText
from purei.search.makers import maker_changed
from purei.search.tests.factories import public_product
from purei.search.textmatch import closest_word, edit_distance, similarity

pytestmark = pytest.mark.django_db


def test_avacado_finds_avocado() -> None:
    # given
    avocado = public_product(title_en="Avocado oil", description_en="Cold pressed.")
    public_product(title_en="Olive oil", description_en="Extra virgin.")

    # when
    results = search_products(query="avacado", filters=ProductFilters())

    # then
    assert results.product_ids == [avocado.pk]
    assert results.near_misses
    assert results.corrected_query == "avocado"
    assert str(results.hits[0].title_html) == "<mark>Avocado</mark> oil"


def test_the_search_page_says_what_it_searched_for_instead() -> None:
    # given
    public_product(title_en="Avocado oil")

    # when
    page = Client().get("/search/", {"q": "avacado"})

    # then
    assert page.status_code == 200
    assert (
        "Showing results for “avocado”. Nothing matched “avacado” exactly."
        in page.content.decode()
    )


def test_each_word_is_corrected_and_a_right_word_kept() -> None:
    # given
    blanc = public_product(title_en="Sauvignon blanc")
    public_product(title_en="Sauvignon gris")

    # when
    results = search_products(query="sauvignon blanck", filters=ProductFilters())

    # then
    assert results.product_ids == [blanc.pk]
    assert results.corrected_query == "sauvignon blanc"


def test_a_word_like_nothing_indexed_is_not_corrected() -> None:
    # given
    public_product(title_en="Avocado oil")

    # when
    results = search_products(query="zzyzx", filters=ProductFilters())

    # then
    assert results.product_ids == []
    assert not results.near_misses
    assert closest_word("zzyzx") is None


def test_a_makers_words_join_the_dictionary(member_a: Member) -> None:
    # given
    product = public_product(member=member_a, title_en="Tote bag")

    # when: the maker's story changes (as member_update tells it)
    maker_changed(MakerText(member_a.pk, names=("Member A",), story="Harakeke"))

    # then: a misspelling of the new word finds the product
    results = search_products(query="harakake", filters=ProductFilters())
    assert results.product_ids == [product.pk]
    assert results.corrected_query == "harakeke"


def test_similarity_is_pg_trgms() -> None:
    # then: the figures pg_trgm gives for the same words
    assert similarity("avacado", "avocado") == pytest.approx(5 / 11)
    assert similarity("word", "word") == 1.0


def test_kumura_finds_kumara() -> None:
    # given
    kumara = public_product(title_en="Kūmara crisps")
    public_product(title_en="Smoked mussels")

    # when
    results = search_products(query="kumura", filters=ProductFilters())

    # then
    assert results.product_ids == [kumara.pk]


def test_a_full_text_match_needs_no_near_misses() -> None:
    # given
    public_product(title_en="Avocado oil")

    # when
    results = search_products(query="avocado", filters=ProductFilters())

    # then
    assert not results.near_misses


def test_the_fewest_edits_win_over_shared_trigrams() -> None:
    # given: "kura" shares more of "kumura"'s trigrams; "kumara" is one letter off
    kumara = public_product(title_en="Kūmara box")
    public_product(title_en="Kura kapa haka poi")

    # when
    results = search_products(query="kumura", filters=ProductFilters())

    # then
    assert results.product_ids == [kumara.pk]
    assert edit_distance("kumura", "kumara") == 1
    assert edit_distance("nior", "noir") == 1
