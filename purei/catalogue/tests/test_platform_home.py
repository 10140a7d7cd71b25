"""Pūrei's home (issue 13): the live clusters as picture cards and a row of
products from across them — public ones only, a fair share from each cluster, in a
fixed number of queries, cached by catalogue version."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from purei.catalogue.indexing import product_changed
from purei.catalogue.models import Listing, Product, ProductImage, Variant
from purei.catalogue.selectors import (
    SHOWCASE_COUNT,
    SHOWCASE_PER_CLUSTER,
    product_list_showcase,
)
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.core.tests.pictures import picture_bytes
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.search.cache import catalogue_changed
from purei.search.shelf import cluster_changed
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 2).toordinal()


def _product(cluster: Cluster, title: str, days_ago: int, **fields: Any) -> Product:
    product = public_product(cluster, title_en=title, **fields)
    created = timezone.now() - datetime.timedelta(days=days_ago)
    Product.objects.filter(pk=product.pk).update(created_at=created)
    product_changed(product.pk)
    return product


def _titles(day: int = TODAY, **options: int) -> list[str]:
    return [item.product.title_en for item in product_list_showcase(day=day, **options)]


def _home(client: Client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _card_titles(html: str) -> list[str]:
    return re.findall(
        r'<h3 class="product-card__title"><a href="[^"]+">([^<]+)</a>', html
    )


def _cluster_cards(html: str) -> list[str]:
    return re.findall(r'<h3 class="cluster-name"><a href="(?:/mi)?/c/([^/]+)/">', html)


# --- The row of products ------------------------------------------------------------


def test_the_row_takes_one_from_each_cluster_before_a_second_from_any() -> None:
    # given three clusters, one with many new products
    busy, quiet, other = (
        ClusterFactory.create(slug=slug) for slug in ("a-busy", "b-quiet", "c-other")
    )
    for n in range(5):
        _product(busy, f"Busy {n}", days_ago=n)
    _product(quiet, "Quiet 0", days_ago=30)
    _product(other, "Other 0", days_ago=10)
    _product(other, "Other 1", days_ago=11)
    # when
    titles = _titles(day=0)
    # then: each cluster's newest first (in turn), then the second of each; never
    # more than two from one cluster
    assert titles == ["Busy 0", "Quiet 0", "Other 0", "Busy 1", "Other 1"]


def test_the_row_prefers_another_maker_to_a_makers_second_product() -> None:
    # given a cluster whose two newest products are one maker's
    cluster = ClusterFactory.create()
    maker = MemberFactory.create()
    _product(cluster, "Maker's newest", days_ago=1, member=maker)
    _product(cluster, "Maker's second", days_ago=2, member=maker)
    _product(cluster, "Someone else's", days_ago=3)
    # when / then
    assert _titles(day=0) == ["Maker's newest", "Someone else's"]


def test_the_row_shows_only_public_products_in_stock() -> None:
    # given
    live = ClusterFactory.create(slug="live")
    _product(live, "On sale", days_ago=1)
    sold_out = _product(live, "Sold out", days_ago=1)
    Variant.objects.filter(product=sold_out).update(stock=0)
    product_changed(sold_out.pk)
    waiting = _product(live, "Waiting for the curators", days_ago=1)
    Listing.objects.filter(product=waiting).update(status=Listing.Status.PENDING)
    product_changed(waiting.pk)
    draft = _product(live, "Draft product", days_ago=1)
    Product.objects.filter(pk=draft.pk).update(status=Product.Status.DRAFT)
    product_changed(draft.pk)
    paused = ClusterFactory.create(slug="paused")
    _product(paused, "In a paused cluster", days_ago=0)
    Cluster.objects.filter(pk=paused.pk).update(status=Cluster.Status.PAUSED)
    cluster_changed(cluster_id=paused.pk, live=False)
    # when / then
    assert _titles(per_cluster=5) == ["On sale"]


def test_every_cluster_takes_its_turn_at_the_front_a_day_each() -> None:
    # given more clusters than the row has room for
    clusters = [ClusterFactory.create() for _ in range(SHOWCASE_COUNT + 2)]
    for n, cluster in enumerate(clusters):
        _product(cluster, f"Product {n}", days_ago=n)
    # when
    days = [_titles(day=day, per_cluster=1) for day in range(len(clusters))]
    # then: the same all day; every cluster shown on some day, first on one
    assert _titles(day=3, per_cluster=1) == days[3]
    assert {titles[0] for titles in days} == {f"Product {n}" for n in range(10)}
    assert all(len(titles) == SHOWCASE_COUNT for titles in days)


def test_a_product_public_in_two_clusters_is_shown_once() -> None:
    # given
    first, second = ClusterFactory.create(), ClusterFactory.create()
    product = _product(first, "Shared", days_ago=1)
    MembershipFactory.create(member=product.member, cluster=second)
    Listing.objects.create(product=product, cluster=second)
    product_changed(product.pk)
    # when / then
    assert _titles() == ["Shared"]


# --- The page -------------------------------------------------------------------


def test_home_shows_the_live_clusters_and_their_products(client: Client) -> None:
    # given
    wine = ClusterFactory.create(slug="wine", name_en="Wairau Wine")
    paused = ClusterFactory.create(slug="paused", name_en="Paused Cluster")
    Cluster.objects.filter(pk=paused.pk).update(status=Cluster.Status.PAUSED)
    cluster_changed(cluster_id=paused.pk, live=False)
    pinot = _product(wine, "Pinot Noir 2022", days_ago=1)
    ProductImage.objects.create(
        product=pinot,
        image=ContentFile(picture_bytes(40, 30), name="pinot.jpg"),
        width=40,
        height=30,
        alt_text="A bottle of pinot",
    )
    # when
    html = _home(client)
    # then the cluster is a card leading to its shop, with how much it sells
    assert _cluster_cards(html) == ["wine"]
    assert "Paused Cluster" not in html
    assert "1 product · 1 maker" in html
    # and the product card says who made it, in which cluster, and leads there
    assert _card_titles(html) == ["Pinot Noir 2022"]
    assert f"by {pinot.member.name}" in html
    assert 'In <a href="/c/wine/">Wairau Wine</a>' in html
    assert f'href="/c/wine/p/{pinot.member.slug}/{pinot.slug}/"' in html
    assert 'alt="A bottle of pinot"' in html
    assert 'loading="lazy"' in html  # below the clusters
    # pictures sized for where they are (two clusters, two products to a row on a
    # phone), and no script (nothing on the home swaps with htmx)
    assert 'sizes="(max-width: 40rem) calc(50vw - 1.25rem)' in html
    assert "<script" not in html
    # and it still says what Pūrei is for businesses
    assert "digital cluster" in html
    assert 'href="/apply/"' in html


def test_a_cluster_without_a_hero_is_a_panel_in_its_brand_colour(
    client: Client,
) -> None:
    # given
    ClusterFactory.create(name_en="Marlborough Wine", colour_primary="#7a1f3d")
    # when
    html = _home(client)
    # then
    assert '<rect width="320" height="180" fill="#7a1f3d"/>' in html
    assert ">MW</text>" in html
    assert 'aria-hidden="true"' in html


def test_a_cluster_with_a_hero_and_logo_shows_them(client: Client) -> None:
    # given
    ClusterFactory.create(
        slug="oysters",
        hero_image=ContentFile(picture_bytes(64, 36), name="hero.jpg"),
        hero_alt="Oyster racks at low tide",
        logo=ContentFile(picture_bytes(20, 20), name="logo.png"),
    )
    # when
    html = _home(client)
    # then: the first card's picture is the page's priority (its largest paint)
    hero = re.search(r'<img [^>]*class="cluster-card__hero"[^>]*>', html)
    assert hero is not None
    assert 'fetchpriority="high"' in hero.group(0)
    assert 'alt=""' in hero.group(0)  # the name beside it says it all
    assert re.search(r'<span class="cluster-card__logo"><img src="[^"]+" ', html)
    assert "cluster-card__panel" not in html


def test_the_home_shows_six_clusters_and_links_to_them_all(client: Client) -> None:
    # given
    for _ in range(8):
        ClusterFactory.create()
    # when
    html = _home(client)
    # then
    assert len(_cluster_cards(html)) == 6
    assert "See all 8 clusters" in html
    assert 'href="/clusters/"' in html


def test_the_home_works_in_te_reo(client: Client) -> None:
    # given
    ClusterFactory.create(slug="toi", name_en="Tauranga Toi", name_mi="Te Tauranga Toi")
    # when
    html = _home(client, "/mi/")
    # then
    assert _cluster_cards(html) == ["toi"]
    assert '<p class="cluster-name__mi" lang="mi">Te Tauranga Toi</p>' in html


# The clusters, their regions, their shops' counts, each cluster's newest products,
# the products, their photos, their clusters: whatever the number of clusters.
HOME_QUERIES = 7


@pytest.mark.parametrize("count", [3, 12])
def test_the_home_runs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, count: int
) -> None:
    # given
    for n in range(count):
        cluster = ClusterFactory.create(regions=["NZ-MBH", "NZ-CAN"])
        for _ in range(3):
            product = public_product(cluster)
            ProductImage.objects.create(
                product=product,
                image=ContentFile(picture_bytes(4, 3), name=f"p{n}.jpg"),
                width=4,
                height=3,
            )
    client.get("/")  # the session and content types, once
    # when / then
    with django_assert_max_num_queries(HOME_QUERIES):
        html = _home(client)
    expected = min(SHOWCASE_COUNT, count * SHOWCASE_PER_CLUSTER)
    assert len(_card_titles(html)) == expected


def test_a_cached_home_costs_one_query_and_follows_every_change(
    client: Client, settings: Any, django_assert_max_num_queries: Any
) -> None:
    # given the cache on, and a home already shown
    settings.SEARCH_CACHE_SECONDS = 300
    cluster = ClusterFactory.create(slug="kai")
    _product(cluster, "First", days_ago=2)
    assert _card_titles(_home(client)) == ["First"]
    # when nothing changed: the catalogue version only
    with django_assert_max_num_queries(1):
        assert _card_titles(_home(client)) == ["First"]
    # when a product is added (its services raise the catalogue version)
    _product(cluster, "Second", days_ago=1)
    catalogue_changed()
    # then
    assert _card_titles(_home(client)) == ["Second", "First"]
