"""System checks of Pūrei's own settings (``purei check``; ``--deploy`` for the
production ones)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
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
