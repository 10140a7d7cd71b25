"""Webhooks over JSON, for a logged-in person only: these operations are not in
the API key scope map (``purei/api/scopes.py``), so every key is refused (403
``api_key_not_accepted``) — a key that could point a business's events at any
address would leak them. The signing secret is in the answers to create and
rotate, nowhere else.

- ``/members/{slug}/webhooks``: a member business's endpoints (its owners);
- ``/clusters/{slug}/webhooks``: a cluster's endpoints (its admins).

Each: ``GET`` lists, ``POST`` adds one (201), ``PATCH …/{endpoint_id}`` changes
its address, description or events, ``POST …/{endpoint_id}/rotate-secret``,
``POST …/{endpoint_id}/disable``, ``GET …/{endpoint_id}/deliveries`` (the log),
``POST …/{endpoint_id}/deliveries/{delivery_id}/replay`` (send again). 404 to
anyone who may not manage them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.core.events import EVENT_NAMES

from .models import Delivery, Endpoint
from .owners import cluster_owner, member_owner
from .selectors import deliveries_of, delivery_get, endpoint_get, endpoints_of
from .services import (
    EndpointOwner,
    delivery_replay,
    endpoint_create,
    endpoint_disable,
    endpoint_rotate_secret,
    endpoint_update,
)

router = Router(tags=["Webhooks"])
OwnerOf = Callable[..., EndpointOwner]


class EndpointOut(Schema):
    id: int
    kind: str = Field(description="member or cluster.")
    url: str
    description: str
    events: list[str]
    active: bool
    created_at: dt.datetime
    previous_secret_until: dt.datetime | None = Field(
        description="After a rotation, the old secret signs too until then."
    )


class EndpointSecretOut(EndpointOut):
    secret: str = Field(
        description="The signing secret: shown in this answer only (docs/api.md "
        "“Webhooks”: verifying a delivery)."
    )


class EndpointIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=500, description="https:// only.")
    events: list[str] = Field(min_length=1, max_length=len(EVENT_NAMES))
    description: str = Field("", max_length=200)


class EndpointPatch(InputSchema):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, min_length=8, max_length=500)
    events: list[str] | None = Field(None, min_length=1, max_length=len(EVENT_NAMES))
    description: str | None = Field(None, max_length=200)


class DeliveryOut(Schema):
    id: int
    event_id: str = Field(description="The Purei-Event-Id: the same on a replay.")
    type: str
    state: str = Field(description="pending, succeeded or failed.")
    attempts: int
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    response_excerpt: str
    error: str
    replay_of: int | None


def _out(endpoint: Endpoint) -> EndpointOut:
    return EndpointOut(
        id=endpoint.pk,
        kind=endpoint.kind,
        url=endpoint.url,
        description=endpoint.description,
        events=list(endpoint.events),
        active=endpoint.is_active,
        created_at=endpoint.created_at,
        previous_secret_until=endpoint.previous_secret_until
        if endpoint.previous_secret
        else None,
    )


def _delivery(delivery: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.pk,
        event_id=delivery.event.public_id,
        type=delivery.event.name,
        state=delivery.state,
        attempts=delivery.attempts,
        created_at=delivery.created_at,
        last_attempt_at=delivery.last_attempt_at,
        next_attempt_at=delivery.next_attempt_at,
        last_status_code=delivery.last_status_code,
        response_excerpt=delivery.response_excerpt,
        error=delivery.error,
        replay_of=delivery.replay_of_id,
    )


def _list(request: HttpRequest, owner_of: OwnerOf, slug: str) -> list[EndpointOut]:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    return [_out(e) for e in endpoints_of(actor=actor, owner=owner)]


def _create(
    request: HttpRequest, owner_of: OwnerOf, slug: str, payload: EndpointIn
) -> Status[EndpointSecretOut]:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoints_of(actor=actor, owner=owner)  # 404 to who may not manage them
    shown = endpoint_create(
        actor=actor,
        owner=owner,
        url=payload.url,
        events=payload.events,
        description=payload.description,
    )
    out = _out(shown.endpoint)
    return Status(201, EndpointSecretOut(**out.model_dump(), secret=shown.secret))


def _update(
    request: HttpRequest,
    owner_of: OwnerOf,
    slug: str,
    endpoint_id: int,
    payload: EndpointPatch,
) -> EndpointOut:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoint = endpoint_get(actor=actor, owner=owner, endpoint_id=endpoint_id)
    return _out(
        endpoint_update(
            actor=actor,
            owner=owner,
            endpoint=endpoint,
            url=payload.url,
            events=payload.events,
            description=payload.description,
        )
    )


def _rotate(
    request: HttpRequest, owner_of: OwnerOf, slug: str, endpoint_id: int
) -> EndpointSecretOut:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoint = endpoint_get(actor=actor, owner=owner, endpoint_id=endpoint_id)
    shown = endpoint_rotate_secret(actor=actor, owner=owner, endpoint=endpoint)
    return EndpointSecretOut(**_out(shown.endpoint).model_dump(), secret=shown.secret)


def _disable(
    request: HttpRequest, owner_of: OwnerOf, slug: str, endpoint_id: int
) -> EndpointOut:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoint = endpoint_get(actor=actor, owner=owner, endpoint_id=endpoint_id)
    return _out(endpoint_disable(actor=actor, owner=owner, endpoint=endpoint))


def _deliveries(
    request: HttpRequest, owner_of: OwnerOf, slug: str, endpoint_id: int
) -> list[DeliveryOut]:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoint = endpoint_get(actor=actor, owner=owner, endpoint_id=endpoint_id)
    return [
        _delivery(d) for d in deliveries_of(actor=actor, owner=owner, endpoint=endpoint)
    ]


def _replay(
    request: HttpRequest,
    owner_of: OwnerOf,
    slug: str,
    endpoint_id: int,
    delivery_id: int,
) -> Status[DeliveryOut]:
    actor = actor_from(request)
    owner = owner_of(actor=actor, slug=slug)
    endpoint = endpoint_get(actor=actor, owner=owner, endpoint_id=endpoint_id)
    delivery = delivery_get(
        actor=actor, owner=owner, endpoint=endpoint, delivery_id=delivery_id
    )
    again = delivery_replay(actor=actor, owner=owner, delivery=delivery)
    again.refresh_from_db()
    return Status(202, _delivery(again))


# --- A member business's webhooks ----------------------------------------------------

M = "/members/{slug}/webhooks"


@router.get(M, response=list[EndpointOut], auth=django_auth)
def member_webhook_list_api(request: HttpRequest, slug: str) -> list[EndpointOut]:
    """The business's webhook endpoints (its owners)."""
    return _list(request, member_owner, slug)


