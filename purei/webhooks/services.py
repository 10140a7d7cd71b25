"""Registering webhook endpoints (audited), rotating their secrets, recording
the events they hear, and replaying a delivery (docs/api.md "Webhooks").

Who manages: a member business's owners its endpoints, a cluster's admins the
cluster's; never through an API key, never platform staff as such.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.events import EVENT_NAMES, DomainEvent

from .addresses import written_internal
from .models import Delivery, Endpoint, Event

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
ROTATION_OVERLAP = dt.timedelta(hours=24)
MAX_ENDPOINTS = 20  # per owner
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class WebhookErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_ALLOWED = "webhook_not_allowed"
    TOO_MANY = "webhook_too_many"
    DISABLED = "webhook_disabled"


@dataclass(frozen=True)
class EndpointOwner:
    """Whose events an endpoint hears: one member business or one cluster."""

    kind: str  # Endpoint.Kind
    target: Model  # the Member or Cluster

    @property
    def owner_id(self) -> int:
        return int(self.target.pk)

    def fields(self) -> dict[str, Model]:
        return {
            "member" if self.kind == Endpoint.Kind.MEMBER else "cluster": self.target
        }


@dataclass(frozen=True)
class SecretShown:
    endpoint: Endpoint
    secret: str  # shown once


def may_manage(actor: Actor, owner: EndpointOwner) -> bool:
    if actor.is_key or not actor.is_authenticated:
        return False
    if owner.kind == Endpoint.Kind.MEMBER:
        return actor.is_member_owner(owner.owner_id)
    return actor.is_cluster_admin(owner.owner_id)


def _require(
    actor: Actor, owner: EndpointOwner, endpoint: Endpoint | None = None
) -> None:
    belongs = endpoint is None or (
        endpoint.kind == owner.kind
        and (endpoint.member_id or endpoint.cluster_id) == owner.owner_id
    )
    if not may_manage(actor, owner) or not belongs:
        raise NotPermitted(
            WebhookErrorCode.NOT_ALLOWED,
            _(
                "Only the business's owners or the cluster's admins manage "
                "its webhooks."
            ),
        )


def local_http_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "WEBHOOKS_ALLOW_LOCAL_HTTP", False))


def url_check(url: str) -> list[str]:
    """What is wrong with ``url`` as an endpoint (empty when nothing): https only;
    http only to this machine (localhost) when DEBUG or WEBHOOKS_ALLOW_LOCAL_HTTP."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return [_("Enter a whole address, starting https://.")]
    if not parts.hostname or len(url) > 500:
        return [_("Enter a whole address, starting https://.")]
    if parts.username or parts.password:
        return [_("Leave the user name and password out of the address.")]
    if reason := written_internal(parts.hostname):
        return [reason + " " + _("Webhooks go to addresses on the internet.")]
    if parts.scheme == "https":
        return []
    if (
        parts.scheme == "http"
        and parts.hostname in LOCAL_HOSTS
        and local_http_allowed()
    ):
        return []
    return [
        _("The address must start https:// (http:// only to localhost in development).")
    ]


def _events_check(events: list[str]) -> tuple[list[str], list[str]]:
    chosen = sorted(set(events))
    if not chosen:
        return chosen, [_("Choose at least one event.")]
    if unknown := [e for e in chosen if e not in EVENT_NAMES]:
        return chosen, [_("Not an event: %(events)s.") % {"events": ", ".join(unknown)}]
    return chosen, []


def _audit(actor: Actor, verb: str, endpoint: Endpoint) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=endpoint,
        cluster_id=endpoint.cluster_id,
        member_id=endpoint.member_id,
        after={
            "url": endpoint.url,
            "events": endpoint.events,
            "disabled": endpoint.disabled_at is not None,
        },
    )


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def endpoint_create(
    *,
    actor: Actor,
    owner: EndpointOwner,
    url: str,
    events: list[str],
    description: str = "",
) -> SecretShown:
    """Register ``url`` for ``events`` of ``owner``; the secret is in the answer."""
    _require(actor, owner)
    errors: dict[str, list[str]] = {}
    url = (url or "").strip()
    if url_errors := url_check(url):
        errors["url"] = url_errors
    chosen, event_errors = _events_check(events)
    if event_errors:
        errors["events"] = event_errors
    if len(description) > 200:
        errors["description"] = [_("At most 200 characters.")]
    if errors:
        raise ValidationFailed(WebhookErrorCode.INVALID, errors)
    if Endpoint.objects.filter(**owner.fields()).count() >= MAX_ENDPOINTS:
        raise ValidationFailed(
            WebhookErrorCode.TOO_MANY, {"url": [_("At most 20 endpoints.")]}
        )
    secret = _new_secret()
    assert actor.user is not None  # noqa: S101 - may_manage: a person
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            kind=owner.kind,
            url=url,
            events=chosen,
            description=description.strip(),
            secret=secret,
            created_by=actor.user,
            **owner.fields(),
        )
        _audit(actor, "webhook.created", endpoint)
    return SecretShown(endpoint=endpoint, secret=secret)


