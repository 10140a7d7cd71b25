"""Keeping the search index in step with what the catalogue passes down.

The catalogue (``purei.catalogue.indexing``) calls ``products_indexed`` with a
``ProductEntry`` per product — its text, facts, listings and maker's text, plain
values — after every product, variant, photo and listing change (on commit), after
imports and seeds, and from ``purei search_reindex``; ``products_removed`` when
products are deleted. Both are idempotent. Every product is indexed whatever its
status: whether it is *public* is written down on the shelf (``purei.search.shelf``).

The text is folded with ``purei.core.text.fold`` (lower case, macrons and other
diacritics removed), so "kumara" finds "Kūmara" and "Kūmara" finds "kumara". A word
with a doubled vowel is also indexed with it made single ("Maaori" as "maori" too) and
queries are collapsed the same way, so "Maaori" and "Māori" find each other. On SQLite
the text goes in the FTS5 table ``search_product_fts`` (one row per product, ``rowid``
= product id); on PostgreSQL in ``SearchDocument`` with a weighted ``tsvector`` (title
A; tags, the product's own names and its maker's names B; descriptions C; region,
attributes and what its maker is about — story keywords, place, clusters' names —
D). A product's own part is kept apart too (``search_own_vector``), so its maker's
part can be written again alone (``purei.search.makers``). A category's name is not
text: the category facet finds it. The index's words go in the dictionary
near-misses are corrected from (``search_word``, on both engines). Each product's
facts go on its ``SearchDocument`` on both engines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from purei.core.text import fold
from purei.search.cache import catalogue_changed
from purei.search.entries import FACT_FIELDS, ProductEntry, ProductText
from purei.search.highlight import with_variants
from purei.search.makers import (
    MakerContext,
    maker_contexts,
    makers_refreshed,
    makers_written,
    words_added,
)
from purei.search.models import (
    PublicProduct,
    SearchDocument,
    ShelfCluster,
    ShelfListing,
    ShelfMembership,
)
from purei.search.shelf import (
    public_in,
    public_pairs,
    sync,
    write_sqlite_documents,
)

FTS_TABLE = "search_product_fts"  # spelled out in the SQL below


@dataclass(frozen=True)
class IndexedText:
    """The folded text of one product, by field group."""

    title: str
    tags: str
    names: str
    body: str
    place: str
    attributes: str

    @property
    def everything(self) -> str:
        return " ".join(
            part
            for part in (
                self.title,
                self.tags,
                self.names,
                self.body,
                self.place,
                self.attributes,
            )
            if part
        )


def indexed_text(text: ProductText) -> IndexedText:
    """The folded text a product is found by."""

    def join(parts: Iterable[str]) -> str:
        return with_variants(fold(" ".join(part for part in parts if part)))

    return IndexedText(
        title=join(text.title),
        tags=join(text.tags),
        names=join(text.names),
        body=join(text.body),
        place=join(text.place),
        attributes=join(text.attributes),
    )


def _listings_write(entries: Sequence[ProductEntry]) -> None:
    """Make these products' ``ShelfListing`` rows what their entries say (only
    rows that differ are written)."""
    wanted = {
        (entry.product_id, state.cluster_id): (entry.facts.member_id, state.listed)
        for entry in entries
        if entry.facts.member_id is not None
        for state in entry.listings
    }
    have = {
        (row.product_id, row.cluster_id): row
        for row in ShelfListing.objects.filter(
            product_id__in=[entry.product_id for entry in entries]
        )
    }
    gone = [row.pk for key, row in have.items() if key not in wanted]
    if gone:
        ShelfListing.objects.filter(pk__in=gone).delete()
    stale = []
    for key, row in have.items():
        if key in wanted and (row.member_id, row.listed) != wanted[key]:
            row.member_id, row.listed = wanted[key]
            stale.append(row)
    if stale:
        ShelfListing.objects.bulk_update(stale, ["member", "listed"], batch_size=500)
    new = [
        ShelfListing(product_id=p, cluster_id=c, member_id=member, listed=listed)
        for (p, c), (member, listed) in sorted(wanted.items())
        if (p, c) not in have
    ]
    if new:
        ShelfListing.objects.bulk_create(new, batch_size=1000)


def products_indexed(entries: Sequence[ProductEntry]) -> dict[int, IndexedText]:
    """(Re)index these products: their text, facts and listings, and the shelf
    rows that follow from them. Returns each product's folded text."""
    entries = list({entry.product_id: entry for entry in entries}.values())
    if not entries:
        return {}
    ids = [entry.product_id for entry in entries]
    facts = {entry.product_id: entry.facts for entry in entries}
    texts = {entry.product_id: indexed_text(entry.text) for entry in entries}
    with transaction.atomic():
        _listings_write(entries)
        changed = makers_written(
            entry.maker for entry in entries if entry.maker is not None
        )
        contexts = maker_contexts(
            entry.facts.member_id
            for entry in entries
            if entry.facts.member_id is not None
        )
        makers = {
            entry.product_id: contexts.get(entry.facts.member_id or 0, MakerContext())
            for entry in entries
        }
        pairs = public_pairs(ids)
        if connection.vendor == "postgresql":
            _write_postgres(entries, texts, makers, public_in(pairs))
        else:
            _write_sqlite(entries, texts, makers)
        sync(ids, pairs, facts)
        # A maker whose text changed: its other products are found by it too.
        makers_refreshed(changed)
    catalogue_changed()
    return texts


