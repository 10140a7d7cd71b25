"""Keeping the search index in step with the catalogue.

Every product is indexed whatever its status: whether it is *public* (live, listed and
approved in a live cluster) is decided when searching, so a listing decision or a
cluster pausing never leaves the index stale. What changes the indexed text must call
``product_changed`` (the catalogue services do, on commit); deleting calls
``product_deleted``. Both are idempotent. ``reindex_all`` rebuilds everything
(``purei search_reindex``).

The text is folded with ``purei.clusters.search.fold`` (lower case, macrons and other
diacritics removed), so "kumara" finds "Kūmara" and "Kūmara" finds "kumara". A word
with a doubled vowel is also indexed with it made single ("Maaori" as "maori" too) and
queries are collapsed the same way, so "Maaori" and "Māori" find each other. On SQLite
the text goes in the FTS5 table ``search_product_fts`` (one row per product, ``rowid``
= product id); on PostgreSQL in ``SearchDocument`` with a weighted ``tsvector`` (title
A; tags, category and names B; descriptions C; region and attributes D), whose words
also go in the dictionary near-misses are corrected from (``search_word``).
``Product.search_text`` gets the folded text too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import connection, transaction
from django.db.models import Min, Q, QuerySet

from purei.catalogue.models import Product, Variant
from purei.core.text import fold
from purei.search.cache import catalogue_changed
from purei.search.highlight import with_variants
from purei.search.models import SearchDocument
from purei.search.public import (
    DOCUMENT_FIELDS,
    document_facts,
    refresh_facts,
    shelve,
    shelve_all,
)

FTS_TABLE = "search_product_fts"  # spelled out in the SQL below
# How many products are indexed per batch by reindex_all.
BATCH = 500


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


def _attribute_values(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _attribute_values(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _attribute_values(item)]
    if value is None or isinstance(value, bool):
        return []
    return [str(value)]


def indexed_text(product: Product) -> IndexedText:
    """The folded text ``product`` is found by (needs category, member, origin
    region and tags loaded, or costs a query each)."""

    def join(*parts: str) -> str:
        return with_variants(fold(" ".join(part for part in parts if part)))

    region = product.origin_region
    category = product.category
    return IndexedText(
        title=join(product.title_en, product.title_mi),
        tags=join(*(f"{tag.name} {tag.slug}" for tag in product.tags.all())),
        names=join(
            category.name_en,
            category.name_mi,
            product.maker,
            product.iwi_affiliation,
            product.member.trading_name,
            product.member.legal_name,
        ),
        body=join(product.description_en, product.description_mi, product.piece_story),
        place=join(region.name_en, region.name_mi, region.other_names)
        if region
        else "",
        attributes=join(*_attribute_values(product.attributes)),
    )


def _products() -> QuerySet[Product]:
    return Product.objects.select_related(
        "category", "member", "origin_region"
    ).prefetch_related("tags")


def _write(products: Iterable[Product]) -> None:
    products = list(products)
    rows = [(product.pk, indexed_text(product)) for product in products]
    if not rows:
        return
    ids = [pk for pk, _text in rows]
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.executemany(
                    "DELETE FROM search_product_fts WHERE rowid = %s",
                    [(pk,) for pk in ids],
                )
                cursor.executemany(
                    "INSERT INTO search_product_fts "
                    "(rowid, title, tags, names, body, place, attributes) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    [
                        (
                            pk,
                            text.title,
                            text.tags,
                            text.names,
                            text.body,
                            text.place,
                            text.attributes,
                        )
                        for pk, text in rows
                    ],
                )
        elif connection.vendor == "postgresql":
            # Written whole: the text, where the product is public and its facts
            # (a document written, then updated, leaves a dead row version).
            extra = document_facts(ids)
            columns = ", ".join(DOCUMENT_FIELDS)
            marks = ", ".join(["%s"] * len(DOCUMENT_FIELDS))
            updates = ", ".join(
                f"{name} = EXCLUDED.{name}" for name in ("vector", *DOCUMENT_FIELDS)
            )
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO search_searchdocument (product_id, "  # noqa: S608
                    f"{columns}, vector) VALUES (%s, {marks}, "
                    "setweight(to_tsvector('simple', unaccent(%s)), 'A') || "
                    "setweight(to_tsvector('simple', unaccent(%s)), 'B') || "
                    "setweight(to_tsvector('simple', unaccent(%s)), 'C') || "
                    "setweight(to_tsvector('simple', unaccent(%s)), 'D')) "
                    f"ON CONFLICT (product_id) DO UPDATE SET {updates}",
                    [
                        (
                            pk,
                            *extra[pk],
                            _plain(text.title),
                            _plain(f"{text.tags} {text.names}"),
                            _plain(text.body),
                            _plain(f"{text.place} {text.attributes}"),
                        )
                        for pk, text in rows
                    ],
                )
                # New words join the dictionary near-misses are corrected from.
                cursor.execute(
                    "INSERT INTO search_word (word) "
                    "SELECT DISTINCT unnest(tsvector_to_array(vector)) "
                    "FROM search_searchdocument WHERE product_id = ANY(%s) "
                    "ON CONFLICT DO NOTHING",
                    ([pk for pk, _text in rows],),
                )
        for product, (_pk, text) in zip(products, rows, strict=True):
            product.search_text = text.everything
        Product.objects.bulk_update(products, ["search_text"])


def _plain(text: str) -> str:
    """Text for ``to_tsvector``, whose parser drops anything that looks like a
    tag: a product called "<script>" must still be found by "script"."""
    return text.replace("<", " ").replace(">", " ")


def _forget(product_ids: list[int]) -> None:
    if not product_ids:
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_product_fts WHERE rowid = %s",
                [(pk,) for pk in product_ids],
            )
    SearchDocument.objects.filter(product_id__in=product_ids).delete()


def product_facts_changed(product_ids: Iterable[int]) -> None:
    """Refresh the variant facts the shop counts and sorts by —
    ``Product.lowest_price_cents`` and ``Product.in_stock``, and their copies on
    the shelf — after prices or stock changed (a few queries for any number of
    products)."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return
    lowest = dict(
        Variant.objects.filter(product_id__in=wanted)
        .values("product_id")
        .annotate(lowest=Min("price_cents"))
        .values_list("product_id", "lowest")
    )
    stocked = set(
        Variant.objects.filter(product_id__in=wanted)
        .filter(~Q(stock_policy=Variant.StockPolicy.TRACKED) | Q(stock__gt=0))
        .values_list("product_id", flat=True)
    )
    products = list(
        Product.objects.filter(pk__in=wanted).only(
            "pk", "lowest_price_cents", "in_stock"
        )
    )
    changed = []
    for product in products:
        price, in_stock = lowest.get(product.pk), product.pk in stocked
        if (product.lowest_price_cents, product.in_stock) != (price, in_stock):
            product.lowest_price_cents, product.in_stock = price, in_stock
            changed.append(product)
    if changed:
        Product.objects.bulk_update(changed, ["lowest_price_cents", "in_stock"])
        refresh_facts([product.pk for product in changed])
        catalogue_changed()