def endpoint_update(
    *,
    actor: Actor,
    owner: EndpointOwner,
    endpoint: Endpoint,
    events: list[str] | None = None,
    url: str | None = None,
    description: str | None = None,
) -> Endpoint:
    """Change what an endpoint hears (or where it is)."""
    _require(actor, owner, endpoint)
    errors: dict[str, list[str]] = {}
    if url is not None and (url_errors := url_check(url.strip())):
        errors["url"] = url_errors
    chosen: list[str] | None = None
    if events is not None:
        chosen, event_errors = _events_check(events)
        if event_errors:
            errors["events"] = event_errors
    if description is not None and len(description) > 200:
        errors["description"] = [_("At most 200 characters.")]
    if errors:
        raise ValidationFailed(WebhookErrorCode.INVALID, errors)
    with transaction.atomic():
        if url is not None:
            endpoint.url = url.strip()
        if chosen is not None:
            endpoint.events = chosen
        if description is not None:
            endpoint.description = description.strip()
        endpoint.save(update_fields=["url", "events", "description", "updated_at"])
        _audit(actor, "webhook.updated", endpoint)
    return endpoint


def endpoint_rotate_secret(
    *, actor: Actor, owner: EndpointOwner, endpoint: Endpoint
) -> SecretShown:
    """A new secret, shown once; the old one keeps signing too for 24 hours."""
    _require(actor, owner, endpoint)
    secret = _new_secret()
    with transaction.atomic():
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_until = timezone.now() + ROTATION_OVERLAP
        endpoint.secret = secret
        endpoint.save(
            update_fields=[
                "secret",
                "previous_secret",
                "previous_secret_until",
                "updated_at",
            ]
        )
        _audit(actor, "webhook.secret_rotated", endpoint)
    return SecretShown(endpoint=endpoint, secret=secret)


def endpoint_disable(
    *, actor: Actor, owner: EndpointOwner, endpoint: Endpoint
) -> Endpoint:
    """Stop sending to it: it hears no new events, and its pending deliveries fail."""
    _require(actor, owner, endpoint)
    if endpoint.disabled_at is not None:
        return endpoint
    with transaction.atomic():
        endpoint.disabled_at = timezone.now()
        endpoint.save(update_fields=["disabled_at", "updated_at"])
        Delivery.objects.filter(endpoint=endpoint, state=Delivery.State.PENDING).update(
            state=Delivery.State.FAILED, error="Endpoint disabled."
        )
        _audit(actor, "webhook.disabled", endpoint)
    return endpoint


def endpoint_enable(
    *, actor: Actor, owner: EndpointOwner, endpoint: Endpoint
) -> Endpoint:
    _require(actor, owner, endpoint)
    if endpoint.disabled_at is None:
        return endpoint
    with transaction.atomic():
        endpoint.disabled_at = None
        endpoint.save(update_fields=["disabled_at", "updated_at"])
        _audit(actor, "webhook.enabled", endpoint)
    return endpoint


def _enqueue(delivery_ids: list[int]) -> None:
    from .tasks import webhook_deliver  # the task module imports this one

    for delivery_id in delivery_ids:
        webhook_deliver.enqueue(delivery_id=delivery_id)


def event_record(event: DomainEvent) -> list[Delivery]:
    """An event happened (after its transaction committed): one delivery to each
    active endpoint that hears it — a member's endpoints for its own events
    (``member_id``), a cluster's for the cluster's (``member_id`` None) — sent by
    a task once recorded."""
    if event.member_id is not None:
        hearing = Endpoint.objects.filter(
            kind=Endpoint.Kind.MEMBER, member_id=event.member_id
        )
    elif event.cluster_id is not None:
        hearing = Endpoint.objects.filter(
            kind=Endpoint.Kind.CLUSTER, cluster_id=event.cluster_id
        )
    else:
        return []
    endpoints = [
        e for e in hearing.filter(disabled_at__isnull=True) if event.name in e.events
    ]
    if not endpoints:
        return []
    now = timezone.now()
    with transaction.atomic():
        row = Event.objects.create(
            public_id="evt_" + uuid.uuid4().hex,
            name=event.name,
            cluster_id=event.cluster_id,
            member_id=event.member_id,
            payload=dict(event.payload),
            created=event.created,
        )
        deliveries = Delivery.objects.bulk_create(
            [Delivery(endpoint=e, event=row, next_attempt_at=now) for e in endpoints]
        )
        ids = [d.pk for d in deliveries]
        transaction.on_commit(partial(_enqueue, ids))
    return deliveries


def delivery_replay(
    *, actor: Actor, owner: EndpointOwner, delivery: Delivery
) -> Delivery:
    """Send one delivery's event again ("send again"): a new delivery of the same
    event (the same ``Purei-Event-Id``), with its own attempts."""
    endpoint = delivery.endpoint
    _require(actor, owner, endpoint)
    if not endpoint.is_active:
        raise ValidationFailed(
            WebhookErrorCode.DISABLED,
            {"endpoint": [_("The endpoint is disabled: enable it first.")]},
        )
    with transaction.atomic():
        again = Delivery.objects.create(
            endpoint=endpoint,
            event=delivery.event,
            next_attempt_at=timezone.now(),
            replay_of=delivery,
        )
        audit_record(
            actor=actor,
            verb="webhook.replayed",
            target=endpoint,
            cluster_id=endpoint.cluster_id,
            member_id=endpoint.member_id,
            after={"event": delivery.event.public_id, "delivery": again.pk},
        )
        transaction.on_commit(partial(_enqueue, [again.pk]))
    return again
