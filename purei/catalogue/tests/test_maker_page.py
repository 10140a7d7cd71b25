"""A maker's page is its shop front: its products as the shop shows them (the same
card), a link to all of them in the shop, and nothing of another maker's or of
another cluster's."""

from __future__ import annotations

import pytest

from purei.catalogue.views.makers import MAKER_CARDS
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def test_the_makers_products_show_with_the_shops_card(
    client, cluster_x, cluster_y, member_a
):
    # given two of member A's products in cluster X, one in cluster Y, and one of B's
    for title in ("Reserve Pinot Noir", "Rosé 2025"):
        public_product(cluster_x, member=member_a, title_en=title)
    public_product(cluster_y, member=member_a, title_en="Oyster Riesling")
    public_product(cluster_x, title_en="Someone Else's Syrah")
    # when
    response = client.get("/c/cluster-x/members/member-a/")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="card product-card"') == 2
    assert "Reserve Pinot Noir" in body
    assert "Rosé 2025" in body
    assert "Oyster Riesling" not in body
    assert "Syrah" not in body
    assert 'href="/c/cluster-x/shop/?member=member-a"' in body
    assert "See all 2 of Member A Wines\u2019s products in the shop" in body


def test_a_maker_with_many_products_shows_some_and_links_to_the_rest(
    client, cluster_x, member_a
):
    # given
    for n in range(MAKER_CARDS + 3):
        public_product(cluster_x, member=member_a, title_en=f"Wine {n}")
    # when
    body = client.get("/c/cluster-x/members/member-a/").content.decode()
    # then
    assert body.count('class="card product-card"') == MAKER_CARDS
    assert f"See all {MAKER_CARDS + 3} of" in body


def test_a_maker_with_nothing_for_sale_says_so(client, cluster_x, member_a):
    # when
    body = client.get("/c/cluster-x/members/member-a/").content.decode()
    # then
    assert (
        "Member A Wines has nothing for sale in Cluster X Wine at the moment." in body
    )
    assert "product-card" not in body
