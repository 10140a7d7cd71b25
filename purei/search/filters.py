"""Shop filters: as URLs spell them (``ProductFilters``: slugs and codes) and as the
shelf applies them (``ShelfFilters``: ids, which the catalogue resolves)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from purei.search.entries import ATTRIBUTE_KEY_PATTERN, attribute_token
from purei.search.models import ProductFacts

MAX_FILTER_LENGTH = 80
# Key attributes (a category's ``"facet": true`` attributes, e.g. wine's vintage and
# varietal, honey's UMF grade) travel in the URL as ``attr_<key>=<value>``.
ATTRIBUTE_PARAM_PREFIX = "attr_"
MAX_ATTRIBUTE_FILTERS = 4
# Attributes already shown by a facet of their own.
ATTRIBUTES_NOT_FACETED = frozenset({"region_of_origin"})


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
class ShelfFilters:
    """Filters as the shelf applies them. The id sets are what the catalogue
    resolved a URL's slugs to; each may be a lazy query of ids (a subquery, so
    resolving costs no query of its own)."""

    category_ids: Iterable[int] | None = None
    member_ids: Iterable[int] | None = None
    region_ids: Iterable[int] | None = None
    # Only these products (e.g. those with a verified credential of a kind).
    product_ids: Iterable[int] | None = None
    price_band: str | None = None
    in_stock: bool = False
    attributes: tuple[tuple[str, str], ...] = ()


def apply_filters[Facts: ProductFacts](
    shelf: QuerySet[Facts], filters: ShelfFilters
) -> QuerySet[Facts]:
    """``filters`` on shelf rows or search documents (which carry each product's
    facts)."""
    lookups: dict[str, Any] = {}
    for name, ids in (
        ("category_id__in", filters.category_ids),
        ("member_id__in", filters.member_ids),
        ("origin_region_id__in", filters.region_ids),
        ("product_id__in", filters.product_ids),
    ):
        if ids is not None:
            lookups[name] = ids if isinstance(ids, QuerySet) else list(ids)
    if lookups:
        shelf = shelf.filter(**lookups)
    if filters.in_stock:
        shelf = shelf.filter(in_stock=True)
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
