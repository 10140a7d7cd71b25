"""The national generator's COPY path (``scripts.bench.bulk``) on a small
catalogue: valid rows, foreign keys that hold, and an index and shelf exactly
as the ORM path (``reindex_all``) writes them, found by the shop and search."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Count

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the national generator writes with PostgreSQL's COPY",
    ),
]


def _snapshot() -> dict[str, Any]:
    """Everything the search index and shelf hold, as plain values."""
    from purei.catalogue.models import Product
    from purei.search.entries import FACT_FIELDS
    from purei.search.models import PublicProduct, SearchDocument, ShelfListing

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT product_id, vector::text, public_in FROM search_searchdocument"
        )
        vectors = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT product_id, own::text FROM search_own_vector")
        own = dict(cursor.fetchall())
        cursor.execute("SELECT word FROM search_word")
        words = {row[0] for row in cursor.fetchall()}
    return {
        "vectors": vectors,
        "own": own,
        "words": words,
        "documents": set(
            SearchDocument.objects.values_list("product_id", *FACT_FIELDS)
        ),
        "shelf": set(
            PublicProduct.objects.values_list("product_id", "cluster_id", *FACT_FIELDS)
        ),
        "listings": set(
            ShelfListing.objects.values_list(
                "product_id", "cluster_id", "member_id", "listed"
            )
        ),
        "products": set(
            Product.objects.values_list(
                "pk", "search_text", "lowest_price_cents", "in_stock"
            )
        ),
    }


def test_a_small_national_catalogue_is_valid_and_indexed_as_the_orm_path_does() -> None:
    from purei.catalogue.indexing import reindex_all
    from purei.catalogue.models import Listing, Product, Variant
    from purei.catalogue.search import search_products
    from purei.catalogue.selectors import public_listings
    from purei.clusters.models import Cluster
    from purei.members.models import Member, Membership
    from purei.search.models import PublicProduct
    from scripts.bench.bulk import national_generate

    tables = national_generate(
        products=300, clusters=3, members=30, chunk=120, progress=False
    )

    assert Product.objects.count() == 300
    assert Cluster.objects.count() == 3
    assert Member.objects.count() == 30
    written = {row["table"]: row["rows"] for row in tables.report()}
    assert written["catalogue_product"] == 300
    assert written["catalogue_variant"] == Variant.objects.count() >= 300
    # Every deferred foreign key holds (checked now, not at a commit the test
    # never makes).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for model in (Cluster, Member, Membership, Product, Variant, Listing):
        for obj in model.objects.order_by("pk")[:5]:
            obj.full_clean()

    # The shelf is the catalogue's own rule, public listing by public listing.
    rule = set(public_listings().values_list("product_id", "cluster_id"))
    assert len(rule) > 100
    assert set(PublicProduct.objects.values_list("product_id", "cluster_id")) == rule

    # The index and shelf are what the ORM path writes, row for row.
    before = _snapshot()
    reindex_all()
    after = _snapshot()
    for name, rows in before.items():
        assert after[name] == rows, name

    # The shop counts every public product; search finds one by its title.
    cluster_id, count = (
        public_listings()
        .values_list("cluster_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    ) or (0, 0)
    cluster = Cluster.objects.get(pk=cluster_id)
    assert search_products(query="", cluster=cluster).total == count
    listing = public_listings(cluster).select_related("product").first()
    assert listing is not None
    found = search_products(query=listing.product.title_en, cluster=cluster)
    assert listing.product_id in found.product_ids
