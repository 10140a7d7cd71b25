"""Recording admin actions (style.md §6.1: a service records an audit row)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from purei.core.actor import Actor
from purei.core.models import AuditEntry


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``instance`` as JSON-safe values (for before/after)."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, FieldFile):
            value = value.name or ""
        elif not isinstance(value, str | int | float | bool | type(None)):
            value = str(value)
        out[name] = value
    return out


def audit_record(
    *,
    actor: Actor,
    verb: str,
    target: models.Model,
    cluster_id: int | None = None,
    member_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit row. Call it inside the service's transaction."""
    user = actor.user if actor.is_authenticated else None
    changed_before = dict(before or {})
    changed_after = dict(after or {})
    if before is not None and after is not None:
        # Keep only what changed, so the log reads as a list of differences.
        keys = [k for k in changed_after if changed_before.get(k) != changed_after[k]]
        changed_before = {k: changed_before.get(k) for k in keys}
        changed_after = {k: changed_after[k] for k in keys}
    return AuditEntry.objects.create(
        actor=user,
        actor_email=getattr(user, "email", "") if user else "",
        verb=verb,
        cluster_id=cluster_id,
        member_id=member_id,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        before=changed_before,
        after=changed_after,
    )


def audit_actor_forget(*, user_id: int, label: str) -> int:
    """The audit rows of ``user_id``'s actions keep what was done and when, and
    name the actor ``label`` instead of the email address (a closed account,
    docs/privacy.md). Answers the number of rows changed."""
    return AuditEntry.objects.filter(actor_id=user_id).update(actor_email=label)
