"""make bench's bare page: 24 cards through a Django template, no database; only
served when BENCH_CEILING is on."""

from __future__ import annotations

import importlib

import pytest
from django.test import Client, override_settings
from django.urls import clear_url_caches

import purei.urls


def _reload_urls() -> None:
    clear_url_caches()
    importlib.reload(purei.urls)


@pytest.fixture
def ceiling_on():
    with override_settings(BENCH_CEILING=True):
        _reload_urls()
        yield
    _reload_urls()


@pytest.mark.django_db
def test_the_bare_page_renders_24_cards_without_the_database(
    ceiling_on, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = Client().get("/__bench__/ceiling/")
    assert response.status_code == 200
    assert response.content.count(b'<li class="card">') == 24


@pytest.mark.django_db
def test_the_bare_page_is_not_served_otherwise():
    _reload_urls()
    assert Client().get("/__bench__/ceiling/").status_code == 404
