"""Helpers shared by marketing's services (not part of their interface)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import NotPermitted
from purei.marketing.errors import MarketingErrorCode


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(str(message))


def _ordered(
    errors: dict[str, list[str]], order: Iterable[str]
) -> dict[str, list[str]]:
    rank = {name: index for index, name in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _require_admin(actor: Actor, cluster: Cluster, what: str) -> None:
    """Only the cluster's own admins change its stories and newsletter (platform
    staff may look, never act for them)."""
    if not actor.is_authenticated:
        raise NotPermitted(
            MarketingErrorCode.LOGIN_REQUIRED,
            _("Log in to change %(what)s.") % {"what": what},
        )
    if not actor.is_cluster_admin(cluster.pk):
        raise NotPermitted(
            MarketingErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the admins of %(cluster)s can change its %(what)s.")
            % {"cluster": cluster, "what": what},
        )
