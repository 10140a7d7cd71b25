"""``catalogue.selectors.product_page_static``: what a product page shows that
changes only with the catalogue, read in three queries whatever its size
(issue 18)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from purei.catalogue.indexing import product_facts_changed
from purei.catalogue.models import Product, Variant
from purei.catalogue.selectors import product_page_static
from purei.catalogue.tests.test_product_page import _photo
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Credential, Member
from purei.members.tests.factories import CredentialFactory, MemberFactory
from purei.search.tests.factories import CategoryFactory, public_product

pytestmark = pytest.mark.django_db


def _titles(items: list[Any]) -> list[str]:
    return [item.product.title_en for item in items]


@pytest.fixture
def hive() -> tuple[Cluster, Member, Product]:
    cluster = ClusterFactory.create(slug="kai")
    maker = MemberFactory.create(slug="hive-hill")
    product = public_product(cluster, member=maker, title_en="Mānuka honey")
    return cluster, maker, product


def test_related_are_the_makers_in_its_category_first_then_the_categorys(
    hive: tuple[Cluster, Member, Product],
) -> None:
    # given: in order of making (newest last)
    cluster, maker, product = hive
    other, third = MemberFactory.create_batch(2)
    candles = public_product(
        cluster, member=maker, title_en="Candles", category=CategoryFactory()
    )
    clover = public_product(
        cluster, member=maker, title_en="Clover honey", category=product.category
    )
    public_product(
        cluster, member=other, title_en="Honeycomb", category=product.category
    )
    public_product(
        cluster, member=third, title_en="Creamed honey", category=product.category
    )
    sold_out = public_product(
        cluster, member=other, title_en="Sold out", category=product.category
    )
    Variant.objects.filter(product=sold_out).update(stock=0)
    product_facts_changed([sold_out.pk])
    public_product(ClusterFactory.create(), member=other, category=product.category)
    public_product(cluster, member=other, title_en="Elsewhere")
    # when
    found = product_page_static(cluster=cluster, product=product)
    # then: the maker's in its category first, each group newest first
    assert _titles(found.related.same_maker) == ["Clover honey", "Candles"]
    assert _titles(found.related.same_category) == ["Creamed honey", "Honeycomb"]
    assert [item.lowest_price_cents for item in found.related.same_maker] == [
        clover.variants.get().price_cents,
        candles.variants.get().price_cents,
    ]


def test_each_group_holds_at_most_count_and_knows_when_prices_differ(
    hive: tuple[Cluster, Member, Product],
) -> None:
    # given: six of the maker's, six of others' in the category
    cluster, maker, product = hive
    for n in range(6):
        mine = public_product(
            cluster, member=maker, title_en=f"Mine {n}", category=product.category
        )
        public_product(cluster, title_en=f"Theirs {n}", category=product.category)
        if n == 5:
            Variant.objects.create(
                product=mine, member=maker, sku="BIG", name="Big", price_cents=99_00
            )
    # when
    found = product_page_static(cluster=cluster, product=product, count=4)
    # then
    assert _titles(found.related.same_maker) == [f"Mine {n}" for n in (5, 4, 3, 2)]
    assert _titles(found.related.same_category) == [f"Theirs {n}" for n in (5, 4, 3, 2)]
    assert [item.prices_differ for item in found.related.same_maker] == [
        True,
        False,
        False,
        False,
    ]


def test_photos_are_the_products_in_order_and_each_related_ones_first(
    hive: tuple[Cluster, Member, Product],
) -> None:
    # given
    cluster, maker, product = hive
    second = _photo(product, "Second", position=1)
    first = _photo(product, "First", position=0)
    related = public_product(cluster, member=maker, category=product.category)
    _photo(related, "Its back", position=2)
    front = _photo(related, "Its front", position=0)
    bare = public_product(cluster, member=maker, category=product.category)
    # when
    found = product_page_static(cluster=cluster, product=product)
    # then
    assert found.images == [first, second]
    images = {item.product.pk: item.image for item in found.related.same_maker}
    assert images == {related.pk: front, bare.pk: None}


def test_credentials_are_its_verified_ones_and_licences_only_for_r18() -> None:
    # given
    cluster = ClusterFactory.create()
    maker = MemberFactory.create()
    verified = Credential.Verification.VERIFIED
    organic = CredentialFactory.create(
        member=maker, kind=Credential.Kind.ORGANIC, verification=verified
    )
    pending = CredentialFactory.create(
        member=maker, kind=Credential.Kind.FOOD_ACT, verification="pending"
    )
    lapsed = CredentialFactory.create(
        member=maker,
        kind=Credential.Kind.WINE_STANDARDS,
        verification=verified,
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    licence = CredentialFactory.create(member=maker, verification=verified)
    CredentialFactory.create(member=MemberFactory.create(), verification=verified)
    wine = public_product(cluster, member=maker, restricted_r18=True)
    juice = public_product(cluster, member=maker)
    for product in (wine, juice):
        product.credentials.add(organic, pending, lapsed)
    # when
    for_wine = product_page_static(cluster=cluster, product=wine)
    for_juice = product_page_static(cluster=cluster, product=juice)
    # then: the licence is not linked, but an R18 product shows it
    assert for_wine.credentials == [organic]
    assert for_wine.licences == [licence]
    assert for_juice.credentials == [organic]
    assert for_juice.licences == []


@pytest.mark.parametrize("related", [1, 8])
def test_three_queries_whatever_the_catalogue(
    django_assert_num_queries: Any,
    hive: tuple[Cluster, Member, Product],
    related: int,
) -> None:
    # given
    cluster, maker, product = hive
    product.restricted_r18 = True
    product.save()
    _photo(product, "Jar")
    for n in range(related):
        for member in (maker, MemberFactory.create()):
            other = public_product(cluster, member=member, category=product.category)
            _photo(other, f"Other {n}")
            _photo(other, f"Other {n} again", position=1)
    # when / then
    with django_assert_num_queries(3):
        found = product_page_static(cluster=cluster, product=product)
    assert len(found.related.same_maker) == min(related, 4)
    assert all(item.image for item in found.related.same_category)
