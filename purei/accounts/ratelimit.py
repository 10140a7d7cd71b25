"""Login rate limit: the hooks django-axes calls (see settings "Login rate limit").

django-axes counts failed logins per account (the email typed in) and per client
address, and refuses further logins for either once ``LOGIN_FAILURE_LIMIT`` is
reached, until ``LOGIN_COOLOFF_MINUTES`` have passed since the last failure. These
functions tell it who is logging in and what to answer when it refuses.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import AccountErrorCode


def login_username(
    request: HttpRequest, credentials: Mapping[str, Any] | None = None
) -> str | None:
    """The account a login is for: the email typed in, trimmed and lower-cased (so
    "Mere@Example.NZ" and "mere@example.nz" count as one account)."""
    value: object = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if value is None and request.method == "POST":
        value = request.POST.get("username") or request.POST.get("email")
    if not isinstance(value, str):
        return None
    return value.strip().lower() or None


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


def cooloff() -> timedelta:
    value = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(value, timedelta):
        return value
    return timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


def lockout_message() -> str:
    minutes = max(1, math.ceil(cooloff().total_seconds() / 60))
    return ngettext(
        "Too many failed login attempts. To protect the account, logging in is "
        "paused: wait %(minutes)s minute after the last attempt, then try again.",
        "Too many failed login attempts. To protect the account, logging in is "
        "paused: wait %(minutes)s minutes after the last attempt, then try again.",
        minutes,
    ) % {"minutes": minutes}


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.path_info.startswith("/api/")
        or request.headers.get("x-requested-with") == "XMLHttpRequest"
        or "application/json" in request.headers.get("accept", "")
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """What a locked-out login gets: HTTP 429 with a page (or, for the API, the
    error JSON) saying how long to wait, and a Retry-After header."""
    wait = cooloff()
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse(
            {
                "code": AccountErrorCode.TOO_MANY_LOGIN_ATTEMPTS.value,
                "message": lockout_message(),
                "field": None,
                "retry_after": int(wait.total_seconds()),
            },
            status=429,
        )
    else:
        response = render(
            request,
            "accounts/locked_out.html",
            {
                "minutes": minutes,
                "failure_limit": settings.AXES_FAILURE_LIMIT,
                "message": lockout_message(),
                "title": _("Too many login attempts"),
            },
            status=429,
        )
    response["Retry-After"] = str(int(wait.total_seconds()))
    return response
