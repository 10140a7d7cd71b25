"""How the JSON API pages its lists: Ninja's limit/offset pagination, bounded.

Every list answers ``{"count": n, "items": [...]}`` and takes ``limit`` (1 to
``MAX_LIMIT``, default ``DEFAULT_LIMIT``) and ``offset`` (0 to ``MAX_OFFSET``). A
number out of range is refused by validation (422 naming ``limit`` or
``offset``) before any query runs: a database cannot take an offset of 10²⁰.

An endpoint returns a query set, or ``Mapped(query_set, to_out)`` when each row
is turned into its output by a function: only the page's rows are fetched and
converted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000


class Mapped[T: Model, U]:
    """``rows`` seen through ``convert``: a slice fetches that window of ``rows``
    and converts each; ``count()`` counts ``rows`` in the database."""

    def __init__(self, rows: QuerySet[T], convert: Callable[[T], U]) -> None:
        self._rows = rows
        self._convert = convert

    def __getitem__(self, window: slice) -> list[U]:
        return [self._convert(row) for row in self._rows[window]]

    def all(self) -> Mapped[T, U]:
        return self

    def count(self) -> int:
        return self._rows.count()


class Paginated(LimitOffsetPagination):
    """Limit/offset pagination with both numbers bounded."""

    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT,
            ge=1,
            le=MAX_LIMIT,
            description=f"How many items to answer (1 to {MAX_LIMIT}).",
        )
        offset: int = Field(
            0,
            ge=0,
            le=MAX_OFFSET,
            description=f"How many items to skip (0 to {MAX_OFFSET:,}).",
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
