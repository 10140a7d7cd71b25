"""One search interface, two engines chosen by the database.

``search_products`` finds *public* products (live, with an approved listing — cultural
review not needed or approved — in a live cluster where the member's membership is
approved), ranked, highlighted and with facet counts computed from the same filtered
set. On SQLite the text match is FTS5 (``bm25`` with column weights, the last word
matched as a prefix); on PostgreSQL it is a weighted ``tsvector`` (``ts_rank_cd``, the
last word as a prefix), and when that finds nothing each word is corrected from a
dictionary of the indexed words with ``pg_trgm`` (``search_word``), so "avacado"
finds "avocado" and "kumura" finds "Kūmara". Both engines give the same
``SearchResults``.

How it stays fast over 100,000 products (docs/performance.md): the public products
are read from narrow rows that carry their facts — the shelf (``PublicProduct``, one
row per product and cluster) and, for a text search on PostgreSQL, the search
documents, which know where their product is public — so no product row is read
to filter, count or sort; the text match, its scores and the facts come from ONE
query (SQLite joins its FTS5 index to the shelf); every count and the page start
from those rows; a facet lists at most ``MAX_FACET_VALUES`` values; and the
results are cached by catalogue version (``purei.search.cache``).

A search runs a fixed number of SQL queries whatever the page size: the public
filtered products (with the text match and its scores when there is text; on
PostgreSQL one more per word, and the same query again, to correct words when
nothing matched) with what the facets count (category, maker, region, price
band, stock and key attributes are then counted in Python from those rows), the
labels of the categories (with their key attributes), makers and regions found
(each skipped when there is none), one for credentials (kept per catalogue
version), the page, and the clusters of the hits.
"""

from __future__ import annotations

import datetime
import heapq
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import Any, ClassVar, Literal

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Extract, StrIndex
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from purei.catalogue.models import Category, Product
from purei.clusters.models import Cluster, Region, SellingModel
from purei.members.models import Credential, Member
from purei.search.cache import cached_value, catalogue_version
from purei.search.highlight import highlight, search_terms, snippet
from purei.search.models import ProductFacts, PublicProduct, SearchDocument
from purei.search.public import (
    ATTRIBUTE_KEY_PATTERN,
    ATTRIBUTE_SEPARATOR,
    attribute_token,
)

Sort = Literal["relevance", "newest", "price_asc", "price_desc"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "price_asc", "price_desc")
SORT_LABELS: dict[Sort, Promise] = {
    "relevance": _("Best match"),
    "newest": _("Newest"),
    "price_asc": _("Price, low to high"),
    "price_desc": _("Price, high to low"),
}
MAX_PER_PAGE = 100
MAX_FILTER_LENGTH = 80
# A facet lists its most common values, at most this many (every region and
# category fit; a big cluster's makers beyond these are found by searching).
MAX_FACET_VALUES = 20
# Key attributes (a category's ``"facet": true`` attributes, e.g. wine's vintage and
# varietal, honey's UMF grade) travel in the URL as ``attr_<key>=<value>``.
ATTRIBUTE_PARAM_PREFIX = "attr_"
MAX_ATTRIBUTE_FILTERS = 4
# At most this many key-attribute facets, taken from the categories with the most
# matching products, each showing its most common values.
MAX_ATTRIBUTE_FACETS = 3
MAX_ATTRIBUTE_VALUES = 12
# Attributes already shown by a facet of their own.
ATTRIBUTES_NOT_FACETED = frozenset({"region_of_origin"})
# pg_trgm word similarity a near-miss needs ("avacado"/"avocado" is about 0.45).
NEAR_MISS_THRESHOLD = 0.3


@dataclass(frozen=True)
class PriceBand:
    key: str
    label: Promise
    low_cents: int | None
    high_cents: int | None  # exclusive

    def q(self, name: str) -> Q:
        condition = Q(**{f"{name}__isnull": False})
        if self.low_cents is not None:
            condition &= Q(**{f"{name}__gte": self.low_cents})
        if self.high_cents is not None:
            condition &= Q(**{f"{name}__lt": self.high_cents})
        return condition


