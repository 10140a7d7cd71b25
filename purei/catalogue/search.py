"""Searching the public products: what the shop, the search page and the public
API call.

``search_products`` finds *public* products (live, with an approved listing —
cultural review not needed or approved — in a live cluster where the member's
membership is approved), ranked, highlighted and with facet counts computed from
the same filtered set. The search app (``purei.search.engine``) finds them on
its shelf and returns ids, facts and scores; this module resolves the filters'
slugs to ids, labels the facets, the hits and their clusters from the
catalogue's, members' and clusters' tables, and caches it all by catalogue
version (``purei.search.cache``). On SQLite the text match is FTS5, on
PostgreSQL a weighted ``tsvector``; on both, near-misses are corrected from the
dictionary of indexed words (``purei.search.textmatch``), and both give the same
``SearchResults``.

A search runs a fixed number of SQL queries whatever the page size: the public
filtered products (with the text match and its scores when there is text; one
more per word, and the same query again, to correct words when nothing
matched) with what the facets count (category, maker, region, price
band, stock and key attributes are then counted in Python from those rows), the
labels of the categories (with their key attributes), makers and regions found
(each skipped when there is none), one for the credentials of the products
found (of every product, kept per catalogue version, when thousands were found),
the page, and the clusters of the hits.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from purei.catalogue.models import Category, Product
from purei.clusters.models import Cluster, Region, SellingModel
from purei.core.rows import one_of
from purei.members.models import Credential, Member
from purei.search.cache import cached_value, catalogue_version
from purei.search.engine import Columns, Order, TextMatch, find, shelf, shelf_rows
from purei.search.facets import (
    AttributeFacet,
    FacetLabels,
    Facets,
    FacetValue,
    Tallies,
    facets,
    tallies,
)
from purei.search.filters import (
    MAX_FILTER_LENGTH,
    PRICE_BAND_KEYS,
    PRICE_BANDS,
    ProductFilters,
    ShelfFilters,
    attribute_filters,
)
from purei.search.highlight import highlight, search_terms, snippet
from purei.search.ordering import SORT_LABELS, SORTS, Sort, ordered

MAX_PER_PAGE = 100


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
    # With near misses: the words searched for instead ("avocado" for "avacado").
    corrected_query: str = ""
    # Nothing found, not even with the corrected words (the filters left none):
    # those words, for "Did you mean …?" (empty otherwise).
    suggested_query: str = ""

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

    Read from the shelf of public products (``purei.search.shelf``), in one of two
    plans: by default the shelf drives (``pk IN (…)``), so a shop costs what its
    cluster holds; with ``few`` — when something else, such as a text match, has
    already narrowed the products — each candidate is looked up on it
    (``EXISTS``), so a search never builds the public set of every cluster.
    """
    rows: QuerySet[Any] = shelf(cluster.pk if cluster is not None else None)
    live = Product.objects.filter(status=Product.Status.LIVE)
    if few:
        return live.filter(Exists(rows.filter(product_id=OuterRef("pk"))))
    return live.filter(pk__in=rows.values("product_id"))


def _verified_credential(today: datetime.date) -> Q:
    """On product-credential links: the credential is verified and not lapsed."""
    return Q(credential__verification=Credential.Verification.VERIFIED) & (
        Q(credential__expires_on__isnull=True) | Q(credential__expires_on__gte=today)
    )


# Up to this many products found, their credentials are read by id (the ids one
# parameter); beyond it, every product's verified links are read (once per
# catalogue version in each process, while the caches are on). By id costs 0.5 ms
# of CPU for 24 products against 22 ms for all 31,728 links of the 100,000-product
# bench (most of it building the marks in Python), but not for a third of the
# catalogue: 32,078 ids ("gift") took PostgreSQL 19 ms to plan and 57 ms in all,
# against 10 ms for the query of every link.
MARKS_BY_ID = 5_000

_marks_memo: dict[tuple[int, datetime.date], dict[int, frozenset[str]]] = {}


def verified_marks(
    today: datetime.date, product_ids: Sequence[int]
) -> dict[int, frozenset[str]]:
    """product id → kinds of its verified credentials still current on ``today``,
    at least for ``product_ids`` (the products found): one query (none when
    nothing was found or the links are kept)."""
    if not product_ids:
        return {}
    through = Product.credentials.through
    links = through.objects.filter(_verified_credential(today))
    if len(product_ids) <= MARKS_BY_ID:
        return _marks(links.filter(one_of(through, "product_id", product_ids)))
    caching = int(getattr(settings, "SEARCH_CACHE_SECONDS", 300)) > 0
    key = (catalogue_version(), today) if caching else None
    if key is not None and key in _marks_memo:
        return _marks_memo[key]
    found = _marks(links)
    if key is not None:
        _marks_memo.clear()  # only the current version is worth keeping
        _marks_memo[key] = found
    return found


