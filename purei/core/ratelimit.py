"""Rate limits on actions that cost someone something: an account, an email in an
inbox, an application for people to read (see settings "Rate limits").

Each action has limits per **scope**: ``address`` (the client's network address) and
the thing acted on (``email``, ``account``). ``RATE_LIMITS[action][scope]`` holds its
rates, e.g. ``"1/2m,10/d"``: at most 1 in 2 minutes and 10 a day; every rate of every
scope must allow an attempt. Refused attempts are not counted, so waiting the time a
refusal names is enough.

Counts live in the cache (``RATE_LIMIT_CACHE``: the local-memory cache of one
process, or Redis shared by all with ``REDIS_URL``), changed only with the cache's
atomic ``add`` and ``incr``. Each rate keeps a counter per window of its length and
weighs the previous window's count by how much of it still lies within one window
length of now (a sliding-window estimate), so a burst at a window's edge does not
get twice the limit through.

Views and API endpoints call :func:`rate_limit_request` before doing the action; the
refusal, :class:`RateLimited`, becomes a 429 page (``RateLimitMiddleware``) or the
API's error JSON, both with a ``Retry-After`` header.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import DomainError

logger = logging.getLogger(__name__)

ADDRESS = "address"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


class RateLimitErrorCode(StrEnum):
    RATE_LIMITED = "rate_limited"


# --- Rates -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` attempts in ``seconds``."""

    limit: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.limit}/{self.seconds}s"


@lru_cache(maxsize=256)
def parse_rates(text: str) -> tuple[Rate, ...]:
    """``"1/2m,10/d"`` → (1 in 120 s, 10 in 86,400 s). Empty means no limit.
    Units: s, m, h, d, optionally with a count (``15m``)."""
    rates: list[Rate] = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        found = _RATE.match(part)
        if found is None:
            raise ValueError(f"{part.strip()!r} is not a rate like 10/h, 1/2m or 5/d.")
        limit, count, unit = int(found[1]), int(found[2] or 1), found[3]
        if limit < 1 or count < 1:
            raise ValueError(f"{part.strip()!r}: the numbers must be 1 or more.")
        rates.append(Rate(limit=limit, seconds=count * _UNITS[unit]))
    return tuple(rates)


def rates_for(action: str) -> dict[str, tuple[Rate, ...]]:
    """The configured rates of ``action``, by scope."""
    configured: Mapping[str, Mapping[str, str]] = settings.RATE_LIMITS
    if action not in configured:
        raise ImproperlyConfigured(f"RATE_LIMITS has no entry for {action!r}.")
    try:
        return {scope: parse_rates(text) for scope, text in configured[action].items()}
    except ValueError as exc:
        raise ImproperlyConfigured(f"RATE_LIMITS[{action!r}]: {exc}") from exc


# --- The refusal -------------------------------------------------------------------


def wait_text(seconds: int) -> str:
    """``seconds`` as a person reads it, rounded up: 45 seconds, 4 minutes, 3 hours."""
    if seconds < 60:
        count = max(1, seconds)
        return ngettext("%(count)s second", "%(count)s seconds", count) % {
            "count": count
        }
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {
            "count": minutes
        }
    hours = math.ceil(seconds / 3600)
    return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}


def rate_limited_message(retry_after: int) -> str:
    return _(
        "This has been tried too often in a short time, so it is paused to keep "
        "accounts and inboxes safe. Try again in %(wait)s."
    ) % {"wait": wait_text(retry_after)}


class RateLimited(DomainError):
    """Too many attempts: try again after ``retry_after`` seconds."""

    status = 429

    def __init__(self, *, action: str, retry_after: int) -> None:
        super().__init__(
            RateLimitErrorCode.RATE_LIMITED, rate_limited_message(retry_after)
        )
        self.action = action
        self.retry_after = retry_after


# --- Counting ----------------------------------------------------------------------


def _key(action: str, scope: str, identity: str, rate: Rate, window: int) -> str:
    # Hashed: no email address or network address is written into the cache.
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    prefix = settings.RATE_LIMIT_KEY_PREFIX
    return f"{prefix}:{action}:{scope}:{digest}:{rate.seconds}:{window}"


def _count(key: str, timeout: int) -> int:
    """Add one to ``key`` atomically, creating it (expiring after ``timeout``)."""
    cache = caches[settings.RATE_LIMIT_CACHE]
    for _attempt in range(3):
        cache.add(key, 0, timeout=timeout)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr: add it again
            continue
    raise RuntimeError(f"Could not count rate-limit key {key}.")  # pragma: no cover


