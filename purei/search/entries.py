"""What the apps above tell the search app: plain values, no models.

The search app imports no catalogue, members or clusters code (docs/adr/0007).
The services that change products, listings, memberships and clusters pass these
values down (``purei.search.index`` and ``purei.search.shelf`` take them), and the
search app keeps what it needs of them in its own tables.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Attribute keys that can be filtered and counted (``attr_<key>`` in URLs).
ATTRIBUTE_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
# Between the ``key=value`` tokens of ``ProductFacts.attribute_tokens``.
ATTRIBUTE_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Facts:
    """A product's facts that shops and searches filter, count and sort by."""

    title: str
    created_at: datetime.datetime | None
    lowest_price_cents: int | None
    in_stock: bool
    category_id: int | None
    member_id: int | None
    origin_region_id: int | None
    # The plain attributes as ``attribute_tokens`` writes them.
    attribute_tokens: str = ""

    def as_row(self) -> dict[str, Any]:
        """The facts by the column names of ``ProductFacts``."""
        return {
            "title": self.title,
            "created_at": self.created_at,
            "lowest_price_cents": self.lowest_price_cents,
            "in_stock": self.in_stock,
            "category_id": self.category_id,
            "member_id": self.member_id,
            "origin_region_id": self.origin_region_id,
            "attribute_tokens": self.attribute_tokens,
        }


# The columns of ``ProductFacts``, in ``Facts``' order.
FACT_FIELDS = (
    "title",
    "created_at",
    "lowest_price_cents",
    "in_stock",
    "category_id",
    "member_id",
    "origin_region_id",
    "attribute_tokens",
)


@dataclass(frozen=True)
class ProductText:
    """The text a product is found by, unfolded, by field group (weights: title
    most, then tags and names, then the body, then place and attributes). Its
    category is not text: it is found by the category facet. Its maker's names,
    story and place, and the names of the maker's clusters, the search app adds
    itself (``MakerText``, ``purei.search.makers``)."""

    title: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListingState:
    """One listing of a product: in which cluster, and whether it is listed there
    (the product is live, the listing approved and past any cultural review).
    Whether the cluster is live and the member admitted to it, the search app
    knows from ``cluster_changed`` and ``membership_changed``."""

    cluster_id: int
    listed: bool


@dataclass(frozen=True)
class MakerText:
    """What a maker (a member business) is found by, unfolded: its names, its
    story (the search app keeps only its keywords) and where it is (town and
    region). Every product of the maker is found by it too, ranked below a match
    in the product's own text."""

    member_id: int
    names: tuple[str, ...] = ()
    story: str = ""
    place: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProductEntry:
    """Everything the search app keeps of one product: its text, its facts and
    its listings (all of them; a listing left out is forgotten), and its maker's
    text (kept once per maker, ``purei.search.makers``)."""

    product_id: int
    facts: Facts
    text: ProductText
    listings: tuple[ListingState, ...] = field(default=())
    maker: MakerText | None = None


@dataclass(frozen=True)
class MembershipState:
    """Whether a member is admitted to a cluster (its membership approved)."""

    member_id: int
    cluster_id: int
    open: bool


@dataclass(frozen=True)
class ClusterState:
    """Whether a cluster is live (its shop open to the public), and its names
    (its members' products are found by them)."""

    cluster_id: int
    live: bool
    names: tuple[str, ...] = ()


def attribute_text(value: object) -> str:
    """An attribute's value as URLs and filters spell it (JSON numbers as digits,
    true/false as JSON writes them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def attribute_token(key: str, text: str) -> str:
    """One attribute as it is found in ``ProductFacts.attribute_tokens``."""
    value = text.replace(ATTRIBUTE_SEPARATOR, " ")
    return f"{ATTRIBUTE_SEPARATOR}{key}={value}{ATTRIBUTE_SEPARATOR}"


def attribute_tokens(attributes: object) -> str:
    """A product's plain attributes (text, numbers, true/false; not lists, objects
    or nulls) as ``\x1fkey=value\x1fkey=value\x1f``, keys in order."""
    if not isinstance(attributes, Mapping):
        return ""
    tokens = [
        f"{key}={attribute_text(value).replace(ATTRIBUTE_SEPARATOR, ' ')}"
        for key, value in sorted(attributes.items())
        if isinstance(key, str)
        and ATTRIBUTE_KEY_PATTERN.match(key)
        and isinstance(value, str | int | float | bool)
        and str(value).strip()
    ]
    if not tokens:
        return ""
    return ATTRIBUTE_SEPARATOR + ATTRIBUTE_SEPARATOR.join(tokens) + ATTRIBUTE_SEPARATOR


def attribute_values(value: object) -> tuple[str, ...]:
    """Every value inside a product's attributes (nested too), as text: what the
    attribute text group is made of."""
    if isinstance(value, dict):
        return tuple(text for item in value.values() for text in attribute_values(item))
    if isinstance(value, list | tuple):
        return tuple(text for item in value for text in attribute_values(item))
    if value is None or isinstance(value, bool):
        return ()
    return (str(value),)
