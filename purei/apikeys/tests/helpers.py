"""Making keys in tests, and calling the API with one."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Model
from django.test import Client

from purei.apikeys.models import ApiKey
from purei.apikeys.services import IssuedKey, KeyOwner, api_key_create
from purei.core.actor import Actor


def issue(
    actor: Actor,
    target: Model,
    scopes: list[str],
    *,
    kind: str | None = None,
    expires_at: dt.datetime | None = None,
    name: str = "Test key",
) -> IssuedKey:
    found_kind = (
        kind
        or {
            "Member": ApiKey.Kind.MEMBER,
            "Cluster": ApiKey.Kind.CLUSTER,
            "TradeAccount": ApiKey.Kind.TRADE_ACCOUNT,
        }[type(target).__name__]
    )
    return api_key_create(
        actor=actor,
        owner=KeyOwner(kind=found_kind, target=target),
        name=name,
        scopes=scopes,
        expires_at=expires_at,
    )


def call(
    client: Client,
    method: str,
    path: str,
    body: Any = None,
    *,
    key: str | None = None,
    **headers: str,
) -> Any:
    extra: dict[str, Any] = dict(headers)
    if key is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client.generic(
        method,
        f"/api/v1{path}",
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        **extra,
    )
