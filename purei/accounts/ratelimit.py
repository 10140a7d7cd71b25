"""Login rate limit: the hooks django-axes calls (see settings "Login rate limit").

django-axes counts failed logins per account (the email typed in) and per client
address, and refuses further logins for either once ``LOGIN_FAILURE_LIMIT`` is
reached, until ``LOGIN_COOLOFF_MINUTES`` have passed since the last failure. These
functions tell it who is logging in and what to answer when it refuses: the same
429 answer as every other rate limit (``purei.core.ratelimit``, which also finds the
client's address for it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from purei.core.ratelimit import too_many_requests_response

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


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """What a locked-out login gets: HTTP 429 with a page (or, for the API, the
    error JSON) saying how long to wait, and a Retry-After header."""
    wait = cooloff()
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return too_many_requests_response(
        request,
        code=AccountErrorCode.TOO_MANY_LOGIN_ATTEMPTS.value,
        message=lockout_message(),
        retry_after=int(wait.total_seconds()),
        template="accounts/locked_out.html",
        context={
            "minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "title": _("Too many login attempts"),
        },
    )
