"""Whose webhooks a page or endpoint is about, from its address (404 for anyone
who may not see that member business or cluster)."""

from __future__ import annotations

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.core.actor import Actor
from purei.members.selectors import member_get_for_team

from .models import Endpoint
from .services import EndpointOwner


def member_owner(*, actor: Actor, slug: str) -> EndpointOwner:
    member = member_get_for_team(actor=actor, slug=slug)
    return EndpointOwner(kind=Endpoint.Kind.MEMBER, target=member)


def cluster_owner(*, actor: Actor, slug: str) -> EndpointOwner:
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return EndpointOwner(kind=Endpoint.Kind.CLUSTER, target=cluster)
