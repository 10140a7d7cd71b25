"""Whose keys a page or endpoint is about, from its address: 404 for anyone who may
not see that owner's keys (``selectors.api_keys_of`` checks who may issue them)."""

from __future__ import annotations

from django.http import Http404

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import Actor
from purei.members.selectors import member_get_for_team
from purei.trade.selectors import trade_account_for_buyer

from .models import ApiKey
from .services import KeyOwner


def member_owner(*, actor: Actor, slug: str) -> KeyOwner:
    member = member_get_for_team(actor=actor, slug=slug)
    return KeyOwner(kind=ApiKey.Kind.MEMBER, target=member)


def cluster_owner(*, actor: Actor, slug: str) -> KeyOwner:
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return KeyOwner(kind=ApiKey.Kind.CLUSTER, target=cluster)


def trade_account_owner(*, actor: Actor, slug: str) -> KeyOwner:
    cluster = cluster_get_live(actor=actor, slug=slug)
    account = trade_account_for_buyer(actor=actor, cluster=cluster)
    if account is None or not account.is_approved:
        raise Http404
    return KeyOwner(kind=ApiKey.Kind.TRADE_ACCOUNT, target=account)
