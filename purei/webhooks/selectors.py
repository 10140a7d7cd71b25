"""Reads of webhooks: an owner's endpoints and their deliveries, for whoever may
manage them (404 to anyone else)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from purei.core.actor import Actor

from .models import Delivery, Endpoint
from .services import EndpointOwner, may_manage

DELIVERY_LOG = 100


def endpoints_of(*, actor: Actor, owner: EndpointOwner) -> QuerySet[Endpoint]:
    if not may_manage(actor, owner):
        raise Http404
    return Endpoint.objects.filter(kind=owner.kind, **owner.fields())


def endpoint_get(*, actor: Actor, owner: EndpointOwner, endpoint_id: int) -> Endpoint:
    found = endpoints_of(actor=actor, owner=owner).filter(pk=endpoint_id).first()
    if found is None:
        raise Http404
    return found


def deliveries_of(
    *, actor: Actor, owner: EndpointOwner, endpoint: Endpoint
) -> QuerySet[Delivery]:
    """The endpoint's newest deliveries first (up to ``DELIVERY_LOG``)."""
    endpoint_get(actor=actor, owner=owner, endpoint_id=endpoint.pk)
    return (
        Delivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .order_by("-created_at", "-pk")[:DELIVERY_LOG]
    )


def delivery_get(
    *, actor: Actor, owner: EndpointOwner, endpoint: Endpoint, delivery_id: int
) -> Delivery:
    endpoint_get(actor=actor, owner=owner, endpoint_id=endpoint.pk)
    found = (
        Delivery.objects.filter(endpoint=endpoint, pk=delivery_id)
        .select_related("event", "endpoint")
        .first()
    )
    if found is None:
        raise Http404
    return found
