"""Who is acting. Every service and selector takes one, so scope is checked there.

An ``Actor`` knows its roles: which clusters it runs (admin) or curates, which member
businesses it owns or works for. They are loaded once per actor, on first use (two
small queries), so a request that checks scope many times pays for it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from purei.accounts.models import User


@dataclass(eq=False)
class Actor:
    user: User | None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @property
    def is_platform_staff(self) -> bool:
        return bool(self.is_authenticated and self.user and self.user.is_staff)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(user=None)

    # --- Roles ----------------------------------------------------------------

    @cached_property
    def _cluster_roles(self) -> dict[str, frozenset[int]]:
        from purei.accounts.models import ClusterRole

        roles: dict[str, set[int]] = {role: set() for role in ClusterRole.Role.values}
        if self.is_authenticated and self.user is not None:
            pairs = ClusterRole.objects.filter(user=self.user).values_list(
                "role", "cluster_id"
            )
            for role, cluster_id in pairs:
                roles[role].add(cluster_id)
        return {role: frozenset(ids) for role, ids in roles.items()}

    @cached_property
    def _member_roles(self) -> dict[str, frozenset[int]]:
        from purei.accounts.models import MemberRole

        roles: dict[str, set[int]] = {role: set() for role in MemberRole.Role.values}
        if self.is_authenticated and self.user is not None:
            pairs = MemberRole.objects.filter(user=self.user).values_list(
                "role", "member_id"
            )
            for role, member_id in pairs:
                roles[role].add(member_id)
        return {role: frozenset(ids) for role, ids in roles.items()}

    @property
    def admin_cluster_ids(self) -> frozenset[int]:
        """Clusters this actor runs as a cluster admin."""
        return self._cluster_roles["admin"]

    @property
    def curator_cluster_ids(self) -> frozenset[int]:
        """Clusters this actor curates (admins curate too)."""
        return self._cluster_roles["curator"] | self._cluster_roles["admin"]

    @property
    def kaitiaki_cluster_ids(self) -> frozenset[int]:
        """Clusters whose cultural review this actor gives (as their kaitiaki)."""
        return self._cluster_roles["kaitiaki"]

    @property
    def owned_member_ids(self) -> frozenset[int]:
        """Member businesses this actor owns."""
        return self._member_roles["owner"]

    @property
    def member_ids(self) -> frozenset[int]:
        """Member businesses this actor owns or works for as staff."""
        return self._member_roles["owner"] | self._member_roles["staff"]

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
