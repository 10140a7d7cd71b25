"""The directory's cards (issue 13): each cluster's hero image (else a panel in
its brand colour with its monogram), its logo, and what its shop holds."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from purei.catalogue.indexing import product_changed
from purei.catalogue.models import Listing
from purei.clusters.models import Cluster
from purei.clusters.selectors import cluster_cards
from purei.clusters.tests.factories import ClusterFactory
from purei.core.tests.pictures import picture_bytes
from purei.members.tests.factories import MemberFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def _card(html: str, slug: str) -> str:
    """The markup of one cluster's card."""
    for card in re.findall(r'<li class="card cluster-card">.*?</li>\n', html, re.S):
        if f'href="/c/{slug}/"' in card:
            return str(card)
    raise AssertionError(f"no card for {slug}")


def test_a_card_shows_the_clusters_hero_and_logo(client: Client) -> None:
    # given
    ClusterFactory.create(
        slug="oysters",
        hero_image=ContentFile(picture_bytes(64, 36), name="hero.jpg"),
        hero_alt="Oyster racks at low tide",
        logo=ContentFile(picture_bytes(20, 20), name="logo.png"),
    )
    # when
    card = _card(client.get("/clusters/").content.decode(), "oysters")
    # then: pictures beside the name they show are decorative
    assert re.search(r'<img [^>]*alt=""[^>]*class="cluster-card__hero"', card)
    assert '<span class="cluster-card__logo"><img ' in card
    assert "cluster-card__panel" not in card


def test_a_card_without_a_hero_is_a_panel_in_the_brand_colour(client: Client) -> None:
    # given
    ClusterFactory.create(
        slug="wine",
        name_en="Marlborough Wine",
        colour_primary="#7a1f3d",
        colour_accent="#9a3412",
    )
    ClusterFactory.create(slug="plain", name_en="Māori Artists of Tauranga Moana")
    # when
    html = client.get("/clusters/").content.decode()
    wine, plain = _card(html, "wine"), _card(html, "plain")
    # then: drawn with attributes (no inline style), hidden from screen readers
    assert '<svg class="cluster-card__panel"' in wine
    assert 'aria-hidden="true"' in wine
    assert 'fill="#7a1f3d"' in wine
    assert 'fill="#9a3412"' in wine  # the accent, a band along its foot
    assert ">MW</text>" in wine
    assert "style=" not in wine
    # Pūrei's green for a cluster without a brand colour; "of" is no initial
    assert 'fill="#0b5d4b"' in plain
    assert ">MA</text>" in plain


def test_a_card_counts_only_the_public_products_and_their_makers(
    client: Client,
) -> None:
    # given two makers with three public products, and one waiting for the curators
    cluster = ClusterFactory.create(slug="kai")
    maker = MemberFactory.create()
    public_product(cluster, member=maker)
    public_product(cluster, member=maker)
    public_product(cluster)
    waiting = public_product(cluster)
    Listing.objects.filter(product=waiting).update(status=Listing.Status.PENDING)
    product_changed(waiting.pk)
    ClusterFactory.create(slug="empty")
    # when
    html = client.get("/clusters/").content.decode()
    # then
    assert "3 products · 2 makers" in _card(html, "kai")
    assert "cluster-card__shop" not in _card(html, "empty")


def test_cluster_cards_keep_the_clusters_order_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    # given
    clusters = [ClusterFactory.create() for _ in range(5)]
    public_product(clusters[3])
    # when
    with django_assert_num_queries(1):
        cards = cluster_cards(clusters=list(reversed(clusters)))
    # then
    assert [card.cluster for card in cards] == list(reversed(clusters))
    assert [card.products for card in cards] == [0, 1, 0, 0, 0]
    assert cluster_cards(clusters=[]) == []


def test_the_first_cards_load_their_pictures_at_once_the_rest_lazily(
    client: Client,
) -> None:
    # given
    for n in range(5):
        ClusterFactory.create(
            slug=f"c{n}",
            name_en=f"Cluster {n}",
            hero_image=ContentFile(picture_bytes(64, 36), name="hero.jpg"),
            hero_alt="A hero",
        )
    # when
    html = client.get("/clusters/").content.decode()
    heroes = re.findall(r'<img [^>]*class="cluster-card__hero"[^>]*>', html)
    # then
    assert len(heroes) == 5
    assert 'fetchpriority="high"' in heroes[0]
    assert ['loading="lazy"' in hero for hero in heroes] == [
        False,
        False,
        False,
        True,
        True,
    ]


def test_monogram_and_brand_colour_of_a_cluster() -> None:
    # then
    assert Cluster(name_en="Te Hiku Oysters").monogram == "TH"
    assert Cluster(name_en="Kai").monogram == "K"
    assert Cluster(name_en="NZ Steel Fabricators").monogram == "NS"
    assert Cluster(colour_primary="#7A1F3D").brand_colour == "#7a1f3d"
    assert Cluster(colour_primary="red").brand_colour == "#0b5d4b"
