"""The same product from several makers is shown once in search results, with each
maker's price (purei.catalogue.grouping)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from purei.catalogue.grouping import same_product_key
from purei.catalogue.indexing import product_facts_changed
from purei.catalogue.models import Variant
from purei.catalogue.tests.test_public_pages import SHOP_QUERIES
from purei.clusters.tests.factories import ClusterFactory
from purei.members.tests.factories import MemberFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Universal beam", "universal  BEAM.", True),
        ("Kūmara chips", "Kumara chips", True),
        ("Universal <mark>beam</mark>", "Universal beam", True),
        ("Universal beam", "Universal beam 150UB", False),
    ],
)
def test_the_same_product_is_the_same_name(a: str, b: str, same: bool) -> None:
    assert (same_product_key(a) == same_product_key(b)) is same


def _beam(cluster: Any, maker: str, price: int) -> None:
    member = MemberFactory.create(
        slug=maker.lower().replace(" ", "-"), trading_name=maker
    )
    product = public_product(
        cluster, member=member, slug="universal-beam", title_en="Universal beam"
    )
    Variant.objects.filter(product=product).update(price_cents=price)
    product_facts_changed([product.pk])


def test_four_workshops_beams_are_one_heading_with_each_price(
    client: Client, django_assert_num_queries: Any
) -> None:
    # given
    cluster = ClusterFactory.create(slug="steel")
    for maker, price in [
        ("Forge One", 12000),
        ("Forge Two", 11500),
        ("Forge Three", 13000),
        ("Forge Four", 12500),
    ]:
        _beam(cluster, maker, price)
    public_product(cluster, slug="plate", title_en="Chequer plate")
    client.get("/c/steel/shop/?q=beam")  # warm caches
    # when
    with django_assert_num_queries(SHOP_QUERIES):
        body = client.get("/c/steel/shop/").content.decode()
    # then: one heading for the beams, each maker with a price and a link
    assert body.count(">Universal beam</h2>") == 1
    assert "From 4 makers" in body
    for maker, shown in [("Forge One", "$120.00"), ("Forge Two", "$115.00")]:
        slug = maker.lower().replace(" ", "-")
        assert (
            f'<a href="/c/steel/p/{slug}/universal-beam/">{maker}</a>: '
            f"<strong>{shown}</strong>"
        ) in body
    assert "Chequer plate" in body


def test_one_maker_is_a_card_as_before(client: Client) -> None:
    cluster = ClusterFactory.create(slug="steel")
    _beam(cluster, "Forge One", 12000)
    body = client.get("/c/steel/shop/").content.decode()
    assert "From 1 maker" not in body
    assert "product-group" not in body
