"""Whole storefront pages kept for anonymous shoppers, with their live parts filled
per request (issue 18).

A page decorated with ``page_cached`` is rendered once and kept in Django's cache for
``PAGE_CACHE_SECONDS`` (default 300; 0 turns it off), keyed by scheme, host, path and
query, language, htmx headers and the **catalogue version** (``purei.search.cache``:
every change the shop shows raises it, a sale's stock too, so the next request
renders anew). Only answers that are the same for every anonymous visitor are kept:
the request is a GET or HEAD from someone not logged in, with no message waiting in
the session; the view wrote nothing to the session and set no cookie; the status is
200.

What differs per visitor is left as a mark in the kept page and filled on each
request, kept or not:

- **the CSRF token**: the page is rendered with ``CSRF_MARK`` in its place (the
  ``context`` processor overrides Django's ``csrf_token``); each answer gets the
  visitor's own masked token, and CsrfViewMiddleware sets its cookie as usual;
- **holes**: a part of the page between ``<!--purei-hole:NAME:ARG-->`` and
  ``<!--/purei-hole-->`` is rendered for nobody in particular (the header's cart
  link with no items) and passed on each answer to the filler registered under
  NAME (``register_hole``; the orders app fills the cart link from the session);
- **stock**: a view says which variants' stock its page shows (``shows_stock``);
  when the kept page is older than ``STOCK_FRESH_SECONDS`` (5) those variants'
  stock is read again (one query) and the page rendered anew if it changed. Stock
  changed through Pūrei's services raises the catalogue version at once; this
  check bounds anything else (the replica's lag, SQL by hand) to 5 seconds;
- **the clock**: what changes by time alone (a sales window opening or closing)
  is said by the part that shows it (``changes_at``); a kept page is not served
  from that moment on, but rendered anew.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from purei.catalogue.models import Variant
from purei.core.rows import rows_by_pk
from purei.search.cache import (
    catalogue_changed_on_commit,
    catalogue_version,
    one_version,
)

# Letters and dashes only: the same escaped or not, in an attribute or in JSON.
CSRF_MARK = "purei-csrf-mark-0b7d1f"
STOCK_FRESH_SECONDS = 5
_RENDERING = "_purei_page_cache_rendering"
_STOCK = "_purei_page_cache_stock"
_UNTIL = "_purei_page_cache_until"
_HOLE = re.compile(
    r"<!--purei-hole:(?P<name>[a-z-]+):(?P<arg>[^>]*?)-->(?P<body>.*?)<!--/purei-hole-->",
    re.DOTALL,
)
# What of a kept answer's headers is kept (the others are made by the middleware
# on each answer: cookies, the request id, CSP, compression).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "Vary", "HX-Trigger")

_now = time.time  # the clock of ``checked_at`` (tests move it)

HoleFiller = Callable[[HttpRequest, str, str], str]
_fillers: dict[str, HoleFiller] = {}


def register_hole(name: str, filler: HoleFiller) -> None:
    """``filler(request, arg, body)`` gives the HTML of hole ``name`` for this
    request (``body`` is what the page was rendered with)."""
    _fillers[name] = filler


def rendering(request: HttpRequest | None) -> bool:
    """The page is being rendered to be kept: leave the live parts as marks."""
    return bool(getattr(request, _RENDERING, False))


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: while a page is rendered to be kept, its CSRF
    token is a mark and ``page_cache_render`` is true (templates mark holes)."""
    if rendering(request):
        return {"csrf_token": CSRF_MARK, "page_cache_render": True}
    return {}


def shows_stock(request: HttpRequest, variants: Sequence[Variant]) -> None:
    """The page shows these variants' stock, as read for it (checked again when
    the kept page is older than ``STOCK_FRESH_SECONDS``)."""
    if rendering(request):
        setattr(request, _STOCK, sorted(_stock_row(v) for v in variants))


def changes_at(request: HttpRequest | None, when: datetime.datetime | None) -> None:
    """The page shows something that changes by the clock alone at ``when`` (a
    sales window opening or closing): its kept copy is not served from then on.
    The earliest of the page's moments counts."""
    if request is None or when is None or not rendering(request):
        return
    moment = when.timestamp()
    earlier = getattr(request, _UNTIL, None)
    if earlier is None or moment < earlier:
        setattr(request, _UNTIL, moment)


def shown_on_kept_pages(*models: type[Model]) -> None:
    """Saving or deleting a row of these models raises the catalogue version (on
    commit), however it is written (a service, the admin): kept pages show them —
    a product page's reviews, delivery estimate, sales window and promotions —
    and would otherwise show the old ones for up to ``PAGE_CACHE_SECONDS``.
    Fixtures loaded raw are left alone. (The search app keeps no receivers, ADR
    0006: these live here, with the pages they keep fresh.)"""
    for model in models:
        label = model._meta.label
        post_save.connect(
            _row_changed, sender=model, dispatch_uid=f"purei.kept.saved.{label}"
        )
        post_delete.connect(
            _row_changed, sender=model, dispatch_uid=f"purei.kept.deleted.{label}"
        )