def _marks(links: QuerySet[Any]) -> dict[int, frozenset[str]]:
    marks: dict[int, set[str]] = defaultdict(set)
    for product_id, kind in links.values_list("product_id", "credential__kind"):
        marks[product_id].add(kind)
    return {pk: frozenset(kinds) for pk, kinds in marks.items()}


def _shelf_filters(filters: ProductFilters, today: datetime.date) -> ShelfFilters:
    """The URL's filters as the shelf applies them: each slug becomes a subquery
    of ids, so resolving it costs no query of its own."""

    def ids(query: QuerySet[Any]) -> QuerySet[Any, int]:
        return query.values_list("pk", flat=True)

    credential = None
    if filters.credential:
        credential = Product.credentials.through.objects.filter(
            _verified_credential(today), credential__kind=filters.credential
        ).values_list("product_id", flat=True)
    return ShelfFilters(
        category_ids=ids(Category.objects.filter(slug=filters.category))
        if filters.category
        else None,
        member_ids=ids(Member.objects.filter(slug=filters.member))
        if filters.member
        else None,
        region_ids=ids(Region.objects.filter(code=filters.region))
        if filters.region
        else None,
        product_ids=credential,
        price_band=filters.price_band,
        in_stock=filters.in_stock,
        attributes=filters.attributes,
    )


def _localised(en: str, mi: str) -> str:
    if get_language() == "mi" and mi:
        return mi
    return en or ""


def _labels(counted: Tallies) -> FacetLabels:
    """The labels of the categories (with their attributes), makers and regions
    found: three small queries (each skipped when there is none)."""
    categories: dict[int, tuple[str, str]] = {}
    schemas: dict[str, list[dict[str, object]]] = {}
    for pk, slug, name_en, name_mi, attributes in Category.objects.filter(
        pk__in=list(counted.categories)
    ).values_list("pk", "slug", "name_en", "name_mi", "attributes"):
        categories[pk] = (slug, _localised(name_en, name_mi))
        schemas[slug] = list(attributes or [])
    members = {
        pk: (slug, str(trading or legal))
        for pk, slug, trading, legal in Member.objects.filter(
            pk__in=list(counted.members)
        ).values_list("pk", "slug", "trading_name", "legal_name")
    }
    regions = {
        pk: (code, _localised(name_en, name_mi))
        for pk, code, name_en, name_mi in Region.objects.filter(
            pk__in=list(counted.regions)
        ).values_list("pk", "code", "name_en", "name_mi")
    }
    return FacetLabels(
        categories=categories,
        schemas=schemas,
        members=members,
        regions=regions,
        credentials={kind: str(label) for kind, label in Credential.Kind.choices},
    )


@dataclass(frozen=True)
class _Found:
    """What a search finds, whatever page or sort is asked for: the text match,
    what the sorts need of the public filtered products, and every facet's
    counts."""

    match: TextMatch | None
    columns: Order
    total: int
    facets: Facets


def _found(
    cluster: Cluster | None,
    terms: list[str],
    filters: ProductFilters,
    today: datetime.date,
    *,
    with_facets: bool = True,
) -> _Found:
    if cluster is not None and cluster.status != Cluster.Status.LIVE:
        columns = Columns.empty()
        match = TextMatch({}, near_misses=False) if terms else None
    else:
        # The public, filtered products (and text matches), found once: every
        # count and the page then start from them.
        columns, match = find(
            cluster.pk if cluster is not None else None,
            terms,
            _shelf_filters(filters, today),
        )
    found = Facets()
    if with_facets:
        counted = tallies(columns)
        found = facets(
            columns,
            counted,
            _labels(counted),
            verified_marks(today, columns.pks),
            filters,
        )
    return _Found(match, columns.order(), len(columns.pks), found)


def _clusters_of(
    product_ids: list[int], cluster: Cluster | None
) -> dict[int, tuple[ClusterRef, ...]]:
    found: dict[int, list[ClusterRef]] = defaultdict(list)
    if not product_ids:
        return {}
    rows = (
        shelf_rows(product_ids, cluster.pk if cluster is not None else None)
        .order_by("cluster__name_en")
        .values_list(
            "product_id",
            "cluster__slug",
            "cluster__name_en",
            "cluster__name_mi",
            "cluster__selling_model",
            "cluster__lead_org_gst_registered",
        )
    )
    for product_id, slug, name_en, name_mi, model, lead_registered in rows:
        charges = bool(lead_registered) if model == SellingModel.RESELLER else None
        found[product_id].append(ClusterRef(slug, name_en, name_mi, charges))
    return {product_id: tuple(refs) for product_id, refs in found.items()}