@router.post(M, response={201: EndpointSecretOut}, auth=django_auth)
def member_webhook_create_api(
    request: HttpRequest, slug: str, payload: EndpointIn
) -> Status[EndpointSecretOut]:
    """Add an endpoint; the answer holds its signing secret, once."""
    return _create(request, member_owner, slug, payload)


@router.patch(M + "/{endpoint_id}", response=EndpointOut, auth=django_auth)
def member_webhook_update_api(
    request: HttpRequest, slug: str, endpoint_id: int, payload: EndpointPatch
) -> EndpointOut:
    """Change an endpoint's address, description or events."""
    return _update(request, member_owner, slug, endpoint_id, payload)


@router.post(
    M + "/{endpoint_id}/rotate-secret", response=EndpointSecretOut, auth=django_auth
)
def member_webhook_rotate_api(
    request: HttpRequest, slug: str, endpoint_id: int
) -> EndpointSecretOut:
    """A new signing secret (in this answer only); the old one signs too for 24 h."""
    return _rotate(request, member_owner, slug, endpoint_id)


@router.post(M + "/{endpoint_id}/disable", response=EndpointOut, auth=django_auth)
def member_webhook_disable_api(
    request: HttpRequest, slug: str, endpoint_id: int
) -> EndpointOut:
    """Stop sending to it; its pending deliveries fail."""
    return _disable(request, member_owner, slug, endpoint_id)