def _row_changed(*, raw: bool = False, **_: object) -> None:
    if not raw:
        catalogue_changed_on_commit()


def _stock_row(variant: Variant) -> tuple[Any, ...]:
    return (variant.pk, variant.stock_policy, variant.stock, variant.lead_time_days)


def _stock_now(ids: Sequence[int]) -> list[tuple[Any, ...]]:
    # In plain SQL: the ORM's filter cost more than the query (issue 18).
    return rows_by_pk(Variant, ["id", "stock_policy", "stock", "lead_time_days"], ids)


@dataclass
class Kept:
    """One kept page."""

    content: str
    headers: list[tuple[str, str]]
    stock: list[tuple[Any, ...]] = field(default_factory=list)
    checked_at: float = 0.0  # when rendered (time.time(): shared between processes)
    until: float | None = None  # not served from then on (``changes_at``)


def seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 300))


def _anonymous(request: HttpRequest) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return "messages" not in request.COOKIES
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.get("_messages"):
        return False
    return "messages" not in request.COOKIES


def _key(request: HttpRequest) -> str:
    raw = repr(
        (
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            get_language(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
            request.headers.get("HX-Boosted", ""),
            connection.vendor,
            catalogue_version(),
        )
    )
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _live(request: HttpRequest, html: str) -> str:
    """The page with this visitor's CSRF token and holes filled."""
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, get_token(request))
    if "<!--purei-hole:" in html:

        def fill(match: re.Match[str]) -> str:
            filler = _fillers.get(match["name"])
            body = match["body"]
            return filler(request, match["arg"], body) if filler else body

        html = _HOLE.sub(fill, html)
    return html


def _answer(request: HttpRequest, kept: Kept, *, hit: bool) -> HttpResponse:
    response = HttpResponse(_live(request, kept.content))
    for name, value in kept.headers:
        response[name] = value
    patch_vary_headers(response, ("Cookie",))
    # Whether it was served kept (the bench counts them; harmless to anyone).
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not (session is not None and session.modified)
        and not response.has_header("Cache-Control")
    )


def page_cached[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Keep the view's page for anonymous visitors."""
    return page_cached_when(None)(view)


def page_cached_when[**P](
    when: Callable[[HttpRequest], bool] | None,
) -> Callable[[Callable[P, HttpResponse]], Callable[P, HttpResponse]]:
    """``page_cached`` with a further condition on the request (``when``; e.g. the
    cart page only for a first visit)."""

    def decorate(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            request = cast("HttpRequest", args[0])
            if (
                seconds() <= 0
                or request.method not in ("GET", "HEAD")
                or not _anonymous(request)
                or (when is not None and not when(request))
            ):
                return view(*args, **kwargs)
            with one_version():
                return _serve(request, view, args, kwargs)

        return wrapper

    return decorate


def _serve(
    request: HttpRequest,
    view: Callable[..., HttpResponse],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> HttpResponse:
    key = _key(request)
    # When its stock was last found unchanged is kept apart, so a check writes a
    # number, not the whole page again (one read for both: MGET on Redis).
    checked_key = f"{key}:checked"
    found = cache.get_many([key, checked_key])
    kept = found.get(key)
    now = _now()
    until = getattr(kept, "until", None)  # pages kept before it was added: None
    if isinstance(kept, Kept) and (until is None or now < until):
        checked = max(kept.checked_at, float(found.get(checked_key) or 0))
        if not kept.stock or now - checked < STOCK_FRESH_SECONDS:
            return _answer(request, kept, hit=True)
        if _stock_now([row[0] for row in kept.stock]) == kept.stock:
            cache.set(checked_key, now, seconds())
            return _answer(request, kept, hit=True)
    setattr(request, _RENDERING, True)
    try:
        response = view(*args, **kwargs)
    finally:
        setattr(request, _RENDERING, False)
    if response.streaming:
        return response
    if not _keepable(request, response):
        html = response.content.decode(response.charset)
        response.content = _live(request, html).encode(response.charset)
        return response
    kept = Kept(
        content=response.content.decode(response.charset),
        headers=[(h, response[h]) for h in _KEPT_HEADERS if response.has_header(h)],
        stock=cast("list[tuple[Any, ...]]", getattr(request, _STOCK, [])),
        checked_at=_now(),
        until=getattr(request, _UNTIL, None),
    )
    cache.set(key, kept, seconds())
    return _answer(request, kept, hit=False)


__all__ = [
    "CSRF_MARK",
    "STOCK_FRESH_SECONDS",
    "changes_at",
    "context",
    "page_cached",
    "page_cached_when",
    "register_hole",
    "rendering",
    "shown_on_kept_pages",
    "shows_stock",
]