def _uncount(key: str) -> None:
    with contextlib.suppress(ValueError):  # already expired: nothing to take back
        caches[settings.RATE_LIMIT_CACHE].decr(key)


def _wait(rate: Rate, *, previous: int, current: int, now: float) -> int:
    """Seconds until one more attempt fits, with ``current`` attempts in the window
    under way and ``previous`` in the one before it (the refused one not counted)."""
    length = rate.seconds
    start = math.floor(now / length) * length
    if current < rate.limit and previous > 0:
        # Still this window, once enough of the previous one has slid out of it.
        at = start + length - (rate.limit - 1 - current) * length / previous
    else:
        # The next window, once enough of this one has slid out of it.
        at = start + 2 * length - (rate.limit - 1) * length / max(1, current)
    return max(1, math.ceil(at - now))


def _over(rate: Rate, *, previous: int, current: int, now: float) -> bool:
    """The estimate for the last window length: the current window's count plus
    the previous one's, weighed by how much of it lies within one length of now
    (compared multiplied out by the length, so whole seconds stay exact)."""
    length = rate.seconds
    into = now - math.floor(now / length) * length
    return previous * (length - into) + current * length > rate.limit * length


def rate_limit_hit(
    *, action: str, keys: Mapping[str, str], now: float | None = None
) -> None:
    """Count one attempt at ``action`` by each ``scope → identity`` in ``keys``.

    Raises :class:`RateLimited` (and counts nothing) when any rate of any scope is
    used up. Scopes without configured rates, and empty identities, are skipped."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    now = time.time() if now is None else now
    rates = rates_for(action)
    cache = caches[settings.RATE_LIMIT_CACHE]
    counted: list[str] = []
    waits: list[int] = []
    for scope, identity in keys.items():
        if not identity:
            continue
        for rate in rates.get(scope, ()):
            window = math.floor(now / rate.seconds)
            key = _key(action, scope, identity, rate, window)
            # Kept through the next window, where it is the previous one.
            current = _count(key, timeout=2 * rate.seconds + 1)
            counted.append(key)
            previous = int(
                cache.get(_key(action, scope, identity, rate, window - 1)) or 0
            )
            if _over(rate, previous=previous, current=current, now=now):
                waits.append(
                    _wait(rate, previous=previous, current=current - 1, now=now)
                )
                logger.info("Rate limit: %s refused (%s, %s).", action, scope, rate)
    if waits:
        for key in counted:
            _uncount(key)
        raise RateLimited(action=action, retry_after=max(waits))


# --- Requests ----------------------------------------------------------------------


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind ``TRUSTED_PROXY_COUNT`` reverse
    proxies, the address the outermost trusted proxy saw (from X-Forwarded-For)."""
    remote = _valid_ip(str(request.META.get("REMOTE_ADDR", "")))
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    # Each trusted proxy appends the address it saw; anything further left was
    # written by the client and cannot be trusted.
    candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
    return _valid_ip(candidate) or remote


def rate_limit_request(
    request: HttpRequest, action: str, **targets: str | int | None
) -> None:
    """Count one attempt at ``action`` from this request's client address and for
    each target (``email=…``, ``account=…``; emails count whatever their case).
    Raises :class:`RateLimited` when one is used up."""
    keys = {ADDRESS: client_ip(request) or "unknown"}
    for scope, value in targets.items():
        if value is not None and str(value).strip():
            keys[scope] = str(value).strip().lower()
    rate_limit_hit(action=action, keys=keys)


# --- The answer --------------------------------------------------------------------


def wants_json(request: HttpRequest) -> bool:
    return (
        request.path_info.startswith("/api/")
        or request.headers.get("x-requested-with") == "XMLHttpRequest"
        or "application/json" in request.headers.get("accept", "")
    )


def too_many_requests_response(
    request: HttpRequest,
    *,
    code: str,
    message: str,
    retry_after: int,
    template: str = "429.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """HTTP 429 with a ``Retry-After`` header: the error JSON (``code``, ``message``,
    ``field``, ``retry_after``) for API clients, else the site's page."""
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse(
            {
                "code": code,
                "message": message,
                "field": None,
                "retry_after": retry_after,
            },
            status=429,
        )
    else:
        response = render(
            request,
            template,
            {
                "title": _("Too many attempts"),
                "message": message,
                "retry_after": retry_after,
                "wait": wait_text(retry_after),
                **(context or {}),
            },
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Turns :class:`RateLimited` raised by a view into the 429 answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, RateLimited):
            return None
        return too_many_requests_response(
            request,
            code=exception.code,
            message=exception.message,
            retry_after=exception.retry_after,
        )
