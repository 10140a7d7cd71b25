"""What a cluster's home shows of its products: the featured ones first, then the
newest, read from the shelf of public products (issue 11, defect 13: it joined and
sorted every public listing of the cluster, 60 ms at 10,000 products)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from purei.catalogue.models import Listing, Product, ProductImage
from purei.catalogue.selectors import FEATURED_COUNT, product_list_featured
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.core.tests.pictures import picture_bytes
from purei.members.models import Membership
from purei.search.index import product_changed
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def _product(cluster: Cluster, title: str, days_ago: int) -> Product:
    product = public_product(cluster, title_en=title)
    created = timezone.now() - datetime.timedelta(days=days_ago)
    # The shelf keeps the product's time: written through, as the index does.
    Product.objects.filter(pk=product.pk).update(created_at=created)
    product_changed(product.pk)
    return product


def _feature(product: Product) -> None:
    Listing.objects.filter(product=product).update(featured=True)


def _titles(cluster: Cluster) -> list[str]:
    return [card.product.title_en for card in product_list_featured(cluster=cluster)]


def test_featured_products_come_first_then_the_newest() -> None:
    # given
    cluster = ClusterFactory.create()
    _product(cluster, "Old plain", days_ago=30)
    _feature(_product(cluster, "Old featured", days_ago=20))
    _product(cluster, "New plain", days_ago=1)
    _feature(_product(cluster, "New featured", days_ago=5))
    # when / then: featured newest first, then the others newest first
    assert _titles(cluster) == [
        "New featured",
        "Old featured",
        "New plain",
        "Old plain",
    ]


def test_at_most_the_count_and_only_what_is_public_here() -> None:
    # given
    cluster = ClusterFactory.create()
    for n in range(FEATURED_COUNT + 3):
        _product(cluster, f"Kūmara {n}", days_ago=n + 1)
    pending = _product(cluster, "Waiting for the curators", days_ago=0)
    Listing.objects.filter(product=pending).update(status=Listing.Status.PENDING)
    product_changed(pending.pk)
    suspended = _product(cluster, "Suspended maker", days_ago=0)
    _feature(suspended)
    membership = Membership.objects.get(member=suspended.member, cluster=cluster)
    membership.status = Membership.Status.SUSPENDED
    membership.save()
    elsewhere = _product(ClusterFactory.create(), "Another cluster's", days_ago=0)
    _feature(elsewhere)
    # when
    titles = _titles(cluster)
    # then
    assert titles == [f"Kūmara {n}" for n in range(FEATURED_COUNT)]


def test_each_card_has_its_maker_first_photo_and_lowest_price() -> None:
    # given
    cluster = ClusterFactory.create()
    product = _product(cluster, "Mānuka honey", days_ago=1)
    for position in (2, 1):
        ProductImage.objects.create(
            product=product,
            image=ContentFile(picture_bytes(40, 30), name="photo.jpg"),
            width=40,
            height=30,
            alt_text=f"photo {position}",
            position=position,
        )
    # when
    (card,) = product_list_featured(cluster=cluster)
    # then
    assert card.product.member.name == product.member.name
    assert card.image is not None
    assert card.image.alt_text == "photo 1"
    product.refresh_from_db()
    assert card.lowest_price_cents == product.lowest_price_cents == 2000


@pytest.mark.parametrize("count", [10, 40])
def test_a_fixed_number_of_queries_from_the_shelf(
    count: int, django_assert_num_queries: Any
) -> None:
    # given: featured and plain products, with photos
    cluster = ClusterFactory.create()
    for n in range(count):
        product = public_product(cluster, title_en=f"Kai {n}")
        ProductImage.objects.create(
            product=product,
            image=ContentFile(picture_bytes(40, 30), name="photo.jpg"),
            width=40,
            height=30,
        )
        if n % 7 == 0:
            _feature(product)
    # when / then: featured (from the shelf), the newest others (from the shelf),
    # the products with their makers and categories, their first photos
    with django_assert_num_queries(4):
        cards = product_list_featured(cluster=cluster)
        for card in cards:
            _ = (card.product.member.name, card.product.is_restricted, card.image)
    assert len(cards) == FEATURED_COUNT


def test_the_public_rule_is_not_worked_out_again() -> None:
    # given
    cluster = ClusterFactory.create()
    for n in range(3):
        _feature(public_product(cluster, title_en=f"Kai {n}"))
    # when
    with CaptureQueriesContext(connection) as captured:
        product_list_featured(cluster=cluster)
    # then: the shelf says what is public; no join through every listing and
    # membership of the cluster
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "search_publicproduct" in sql
    assert "members_membership" not in sql
