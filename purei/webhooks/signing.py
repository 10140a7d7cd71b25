"""Signing a delivery: ``Purei-Signature: t=<unix>,v1=<hex>[,v1=<hex>]``.

``v1`` is the hex HMAC-SHA256, keyed by the endpoint's secret, of
``f"{t}.{body}"`` (the exact bytes sent). During the 24 hours after a rotation
there are two ``v1`` values: one per secret. ``verify`` is what a receiver does
(docs/api.md "Webhooks" gives it in Python and JavaScript).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

TOLERANCE_SECONDS = 300


def body_bytes(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets: Sequence[str], body: bytes, timestamp: int) -> str:
    parts = [f"t={timestamp}"] + [
        f"v1={signature(s, timestamp, body)}" for s in secrets
    ]
    return ",".join(parts)


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """True when ``header`` holds a ``v1`` made with ``secret`` over ``body`` and its
    ``t`` is within ``tolerance`` seconds of now (a replayed old delivery fails)."""
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in signatures)
