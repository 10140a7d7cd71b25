"""API keys over JSON, for a logged-in person only (never with a key: these
operations are not in the scope map). The secret is in the creation's answer and
nowhere else.

- ``/members/{slug}/api-keys``: a member business's keys (its owners);
- ``/clusters/{slug}/api-keys``: a cluster's keys (its admins);
- ``/clusters/{slug}/trade-account/api-keys``: the caller's trade account's keys
  with that cluster (its buyers).

Each: ``GET`` lists (newest first), ``POST`` makes one (201), ``POST
…/{key_id}/revoke`` revokes one. 404 to anyone who may not issue them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.core.actor import Actor, actor_from
from purei.core.api_inputs import InputSchema

from .models import ApiKey
from .owners import cluster_owner, member_owner, trade_account_owner
from .scopes import Scope
from .selectors import api_key_get, api_keys_of
from .services import KeyOwner, api_key_create, api_key_revoke

router = Router(tags=["API keys"])


class ApiKeyOut(Schema):
    id: int
    name: str
    kind: str = Field(description="member, cluster or trade_account.")
    prefix: str = Field(description="The key's first 16 characters, to tell it by.")
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None = Field(description="Noted at most once a minute.")
    revoked_at: dt.datetime | None
    active: bool


class ApiKeyCreatedOut(ApiKeyOut):
    secret: str = Field(
        description="The whole key: shown this once, never again. Send it as "
        "`Authorization: Bearer <secret>`."
    )


class ApiKeyIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(min_length=1, max_length=len(Scope))
    expires_at: dt.datetime | None = Field(
        None, description="Optional; ISO 8601 with a time zone."
    )


def _out(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        id=key.pk,
        name=key.name,
        kind=key.kind,
        prefix=key.prefix,
        scopes=list(key.scopes),
        created_at=key.created_at,
        expires_at=key.expires_at,
        last_used_at=key.last_used_at,
        revoked_at=key.revoked_at,
        active=key.is_active,
    )


OwnerOf = Callable[..., KeyOwner]


def _list(request: HttpRequest, owner_of: OwnerOf, slug: str) -> list[ApiKeyOut]:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    return [_out(key) for key in api_keys_of(actor=actor, owner=owner)]


def _create(
    request: HttpRequest, owner_of: OwnerOf, slug: str, payload: ApiKeyIn
) -> Status[ApiKeyCreatedOut]:
    actor: Actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    api_keys_of(actor=actor, owner=owner)  # 404 to who may not issue them
    issued = api_key_create(
        actor=actor,
        owner=owner,
        name=payload.name,
        scopes=[scope.value for scope in payload.scopes],
        expires_at=payload.expires_at,
    )
    out = _out(issued.key)
    return Status(201, ApiKeyCreatedOut(**out.model_dump(), secret=issued.secret))


def _revoke(
    request: HttpRequest, owner_of: OwnerOf, slug: str, key_id: int
) -> ApiKeyOut:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    key = api_key_get(actor=actor, owner=owner, key_id=key_id)
    return _out(api_key_revoke(actor=actor, owner=owner, key=key))


# --- A member business's keys --------------------------------------------------------


@router.get("/members/{slug}/api-keys", response=list[ApiKeyOut], auth=django_auth)
def member_api_key_list_api(request: HttpRequest, slug: str) -> list[ApiKeyOut]:
    """The business's keys (its owners)."""
    return _list(request, member_owner, slug)


@router.post(
    "/members/{slug}/api-keys", response={201: ApiKeyCreatedOut}, auth=django_auth
)
def member_api_key_create_api(
    request: HttpRequest, slug: str, payload: ApiKeyIn
) -> Status[ApiKeyCreatedOut]:
    """Make a key for the business; the answer holds its secret, once."""
    return _create(request, member_owner, slug, payload)


@router.post(
    "/members/{slug}/api-keys/{key_id}/revoke", response=ApiKeyOut, auth=django_auth
)
def member_api_key_revoke_api(
    request: HttpRequest, slug: str, key_id: int
) -> ApiKeyOut:
    """Revoke a key: refused from the next request on."""
    return _revoke(request, member_owner, slug, key_id)


# --- A cluster's keys ----------------------------------------------------------------


@router.get("/clusters/{slug}/api-keys", response=list[ApiKeyOut], auth=django_auth)
def cluster_api_key_list_api(request: HttpRequest, slug: str) -> list[ApiKeyOut]:
    """The cluster's keys (its admins)."""
    return _list(request, cluster_owner, slug)


@router.post(
    "/clusters/{slug}/api-keys", response={201: ApiKeyCreatedOut}, auth=django_auth
)
def cluster_api_key_create_api(
    request: HttpRequest, slug: str, payload: ApiKeyIn
) -> Status[ApiKeyCreatedOut]:
    """Make a key for the cluster; the answer holds its secret, once."""
    return _create(request, cluster_owner, slug, payload)


@router.post(
    "/clusters/{slug}/api-keys/{key_id}/revoke", response=ApiKeyOut, auth=django_auth
)
def cluster_api_key_revoke_api(
    request: HttpRequest, slug: str, key_id: int
) -> ApiKeyOut:
    """Revoke a key: refused from the next request on."""
    return _revoke(request, cluster_owner, slug, key_id)


# --- A trade account's keys ----------------------------------------------------------


@router.get(
    "/clusters/{slug}/trade-account/api-keys",
    response=list[ApiKeyOut],
    auth=django_auth,
)
def trade_api_key_list_api(request: HttpRequest, slug: str) -> list[ApiKeyOut]:
    """The keys of the caller's trade account with this cluster (its buyers)."""
    return _list(request, trade_account_owner, slug)


@router.post(
    "/clusters/{slug}/trade-account/api-keys",
    response={201: ApiKeyCreatedOut},
    auth=django_auth,
)
def trade_api_key_create_api(
    request: HttpRequest, slug: str, payload: ApiKeyIn
) -> Status[ApiKeyCreatedOut]:
    """Make a key for the trade account; the answer holds its secret, once."""
    return _create(request, trade_account_owner, slug, payload)


@router.post(
    "/clusters/{slug}/trade-account/api-keys/{key_id}/revoke",
    response=ApiKeyOut,
    auth=django_auth,
)
def trade_api_key_revoke_api(request: HttpRequest, slug: str, key_id: int) -> ApiKeyOut:
    """Revoke a key: refused from the next request on."""
    return _revoke(request, trade_account_owner, slug, key_id)
