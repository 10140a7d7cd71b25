"""Helpers shared by the cooperation services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from purei.cooperation.errors import CooperationErrorCode
from purei.cooperation.selectors import Access
from purei.core.errors import NotPermitted, ValidationFailed
from purei.members.models import Member


def add_error(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def acting_member(
    access: Access,
    member: str | int | None,
    errors: dict[str, list[str]],
    *,
    required: bool,
) -> Member | None:
    """The business the actor acts for: named by slug or id, or the only one
    they have in the cluster. Admins may act for none (the cluster itself)."""
    named = text(member)
    if named:
        for candidate in access.members:
            if named in (candidate.slug, str(candidate.pk)):
                return candidate
        add_error(errors, "member", _("Choose one of your businesses in this cluster."))
        return None
    if len(access.members) == 1:
        return access.members[0]
    if len(access.members) > 1:
        add_error(errors, "member", _("Say which of your businesses this is for."))
        return None
    if required:
        raise NotPermitted(
            CooperationErrorCode.NOT_A_MEMBER,
            _("Only the cluster's member businesses can do this."),
        )
    return None


def raise_if(errors: dict[str, list[str]], code: CooperationErrorCode) -> None:
    if errors:
        raise ValidationFailed(code, errors)
