"""The sorts a shop or search page offers, and the page's order (in Python: every
product found is at hand, and a database sorting thousands of ids it was given
costs more)."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from purei.search.engine import Order

Sort = Literal["relevance", "newest", "price_asc", "price_desc"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "price_asc", "price_desc")
SORT_LABELS: dict[Sort, Promise] = {
    "relevance": _("Best match"),
    "newest": _("Newest"),
    "price_asc": _("Price, low to high"),
    "price_desc": _("Price, high to low"),
}


def ordered(
    columns: Order, sort: Sort, scores: Mapping[int, float] | None, end: int
) -> list[int]:
    """The first ``end`` product ids in the page's order; ``scores`` (product id →
    score) when there was text to match."""
    pks, prices = columns.pks, columns.prices
    rows = range(len(pks))
    key: Callable[[int], tuple[Any, ...]]
    if sort == "price_asc":
        key = lambda i: (prices[i] is None, prices[i] or 0, pks[i])  # noqa: E731
    elif sort == "price_desc":
        key = lambda i: (prices[i] is None, -(prices[i] or 0), pks[i])  # noqa: E731
    elif sort == "relevance" and scores is not None:
        titles = columns.titles
        key = lambda i: (-scores.get(pks[i], 0.0), titles[i], pks[i])  # noqa: E731
    else:
        created = columns.created
        key = lambda i: (-created[i], -pks[i])  # noqa: E731
    return [pks[i] for i in heapq.nsmallest(end, rows, key=key)]
