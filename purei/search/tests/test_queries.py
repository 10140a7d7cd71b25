import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from purei.catalogue.models import Product
from purei.catalogue.search import ProductFilters, SearchResults, search_products
from purei.clusters.tests.factories import ClusterFactory
from purei.members.tests.factories import MembershipFactory
from purei.search.tests.factories import (
    CategoryFactory,
    ListingFactory,
    public_product,
)

pytestmark = pytest.mark.django_db


def queries_for(query: str, per_page: int, filters: ProductFilters) -> int:
    with CaptureQueriesContext(connection) as captured:
        results = search_products(
            query=query, filters=filters, per_page=per_page, sort="relevance"
        )
        # Touch everything a page would show.
        for hit in results.hits:
            _ = (hit.title_html, hit.snippet_html, [c.name for c in hit.clusters])
    assert len(results.hits) == per_page
    return len(captured.captured_queries)


@pytest.mark.parametrize("query", ["kai", ""])
def test_a_search_costs_the_same_queries_for_10_or_50_results(query: str) -> None:
    # given
    clusters = [ClusterFactory.create(), ClusterFactory.create()]
    wine = CategoryFactory.create(
        slug="wine",
        attributes=[
            {"key": "vintage", "label": "Vintage", "type": "int", "facet": True},
            {"key": "varietal", "label": "Varietal", "type": "text", "facet": True},
        ],
    )
    for n in range(60):
        product = public_product(
            clusters[n % 2],
            title_en=f"Kai number {n}",
            category=wine,
            attributes={"vintage": 2000 + n % 7, "varietal": f"Grape {n % 5}"},
        )
        if n % 3 == 0:  # some are in both clusters
            other = clusters[(n + 1) % 2]
            MembershipFactory.create(member=product.member, cluster=other)
            ListingFactory.create(product=product, cluster=other)
    filters = ProductFilters(in_stock=True, price_band="under-25")
    assert Product.objects.count() == 60

    # when
    ten = queries_for(query, 10, filters)
    fifty = queries_for(query, 50, filters)

    # then
    assert ten == fifty
    # the public, filtered products with what the facets count (category, maker,
    # region, price, stock: counted in Python); the labels of the categories
    # found (with their key attributes) and of the makers (regions too, but these
    # products have no region of origin, so that query is not needed);
    # credentials; the page; the hits' clusters. A text search finds and scores
    # its matches in that same first query, and the key attributes (vintage and
    # varietal) are counted from its rows: no query of their own.
    assert ten == 6


def test_a_search_without_facets_or_clusters_reads_less_and_finds_the_same() -> None:
    """A maker's grid asks for neither: the same hits in the same order, no
    facets, no other clusters, and the labels, marks and clusters never read."""
    # given: one maker's products in two clusters
    cluster, other = ClusterFactory.create(), ClusterFactory.create()
    first = public_product(cluster, title_en="Kai 0")
    MembershipFactory.create(member=first.member, cluster=other)
    for n in range(1, 8):
        product = public_product(cluster, member=first.member, title_en=f"Kai {n}")
        ListingFactory.create(product=product, cluster=other)
    filters = ProductFilters(member=first.member.slug)

    def search(**only: bool) -> tuple[SearchResults, int]:
        with CaptureQueriesContext(connection) as captured:
            found = search_products(
                query="", cluster=cluster, filters=filters, sort="newest", **only
            )
        return found, len(captured.captured_queries)

    # when
    full, full_queries = search()
    lean, lean_queries = search(with_facets=False, with_clusters=False)

    # then
    assert [h.product_id for h in lean.hits] == [h.product_id for h in full.hits]
    assert len(lean.hits) == lean.total == full.total == 8
    assert full.facets.member
    assert not lean.facets.member
    assert all(h.clusters for h in full.hits)
    assert not any(h.clusters for h in lean.hits)
    assert lean_queries <= full_queries - 3
