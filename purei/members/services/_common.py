"""Helpers shared by the members app's services (not part of their interface)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.errors import NotPermitted
from purei.members.errors import MemberErrorCode
from purei.members.models import Member


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(str(message))


def _ordered(
    errors: dict[str, list[str]], order: Iterable[str]
) -> dict[str, list[str]]:
    rank = {name: index for index, name in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


def _require_login(actor: Actor) -> None:
    if not actor.is_authenticated:
        raise NotPermitted(
            MemberErrorCode.LOGIN_REQUIRED, _("Log in to add a business.")
        )


def _require_owner(actor: Actor, member: Member) -> None:
    if not actor.is_member_owner(member.pk):
        raise NotPermitted(
            MemberErrorCode.NOT_OWNER,
            _("Only the owners of %(member)s can change this.") % {"member": member},
        )


def _delete_file_on_commit(name: str | None, storage: Storage | None = None) -> None:
    """Remove a replaced or deleted upload (of ``storage``, by default the default
    storage) once the change is committed."""
    if name:
        transaction.on_commit(partial((storage or default_storage).delete, name))


def _file_name(field: Any) -> str:
    """A FileField's stored name, or "" when it holds no file."""
    return str(getattr(field, "name", "") or "")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
