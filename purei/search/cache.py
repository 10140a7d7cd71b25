"""Cached shop and search results.

The rendered results of a shop or search page (facets, cards, paging) are kept in
Django's cache for ``SEARCH_CACHE_SECONDS`` (default 300; 0 turns it off), keyed by
the page's host, path, language, parameters and the **catalogue version**: a number
in the database that every change to what those pages show raises
(``catalogue_changed``, called by the search index on every product write, import and
stock change, and on membership and cluster changes). A change is therefore seen by
the next request in every server process; the time limit only bounds changes made
outside Pūrei's services (the Django admin, SQL by hand).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.db import (
    IntegrityError,
    connection,
    transaction,
)
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import get_language

from purei.core.rows import rows_by_pk
from purei.search.models import CatalogueVersion

VERSION_ROW = 1


# Within one request the version is read once (``one_version``).
_pinned: ContextVar[int | None] = ContextVar("catalogue_version", default=None)


def catalogue_version() -> int:
    """The current catalogue version (one primary-key lookup, or none inside
    ``one_version``)."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    # Plain SQL: every kept page asks, and the ORM's query building cost more
    # than the query (a third of a kept page's time, profiled for issue 18).
    found = rows_by_pk(CatalogueVersion, ["version"], [VERSION_ROW])
    return int(found[0][0]) if found else 0


@contextmanager
def one_version() -> Iterator[int]:
    """Read the catalogue version once for everything inside (a page's results,
    its cards, what its search found)."""
    token = _pinned.set(catalogue_version())
    try:
        yield _pinned.get() or 0
    finally:
        _pinned.reset(token)


def catalogue_changed() -> None:
    """Raise the catalogue version: every cached result is now stale."""
    if CatalogueVersion.objects.filter(pk=VERSION_ROW).update(version=F("version") + 1):
        return
    try:
        with transaction.atomic():
            CatalogueVersion.objects.create(pk=VERSION_ROW, version=1)
    except IntegrityError:  # made by a parallel request
        CatalogueVersion.objects.filter(pk=VERSION_ROW).update(version=F("version") + 1)


def catalogue_changed_on_commit() -> None:
    transaction.on_commit(catalogue_changed)


def cached_value[T](parts: object, compute: Callable[[], T]) -> T:
    """``compute()``, kept for ``SEARCH_CACHE_SECONDS`` under ``parts`` (which must
    have a stable ``repr``), the language and the catalogue version. What a search
    finds — its products and facet counts — is the same for every page and sort of
    it, so paging and re-sorting reuse it."""
    seconds = int(getattr(settings, "SEARCH_CACHE_SECONDS", 300))
    if seconds <= 0:
        return compute()
    raw = repr((parts, get_language(), connection.vendor, catalogue_version()))
    key = "search-found:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return cast("T", value)


def cached_fragment[T](parts: object, compute: Callable[[], T]) -> T:
    """``cached_value``, with the catalogue version read once for ``compute()``
    and everything it caches in turn (a page's fragment holding a search and
    its cards): one query for the version, not one per cached piece. With the
    caches off, ``compute()`` (no version read)."""
    if int(getattr(settings, "SEARCH_CACHE_SECONDS", 300)) <= 0:
        return compute()
    with one_version():
        return cached_value(parts, compute)


def _keys(parts: list[object]) -> dict[str, object]:
    version = catalogue_version()
    language = get_language()
    return {
        "search-part:"
        + hashlib.sha256(repr((part, language, version)).encode()).hexdigest(): part
        for part in parts
    }


def cached_many(parts: list[object]) -> dict[object, str]:
    """The cached text of each of ``parts`` that is in the cache (one lookup)."""
    if int(getattr(settings, "SEARCH_CACHE_SECONDS", 300)) <= 0 or not parts:
        return {}
    keys = _keys(parts)
    return {keys[key]: str(value) for key, value in cache.get_many(list(keys)).items()}


def remember_many(texts: dict[object, str]) -> None:
    """Keep rendered pieces (e.g. product cards) by their parts, as ``cached_many``
    finds them."""
    seconds = int(getattr(settings, "SEARCH_CACHE_SECONDS", 300))
    if seconds <= 0 or not texts:
        return
    keys = _keys(list(texts))
    cache.set_many({key: texts[part] for key, part in keys.items()}, seconds)


def cached_results(request: HttpRequest, render: Callable[[], str]) -> str:
    """The results fragment for ``request``: from the cache when the catalogue has
    not changed since it was rendered, else ``render()`` (then kept)."""
    seconds = int(getattr(settings, "SEARCH_CACHE_SECONDS", 300))
    if seconds <= 0:
        return render()
    with one_version():
        return _cached_results(request, render, seconds)


def _cached_results(
    request: HttpRequest, render: Callable[[], str], seconds: int
) -> str:
    params = sorted(
        (name, value) for name, values in request.GET.lists() for value in values
    )
    raw = repr(
        (
            request.get_host(),
            request.path,
            get_language(),
            params,
            catalogue_version(),
        )
    )
    key = "search-results:" + hashlib.sha256(raw.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds)
    return str(html)


__all__ = [
    "cached_fragment",
    "cached_many",
    "cached_results",
    "cached_value",
    "catalogue_changed",
    "catalogue_changed_on_commit",
    "catalogue_version",
    "remember_many",
]
