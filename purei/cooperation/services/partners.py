"""Partner search: a member posts a need or an offer that expires; other members
say they are interested; the poster's team sees who."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.cooperation.errors import CooperationErrorCode
from purei.cooperation.models import PartnerInterest, PartnerPost
from purei.cooperation.selectors import Access, is_poster
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed

from .common import acting_member, add_error, raise_if, text

MAX_DAYS = 90
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class PartnerPostInput:
    kind: str = ""
    title: str = ""
    body: str = ""
    days: str | int = DEFAULT_DAYS  # how long it stays up, 1 to 90
    member: str | int | None = None


def _days(value: Any, errors: dict[str, list[str]]) -> int:
    try:
        days = int(text(value) or DEFAULT_DAYS)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DAYS:
        add_error(
            errors,
            "days",
            _("Give a number of days from 1 to %(n)s.") % {"n": MAX_DAYS},
        )
    return days


@transaction.atomic
def partner_post_create(
    *, actor: Actor, access: Access, details: PartnerPostInput
) -> PartnerPost:
    errors: dict[str, list[str]] = {}
    if details.kind not in PartnerPost.Kind.values:
        add_error(errors, "kind", _("Say whether you need or offer something."))
    title = text(details.title)
    if not title:
        add_error(errors, "title", _("Give your post a title."))
    body = text(details.body)
    if not body:
        add_error(errors, "body", _("Say what you need or offer."))
    days = _days(details.days, errors)
    member = acting_member(access, details.member, errors, required=True)
    raise_if(errors, CooperationErrorCode.INVALID_PARTNER_POST)
    assert member is not None  # noqa: S101 - required=True
    post = PartnerPost.objects.create(
        cluster=access.cluster,
        member=member,
        kind=details.kind,
        title=title[:160],
        body=body[:5000],
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=actor.user,
    )
    audit_record(
        actor=actor,
        verb="partner_post.posted",
        target=post,
        cluster_id=access.cluster.pk,
        member_id=member.pk,
        after={"title": post.title, "kind": post.kind},
    )
    return post


@transaction.atomic
def partner_post_close(
    *, actor: Actor, access: Access, post: PartnerPost
) -> PartnerPost:
    """The poster takes its post down before it expires."""
    if not is_poster(access=access, post=post):
        raise NotPermitted(
            CooperationErrorCode.NOT_POSTER, _("Only its poster closes a post.")
        )
    if post.closed_at is None:
        post.closed_at = timezone.now()
        post.save(update_fields=["closed_at", "updated_at"])
        audit_record(
            actor=actor,
            verb="partner_post.closed",
            target=post,
            cluster_id=access.cluster.pk,
            member_id=post.member_id,
        )
    return post


def _open(post: PartnerPost) -> bool:
    return post.closed_at is None and post.expires_at > timezone.now()


@transaction.atomic
def partner_interest_express(
    *,
    actor: Actor,
    access: Access,
    post: PartnerPost,
    note: str = "",
    member: str | int | None = None,
) -> PartnerInterest:
    """One of the actor's businesses is interested (once; a second time changes
    the note)."""
    errors: dict[str, list[str]] = {}
    who = acting_member(access, member, errors, required=True)
    raise_if(errors, CooperationErrorCode.INVALID_PARTNER_POST)
    assert who is not None  # noqa: S101 - required=True
    if who.pk == post.member_id:
        raise ValidationFailed(
            CooperationErrorCode.OWN_POST,
            {"member": [_("This is your own post.")]},
        )
    if not _open(post):
        raise NotPermitted(
            CooperationErrorCode.POST_CLOSED, _("This post is closed or expired.")
        )
    try:
        with transaction.atomic():
            interest, _created = PartnerInterest.objects.update_or_create(
                post=post,
                member=who,
                defaults={"note": text(note)[:500], "created_by": actor.user},
            )
    except IntegrityError:  # the same business twice at once: the first stands
        interest = PartnerInterest.objects.get(post=post, member=who)
    audit_record(
        actor=actor,
        verb="partner_post.interest",
        target=post,
        cluster_id=access.cluster.pk,
        member_id=who.pk,
    )
    return interest


@transaction.atomic
def partner_interest_withdraw(
    *, actor: Actor, access: Access, post: PartnerPost
) -> int:
    """The actor's businesses are no longer interested."""
    deleted, _detail = PartnerInterest.objects.filter(
        post=post, member_id__in=access.member_ids
    ).delete()
    if deleted:
        audit_record(
            actor=actor,
            verb="partner_post.interest_withdrawn",
            target=post,
            cluster_id=access.cluster.pk,
        )
    return deleted
