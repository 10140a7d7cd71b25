"""System checks of Pūrei's own settings (``purei check``; ``--deploy`` for the
production ones), registered by ``CoreConfig``.

- ``purei.core.E001``: a rate limit (``RATE_LIMIT_*``) that does not read as a rate.
- ``purei.core.E002`` (``--deploy``): the cache is Redis (``REDIS_URL``) but nothing
  answers there, or the ``redis`` client is missing. Every shop and search page reads
  the cache, so either would make them answer 500.
- ``purei.core.W001`` / ``W002`` (``--deploy``): ``SITE_URL`` is this machine, or not
  https.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from .ratelimit import parse_rates

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@register(Tags.security, deploy=True)
def check_site_url(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Links in emails are built on SITE_URL: in production it must be the site's
    public https address, not the default (this machine, from HOST and PORT)."""
    url = urlsplit(settings.SITE_URL)
    host = (url.hostname or "").lower()
    if not host or host in LOOPBACK_HOSTS or host.startswith("127."):
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in emails would lead to "
                "this machine.",
                hint="Set SITE_URL to the site's public address, e.g. "
                "https://purei.example.nz.",
                id="purei.core.W001",
            )
        ]
    if url.scheme != "https":
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in emails would not use "
                "https.",
                hint="Set SITE_URL to the site's https address.",
                id="purei.core.W002",
            )
        ]
    return []


@register()
def check_rate_limits(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Every configured rate (RATE_LIMIT_* variables) reads as a rate."""
    errors: list[CheckMessage] = []
    for action, scopes in settings.RATE_LIMITS.items():
        for scope, text in scopes.items():
            try:
                parse_rates(text)
            except ValueError as exc:
                errors.append(
                    Error(
                        f"RATE_LIMITS[{action!r}][{scope!r}]: {exc}",
                        hint=f"Fix RATE_LIMIT_{action.upper()}_{scope.upper()}: "
                        "e.g. 10/h, or 1/2m,10/d; empty for no limit.",
                        id="purei.core.E001",
                    )
                )
    return errors


# How long the deploy check waits for Redis to answer, in seconds.
REDIS_PING_TIMEOUT = 2.0


def _redis_urls(location: object) -> list[str]:
    """The server URLs of a RedisCache ``LOCATION`` (a string, comma-separated,
    or a list)."""
    if isinstance(location, str):
        return [url.strip() for url in location.split(",") if url.strip()]
    if isinstance(location, Iterable):
        return [str(url).strip() for url in location if str(url).strip()]
    return []


def without_password(url: str) -> str:
    """``url`` as it may be shown: any password replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def redis_problem(url: str, timeout: float = REDIS_PING_TIMEOUT) -> str:
    """Why Redis at ``url`` cannot serve as the cache, or "" when it answers a
    PING within ``timeout`` seconds."""
    try:
        import redis
    except ImportError:
        return "the redis client is not installed (it is in requirements.lock)"
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout
        )
    except ValueError as error:
        return f"it is not a Redis URL ({error})"
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        return f"it does not answer ({error})"
    finally:
        client.close()
    return ""


@register(Tags.caches, deploy=True)
def check_redis_answers(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """purei.core.E002: each Redis cache answers a PING."""
    errors: list[CheckMessage] = []
    for alias, config in settings.CACHES.items():
        # Django's Redis cache, or one made from it (the test suite's).
        if not isinstance(caches[alias], RedisCache):
            continue
        for url in _redis_urls(config.get("LOCATION", "")):
            problem = redis_problem(url)
            if problem:
                errors.append(
                    Error(
                        f"The {alias!r} cache is Redis at {without_password(url)} "
                        f"(REDIS_URL), but {problem}.",
                        hint=(
                            "Start Redis there, or correct REDIS_URL (unset it for "
                            "a per-process cache). Shop and search pages fail "
                            "without it."
                        ),
                        id="purei.core.E002",
                    )
                )
    return errors