def product_facts_changed_on_commit(product_ids: Iterable[int]) -> None:
    """``product_facts_changed`` once the current transaction commits (stock taken
    by an order, or given back)."""
    transaction.on_commit(partial(product_facts_changed, list(product_ids)))


def products_changed(product_ids: Iterable[int]) -> None:
    """(Re)index these products and their variant facts; ids of products that no
    longer exist are dropped."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return
    # The variant facts first: the documents are written whole with them.
    product_facts_changed(wanted)
    products = list(_products().filter(pk__in=wanted))
    _write(products)
    shelve(wanted)
    found = {product.pk for product in products}
    _forget([pk for pk in wanted if pk not in found])
    catalogue_changed()


def product_changed(product_id: int) -> None:
    """Reindex one product after it (or its tags, category, region…) changed."""
    products_changed([product_id])


def product_deleted(product_id: int) -> None:
    """Drop a deleted product from the index (safe to call twice)."""
    _forget([product_id])
    catalogue_changed()


def member_products_changed(member_id: int) -> None:
    """Reindex a member's products (after the member's name changed)."""
    products_changed(
        Product.objects.filter(member_id=member_id).values_list("pk", flat=True)
    )


def product_changed_on_commit(product_id: int) -> None:
    """``product_changed`` once the current transaction commits."""
    transaction.on_commit(partial(product_changed, product_id))


def reindex_all() -> int:
    """Rebuild the whole index; returns how many products were indexed."""
    count = 0
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_product_fts")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_word")
        SearchDocument.objects.all().delete()
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            product_facts_changed(chunk)
            _write(_products().filter(pk__in=chunk))
            count += len(chunk)
        shelve_all()
    catalogue_changed()
    return count
