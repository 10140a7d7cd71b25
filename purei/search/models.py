"""The PostgreSQL search index: one document per product.

On SQLite the table exists but stays empty (the FTS5 table ``search_product_fts``,
made by a migration, is the index there). See ``purei.search.index``.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class TsVectorField(models.Field[Any, Any]):
    """A ``tsvector`` column on PostgreSQL (plain text elsewhere, unused there).

    Our own small field so the app doesn't need ``django.contrib.postgres``.
    """

    description = "PostgreSQL tsvector"

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class ClusterIdsField(models.Field[Any, Any]):
    """A ``bigint[]`` column on PostgreSQL (JSON text elsewhere, unused there)."""

    description = "cluster ids"

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        ids = [int(pk) for pk in value or []]
        return ids if connection.vendor == "postgresql" else json.dumps(ids)

    def from_db_value(self, value: Any, *_args: Any) -> list[int]:
        if isinstance(value, str):
            value = json.loads(value or "[]")
        return [int(pk) for pk in value or []]


class ProductFacts(models.Model):
    """A product's facts that shops and searches filter, count and sort by, copied
    by ``purei.search.public.shelve`` with every product, variant and listing
    change, so a page reads a few narrow rows instead of visiting each (wide)
    product row."""

    title = models.CharField(max_length=160, default="")
    created_at = models.DateTimeField(null=True)
    lowest_price_cents = models.PositiveIntegerField(null=True)
    in_stock = models.BooleanField(default=False)
    category = models.ForeignKey(
        "catalogue.Category",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    origin_region = models.ForeignKey(
        "clusters.Region",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    # The product's plain attributes as ``\x1fkey=value\x1fkey=value\x1f``
    # (``purei.search.public.attribute_tokens``): counted by the key-attribute
    # facets and matched by their filters without reading any JSON.
    attribute_tokens = models.TextField(default="")

    class Meta:
        abstract = True


class SearchDocument(ProductFacts):
    """What a product is found by: a weighted ``tsvector`` (near-misses are
    corrected from the dictionary of its words, ``search_word``). Written only by
    ``purei.search.index``.

    On PostgreSQL it also carries where the product is public (``public_in``,
    cluster ids, empty when nowhere) and its facts, both kept by
    ``purei.search.public.shelve``, so a text search reads one table: the
    matches, their scores and facts, without a join to the shelf (which cost
    ~20 ms for a common phrase's 7,000 matches)."""

    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, related_name="search_document"
    )
    vector = TsVectorField(null=True, editable=False)
    public_in = ClusterIdsField(default=list, editable=False)

    def __str__(self) -> str:
        return f"search document for product {self.product_id}"


class CatalogueVersion(models.Model):
    """One number, raised whenever what a shop or search page shows may have
    changed (a product, its variants or stock, a listing, a membership, a cluster).
    Cached shop and search results are keyed by it (``purei.search.cache``), so a
    change is seen at once by every server process."""

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"catalogue version {self.version}"


class PublicProduct(ProductFacts):
    """A product anyone may see in a cluster: live, listed and approved there (past
    any cultural review), its member an approved member of that live cluster. One
    row per (product, cluster), kept by ``purei.search.index`` with every product,
    listing, membership and cluster change, so a shop or a search finds the public
    products through one index instead of four tables."""

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="+"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "product"], name="search_publicproduct_unique"
            )
        ]
        indexes = [
            models.Index(fields=["product", "cluster"]),
            # A cluster's newest public products (its home) without sorting them all.
            models.Index(
                fields=["cluster", "-created_at", "-product"],
                name="search_shelf_newest",
            ),
        ]

    def __str__(self) -> str:
        return f"product {self.product_id} public in cluster {self.cluster_id}"
