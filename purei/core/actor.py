"""Who is acting. Every service and selector takes one, so scope is checked there.

An ``Actor`` knows its roles: which clusters it runs (admin) or curates, which member
businesses it owns or works for, which trade accounts it buys for. Each kind is
loaded once per actor, on first use (one small query each, through the user's
``cluster_roles``, ``member_roles`` and ``trade_roles``), so a request that checks
scope many times pays for it once.

``Actor.system()`` is Pūrei itself acting on a schedule or on a gateway's word (the
weekly payout run, an automatic refund): no person, no roles, and a flag that a
service checks by name (``actor.is_system``), never by object identity. Nothing a
request carries can make one (docs/adr/0008-system-actor.md).

An API key acts as an ``Actor`` too: its issuer's, narrowed by a ``KeyGrant`` (the
key's owner — one member business, one cluster or one trade account — and its
scopes). Its role lookups answer only the owner, and only while the issuer still
holds that role there; it is never platform staff (docs/adr/0019-api-keys.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from purei.accounts.models import User


# Which roles relation a key's owner kind narrows to (every other one is empty).
KEY_KIND_RELATION = {
    "member": "member_roles",
    "cluster": "cluster_roles",
    "trade_account": "trade_roles",
}


@dataclass(frozen=True)
class KeyGrant:
    """What an API key may reach: its owner (``kind`` and ``owner_id``) and its
    ``scopes``. ``key_id`` names the key (for rate limits and idempotency)."""

    key_id: int
    kind: str  # "member", "cluster" or "trade_account"
    owner_id: int
    scopes: frozenset[str]

    def __post_init__(self) -> None:
        if self.kind not in KEY_KIND_RELATION:
            raise ValueError(f"Unknown key owner kind {self.kind!r}.")


@dataclass(eq=False)
class Actor:
    user: User | None
    is_system: bool = False
    key: KeyGrant | None = None

    def __post_init__(self) -> None:
        if self.is_system and self.user is not None:
            raise ValueError("The system actor is no person.")
        if self.is_system and self.key is not None:
            raise ValueError("The system actor holds no key.")

    @property
    def is_key(self) -> bool:
        """Acting through an API key (narrowed to its owner and scopes)."""
        return self.key is not None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @property
    def is_platform_staff(self) -> bool:
        if self.key is not None:
            return False  # a key is never platform staff
        return bool(self.is_authenticated and self.user and self.user.is_staff)

    @classmethod
    def anonymous(cls) -> Actor:
        """Nobody logged in: may read what is public, may change nothing."""
        return cls(user=None)

    @classmethod
    def system(cls) -> Actor:
        """Pūrei itself (a scheduled run, a gateway's callback)."""
        return cls(user=None, is_system=True)

    # --- Roles ----------------------------------------------------------------

    def _roles(self, relation: str, target: str) -> dict[str, frozenset[int]]:
        roles: dict[str, set[int]] = defaultdict(set)
        if self.key is not None and KEY_KIND_RELATION[self.key.kind] != relation:
            return {}  # a key reaches its own kind of owner only
        if self.is_authenticated and self.user is not None:
            rows = getattr(self.user, relation).values_list("role", target)
            if self.key is not None:
                rows = rows.filter(**{target: self.key.owner_id})
            for role, target_id in rows:
                roles[role].add(target_id)
        return {role: frozenset(ids) for role, ids in roles.items()}

    @cached_property
    def _cluster_roles(self) -> dict[str, frozenset[int]]:
        return self._roles("cluster_roles", "cluster_id")

    @cached_property
    def _member_roles(self) -> dict[str, frozenset[int]]:
        return self._roles("member_roles", "member_id")

    @cached_property
    def _trade_roles(self) -> dict[str, frozenset[int]]:
        return self._roles("trade_roles", "account_id")

    def _cluster_ids(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self._cluster_roles.get(r, ()) for r in roles))

    def _member_ids(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self._member_roles.get(r, ()) for r in roles))

    @property
    def admin_cluster_ids(self) -> frozenset[int]:
        """Clusters this actor runs as a cluster admin."""
        return self._cluster_ids("admin")

    @property
    def curator_cluster_ids(self) -> frozenset[int]:
        """Clusters this actor curates (admins curate too)."""
        return self._cluster_ids("curator", "admin")

    @property
    def kaitiaki_cluster_ids(self) -> frozenset[int]:
        """Clusters whose cultural review this actor gives (as their kaitiaki)."""
        return self._cluster_ids("kaitiaki")

    @property
    def owned_member_ids(self) -> frozenset[int]:
        """Member businesses this actor owns."""
        return self._member_ids("owner")

    @property
    def member_ids(self) -> frozenset[int]:
        """Member businesses this actor owns or works for as staff."""
        return self._member_ids("owner", "staff")

    @property
    def trade_account_ids(self) -> frozenset[int]:
        """Trade accounts this actor buys for (whatever their status)."""
        return frozenset().union(*self._trade_roles.values())

    @property
    def has_manage_role(self) -> bool:
        """Platform staff, or anyone with a role in a cluster (admin, curator,
        kaitiaki) or a member business (owner, staff): the people ``/manage/``
        is for. Trade buyers and shoppers have none."""
        return (
            self.is_platform_staff
            or bool(self._cluster_roles)
            or bool(self._member_roles)
        )

    def is_cluster_admin(self, cluster_id: int) -> bool:
        return cluster_id in self.admin_cluster_ids

    def is_member_owner(self, member_id: int) -> bool:
        return member_id in self.owned_member_ids

    def is_member_team(self, member_id: int) -> bool:
        return member_id in self.member_ids

    def forget_roles(self) -> None:
        """Drop the cached roles (after a service changed them)."""
        self.__dict__.pop("_cluster_roles", None)
        self.__dict__.pop("_member_roles", None)
        self.__dict__.pop("_trade_roles", None)


def actor_from(request: HttpRequest) -> Actor:
    """The request's actor, made once per request."""
    cached = getattr(request, "_purei_actor", None)
    if isinstance(cached, Actor):
        return cached
    user = getattr(request, "user", None)
    actor = (
        Actor(user=user)
        if user is not None and user.is_authenticated
        else Actor.anonymous()
    )
    request._purei_actor = actor  # type: ignore[attr-defined]  # per-request cache
    return actor