PRICE_BANDS: tuple[PriceBand, ...] = (
    PriceBand("under-25", _("Under $25"), None, 2500),
    PriceBand("25-50", _("$25 to $50"), 2500, 5000),
    PriceBand("50-100", _("$50 to $100"), 5000, 10000),
    PriceBand("100-250", _("$100 to $250"), 10000, 25000),
    PriceBand("250-up", _("$250 and over"), 25000, None),
)
PRICE_BAND_KEYS = {band.key: band for band in PRICE_BANDS}


@dataclass(frozen=True)
class ProductFilters:
    """Shop filters (all optional). Values are the URL-friendly keys facets give."""

    category: str | None = None  # Category.slug
    member: str | None = None  # Member.slug
    region: str | None = None  # Region.code (region of origin)
    price_band: str | None = None  # a PRICE_BANDS key
    in_stock: bool = False
    credential: str | None = None  # Credential.Kind value (verified, not lapsed)
    # Key attributes as sorted (key, value) pairs, e.g. (("vintage", "2021"),).
    attributes: tuple[tuple[str, str], ...] = ()

    # The URL parameter names (shop and search pages, API), besides attr_<key>.
    PARAMS: ClassVar[tuple[str, ...]] = (
        "category",
        "member",
        "region",
        "price",
        "in_stock",
        "credential",
    )

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ProductFilters:
        """Filters from URL parameters (e.g. ``request.GET``); blank or over-long
        values are ignored, so any URL gives a page, never an error."""

        def value(name: str) -> str | None:
            text = str(params.get(name) or "").strip()
            return text if text and len(text) <= MAX_FILTER_LENGTH else None

        price = value("price")
        return cls(
            category=value("category"),
            member=value("member"),
            region=value("region"),
            price_band=price if price in PRICE_BAND_KEYS else None,
            in_stock=value("in_stock") in {"1", "true", "on", "yes"},
            credential=value("credential"),
            attributes=attribute_filters(params),
        )

    def to_params(self) -> dict[str, str]:
        """The URL parameters for these filters (only those set)."""
        pairs = {
            "category": self.category,
            "member": self.member,
            "region": self.region,
            "price": self.price_band,
            "in_stock": "1" if self.in_stock else None,
            "credential": self.credential,
        }
        for key, text in self.attributes:
            pairs[ATTRIBUTE_PARAM_PREFIX + key] = text
        return {name: text for name, text in pairs.items() if text}


