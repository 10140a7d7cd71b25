"""Issuing, revoking and checking API keys (ADR 0019).

A key is ``pk_live_`` and 43 characters of ``secrets.token_urlsafe(32)`` (256 bits).
It is shown once, when made; only its SHA-256 is kept, and a request's key is found
by that hash. Revoking takes effect at the next request: every request reads the
key's row. ``last_used_at`` is written at most once a minute per key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor, KeyGrant
from purei.core.audit import audit_record
from purei.core.errors import DomainError, NotPermitted, ValidationFailed

from .models import ApiKey
from .scopes import SCOPES_BY_KIND

KEY_PREFIX = "pk_live_"
PREFIX_SHOWN = 16  # "pk_live_" and 8 characters of the secret
LAST_USED_EVERY = dt.timedelta(minutes=1)
MAX_NAME = 100
MAX_ACTIVE_KEYS = 50  # per owner


class ApiKeyErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_ALLOWED = "api_key_not_allowed"
    TOO_MANY = "api_key_too_many"
    KEY_INVALID = "api_key_invalid"
    KEY_REVOKED = "api_key_revoked"
    KEY_EXPIRED = "api_key_expired"


class KeyRefused(DomainError):
    """The ``Authorization: Bearer`` key is unknown, revoked or expired (401)."""

    status = 401


@dataclass(frozen=True)
class KeyOwner:
    """Whom a key acts for: one member business, one cluster or one trade account."""

    kind: str  # ApiKey.Kind
    target: Model  # the Member, Cluster or TradeAccount

    @property
    def owner_id(self) -> int:
        return int(self.target.pk)

    def cluster_id(self) -> int | None:
        if self.kind == ApiKey.Kind.CLUSTER:
            return self.owner_id
        if self.kind == ApiKey.Kind.TRADE_ACCOUNT:
            return int(self.target.cluster_id)  # type: ignore[attr-defined]
        return None


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def may_issue(actor: Actor, owner: KeyOwner) -> bool:
    """A member's owner for the member, a cluster's admin for the cluster, a trade
    buyer for its account; never through a key, never platform staff as such."""
    if actor.is_key or not actor.is_authenticated:
        return False
    if owner.kind == ApiKey.Kind.MEMBER:
        return actor.is_member_owner(owner.owner_id)
    if owner.kind == ApiKey.Kind.CLUSTER:
        return actor.is_cluster_admin(owner.owner_id)
    return owner.owner_id in actor.trade_account_ids


def _owner_fields(owner: KeyOwner) -> dict[str, Model]:
    field = {
        ApiKey.Kind.MEMBER: "member",
        ApiKey.Kind.CLUSTER: "cluster",
        ApiKey.Kind.TRADE_ACCOUNT: "trade_account",
    }[ApiKey.Kind(owner.kind)]
    return {field: owner.target}


def _audit(actor: Actor, verb: str, key: ApiKey, owner: KeyOwner) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=key,
        cluster_id=owner.cluster_id(),
        member_id=owner.owner_id if owner.kind == ApiKey.Kind.MEMBER else None,
        after={"name": key.name, "prefix": key.prefix, "scopes": key.scopes},
    )


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str  # the whole key, shown once


def api_key_create(
    *,
    actor: Actor,
    owner: KeyOwner,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime | None = None,
) -> IssuedKey:
    """Make a key for ``owner``. Its secret is in the answer and nowhere else."""
    if not may_issue(actor, owner):
        raise NotPermitted(
            ApiKeyErrorCode.NOT_ALLOWED,
            _("Only its owner, admin or trade buyer issues this one's API keys."),
        )
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the key a name, such as the software using it.")]
    elif len(name) > MAX_NAME:
        errors["name"] = [_("At most 100 characters.")]
    allowed = SCOPES_BY_KIND[owner.kind]
    chosen = sorted(set(scopes))
    if not chosen:
        errors["scopes"] = [_("Choose at least one scope.")]
    elif unknown := [s for s in chosen if s not in allowed]:
        errors["scopes"] = [
            _("Not a scope for this kind of key: %(scopes)s.")
            % {"scopes": ", ".join(unknown)}
        ]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("Choose a time in the future.")]
    if errors:
        raise ValidationFailed(ApiKeyErrorCode.INVALID, errors)
    active = ApiKey.objects.filter(revoked_at__isnull=True, **_owner_fields(owner))
    if active.count() >= MAX_ACTIVE_KEYS:
        raise ValidationFailed(
            ApiKeyErrorCode.TOO_MANY,
            {"name": [_("At most 50 keys at once: revoke one first.")]},
        )
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    if actor.user is None:  # may_issue: never without a person
        raise NotPermitted(ApiKeyErrorCode.NOT_ALLOWED, _("Log in first."))
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name,
            kind=owner.kind,
            prefix=secret[:PREFIX_SHOWN],
            secret_hash=key_hash(secret),
            scopes=chosen,
            expires_at=expires_at,
            created_by=actor.user,
            **_owner_fields(owner),
        )
        _audit(actor, "api_key.created", key, owner)
    return IssuedKey(key=key, secret=secret)


def api_key_revoke(*, actor: Actor, owner: KeyOwner, key: ApiKey) -> ApiKey:
    """Revoke ``key`` (one of ``owner``'s): refused from the next request on."""
    if not may_issue(actor, owner) or key.owner_id != owner.owner_id:
        raise NotPermitted(
            ApiKeyErrorCode.NOT_ALLOWED,
            _("Only its owner, admin or trade buyer revokes this one's API keys."),
        )
    if key.revoked_at is not None:
        return key
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.revoked_by = actor.user if actor.is_authenticated else None
        key.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        _audit(actor, "api_key.revoked", key, owner)
    return key


def api_key_authenticate(raw: str) -> ApiKey:
    """The active key ``raw`` names, its issuer loaded; ``KeyRefused`` otherwise.

    Notes its use (at most once a minute)."""
    raw = raw.strip()
    if not raw.startswith(KEY_PREFIX) or len(raw) > 200:
        raise KeyRefused(ApiKeyErrorCode.KEY_INVALID, _("This API key is not valid."))
    key = (
        ApiKey.objects.select_related("created_by")
        .filter(secret_hash=key_hash(raw))
        .first()
    )
    if key is None or not key.created_by.is_active:
        raise KeyRefused(ApiKeyErrorCode.KEY_INVALID, _("This API key is not valid."))
    if key.is_revoked:
        raise KeyRefused(ApiKeyErrorCode.KEY_REVOKED, _("This API key was revoked."))
    if key.is_expired:
        raise KeyRefused(ApiKeyErrorCode.KEY_EXPIRED, _("This API key has expired."))
    _note_use(key)
    return key


def _note_use(key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_EVERY:
        return
    # Conditional, so concurrent requests write it once.
    stale = now - LAST_USED_EVERY
    ApiKey.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=key.pk
    ).update(last_used_at=now)
    key.last_used_at = now


def key_actor(key: ApiKey) -> Actor:
    """The actor a request with ``key`` acts as: its issuer, narrowed to the key's
    owner and scopes (``purei.core.actor.KeyGrant``)."""
    return Actor(
        user=key.created_by,
        key=KeyGrant(
            key_id=key.pk,
            kind=key.kind,
            owner_id=key.owner_id,
            scopes=frozenset(str(s) for s in key.scopes),
        ),
    )
