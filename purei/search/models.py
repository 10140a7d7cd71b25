"""What the search app keeps: its own facts, told by the services above.

- ``SearchDocument``: one per product, its facts (and on PostgreSQL its weighted
  text and where it is public). On SQLite the text is in the FTS5 table
  ``search_product_fts`` (made by a migration). See ``purei.search.index``.
- ``ShelfListing``, ``ShelfMembership``, ``ShelfCluster``: what decides whether a
  product is public, as the catalogue, members and clusters services tell it.
- ``PublicProduct``: the shelf, one row per (product, cluster) where the product
  is public (``purei.search.shelf``).
- ``SearchMaker``: what each maker is found by (``purei.search.makers``).
- ``CatalogueVersion``: raised on every change the shop shows
  (``purei.search.cache``).

The foreign keys only name the other apps' tables (so a deleted product, member or
cluster takes its rows with it); no code of those apps is imported.
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
    """A product's facts that shops and searches filter, count and sort by, as the
    catalogue passes them down (``purei.search.entries.Facts``) with every
    product, variant and listing change, so a page reads a few narrow rows instead
    of visiting each (wide) product row."""

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
    # (``purei.search.entries.attribute_tokens``): counted by the key-attribute
    # facets and matched by their filters without reading any JSON.
    attribute_tokens = models.TextField(default="")

    class Meta:
        abstract = True


class SearchDocument(ProductFacts):
    """One per product (whatever its status), written by ``purei.search.index``:
    its facts, on both engines (the shelf copies them from here when a product
    becomes public again), and on PostgreSQL what it is found by, a weighted
    ``tsvector`` (near-misses are corrected from the dictionary of its words,
    ``search_word``).

    On PostgreSQL it also carries where the product is public (``public_in``,
    cluster ids, empty when nowhere; kept by ``purei.search.shelf``), so a text
    search reads one table: the matches, their scores and facts, without a join
    to the shelf (which cost ~20 ms for a common phrase's 7,000 matches). On
    SQLite ``vector`` and ``public_in`` stay empty (the FTS5 table is joined to
    the shelf)."""

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


class ShelfListing(models.Model):
    """One listing of a product, as the catalogue last told it: ``listed`` when
    the product is live and the listing approved there, past any cultural review
    (``purei.search.entries.ListingState``). With the member, so a membership
    change finds the listings it touches."""

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="+"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+"
    )
    listed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "cluster"], name="search_shelflisting_unique"
            )
        ]
        indexes = [
            models.Index(fields=["member", "cluster"]),
            models.Index(fields=["cluster"]),
        ]

    def __str__(self) -> str:
        state = "listed" if self.listed else "not listed"
        return f"product {self.product_id} {state} in cluster {self.cluster_id}"


class ShelfMembership(models.Model):
    """Whether a member is admitted to a cluster (``open``: its membership is
    approved), as the membership services last told it."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="+"
    )
    open = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "cluster"], name="search_shelfmembership_unique"
            )
        ]

    def __str__(self) -> str:
        state = "open" if self.open else "closed"
        return f"member {self.member_id} {state} in cluster {self.cluster_id}"


class ShelfCluster(models.Model):
    """Whether a cluster is live, and its names (folded: its members' products
    are found by them), as the cluster services last told it."""

    cluster = models.OneToOneField(
        "clusters.Cluster",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    live = models.BooleanField(default=False)
    names = models.TextField(default="")

    def __str__(self) -> str:
        return f"cluster {self.cluster_id} {'live' if self.live else 'not live'}"


class SearchMaker(models.Model):
    """What a maker (a member business) is found by, folded, as the members
    services last told it (``purei.search.entries.MakerText``): its names, and
    its story's keywords with its town and region. Every product of the maker
    carries this text in its own index row (``purei.search.makers``), with the
    names of the clusters the maker is admitted to."""

    member = models.OneToOneField(
        "members.Member",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    names = models.TextField(default="")
    about = models.TextField(default="")

    def __str__(self) -> str:
        return f"search text of member {self.member_id}"


class PublicProduct(ProductFacts):
    """A product anyone may see in a cluster: listed there (``ShelfListing``), its
    member admitted (``ShelfMembership``) to that live cluster (``ShelfCluster``).
    One row per (product, cluster), kept by ``purei.search.shelf`` from the search
    app's own tables whenever a product, listing, membership or cluster change is
    passed down, so a shop or a search finds the public products through one
    index instead of four tables."""

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
