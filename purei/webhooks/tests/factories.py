"""Endpoints for tests, made through the service (as an owner or admin would)."""

from __future__ import annotations

from django.db.models import Model

from purei.core.actor import Actor
from purei.core.events import EVENT_NAMES
from purei.webhooks.models import Endpoint
from purei.webhooks.services import EndpointOwner, SecretShown, endpoint_create


def owner_of(target: Model) -> EndpointOwner:
    kind = (
        Endpoint.Kind.MEMBER
        if type(target).__name__ == "Member"
        else Endpoint.Kind.CLUSTER
    )
    return EndpointOwner(kind=kind, target=target)


def endpoint_for(
    actor: Actor, target: Model, url: str, events: list[str] | None = None
) -> SecretShown:
    return endpoint_create(
        actor=actor,
        owner=owner_of(target),
        url=url,
        events=list(events or EVENT_NAMES),
    )
