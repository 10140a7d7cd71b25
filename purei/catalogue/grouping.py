"""Search results that are the same product from several makers ("universal beam"
from four workshops) are shown together, under one heading, with each maker's price.

"The same product" is decided by name only, within one cluster: the English title,
without tags, case, macrons, punctuation or repeated spaces ("Universal Beam",
"universal beam." and "Universal  beam" are one; "Universal beam 150UB" is another).
Grouping works on the page of results at hand (no extra query), keeps the place of
the group's first result, and the makers in the order the search ranked them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import strip_tags

from purei.catalogue.claims import fold
from purei.catalogue.search import SearchHit

_NOT_WORD = re.compile(r"[^\w]+")


def same_product_key(title: str) -> str:
    """The name two products share when they are "the same product"."""
    return " ".join(_NOT_WORD.sub(" ", fold(strip_tags(title))).split())


@dataclass(frozen=True)
class ResultSlot:
    """One place in the results: a single hit (``indexes`` of one) or a group."""

    indexes: tuple[int, ...]

    @property
    def is_group(self) -> bool:
        return len(self.indexes) > 1


def group_same_products(
    hits: Sequence[SearchHit], cluster_slugs: Sequence[str]
) -> list[ResultSlot]:
    """The page's hits as slots: hits with the same cluster (``cluster_slugs[i]``,
    where hit ``i`` is shown) and the same name, from different makers, share a slot."""
    slots: list[list[int]] = []
    by_key: dict[tuple[str, str], int] = {}
    for index, hit in enumerate(hits):
        name = same_product_key(str(hit.title_html))
        key = (cluster_slugs[index], name)
        slot = by_key.get(key) if name else None
        if slot is not None and all(
            hits[i].member_slug != hit.member_slug for i in slots[slot]
        ):
            slots[slot].append(index)
            continue
        by_key.setdefault(key, len(slots))
        slots.append([index])
    return [ResultSlot(tuple(indexes)) for indexes in slots]
