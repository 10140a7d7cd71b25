"""A member's sharing choice: what the other members of its clusters may see of
it beyond its public page. Its owners decide; nothing is shared by default."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from purei.cooperation.errors import CooperationErrorCode
from purei.cooperation.models import SharingChoice
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import NotPermitted

from .common import add_error, raise_if, text

FIELDS = (
    "makes",
    "capacity",
    "share_makes",
    "share_capacity",
    "share_credentials",
    "share_contact",
)


@dataclass(frozen=True)
class SharingInput:
    makes: str = ""
    capacity: str = ""
    share_makes: bool = False
    share_capacity: bool = False
    share_credentials: bool = False
    share_contact: bool = False


@transaction.atomic
def sharing_update(
    *, actor: Actor, member_id: int, details: SharingInput
) -> SharingChoice:
    if not actor.is_member_team(member_id):
        raise Http404(_("No business you manage lives at this address."))
    if not actor.is_member_owner(member_id):
        raise NotPermitted(
            CooperationErrorCode.NOT_MEMBER_OWNER,
            _("Only the business's owners decide what it shares."),
        )
    errors: dict[str, list[str]] = {}
    makes, capacity = text(details.makes), text(details.capacity)
    for name, value in (("makes", makes), ("capacity", capacity)):
        if len(value) > 1000:
            add_error(errors, name, _("Keep it under 1,000 characters."))
    raise_if(errors, CooperationErrorCode.INVALID_SHARING)
    choice, _created = SharingChoice.objects.select_for_update().get_or_create(
        member_id=member_id
    )
    before = snapshot(choice, FIELDS)
    choice.makes, choice.capacity = makes, capacity
    choice.share_makes = details.share_makes
    choice.share_capacity = details.share_capacity
    choice.share_credentials = details.share_credentials
    choice.share_contact = details.share_contact
    choice.save()
    audit_record(
        actor=actor,
        verb="member.sharing_updated",
        target=choice,
        member_id=member_id,
        before=before,
        after=snapshot(choice, FIELDS),
    )
    return choice