def _write_sqlite(
    entries: Sequence[ProductEntry],
    texts: dict[int, IndexedText],
    makers: dict[int, MakerContext],
) -> None:
    ids = [entry.product_id for entry in entries]
    with connection.cursor() as cursor:
        cursor.executemany(
            "DELETE FROM search_product_fts WHERE rowid = %s", [(pk,) for pk in ids]
        )
        cursor.executemany(
            "INSERT INTO search_product_fts "
            "(rowid, title, tags, names, body, place, attributes, maker, about) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    pk,
                    text.title,
                    text.tags,
                    text.names,
                    text.body,
                    text.place,
                    text.attributes,
                    makers[pk].maker,
                    makers[pk].about,
                )
                for pk, text in texts.items()
            ],
        )
    # The words join the dictionary near-misses are corrected from.
    words_added(
        [text.everything for text in texts.values()]
        + [f"{context.maker} {context.about}" for context in set(makers.values())]
    )
    # The facts: only documents that differ are written (reading and comparing
    # them cost a third of writing 500 whole).
    found = write_sqlite_documents({entry.product_id: entry.facts for entry in entries})
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(product_id=entry.product_id, **entry.facts.as_row())
            for entry in entries
            if entry.product_id not in found
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


# What a document carries besides its text, in the order written.
DOCUMENT_FIELDS = ("public_in", *FACT_FIELDS)


def _write_postgres(
    entries: Sequence[ProductEntry],
    texts: dict[int, IndexedText],
    makers: dict[int, MakerContext],
    where: dict[int, list[int]],
) -> None:
    # Written whole: the text, where the product is public and its facts (a
    # document written, then updated, leaves a dead row version).
    columns = ", ".join(DOCUMENT_FIELDS)
    marks = ", ".join(["%s"] * len(DOCUMENT_FIELDS))
    updates = ", ".join(
        f"{name} = EXCLUDED.{name}" for name in ("vector", *DOCUMENT_FIELDS)
    )
    own = []
    rows = []
    for entry in entries:
        pk, text = entry.product_id, texts[entry.product_id]
        facts = entry.facts.as_row()
        own.append(
            (
                pk,
                _plain(text.title),
                _plain(f"{text.tags} {text.names}"),
                _plain(text.body),
                _plain(f"{text.place} {text.attributes}"),
            )
        )
        rows.append(
            (
                pk,
                where.get(pk, []),
                *(facts[name] for name in FACT_FIELDS),
                pk,
                _plain(makers[pk].maker),
                _plain(makers[pk].about),
            )
        )
    with connection.cursor() as cursor:
        # The product's own text, kept apart so its maker's part can be written
        # again alone (``purei.search.makers``).
        cursor.executemany(
            "INSERT INTO search_own_vector (product_id, own) VALUES (%s, "
            "setweight(to_tsvector('simple', unaccent(%s)), 'A') || "
            "setweight(to_tsvector('simple', unaccent(%s)), 'B') || "
            "setweight(to_tsvector('simple', unaccent(%s)), 'C') || "
            "setweight(to_tsvector('simple', unaccent(%s)), 'D')) "
            "ON CONFLICT (product_id) DO UPDATE SET own = EXCLUDED.own",
            own,
        )
        cursor.executemany(
            f"INSERT INTO search_searchdocument (product_id, "  # noqa: S608
            f"{columns}, vector) VALUES (%s, {marks}, "
            "(SELECT own FROM search_own_vector WHERE product_id = %s) || "
            "setweight(to_tsvector('simple', unaccent(%s)), 'B') || "
            "setweight(to_tsvector('simple', unaccent(%s)), 'D')) "
            f"ON CONFLICT (product_id) DO UPDATE SET {updates}",
            rows,
        )
        # New words join the dictionary near-misses are corrected from.
        cursor.execute(
            "INSERT INTO search_word (word) "
            "SELECT DISTINCT unnest(tsvector_to_array(vector)) "
            "FROM search_searchdocument WHERE product_id = ANY(%s) "
            "ON CONFLICT DO NOTHING",
            ([entry.product_id for entry in entries],),
        )


def _plain(text: str) -> str:
    """Text for ``to_tsvector``, whose parser drops anything that looks like a
    tag: a product called "<script>" must still be found by "script"."""
    return text.replace("<", " ").replace(">", " ")


def products_removed(product_ids: Iterable[int]) -> None:
    """Forget these products (deleted ones; safe to call twice)."""
    ids = sorted(set(product_ids))
    if not ids:
        return
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.executemany(
                    "DELETE FROM search_product_fts WHERE rowid = %s",
                    [(pk,) for pk in ids],
                )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM search_own_vector WHERE product_id = ANY(%s)", [ids]
                )
        SearchDocument.objects.filter(product_id__in=ids).delete()
        ShelfListing.objects.filter(product_id__in=ids).delete()
        PublicProduct.objects.filter(product_id__in=ids).delete()
    catalogue_changed()


def index_cleared() -> None:
    """Forget everything (``purei search_reindex`` then writes it all again)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM search_product_fts")
        else:
            cursor.execute("DELETE FROM search_own_vector")
        cursor.execute("DELETE FROM search_word")
    PublicProduct.objects.all().delete()
    ShelfListing.objects.all().delete()
    ShelfMembership.objects.all().delete()
    ShelfCluster.objects.all().delete()
    SearchDocument.objects.all().delete()
