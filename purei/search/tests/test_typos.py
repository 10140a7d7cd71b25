"""Typo tolerance: PostgreSQL's pg_trgm only (SQLite FTS5 has no near-miss search)."""

import pytest
from django.db import connection

from purei.catalogue.search import ProductFilters, search_products
from purei.search.tests.factories import public_product

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="typo tolerance uses pg_trgm: PostgreSQL only (CI runs it there)",
    ),
]


def test_avacado_finds_avocado() -> None:
    # given
    avocado = public_product(title_en="Avocado oil", description_en="Cold pressed.")
    public_product(title_en="Olive oil", description_en="Extra virgin.")

    # when
    results = search_products(query="avacado", filters=ProductFilters())

    # then
    assert results.product_ids == [avocado.pk]
    assert results.near_misses
    assert str(results.hits[0].title_html) == "<mark>Avocado</mark> oil"


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