@router.get(
    M + "/{endpoint_id}/deliveries", response=list[DeliveryOut], auth=django_auth
)
def member_webhook_deliveries_api(
    request: HttpRequest, slug: str, endpoint_id: int
) -> list[DeliveryOut]:
    """The delivery log, newest first (the last 100)."""
    return _deliveries(request, member_owner, slug, endpoint_id)


@router.post(
    M + "/{endpoint_id}/deliveries/{delivery_id}/replay",
    response={202: DeliveryOut},
    auth=django_auth,
)
def member_webhook_replay_api(
    request: HttpRequest, slug: str, endpoint_id: int, delivery_id: int
) -> Status[DeliveryOut]:
    """Send a delivery's event again (the same event id), as a new delivery."""
    return _replay(request, member_owner, slug, endpoint_id, delivery_id)


# --- A cluster's webhooks ------------------------------------------------------------

C = "/clusters/{slug}/webhooks"


@router.get(C, response=list[EndpointOut], auth=django_auth)
def cluster_webhook_list_api(request: HttpRequest, slug: str) -> list[EndpointOut]:
    """The cluster's webhook endpoints (its admins)."""
    return _list(request, cluster_owner, slug)


@router.post(C, response={201: EndpointSecretOut}, auth=django_auth)
def cluster_webhook_create_api(
    request: HttpRequest, slug: str, payload: EndpointIn
) -> Status[EndpointSecretOut]:
    """Add an endpoint; the answer holds its signing secret, once."""
    return _create(request, cluster_owner, slug, payload)


@router.patch(C + "/{endpoint_id}", response=EndpointOut, auth=django_auth)
def cluster_webhook_update_api(
    request: HttpRequest, slug: str, endpoint_id: int, payload: EndpointPatch
) -> EndpointOut:
    """Change an endpoint's address, description or events."""
    return _update(request, cluster_owner, slug, endpoint_id, payload)


@router.post(
    C + "/{endpoint_id}/rotate-secret", response=EndpointSecretOut, auth=django_auth
)
def cluster_webhook_rotate_api(
    request: HttpRequest, slug: str, endpoint_id: int
) -> EndpointSecretOut:
    """A new signing secret (in this answer only); the old one signs too for 24 h."""
    return _rotate(request, cluster_owner, slug, endpoint_id)


@router.post(C + "/{endpoint_id}/disable", response=EndpointOut, auth=django_auth)
def cluster_webhook_disable_api(
    request: HttpRequest, slug: str, endpoint_id: int
) -> EndpointOut:
    """Stop sending to it; its pending deliveries fail."""
    return _disable(request, cluster_owner, slug, endpoint_id)


@router.get(
    C + "/{endpoint_id}/deliveries", response=list[DeliveryOut], auth=django_auth
)
def cluster_webhook_deliveries_api(
    request: HttpRequest, slug: str, endpoint_id: int
) -> list[DeliveryOut]:
    """The delivery log, newest first (the last 100)."""
    return _deliveries(request, cluster_owner, slug, endpoint_id)


@router.post(
    C + "/{endpoint_id}/deliveries/{delivery_id}/replay",
    response={202: DeliveryOut},
    auth=django_auth,
)
def cluster_webhook_replay_api(
    request: HttpRequest, slug: str, endpoint_id: int, delivery_id: int
) -> Status[DeliveryOut]:
    """Send a delivery's event again (the same event id), as a new delivery."""
    return _replay(request, cluster_owner, slug, endpoint_id, delivery_id)
