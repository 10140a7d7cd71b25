"""Reads of API keys: an owner's keys, for whoever may issue them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from purei.core.actor import Actor

from .models import ApiKey
from .services import KeyOwner, may_issue


def api_keys_of(*, actor: Actor, owner: KeyOwner) -> QuerySet[ApiKey]:
    """``owner``'s keys, newest first (revoked ones too); 404 to anyone who may not
    issue them."""
    if not may_issue(actor, owner):
        raise Http404
    field = {"member": "member", "cluster": "cluster", "trade_account": "trade_account"}
    return ApiKey.objects.filter(**{field[owner.kind]: owner.target}).select_related(
        "created_by"
    )


def api_key_get(*, actor: Actor, owner: KeyOwner, key_id: int) -> ApiKey:
    found = api_keys_of(actor=actor, owner=owner).filter(pk=key_id).first()
    if found is None:
        raise Http404
    return found
