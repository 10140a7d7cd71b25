"""Shop and search results are cached by the catalogue version: a repeat costs
fewer queries, and any change through Pūrei's services shows at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from purei.catalogue.indexing import product_changed
from purei.catalogue.models import Product, Variant
from purei.catalogue.services import stock_bulk_update
from purei.catalogue.services.products import ProductInput
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.members.memberships import (
    membership_suspend,
)
from purei.members.models import Membership
from purei.search.cache import catalogue_changed, catalogue_version
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings: Any) -> Any:
    settings.SEARCH_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _results(page: str) -> str:
    return page[page.index('id="shop-results"') :]


def _queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_a_repeat_is_served_from_the_cache(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    public_product(cluster, title_en="Kūmara")
    first, page = _queries(client, "/c/kaipara/shop/")
    # when
    second, again = _queries(client, "/c/kaipara/shop/")
    # then
    assert "Kūmara" in again
    assert _results(again) == _results(page)
    assert second < first
    assert second <= 4  # the cluster, its regions, the catalogue version, session


def test_a_change_shows_at_once(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, title_en="Kūmara")
    before = catalogue_version()
    assert "Kūmara" in client.get("/c/kaipara/shop/").content.decode()
    # when: renamed, and the index told (as every catalogue service does)
    Product.objects.filter(pk=product.pk).update(title_en="Golden kūmara")
    product_changed(product.pk)
    # then
    assert catalogue_version() > before
    assert "Golden kūmara" in client.get("/c/kaipara/shop/").content.decode()


def test_stock_sold_through_the_service_shows_sold_out(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    from purei.members.tests.factories import MemberRoleFactory

    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, title_en="Kūmara")
    role = MemberRoleFactory.create(member=product.member)
    variant = Variant.objects.get(product=product)
    assert "Available" in client.get("/c/kaipara/shop/").content.decode()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        stock_bulk_update(
            actor=Actor(user=role.user), member=product.member, changes={variant.sku: 0}
        )
    # then
    page = client.get("/c/kaipara/shop/").content.decode()
    assert "Sold out" in page


def test_a_membership_change_makes_cached_results_stale(
    client: Client, django_capture_on_commit_callbacks: Any, platform_staff: Actor
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    public_product(cluster, title_en="Kūmara")
    assert "Kūmara" in client.get("/c/kaipara/shop/").content.decode()
    # when: the member is suspended (through the service, as the admins' screen)
    with django_capture_on_commit_callbacks(execute=True):
        membership_suspend(
            actor=platform_staff,
            membership=Membership.objects.get(cluster=cluster),
            reason="Unpaid fees.",
        )
    # then
    assert "Kūmara" not in client.get("/c/kaipara/shop/").content.decode()


def test_the_version_starts_and_rises() -> None:
    start = catalogue_version()
    catalogue_changed()
    catalogue_changed()
    assert catalogue_version() == start + 2


def test_another_page_or_sort_reuses_what_the_search_found(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    for n in range(30):
        public_product(cluster, title_en=f"Kūmara {n}")
    first, _page = _queries(client, "/c/kaipara/shop/?q=kumara")
    # when: the next page, then another sort (different URLs: no page cache)
    second, page_two = _queries(client, "/c/kaipara/shop/?q=kumara&page=2")
    third, _sorted = _queries(client, "/c/kaipara/shop/?q=kumara&sort=price_asc")
    # then: the match, the products and the facet counts come from the cache
    assert "Kūmara" in page_two
    assert second < first - 3
    assert third < first - 3


def test_a_card_shown_before_is_not_rendered_again(client: Client) -> None:
    # given: one product, so every sort shows the same card first
    cluster = ClusterFactory.create(slug="kaipara")
    public_product(cluster, title_en="Kūmara")
    _queries(client, "/c/kaipara/shop/")
    # when: another sort (a new URL, the same search): what it found and its card
    # come from the cache; only the page's rows are read
    again, page = _queries(client, "/c/kaipara/shop/?sort=price_desc")
    # then
    assert "Kūmara" in page
    assert again <= 6  # cluster + regions, version, page rows, clusters, session


def test_a_credential_verified_or_applied_shows_in_the_facets_at_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given a product whose maker holds a licence not yet verified
    from purei.accounts.models import ClusterRole
    from purei.accounts.tests.factories import UserFactory
    from purei.catalogue.search import search_products
    from purei.catalogue.services import product_update
    from purei.members.services.credentials import credential_verify
    from purei.members.tests.factories import CredentialFactory, MemberRoleFactory

    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, title_en="Kūmara")
    credential = CredentialFactory.create(member=product.member, verification="pending")
    product.credentials.add(credential)
    assert search_products(query="", cluster=cluster).facets.credential == ()
    admin = UserFactory.create()
    ClusterRole.objects.create(user=admin, cluster=cluster, role=ClusterRole.Role.ADMIN)
    # when a cluster admin verifies it (through the service, as their screen does)
    with django_capture_on_commit_callbacks(execute=True):
        credential_verify(
            actor=Actor(user=admin),
            credential=credential,
            cluster=cluster,
            verified=True,
        )
    # then the facet counts it (the credentials kept per version were dropped)
    facet = search_products(query="", cluster=cluster).facets.credential
    assert [(value.value, value.count) for value in facet] == [(credential.kind, 1)]
    # and when the maker says it no longer applies to the product, it goes
    owner = MemberRoleFactory.create(member=product.member).user
    with django_capture_on_commit_callbacks(execute=True):
        product_update(
            actor=Actor(user=owner),
            product=product,
            details=ProductInput(credentials=[]),
        )
    assert search_products(query="", cluster=cluster).facets.credential == ()