def attribute_filters(params: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The ``attr_<key>=<value>`` parameters of a URL as sorted (key, value) pairs.

    Malformed keys, blank or over-long values are ignored, and only the first
    ``MAX_ATTRIBUTE_FILTERS`` (by key) count.
    """
    pairs = []
    for name in params:
        if not name.startswith(ATTRIBUTE_PARAM_PREFIX):
            continue
        key = name.removeprefix(ATTRIBUTE_PARAM_PREFIX)
        text = str(params.get(name) or "").strip()
        if (
            ATTRIBUTE_KEY_PATTERN.match(key)
            and key not in ATTRIBUTES_NOT_FACETED
            and text
            and len(text) <= MAX_FILTER_LENGTH
        ):
            pairs.append((key, text))
    return tuple(sorted(pairs)[:MAX_ATTRIBUTE_FILTERS])


@dataclass(frozen=True)
class ClusterRef:
    slug: str
    name_en: str
    name_mi: str
    # Reseller model with a GST-registered lead organisation: GST is charged on
    # every product sold there, whoever made it (docs/money.md).
    lead_org_charges_gst: bool | None = None

    @property
    def name(self) -> str:
        if get_language() == "mi" and self.name_mi:
            return self.name_mi
        return self.name_en


@dataclass(frozen=True)
class SearchHit:
    product_id: int
    slug: str
    member_slug: str
    member_name: str
    score: float
    title_html: SafeString
    snippet_html: SafeString
    price_cents: int | None  # the lowest variant price, GST-inclusive
    in_stock: bool
    clusters: tuple[ClusterRef, ...]


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class AttributeFacet:
    """One key attribute (e.g. vintage) and its most common values."""

    key: str
    label: str
    values: tuple[FacetValue, ...]

    @property
    def param(self) -> str:
        return ATTRIBUTE_PARAM_PREFIX + self.key


@dataclass(frozen=True)
class Facets:
    category: tuple[FacetValue, ...] = ()
    member: tuple[FacetValue, ...] = ()
    region: tuple[FacetValue, ...] = ()
    price_band: tuple[FacetValue, ...] = ()
    credential: tuple[FacetValue, ...] = ()
    in_stock: int = 0
    attributes: tuple[AttributeFacet, ...] = ()


@dataclass(frozen=True)
class SearchResults:
    query: str
    sort: Sort
    page: int
    per_page: int
    total: int
    hits: tuple[SearchHit, ...]
    facets: Facets
    engine: str
    near_misses: bool = False  # True when typo-tolerant matching was used
    filters: ProductFilters = field(default_factory=ProductFilters)

    @property
    def product_ids(self) -> list[int]:
        return [hit.product_id for hit in self.hits]

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def public_products(
    cluster: Cluster | None = None, *, few: bool = False
) -> QuerySet[Product]:
    """Products anyone may see: in ``cluster``, or in any live cluster.

    Read from the shelf of public products (``purei.search.public``), in one of two
    plans: by default the shelf drives (``pk IN (…)``), so a shop costs what its
    cluster holds; with ``few`` — when something else, such as a text match, has
    already narrowed the products — each candidate is looked up on it
    (``EXISTS``), so a search never builds the public set of every cluster.
    """
    shelf = PublicProduct.objects.all()
    if cluster is not None:
        shelf = shelf.filter(cluster_id=cluster.pk)
    live = Product.objects.filter(status=Product.Status.LIVE)
    if few:
        return live.filter(Exists(shelf.filter(product_id=OuterRef("pk"))))
    return live.filter(pk__in=shelf.values("product_id"))


def _verified_credential(today: datetime.date) -> Q:
    """On product-credential links: the credential is verified and not lapsed."""
    return Q(credential__verification=Credential.Verification.VERIFIED) & (
        Q(credential__expires_on__isnull=True) | Q(credential__expires_on__gte=today)
    )


@dataclass(frozen=True)
class _TextMatch:
    """The public, filtered products whose text matches, each with its score,
    scored by the same query that reads their facts (scoring row by row inside a
    page query costs a full-text lookup per product: 29 s for a common word over
    100,000 products), and whether near-misses were searched for."""

    scores: dict[int, float]
    near_misses: bool


def _fts_expression(terms: list[str]) -> str:
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _tsquery(terms: list[str]) -> str:
    return " & ".join([*terms[:-1], f"{terms[-1]}:*"])


def _fts_match_sql(terms: list[str]) -> tuple[str, tuple[Any, ...]]:
    """SQLite: the text match as a derived table ``(product_id, score)`` (the
    query's words only ever travel as parameters)."""
    return (
        "SELECT rowid AS product_id, "
        "-bm25(search_product_fts, 10.0, 4.0, 4.0, 2.0, 1.5, 1.5) AS score "
        "FROM search_product_fts WHERE search_product_fts MATCH %s",
        (_fts_expression(terms),),
    )


def _closest_word(term: str) -> str | None:
    """The indexed word most like ``term`` (pg_trgm similarity at least
    ``NEAR_MISS_THRESHOLD``), or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
            (str(NEAR_MISS_THRESHOLD),),
        )
        cursor.execute(
            "SELECT word FROM search_word WHERE word %% %s "
            "ORDER BY similarity(word, %s) DESC, length(word), word LIMIT 1",
            (term, term),
        )
        row = cursor.fetchone()
    return str(row[0]) if row else None


def _apply_filters[Facts: ProductFacts](
    shelf: QuerySet[Facts], filters: ProductFilters, today: datetime.date
) -> QuerySet[Facts]:
    """``filters`` on shelf rows or search documents (which carry each product's
    facts)."""
    if filters.category:
        shelf = shelf.filter(category__slug=filters.category)
    if filters.member:
        shelf = shelf.filter(member__slug=filters.member)
    if filters.region:
        shelf = shelf.filter(origin_region__code=filters.region)
    if filters.in_stock:
        shelf = shelf.filter(in_stock=True)
    if filters.credential:
        shelf = shelf.filter(
            Exists(
                Credential.objects.filter(
                    products=OuterRef("product_id"),
                    kind=filters.credential,
                    verification=Credential.Verification.VERIFIED,
                ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
            )
        )
    for index, (key, text) in enumerate(filters.attributes):
        # The exact token, case and all (numbers are spelled as JSON has them).
        name = f"attribute_{index}"
        shelf = shelf.alias(
            **{name: StrIndex("attribute_tokens", Value(attribute_token(key, text)))}
        ).filter(**{f"{name}__gt": 0})
    band = PRICE_BAND_KEYS.get(filters.price_band or "")
    if band is not None:
        shelf = shelf.filter(band.q("lowest_price_cents"))
    return shelf


def _attribute_specs(
    categories: list[str], schemas: Mapping[str, list[dict[str, Any]]]
) -> list[tuple[str, str]]:
    """(key, label) of the faceted attributes of these categories (slugs, most
    products first), in their order, without repeats, at most
    ``MAX_ATTRIBUTE_FACETS``."""
    specs: dict[str, str] = {}
    for slug in categories:
        for spec in schemas.get(slug) or []:
            key = str(spec.get("key", ""))
            if (
                spec.get("facet")
                and ATTRIBUTE_KEY_PATTERN.match(key)
                and key not in ATTRIBUTES_NOT_FACETED
                and key not in specs
            ):
                specs[key] = str(spec.get("label") or key)
    return list(specs.items())[:MAX_ATTRIBUTE_FACETS]


def _attribute_counts(
    tokens: Sequence[str], keys: set[str]
) -> dict[str, list[tuple[str, int]]]:
    """How many products have each value of each attribute key, from their
    ``\\x1fkey=value\\x1f`` tokens (read with the candidates: no query)."""
    # One split and one count for all the rows (counted in C): a count per row
    # cost ~10 ms for a common phrase's 2,800 products with key attributes.
    found = Counter(ATTRIBUTE_SEPARATOR.join(tokens).split(ATTRIBUTE_SEPARATOR))
    counts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for token, n in found.items():
        key, equals, value = token.partition("=")
        if equals and key in keys:
            counts[key].append((value, n))
    return counts


def _attribute_facets(
    columns: _Columns,
    categories: tuple[FacetValue, ...],
    schemas: Mapping[str, list[dict[str, Any]]],
    slugs: Mapping[int, str],
    filters: ProductFilters,
) -> tuple[AttributeFacet, ...]:
    """Counts of the key attributes' values over the filtered products of the
    categories that have those attributes (from the rows at hand)."""
    selected = dict(filters.attributes)
    specs = _attribute_specs([value.value for value in categories], schemas)
    keys = {key for key, _label in specs}
    having = {
        pk
        for pk, slug in slugs.items()
        if keys & {str(spec.get("key", "")) for spec in schemas.get(slug) or []}
    }
    tokens = [
        text
        for text, category_id in zip(
            columns.attribute_tokens, columns.category_ids, strict=True
        )
        if category_id in having
    ]
    counts = _attribute_counts(tokens, keys)
    facets = []
    for key, label in specs:
        # Most common first; among equals, the greater value (the newest vintage).
        found = sorted(counts.get(key, ()), key=lambda item: item[0], reverse=True)
        found.sort(key=lambda item: item[1], reverse=True)
        values = tuple(
            FacetValue(
                value=text, label=text, count=n, selected=selected.get(key) == text
            )
            for text, n in found[:MAX_ATTRIBUTE_VALUES]
        )
        if values:
            facets.append(AttributeFacet(key=key, label=label, values=values))
    return tuple(facets)


# The verified, unlapsed credentials of every product, kept in this process per
# catalogue version and day (credential and product-credential changes raise the
# version: purei.search.apps).
_marks_memo: dict[tuple[int, datetime.date], dict[int, frozenset[str]]] = {}


def _verified_marks(today: datetime.date) -> dict[int, frozenset[str]]:
    """product id → kinds of its verified credentials still current on ``today``:
    ONE query per catalogue version (a count over a common word's 17,000 matches
    joined the links again each search, ~45 ms), then dictionary lookups."""
    caching = int(getattr(settings, "SEARCH_CACHE_SECONDS", 300)) > 0
    key = (catalogue_version(), today) if caching else None
    if key is not None and key in _marks_memo:
        return _marks_memo[key]
    marks: dict[int, set[str]] = defaultdict(set)
    for product_id, kind in Product.credentials.through.objects.filter(
        _verified_credential(today)
    ).values_list("product_id", "credential__kind"):
        marks[product_id].add(kind)
    frozen = {pk: frozenset(kinds) for pk, kinds in marks.items()}
    if key is not None:
        _marks_memo.clear()  # only the current version is worth keeping
        _marks_memo[key] = frozen
    return frozen


def _localised(en: str, mi: str) -> str:
    if get_language() == "mi" and mi:
        return mi
    return en or ""


@dataclass
class _Tally:
    """Counts of one facet's values (by id), then labelled by their keys."""

    selected: str | None
    counts: Mapping[int, int]

    def values(self, labels: Mapping[int, tuple[str, str]]) -> tuple[FacetValue, ...]:
        """The counts as facet values; ``labels`` gives each id's (key, label)."""
        named = [
            (labels[pk][0], labels[pk][1], n)
            for pk, n in self.counts.items()
            if pk in labels
        ]
        named.sort(key=lambda item: (-item[2], item[0]))
        return tuple(
            FacetValue(value=key, label=label, count=n, selected=self.selected == key)
            for key, label, n in named[:MAX_FACET_VALUES]
        )


def _counts(values: Sequence[int | None]) -> Counter[int]:
    """How many times each id occurs (counted in C), without None."""
    counts: Counter[Any] = Counter(values)
    counts.pop(None, None)
    return counts


# The bands' lower bounds after the first (the bands run on with no gap).
_BAND_STARTS = [band.low_cents or 0 for band in PRICE_BANDS[1:]]


def _facets(columns: _Columns, filters: ProductFilters, today: datetime.date) -> Facets:
    """Every facet's counts. Category, maker, region, price band and stock are
    counted here from the columns already at hand (a grouped query read all the
    rows a second time), and so are the key attributes; the labels of the values
    found come from three small queries."""
    categories = _Tally(filters.category, _counts(columns.category_ids))
    members = _Tally(filters.member, _counts(columns.member_ids))
    regions = _Tally(filters.region, _counts(columns.region_ids))
    bands = Counter(
        map(
            partial(bisect_right, _BAND_STARTS),
            [price for price in columns.prices if price is not None],
        )
    )
    category_labels: dict[int, tuple[str, str]] = {}
    schemas: dict[str, list[dict[str, Any]]] = {}
    for pk, slug, name_en, name_mi, attributes in Category.objects.filter(
        pk__in=list(categories.counts)
    ).values_list("pk", "slug", "name_en", "name_mi", "attributes"):
        category_labels[pk] = (slug, _localised(name_en, name_mi))
        schemas[slug] = list(attributes or [])
    member_labels = {
        pk: (slug, str(trading or legal))
        for pk, slug, trading, legal in Member.objects.filter(
            pk__in=list(members.counts)
        ).values_list("pk", "slug", "trading_name", "legal_name")
    }
    region_labels = {
        pk: (code, _localised(name_en, name_mi))
        for pk, code, name_en, name_mi in Region.objects.filter(
            pk__in=list(regions.counts)
        ).values_list("pk", "code", "name_en", "name_mi")
    }
    marks = _verified_marks(today)
    # In C: the kinds of the products that have any (most have none).
    held = Counter(chain.from_iterable(filter(None, map(marks.get, columns.pks))))
    credentials = tuple(
        FacetValue(
            value=kind,
            label=str(Credential.Kind(kind).label),
            count=n,
            selected=filters.credential == kind,
        )
        for kind, n in sorted(held.items(), key=lambda item: (-item[1], item[0]))
    )
    price_bands = tuple(
        FacetValue(
            value=band.key,
            label=str(band.label),
            count=bands[index],
            selected=filters.price_band == band.key,
        )
        for index, band in enumerate(PRICE_BANDS)
        if bands[index]
    )
    category_values = categories.values(category_labels)
    return Facets(
        category=category_values,
        member=members.values(member_labels),
        region=regions.values(region_labels),
        price_band=price_bands,
        credential=credentials,
        in_stock=sum(map(bool, columns.in_stock)),
        attributes=_attribute_facets(
            columns,
            category_values,
            schemas,
            {pk: slug for pk, (slug, _label) in category_labels.items()},
            filters,
        ),
    )


def _clusters_of(
    product_ids: list[int], cluster: Cluster | None
) -> dict[int, tuple[ClusterRef, ...]]:
    found: dict[int, list[ClusterRef]] = defaultdict(list)
    if not product_ids:
        return {}
    shelf = PublicProduct.objects.filter(product_id__in=product_ids)
    if cluster is not None:
        shelf = shelf.filter(cluster_id=cluster.pk)
    rows = shelf.order_by("cluster__name_en").values_list(
        "product_id",
        "cluster__slug",
        "cluster__name_en",
        "cluster__name_mi",
        "cluster__selling_model",
        "cluster__lead_org_gst_registered",
    )
    for product_id, slug, name_en, name_mi, model, lead_registered in rows:
        charges = bool(lead_registered) if model == SellingModel.RESELLER else None
        found[product_id].append(ClusterRef(slug, name_en, name_mi, charges))
    return {product_id: tuple(refs) for product_id, refs in found.items()}


# What the candidates query reads from the shelf, in this order (``_Columns``'
# fields).
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
class _Order:
    """What the sorts need of the products found, column by column (kept in the
    cache: a list of 17,000 row objects took ~55 ms to pickle)."""

    pks: Sequence[int]
    titles: Sequence[str]
    created: Sequence[float]  # when each was created, as a number
    prices: Sequence[int | None]


@dataclass(frozen=True)
class _Columns(_Order):
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
    ) -> tuple[_Columns, dict[int, float]]:
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
            tsquery = _tsquery(terms)
            query = query.annotate(
                score=RawSQL(
                    "ts_rank_cd(search_searchdocument.vector, "
                    "to_tsquery('simple', %s), 32)",
                    (tsquery,),
                    output_field=FloatField(),
                )
            ).filter(
                RawSQL(
                    "search_searchdocument.vector @@ to_tsquery('simple', %s)",
                    (tsquery,),
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
            match_sql, match_params = _fts_match_sql(terms)
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
    def empty(cls) -> _Columns:
        return cls(*([] for _field in _CANDIDATE_FIELDS))

    def order(self) -> _Order:
        return _Order(self.pks, self.titles, self.created, self.prices)


def _ordered(
    columns: _Order, sort: Sort, match: _TextMatch | None, end: int
) -> list[int]:
    """The first ``end`` product ids in the page's order (in Python: they are all
    at hand, and a database sorting thousands of ids it was given costs more)."""
    pks, prices = columns.pks, columns.prices
    rows = range(len(pks))
    key: Callable[[int], tuple[Any, ...]]
    if sort == "price_asc":
        key = lambda i: (prices[i] is None, prices[i] or 0, pks[i])  # noqa: E731
    elif sort == "price_desc":
        key = lambda i: (prices[i] is None, -(prices[i] or 0), pks[i])  # noqa: E731
    elif sort == "relevance" and match is not None:
        scores, titles = match.scores, columns.titles
        key = lambda i: (-scores.get(pks[i], 0.0), titles[i], pks[i])  # noqa: E731
    else:
        created = columns.created
        key = lambda i: (-created[i], -pks[i])  # noqa: E731
    return [pks[i] for i in heapq.nsmallest(end, rows, key=key)]


@dataclass(frozen=True)
class _Found:
    """What a search finds, whatever page or sort is asked for: the text match,
    what the sorts need of the public filtered products, and every facet's
    counts."""

    match: _TextMatch | None
    columns: _Order
    total: int
    facets: Facets


def _public(
    cluster: Cluster | None, *, documents: bool
) -> QuerySet[PublicProduct] | QuerySet[SearchDocument]:
    """The public products, in ``cluster`` or any live cluster: rows of the shelf
    (one per cluster a product is public in), or — for a text search on
    PostgreSQL — the search documents, which know where each product is public
    and carry its facts, so the search reads one table with no join."""
    live = cluster is None or cluster.status == Cluster.Status.LIVE
    if documents and connection.vendor == "postgresql":
        if cluster is None:
            public = RawSQL(
                "cardinality(search_searchdocument.public_in) > 0",
                (),
                output_field=BooleanField(),
            )
        else:
            public = RawSQL(
                "%s = ANY(search_searchdocument.public_in)",
                (cluster.pk,),
                output_field=BooleanField(),
            )
        found = SearchDocument.objects.filter(public)
        return found if live else found.none()
    shelf = PublicProduct.objects.all()
    if cluster is not None:
        shelf = shelf.filter(cluster_id=cluster.pk)
    return shelf if live else shelf.none()


def _found(
    cluster: Cluster | None,
    terms: list[str],
    filters: ProductFilters,
    today: datetime.date,
) -> _Found:
    source = _public(cluster, documents=bool(terms))
    distinct = cluster is None and source.model is PublicProduct
    filtered: QuerySet[Any] = _apply_filters(source, filters, today)
    # The public, filtered products (and text matches), found once: every count
    # and the page then start from them instead of deciding again what is public.
    columns, scores = _Columns.read(filtered, distinct=distinct, terms=terms)
    match = _TextMatch(scores, near_misses=False) if terms else None
    if terms and not scores and connection.vendor == "postgresql":
        # Nothing found: correct each word from the dictionary of indexed words (a
        # trigram lookup, ~1 ms; scanning the documents' text instead cost 800 ms
        # a query over 100,000 products) and search again with the corrections.
        corrected = [_closest_word(term) for term in terms]
        if None not in corrected and corrected != terms:
            words = [word for word in corrected if word]
            columns, scores = _Columns.read(filtered, distinct=distinct, terms=words)
            match = _TextMatch(scores, near_misses=bool(scores))
    return _Found(
        match, columns.order(), len(columns.pks), _facets(columns, filters, today)
    )


def search_products(
    *,
    query: str,
    cluster: Cluster | None = None,
    filters: ProductFilters | None = None,
    sort: Sort = "relevance",
    page: int = 1,
    per_page: int = 24,
) -> SearchResults:
    """Public products matching ``query`` (every product when it is blank) and
    ``filters``, in ``cluster`` or across all live clusters, one page of them.

    Bad paging values are clamped and an unknown sort means relevance, so
    whatever a URL says gives a page, never an error.
    """
    filters = filters or ProductFilters()
    sort = sort if sort in SORTS else "relevance"
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    today = timezone.localdate()
    terms = search_terms(query)
    found = cached_value(
        ("found", cluster.pk if cluster else None, terms, filters, today),
        lambda: _found(cluster, terms, filters, today),
    )
    match, total, facets = found.match, found.total, found.facets
    page = min(page, max(1, -(-total // per_page)))
    start = (page - 1) * per_page
    page_ids = _ordered(found.columns, sort, match, start + per_page)[start:]
    fields = [
        "pk",
        "slug",
        "title_en",
        "description_en",
        "description_mi",
        "piece_story",
        "member__slug",
        "member__trading_name",
        "member__legal_name",
        "lowest_price_cents",
        "in_stock",
    ]
    by_pk = {
        row["pk"]: row
        for row in Product.objects.filter(pk__in=page_ids).values(*fields)
    }
    rows = [by_pk[pk] for pk in page_ids if pk in by_pk]
    clusters = _clusters_of([row["pk"] for row in rows], cluster)
    near = match is not None and match.near_misses
    hits = tuple(
        SearchHit(
            product_id=row["pk"],
            slug=row["slug"],
            member_slug=row["member__slug"],
            member_name=row["member__trading_name"] or row["member__legal_name"],
            score=match.scores.get(row["pk"], 0.0) if match is not None else 0.0,
            title_html=highlight(row["title_en"], terms, near=near),
            snippet_html=snippet(
                [row["description_en"], row["description_mi"], row["piece_story"]],
                terms,
                near=near,
            ),
            price_cents=row["lowest_price_cents"],
            in_stock=bool(row["in_stock"]),
            clusters=clusters.get(row["pk"], ()),
        )
        for row in rows
    )
    return SearchResults(
        query=query,
        sort=sort,
        page=page,
        per_page=per_page,
        total=total,
        hits=hits,
        facets=facets,
        engine=connection.vendor,
        near_misses=near,
        filters=filters,
    )
