"""Helpers shared by the catalogue's services (not part of their interface)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.indexing import index_on_commit
from purei.core.actor import Actor
from purei.core.errors import NotPermitted
from purei.members.models import Member

logger = logging.getLogger(__name__)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(str(message))


def _ordered(
    errors: dict[str, list[str]], order: Iterable[str]
) -> dict[str, list[str]]:
    rank = {name: index for index, name in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def require_team(actor: Actor, member: Member) -> None:
    """Only the member's owners and staff manage its products (platform staff read)."""
    if not actor.is_authenticated:
        raise NotPermitted(
            CatalogueErrorCode.LOGIN_REQUIRED, _("Log in to manage products.")
        )
    if not actor.is_member_team(member.pk):
        raise NotPermitted(
            CatalogueErrorCode.NOT_MEMBER_TEAM,
            _("Only the team of %(member)s can change its products.")
            % {"member": member},
        )


__all__ = ["index_on_commit", "require_team"]
