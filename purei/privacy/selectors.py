"""Reads of the privacy app, scoped to the acting person."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.members.models import Member
from purei.members.selectors import member_get_for_team


def member_get_for_export(*, actor: Actor, slug: str) -> Member:
    """A member business whose data ``actor`` may export: its owners only
    (``Http404`` for its staff and everyone else, as the team screen)."""
    member = member_get_for_team(actor=actor, slug=slug)
    if not actor.is_member_owner(member.pk):
        raise Http404(_("No business you own lives at this address."))
    return member