def search_products(
    *,
    query: str,
    cluster: Cluster | None = None,
    filters: ProductFilters | None = None,
    sort: Sort = "relevance",
    page: int = 1,
    per_page: int = 24,
    with_facets: bool = True,
    with_clusters: bool = True,
) -> SearchResults:
    """Public products matching ``query`` (every product when it is blank) and
    ``filters``, in ``cluster`` or across all live clusters, one page of them.

    A page that shows no facets (a maker's grid) asks without them
    (``with_facets=False``: no counts, no labels read), and one whose cards do not
    say where else each product sells without ``with_clusters`` (each hit's
    ``clusters`` is then empty).

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
        ("found", cluster.pk if cluster else None, terms, filters, today, with_facets),
        lambda: _found(cluster, terms, filters, today, with_facets=with_facets),
    )
    match, total = found.match, found.total
    page = min(page, max(1, -(-total // per_page)))
    start = (page - 1) * per_page
    scores = match.scores if match is not None else None
    page_ids = ordered(found.columns, sort, scores, start + per_page)[start:]
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
    clusters = (
        _clusters_of([row["pk"] for row in rows], cluster) if with_clusters else {}
    )
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
    suggested = ""
    if total == 0 and match is not None and match.suggested:
        suggested = " ".join(match.suggested)
    return SearchResults(
        query=query,
        sort=sort,
        page=page,
        per_page=per_page,
        total=total,
        hits=hits,
        facets=found.facets,
        engine=connection.vendor,
        near_misses=near,
        filters=filters,
        corrected_query=" ".join(match.corrected) if near and match else "",
        suggested_query=suggested,
    )


# --- What an empty result offers instead ----------------------------------------

# Categories offered as "popular" when a search finds nothing.
POPULAR_CATEGORIES = 5
# Query words shorter than this name no category ("of", "a").
MIN_CATEGORY_TERM = 3


@dataclass(frozen=True)
class CategorySuggestion:
    """A category to browse instead: its slug (the facet's value), its name and
    how many public products it holds here."""

    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class Suggestions:
    """What a search that found nothing offers: the categories whose names match
    its words (product text no longer carries category names, so "pottery" finds
    the category, not the products), and the categories with most products."""

    categories: tuple[CategorySuggestion, ...] = ()
    popular: tuple[CategorySuggestion, ...] = ()


def _names_match(name_words: set[str], terms: list[str]) -> bool:
    """Whether a query word starts a word of the name ("pot" → "pottery"), or a
    word of the name starts a query word ("wines" → "wine")."""
    for term in terms:
        if len(term) < MIN_CATEGORY_TERM:
            continue
        for word in name_words:
            if word.startswith(term) or (
                len(word) >= MIN_CATEGORY_TERM + 1 and term.startswith(word)
            ):
                return True
    return False


def _suggestions(cluster_id: int | None, terms: list[str]) -> Suggestions:
    counts: dict[int, int] = dict(
        shelf(cluster_id)
        .values_list("category_id")
        .annotate(n=Count("product_id", distinct=True))
        .filter(category_id__isnull=False)
        .order_by()
    )
    if not counts:
        return Suggestions()
    found: list[CategorySuggestion] = []
    matching: list[CategorySuggestion] = []
    for pk, slug, name_en, name_mi in Category.objects.filter(
        pk__in=list(counts)
    ).values_list("pk", "slug", "name_en", "name_mi"):
        suggestion = CategorySuggestion(slug, _localised(name_en, name_mi), counts[pk])
        found.append(suggestion)
        words = set(search_terms(f"{name_en} {name_mi}"))
        if terms and _names_match(words, terms):
            matching.append(suggestion)

    def most(item: CategorySuggestion) -> tuple[int, str]:
        return (-item.count, item.name.casefold())

    matching.sort(key=most)
    shown = {item.slug for item in matching}
    popular = [item for item in sorted(found, key=most) if item.slug not in shown]
    return Suggestions(tuple(matching), tuple(popular[:POPULAR_CATEGORIES]))


def search_suggestions(*, query: str, cluster: Cluster | None = None) -> Suggestions:
    """What to offer when a search of ``query`` (in ``cluster``, or everywhere)
    finds nothing: the categories with public products here whose names match its
    words, and the few with most products (never one already matching). Two
    queries — the shelf's products counted by category, and those categories'
    names — kept per catalogue version."""
    terms = search_terms(query)
    cluster_id = cluster.pk if cluster is not None else None
    if cluster is not None and cluster.status != Cluster.Status.LIVE:
        return Suggestions()
    return cached_value(
        ("suggestions", cluster_id, terms),
        lambda: _suggestions(cluster_id, terms),
    )


__all__ = [
    "MAX_FILTER_LENGTH",
    "MAX_PER_PAGE",
    "PRICE_BANDS",
    "PRICE_BAND_KEYS",
    "SORTS",
    "SORT_LABELS",
    "AttributeFacet",
    "CategorySuggestion",
    "ClusterRef",
    "FacetValue",
    "Facets",
    "ProductFilters",
    "SearchHit",
    "SearchResults",
    "Sort",
    "Suggestions",
    "attribute_filters",
    "public_products",
    "search_products",
    "search_suggestions",
    "verified_marks",
]
