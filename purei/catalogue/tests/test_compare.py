"""Compare up to four products side by side, held in the session."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from purei.catalogue.models import Product
from purei.clusters.tests.factories import ClusterFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def _add(client: Client, product: Product, **extra: str) -> Any:
    return client.post("/compare/add/", {"product": product.pk, **extra})


def test_compare_two_products_in_a_table(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="steel")
    beam = public_product(cluster, slug="beam", title_en="Universal beam")
    plate = public_product(cluster, slug="plate", title_en="Chequer plate")
    # when
    _add(client, beam)
    response = _add(client, plate, next="/c/steel/shop/")
    # then: back where they were, and both in the table
    assert response["Location"] == "/c/steel/shop/"
    body = client.get("/compare/").content.decode()
    assert "2 products compared" in body
    assert '<th scope="col"><a href="/c/steel/p/' in body
    assert "Universal beam" in body
    assert "Chequer plate" in body
    for row in ("Price", "Maker", "Unit", "Stock"):
        assert f'<th scope="row">{row}</th>' in body


def test_no_more_than_four(client: Client) -> None:
    cluster = ClusterFactory.create(slug="steel")
    products = [public_product(cluster, slug=f"p{n}") for n in range(5)]
    for product in products:
        _add(client, product)
    assert client.session["compare"] == [p.pk for p in products[:4]]


def test_remove_and_unknown_products(client: Client) -> None:
    cluster = ClusterFactory.create(slug="steel")
    beam = public_product(cluster, slug="beam", title_en="Universal beam")
    _add(client, beam)
    client.post("/compare/add/", {"product": "999999"})
    client.post("/compare/add/", {"product": "nope"})
    assert client.session["compare"] == [beam.pk]
    client.post("/compare/remove/", {"product": beam.pk})
    assert client.session["compare"] == []
    assert "Nothing to compare yet." in client.get("/compare/").content.decode()


def test_a_product_no_longer_public_drops_out(client: Client) -> None:
    cluster = ClusterFactory.create(slug="steel")
    beam = public_product(cluster, slug="beam", title_en="Universal beam")
    _add(client, beam)
    Product.objects.filter(pk=beam.pk).update(status=Product.Status.ARCHIVED)
    assert "Universal beam" not in client.get("/compare/").content.decode()


def test_the_compare_page_runs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    cluster = ClusterFactory.create(slug="steel")
    for n in range(4):
        _add(client, public_product(cluster, slug=f"p{n}"))
    client.get("/compare/")
    with django_assert_max_num_queries(4):
        client.get("/compare/")


def test_the_product_page_offers_compare(client: Client) -> None:
    cluster = ClusterFactory.create(slug="steel")
    beam = public_product(cluster, slug="beam", title_en="Universal beam")
    body = client.get(f"/c/steel/p/{beam.member.slug}/beam/").content.decode()
    assert 'action="/compare/add/"' in body
