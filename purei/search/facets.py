"""Facet counts, from the columns a search read (no query of their own).

Category, maker, region, price band and stock are counted in Python from the rows
at hand (a grouped query read all the rows a second time), and so are the key
attributes and credentials. The search app counts ids; the catalogue gives the
labels of the ids found (``FacetLabels``) and each product's credentials.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import Any

from purei.search.engine import Columns
from purei.search.entries import ATTRIBUTE_KEY_PATTERN, ATTRIBUTE_SEPARATOR
from purei.search.filters import (
    ATTRIBUTE_PARAM_PREFIX,
    ATTRIBUTES_NOT_FACETED,
    PRICE_BANDS,
    ProductFilters,
)

# A facet lists its most common values, at most this many (every region and
# category fit; a big cluster's makers beyond these are found by searching).
MAX_FACET_VALUES = 20
# At most this many key-attribute facets, taken from the categories with the most
# matching products, each showing its most common values.
MAX_ATTRIBUTE_FACETS = 3
MAX_ATTRIBUTE_VALUES = 12


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
class Tallies:
    """How many of the products found have each category, maker and region (by
    id): the ids the catalogue then labels."""

    categories: Counter[int]
    members: Counter[int]
    regions: Counter[int]


@dataclass(frozen=True)
class FacetLabels:
    """What the catalogue knows of the ids found: (key, label) of each category,
    maker and region, each category's attributes (by slug), and the credential
    kinds' labels."""

    categories: Mapping[int, tuple[str, str]]
    schemas: Mapping[str, Sequence[Mapping[str, Any]]]
    members: Mapping[int, tuple[str, str]]
    regions: Mapping[int, tuple[str, str]]
    credentials: Mapping[str, str]


def _counts(values: Sequence[int | None]) -> Counter[int]:
    """How many times each id occurs (counted in C), without None."""
    counts: Counter[Any] = Counter(values)
    counts.pop(None, None)
    return counts


def tallies(columns: Columns) -> Tallies:
    return Tallies(
        categories=_counts(columns.category_ids),
        members=_counts(columns.member_ids),
        regions=_counts(columns.region_ids),
    )


def _values(
    counts: Mapping[int, int],
    labels: Mapping[int, tuple[str, str]],
    selected: str | None,
) -> tuple[FacetValue, ...]:
    """The counts as facet values; ``labels`` gives each id's (key, label)."""
    named = [
        (labels[pk][0], labels[pk][1], n) for pk, n in counts.items() if pk in labels
    ]
    named.sort(key=lambda item: (-item[2], item[0]))
    return tuple(
        FacetValue(value=key, label=label, count=n, selected=selected == key)
        for key, label, n in named[:MAX_FACET_VALUES]
    )


def _attribute_specs(
    categories: list[str], schemas: Mapping[str, Sequence[Mapping[str, Any]]]
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
    columns: Columns,
    categories: tuple[FacetValue, ...],
    labels: FacetLabels,
    filters: ProductFilters,
) -> tuple[AttributeFacet, ...]:
    """Counts of the key attributes' values over the filtered products of the
    categories that have those attributes (from the rows at hand)."""
    schemas = labels.schemas
    selected = dict(filters.attributes)
    specs = _attribute_specs([value.value for value in categories], schemas)
    keys = {key for key, _label in specs}
    having = {
        pk
        for pk, (slug, _label) in labels.categories.items()
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


# The bands' lower bounds after the first (the bands run on with no gap).
_BAND_STARTS = [band.low_cents or 0 for band in PRICE_BANDS[1:]]


def facets(
    columns: Columns,
    counted: Tallies,
    labels: FacetLabels,
    marks: Mapping[int, frozenset[str]],
    filters: ProductFilters,
) -> Facets:
    """Every facet's counts and labels; ``marks`` gives each product's current
    credential kinds (most have none)."""
    bands = Counter(
        map(
            partial(bisect_right, _BAND_STARTS),
            [price for price in columns.prices if price is not None],
        )
    )
    # In C: the kinds of the products that have any.
    held = Counter(chain.from_iterable(filter(None, map(marks.get, columns.pks))))
    credentials = tuple(
        FacetValue(
            value=kind,
            label=labels.credentials.get(kind, kind),
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
    category_values = _values(counted.categories, labels.categories, filters.category)
    return Facets(
        category=category_values,
        member=_values(counted.members, labels.members, filters.member),
        region=_values(counted.regions, labels.regions, filters.region),
        price_band=price_bands,
        credential=credentials,
        in_stock=sum(map(bool, columns.in_stock)),
        attributes=_attribute_facets(columns, category_values, labels, filters),
    )
