"""The query: the public products that pass the filters (and match the words), with
their scores and the facts the sorts and facets need, in ONE query.

``find`` reads the shelf (``PublicProduct``, one row per product and cluster) or,
for a text search on PostgreSQL, the search documents (which know where their
product is public and carry its facts), so no product row is read to filter,
count or sort. SQLite joins its FTS5 index to the shelf in that same query. When a
text search finds nothing, each word is corrected from the dictionary of indexed
words (``purei.search.textmatch``, on both engines) and the query runs again.

It returns ids, facts and scores; the catalogue (``purei.catalogue.search``)
counts the facets (``purei.search.facets``), orders the page
(``purei.search.ordering``) and labels what was found.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Count, F, FloatField, Func, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Extract

from purei.search.filters import ShelfFilters, apply_filters
from purei.search.models import PublicProduct, SearchDocument
from purei.search.textmatch import closest_word, fts_match_sql, tsquery

# What the candidates query reads, in this order (``Columns``' fields).
_CANDIDATE_FIELDS = (
    "product_id",
    "title",
    "created_key",
    "lowest_price_cents",
    "category_id",
    "member_id",
    "origin_region_id",
    "in_stock",
    "attribute_tokens",
)


def _created_key() -> Func:
    """A product's creation time as a number, computed by the database: turning
    each row's timestamp into a Python datetime cost ~70 ms for a common word's
    17,000 matches on SQLite, and the newest-first sort needs only the order."""
    if connection.vendor == "postgresql":
        # In UTC: converted to local time, the hour that repeats when daylight
        # saving ends would sort out of order.
        return Cast(Extract("created_at", "epoch", tzinfo=datetime.UTC), FloatField())
    return Func(F("created_at"), function="julianday", output_field=FloatField())


@dataclass(frozen=True)
class Order:
    """What the sorts need of the products found, column by column (kept in the
    cache: a list of 17,000 row objects took ~55 ms to pickle)."""

    pks: Sequence[int]
    titles: Sequence[str]
    created: Sequence[float]  # when each was created, as a number
    prices: Sequence[int | None]


@dataclass(frozen=True)
class Columns(Order):
    """The public products that match, column by column, as the shelf keeps their
    facts: what the sorts and the facets need."""

    category_ids: Sequence[int | None]
    member_ids: Sequence[int]
    region_ids: Sequence[int | None]
    in_stock: Sequence[bool | int]  # SQLite gives 0/1
    attribute_tokens: Sequence[str]

    @classmethod
    def read(
        cls,
        shelf: QuerySet[Any],
        *,
        distinct: bool,
        terms: list[str] | None = None,
    ) -> tuple[Columns, dict[int, float]]:
        """The products' facts straight from the cursor (Django's per-value
        converters cost ~40 ms for a common word's 17,000 rows on SQLite), and
        with ``terms`` only those whose text matches, with their scores (product
        id → score). With ``distinct``, a product on several clusters' shelves
        counts once.

        PostgreSQL searches text on the search documents (``shelf`` is then a
        query of ``SearchDocument``: they carry the facts too); SQLite joins the
        FTS5 index to the shelf."""
        fields = [*_CANDIDATE_FIELDS]
        query = shelf.annotate(created_key=_created_key())
        if terms and connection.vendor == "postgresql":
            words = tsquery(terms)
            query = query.annotate(
                score=RawSQL(
                    "ts_rank_cd(search_searchdocument.vector, "
                    "to_tsquery('simple', %s), 32)",
                    (words,),
                    output_field=FloatField(),
                )
            ).filter(
                RawSQL(
                    "search_searchdocument.vector @@ to_tsquery('simple', %s)",
                    (words,),
                    output_field=BooleanField(),
                )
            )
            fields.append("score")
        query = query.values_list(*fields).order_by()
        try:
            sql, params = query.query.sql_with_params()
        except EmptyResultSet:
            return cls.empty(), {}
        if terms and connection.vendor == "sqlite":
            # ONE query: the index finds and scores the matches, the shelf gives
            # their facts, and only public, filtered matches are scored (sending
            # thousands of matched ids back in as a parameter cost more than the
            # scoring); CROSS JOIN keeps the text match as the outer loop.
            match_sql, match_params = fts_match_sql(terms)
            names = ", ".join(f"f.{name}" for name in _CANDIDATE_FIELDS)
            # Only our own SQL is put together here; every value is a parameter.
            head = f"SELECT {names}, m.score FROM ({match_sql}) AS m"  # noqa: S608
            sql = f"{head} CROSS JOIN ({sql}) AS f ON f.product_id = m.product_id"
            params = (*match_params, *params)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return cls.empty(), {}
        if distinct:
            rows = list({row[0]: row for row in rows}.values())
        scores: dict[int, float] = {}
        if terms:
            scores = {int(row[0]): float(row[-1] or 0.0) for row in rows}
            rows = [row[:-1] for row in rows]
        return cls(*(list(column) for column in zip(*rows, strict=True))), scores

    @classmethod
    def empty(cls) -> Columns:
        return cls(*([] for _field in _CANDIDATE_FIELDS))

    def order(self) -> Order:
        return Order(self.pks, self.titles, self.created, self.prices)


@dataclass(frozen=True)
class TextMatch:
    """The public, filtered products whose text matches, each with its score,
    scored by the same query that reads their facts (scoring row by row inside a
    page query costs a full-text lookup per product: 29 s for a common word over
    100,000 products), and whether near-misses were searched for."""

    scores: dict[int, float]
    near_misses: bool
    # With near misses: the words searched for instead ("avocado" for "avacado").
    corrected: tuple[str, ...] = ()
    # The corrected words even when they found nothing here either (filters left
    # none): what an empty page may offer as "Did you mean …?".
    suggested: tuple[str, ...] = ()


def shelf(
    cluster_id: int | None, *, documents: bool = False
) -> QuerySet[PublicProduct] | QuerySet[SearchDocument]:
    """The public products, in ``cluster_id`` or any cluster: rows of the shelf
    (one per cluster a product is public in), or — for a text search on
    PostgreSQL — the search documents, which know where each product is public
    and carry its facts, so the search reads one table with no join."""
    if documents and connection.vendor == "postgresql":
        if cluster_id is None:
            public = RawSQL(
                "cardinality(search_searchdocument.public_in) > 0",
                (),
                output_field=BooleanField(),
            )
        else:
            public = RawSQL(
                "%s = ANY(search_searchdocument.public_in)",
                (cluster_id,),
                output_field=BooleanField(),
            )
        return SearchDocument.objects.filter(public)
    rows = PublicProduct.objects.all()
    if cluster_id is not None:
        rows = rows.filter(cluster_id=cluster_id)
    return rows


def find(
    cluster_id: int | None, terms: list[str], filters: ShelfFilters
) -> tuple[Columns, TextMatch | None]:
    """The public products in ``cluster_id`` (or any cluster) that pass
    ``filters`` and, with ``terms``, match them: their facts, column by column,
    and the text match (its scores), each product once."""
    source = shelf(cluster_id, documents=bool(terms))
    distinct = cluster_id is None and source.model is PublicProduct
    filtered: QuerySet[Any] = apply_filters(source, filters)
    columns, scores = Columns.read(filtered, distinct=distinct, terms=terms)
    match = TextMatch(scores, near_misses=False) if terms else None
    if terms and not scores:
        # Nothing found: correct each word from the dictionary of indexed words (a
        # trigram lookup, ~1 ms; scanning the documents' text instead cost 800 ms
        # a query over 100,000 products on PostgreSQL) and search again with the
        # corrections.
        corrected = [closest_word(term) for term in terms]
        if None not in corrected and corrected != terms:
            words = [word for word in corrected if word]
            columns, scores = Columns.read(filtered, distinct=distinct, terms=words)
            near = bool(scores)
            match = TextMatch(
                scores,
                near_misses=near,
                corrected=tuple(words) if near else (),
                suggested=tuple(words),
            )
    return columns, match


def shelf_counts(cluster_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """cluster id → (public products, their makers) on each cluster's shelf, for
    the clusters given (one query)."""
    rows = (
        PublicProduct.objects.filter(cluster_id__in=list(cluster_ids))
        .values_list("cluster_id")
        .annotate(
            products=Count("product_id"), makers=Count("member_id", distinct=True)
        )
        .order_by()
    )
    return {cluster_id: (products, makers) for cluster_id, products, makers in rows}


def shelf_rows(
    product_ids: Sequence[int], cluster_id: int | None = None
) -> QuerySet[PublicProduct]:
    """The shelf rows of these products (in ``cluster_id`` only, when given): where
    each is public, for the catalogue to name the clusters."""
    rows = PublicProduct.objects.filter(product_id__in=list(product_ids))
    if cluster_id is not None:
        rows = rows.filter(cluster_id=cluster_id)
    return rows
