"""The ``Idempotency-Key`` header on every write of the API (ADR 0019).

A write (POST, PUT, PATCH, DELETE) sent with ``Idempotency-Key: <up to 255
characters>`` is answered once per **principal** — the API key, else the logged-in
account, else the guest's ``X-Cart-Token``, else the session, else the client's
address — and the answer (status, body, content type) is kept 24 hours:

- the same key with the same method, path and body again: the kept answer, with
  ``Idempotent-Replayed: true``, and nothing is done again;
- the same key with anything else: 422 ``idempotency_key_reused``;
- the same key while the first request is still being answered: 409
  ``idempotency_in_progress`` with ``Retry-After: 1`` (a row is claimed with a unique
  constraint before the work starts, so exactly one request does it).

Answers that say "try again" are not kept, so the same key may be used again: 5xx,
401, 409 and 429. A claim older than ``IDEMPOTENCY_STALE_SECONDS`` (a request that
died: its process was killed mid-request) is taken over; set it just above the app
server's request timeout (gunicorn's is 30 s), past which no request still runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.errors import DomainError, ValidationFailed
from purei.core.ratelimit import client_ip

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEPT_FOR = dt.timedelta(hours=24)
MAX_KEY = 255
NOT_KEPT = frozenset({401, 409, 429})
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyErrorCode(StrEnum):
    REUSED = "idempotency_key_reused"
    IN_PROGRESS = "idempotency_in_progress"
    INVALID = "invalid"


class InProgress(DomainError):
    status = 409


def _digest(value: str | bytes) -> str:
    data = value.encode("utf-8") if isinstance(value, str) else value
    return hashlib.sha256(data).hexdigest()


def principal_of(request: HttpRequest) -> str:
    """Who the key belongs to: the API key, the account, the guest's cart token,
    the session or, last, the client's address."""
    api_key = getattr(request, "_purei_api_key", None)
    if api_key is not None:
        return f"key:{api_key.pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    token = request.headers.get("X-Cart-Token")
    if token:
        return f"cart:{_digest(token)[:40]}"
    session = getattr(request, "session", None)
    session_key = session.session_key if session is not None else None
    if session_key:
        return f"session:{_digest(session_key)[:40]}"
    return f"address:{_digest(client_ip(request) or 'unknown')[:40]}"


def fingerprint_of(request: HttpRequest) -> str:
    try:
        body = request.body
    except RequestDataTooBig:  # a large upload: its size and type stand for it
        body = (
            f"{request.META.get('CONTENT_TYPE', '')}:"
            f"{request.META.get('CONTENT_LENGTH', '')}"
        ).encode()
    head = f"{request.method}\0{request.get_full_path()}\0".encode()
    return _digest(head + body)


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body),
        status=record.status or 200,
        content_type=record.content_type or "application/json",
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(
    request: HttpRequest, principal: str, key: str, fingerprint: str
) -> IdempotencyRecord | HttpResponse | DomainError:
    """This request's claim on ``key``; or the kept answer; or the refusal."""
    now = timezone.now()
    IdempotencyRecord.objects.filter(
        principal=principal, key=key, expires_at__lte=now
    ).delete()
    IdempotencyRecord.objects.filter(
        principal=principal,
        key=key,
        status__isnull=True,
        created_at__lt=now - dt.timedelta(seconds=settings.IDEMPOTENCY_STALE_SECONDS),
    ).delete()
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                principal=principal,
                key=key,
                fingerprint=fingerprint,
                method=request.method or "",
                path=request.path[:500],
                expires_at=now + KEPT_FOR,
            )
    except IntegrityError:
        pass
    existing = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
    if existing is not None and existing.fingerprint != fingerprint:
        return ValidationFailed(
            IdempotencyErrorCode.REUSED,
            {
                HEADER: [
                    _(
                        "This Idempotency-Key was already used for another request "
                        "(a different method, address or body). Use a new key."
                    )
                ]
            },
        )
    if existing is None or existing.status is None:
        return InProgress(
            IdempotencyErrorCode.IN_PROGRESS,
            _("A request with this Idempotency-Key is still being answered."),
            field=HEADER,
        )
    return _replay(existing)


def idempotent_run(
    request: HttpRequest,
    run: Callable[[HttpRequest], HttpResponseBase],
    refuse: Callable[[DomainError], HttpResponse],
) -> Any:
    """Answer ``request`` with ``run`` once per principal and Idempotency-Key."""
    if request.method not in WRITES or HEADER not in request.headers:
        return run(request)
    key = request.headers[HEADER].strip()
    if not key or len(key) > MAX_KEY:
        return refuse(
            ValidationFailed(
                IdempotencyErrorCode.INVALID,
                {HEADER: [_("An Idempotency-Key has 1 to 255 characters.")]},
            )
        )
    claim = _claim(request, principal_of(request), key, fingerprint_of(request))
    if isinstance(claim, DomainError):
        refusal = refuse(claim)
        if isinstance(claim, InProgress):
            refusal["Retry-After"] = "1"
        return refusal
    if isinstance(claim, HttpResponse):
        return claim
    try:
        response = run(request)
    except BaseException:
        claim.delete()
        raise
    status = response.status_code
    if not isinstance(response, HttpResponse) or status >= 500 or status in NOT_KEPT:
        claim.delete()  # streamed, or "try again": not kept
        return response
    claim.status = status
    claim.content_type = response.get("Content-Type", "")[:100]
    claim.body = response.content
    claim.save(update_fields=["status", "content_type", "body"])
    return response


def idempotency_purge(now: dt.datetime | None = None) -> int:
    """Delete the answers kept longer than 24 hours; how many went."""
    deleted, _kinds = IdempotencyRecord.objects.filter(
        expires_at__lte=now or timezone.now()
    ).delete()
    return deleted
