"""API keys on every operation of the NinjaAPI (ADR 0019), installed once by
``purei/api/api.py`` with the map of operations to scopes.

A request with ``Authorization: Bearer pk_live_…`` is checked before the operation
runs: the key must exist, be neither revoked nor expired, hold the scope the
operation needs (an operation missing from the map is refused to every key: fail
closed) and be within its rate limit. Then the request acts as the key's
``Actor`` (its issuer narrowed to the key's owner and scopes), ``request.user`` is
anonymous (nothing falls back to a session), and Django's CSRF check does not apply
(no cookie is involved). Operations with session auth (``django_auth``) accept the
key through ``ApiKeyBearer``, tried first.

A request without a key is untouched: the session and its CSRF check as before. A
guest's ``X-Cart-Token`` header (the cart and checkout endpoints) is a header a
cross-site form cannot send, so such a request is not CSRF-checked either.

Every write then goes through ``idempotency.idempotent_run``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from functools import partial, wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.operation import Operation
from ninja.security import HttpBearer

from purei.core.errors import DomainError, NotPermitted
from purei.core.ratelimit import rate_limit_hit

from .idempotency import idempotent_run
from .models import ApiKey
from .scopes import PUBLIC
from .services import ApiKeyErrorCode, KeyRefused, api_key_authenticate, key_actor

RATE_ACTION = "api_key"
KEY_ATTR = "_purei_api_key"
_BEARER = re.compile(r"^\s*bearer\s+(?P<token>\S+)\s*$", re.IGNORECASE)

ScopeOf = Callable[[Operation], str | None]


class ScopeErrorCode(StrEnum):
    MISSING = "api_key_scope_missing"
    NOT_FOR_KEYS = "api_key_not_accepted"


class ApiKeyBearer(HttpBearer):
    """``Authorization: Bearer pk_live_…`` (checked before the operation runs)."""

    openapi_bearerFormat = "pk_live_…"

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return getattr(request, KEY_ATTR, None)


def request_key(request: HttpRequest) -> ApiKey | None:
    """The API key the request came with (already checked), if any."""
    return getattr(request, KEY_ATTR, None)


def _scope_refusal(needed: str | None, key: ApiKey) -> DomainError | None:
    if needed is None:
        return NotPermitted(
            ScopeErrorCode.NOT_FOR_KEYS,
            _("This operation is not open to API keys: log in instead."),
        )
    if needed != PUBLIC and needed not in key.scopes:
        return NotPermitted(
            ScopeErrorCode.MISSING,
            _("This API key lacks the scope %(scope)s.") % {"scope": needed},
        )
    return None


def _authenticate(request: HttpRequest, needed: str | None) -> DomainError | None:
    """Check the request's Bearer key, if it has one; its refusal otherwise."""
    header = request.headers.get("Authorization", "")
    if not header.lower().lstrip().startswith("bearer"):
        if request.headers.get("X-Cart-Token"):
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return None
    found = _BEARER.match(header)
    if found is None:
        return KeyRefused(ApiKeyErrorCode.KEY_INVALID, _("This API key is not valid."))
    try:
        key = api_key_authenticate(found["token"])
    except KeyRefused as refused:
        return refused
    refusal = _scope_refusal(needed, key)
    if refusal is not None:
        return refusal
    try:
        rate_limit_hit(action=RATE_ACTION, keys={"key": str(key.pk)})
    except DomainError as limited:
        return limited
    request.user = AnonymousUser()
    request._purei_actor = key_actor(key)  # type: ignore[attr-defined]
    setattr(request, KEY_ATTR, key)
    request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
    return None


def _keyed(run: Callable[..., Any], *, scope_of: ScopeOf) -> Callable[..., Any]:
    operation: Operation = run.__self__  # type: ignore[attr-defined]
    needed = scope_of(operation)
    if operation.auth_callbacks:
        operation.auth_callbacks = [ApiKeyBearer(), *operation.auth_callbacks]

    @wraps(run)
    def keyed_run(request: HttpRequest, **kwargs: Any) -> Any:
        refusal = _authenticate(request, needed)
        if refusal is not None:
            response: HttpResponse = operation.api.on_exception(request, refusal)
            if isinstance(refusal, KeyRefused):
                response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response

        def refuse(error: DomainError) -> HttpResponse:
            return operation.api.on_exception(request, error)

        return idempotent_run(request, partial(run, **kwargs), refuse)

    keyed_run.scope = needed  # type: ignore[attr-defined]
    return keyed_run


def install(api: NinjaAPI, scope_of: ScopeOf) -> None:
    """Make every operation of ``api`` (call before its URLs are built) accept API
    keys, each needing ``scope_of(operation)``, and honour ``Idempotency-Key``."""
    api.add_decorator(partial(_keyed, scope_of=scope_of), mode="view")
