"""The notice board: notices and replies (Markdown, sanitised when shown, as a
member's story is), @mentions, attachments, following, and moderation (pin,
lock, hide with a reason — by the cluster's curators and admins, audited)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.accounts.models import ClusterRole, MemberRole, User
from purei.cooperation.errors import CooperationErrorCode
from purei.cooperation.models import (
    Attachment,
    DigestChoice,
    Follow,
    Mention,
    Reply,
    Thread,
)
from purei.cooperation.selectors import Access
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.images import UploadRejected, evidence_clean
from purei.members.models import Member, Membership

from .common import acting_member, add_error, raise_if, text

MAX_BODY = 20_000
MAX_ATTACHMENTS = 5
# "@member-slug" names a member business of the cluster; "@person@example.nz" a
# person of the cluster (a member's team, its admins or curators).
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+|[a-z0-9][a-z0-9-]*)")
MODERATION = ("pin", "unpin", "lock", "unlock", "hide", "unhide")


@dataclass(frozen=True)
class ThreadInput:
    category: str = ""
    title: str = ""
    body: str = ""
    member: str | int | None = None  # slug or id; empty: the only one
    attachments: Sequence[IO[bytes]] = ()


@dataclass(frozen=True)
class ReplyInput:
    body: str = ""
    member: str | int | None = None
    attachments: Sequence[IO[bytes]] = ()


def _body(value: Any, errors: dict[str, list[str]]) -> str:
    body = text(value)
    if not body:
        add_error(errors, "body", _("Write your message."))
    elif len(body) > MAX_BODY:
        add_error(
            errors, "body", _("Keep it under %(n)s characters.") % {"n": MAX_BODY}
        )
    return body


def _attachments(
    uploads: Sequence[IO[bytes]], errors: dict[str, list[str]]
) -> list[tuple[str, Any]]:
    if len(uploads) > MAX_ATTACHMENTS:
        add_error(
            errors,
            "attachments",
            _("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS},
        )
        return []
    cleaned = []
    for upload in uploads:
        name = str(getattr(upload, "name", "") or "file")[-160:]
        try:
            cleaned.append((name, evidence_clean(upload)))
        except UploadRejected as exc:
            add_error(errors, "attachments", f"{name}: {exc.message}")
    return cleaned


def _save_attachments(
    thread: Thread, reply: Reply | None, cleaned: list[tuple[str, Any]]
) -> None:
    for name, clean in cleaned:
        attachment = Attachment(
            thread=thread,
            reply=reply,
            name=name,
            content_type=clean.content_type,
            size=clean.content.size,
        )
        attachment.file.save(str(clean.content.name), clean.content, save=False)
        attachment.save()


def cluster_people(cluster_id: int) -> Q:
    """Users who belong to the cluster's members' space."""
    return Q(
        member_roles__member__memberships__cluster_id=cluster_id,
        member_roles__member__memberships__status=Membership.Status.APPROVED,
    ) | Q(
        cluster_roles__cluster_id=cluster_id,
        cluster_roles__role__in=[ClusterRole.Role.ADMIN, ClusterRole.Role.CURATOR],
    )


def _mentions(
    access: Access, thread: Thread, reply: Reply | None, body: str
) -> set[int]:
    """Record who ``body`` names; answer the users to tell (they follow)."""
    slugs: set[str] = set()
    emails: set[str] = set()
    for found in MENTION.findall(body):
        (emails if "@" in found else slugs).add(found.lower())
    users: set[int] = set()
    if slugs:
        members = Member.objects.filter(
            slug__in=slugs,
            memberships__cluster=access.cluster,
            memberships__status=Membership.Status.APPROVED,
        )
        for member in members:
            Mention.objects.create(thread=thread, reply=reply, member=member)
            users.update(
                MemberRole.objects.filter(
                    member=member, role=MemberRole.Role.OWNER
                ).values_list("user_id", flat=True)
            )
    if emails:
        people = (
            User.objects.filter(cluster_people(access.cluster.pk))
            .filter(email__in=emails)
            .distinct()
        )
        for person in people:
            Mention.objects.create(thread=thread, reply=reply, user=person)
            users.add(person.pk)
    return users


def _follow(thread: Thread, user_ids: set[int]) -> None:
    known = set(
        Follow.objects.filter(thread=thread, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    Follow.objects.bulk_create(
        [Follow(thread=thread, user_id=pk) for pk in sorted(user_ids - known)]
    )


@transaction.atomic
def thread_create(*, actor: Actor, access: Access, details: ThreadInput) -> Thread:
    """Post a notice. Members post for one of their businesses; admins and
    curators may post for the cluster itself. The author follows it."""
    errors: dict[str, list[str]] = {}
    if details.category not in Thread.Category.values:
        add_error(errors, "category", _("Choose a category."))
    title = text(details.title)
    if not title:
        add_error(errors, "title", _("Give your notice a title."))
    elif len(title) > 160:
        add_error(errors, "title", _("Keep the title under 160 characters."))
    body = _body(details.body, errors)
    member = acting_member(
        access, details.member, errors, required=not access.is_moderator
    )
    if (
        details.category == Thread.Category.ANNOUNCEMENTS
        and not access.is_moderator
        and "category" not in errors
    ):
        add_error(
            errors, "category", _("Only the cluster's admins and curators announce.")
        )
    cleaned = _attachments(details.attachments, errors)
    raise_if(errors, CooperationErrorCode.INVALID_THREAD)
    assert actor.user is not None  # noqa: S101 - access_for needs a person
    thread = Thread.objects.create(
        cluster=access.cluster,
        category=details.category,
        title=title,
        body=body,
        author=actor.user,
        author_member=member,
    )
    _save_attachments(thread, None, cleaned)
    _follow(thread, {actor.user.pk} | _mentions(access, thread, None, body))
    audit_record(
        actor=actor,
        verb="board.thread_posted",
        target=thread,
        cluster_id=access.cluster.pk,
        member_id=member.pk if member else None,
        after={"title": title, "category": thread.category},
    )
    return thread


@transaction.atomic
def reply_create(
    *, actor: Actor, access: Access, thread: Thread, details: ReplyInput
) -> Reply:
    """Reply to a notice (not a locked one, unless a moderator)."""
    if thread.cluster_id != access.cluster.pk:
        raise NotPermitted(CooperationErrorCode.NOT_A_MEMBER, _("Not here."))
    if thread.locked and not access.is_moderator:
        raise NotPermitted(
            CooperationErrorCode.THREAD_LOCKED, _("This notice is locked.")
        )
    errors: dict[str, list[str]] = {}
    body = _body(details.body, errors)
    member = acting_member(
        access, details.member, errors, required=not access.is_moderator
    )
    cleaned = _attachments(details.attachments, errors)
    raise_if(errors, CooperationErrorCode.INVALID_REPLY)
    assert actor.user is not None  # noqa: S101 - access_for needs a person
    reply = Reply.objects.create(
        thread=thread, body=body, author=actor.user, author_member=member
    )
    _save_attachments(thread, reply, cleaned)
    _follow(thread, {actor.user.pk} | _mentions(access, thread, reply, body))
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=reply.created_at)
    audit_record(
        actor=actor,
        verb="board.reply_posted",
        target=reply,
        cluster_id=access.cluster.pk,
        member_id=member.pk if member else None,
    )
    return reply


def thread_follow(*, actor: Actor, access: Access, thread: Thread) -> None:
    if actor.user is not None and thread.cluster_id == access.cluster.pk:
        Follow.objects.get_or_create(thread=thread, user=actor.user)


def thread_unfollow(*, actor: Actor, access: Access, thread: Thread) -> None:
    Follow.objects.filter(thread=thread, user_id=access.user_id).delete()


@transaction.atomic
def digest_choose(*, actor: Actor, access: Access, frequency: str) -> DigestChoice:
    """How often this person hears of the notices they follow here."""
    if frequency not in DigestChoice.Frequency.values:
        raise ValidationFailed(
            CooperationErrorCode.INVALID_DIGEST,
            {"frequency": [_("Choose daily, weekly or never.")]},
        )
    choice, _created = DigestChoice.objects.update_or_create(
        user_id=access.user_id,
        cluster=access.cluster,
        defaults={"frequency": frequency},
    )
    return choice


def _require_moderator(access: Access) -> None:
    if not access.is_moderator:
        raise NotPermitted(
            CooperationErrorCode.NOT_MODERATOR,
            _("Only the cluster's admins and curators moderate the board."),
        )


@transaction.atomic
def thread_moderate(
    *, actor: Actor, access: Access, thread: Thread, action: str, reason: str = ""
) -> Thread:
    """Pin, unpin, lock, unlock, hide (with a reason) or show a notice; audited."""
    _require_moderator(access)
    if thread.cluster_id != access.cluster.pk or action not in MODERATION:
        raise ValidationFailed(
            CooperationErrorCode.INVALID_MODERATION,
            {"action": [_("Choose pin, unpin, lock, unlock, hide or unhide.")]},
        )
    reason = text(reason)
    if action == "hide" and not reason:
        raise ValidationFailed(
            CooperationErrorCode.INVALID_MODERATION,
            {"reason": [_("Say why it is hidden; its author is told.")]},
        )
    before = {
        "pinned": thread.pinned,
        "locked": thread.locked,
        "hidden": thread.hidden_at is not None,
    }
    if action in ("pin", "unpin"):
        thread.pinned = action == "pin"
    elif action in ("lock", "unlock"):
        thread.locked = action == "lock"
    elif action == "hide":
        thread.hidden_at, thread.hidden_reason = timezone.now(), reason[:300]
        thread.hidden_by = actor.user
    else:
        thread.hidden_at, thread.hidden_reason, thread.hidden_by = None, "", None
    thread.save()
    audit_record(
        actor=actor,
        verb=f"board.thread_{action}",
        target=thread,
        cluster_id=access.cluster.pk,
        before=before,
        after={
            "pinned": thread.pinned,
            "locked": thread.locked,
            "hidden": thread.hidden_at is not None,
            "reason": reason,
        },
    )
    return thread


@transaction.atomic
def reply_moderate(
    *, actor: Actor, access: Access, reply: Reply, action: str, reason: str = ""
) -> Reply:
    """Hide (with a reason) or show a reply; audited."""
    _require_moderator(access)
    reason = text(reason)
    if action not in ("hide", "unhide") or (action == "hide" and not reason):
        raise ValidationFailed(
            CooperationErrorCode.INVALID_MODERATION,
            {"reason": [_("Say why it is hidden; its author is told.")]},
        )
    if action == "hide":
        reply.hidden_at, reply.hidden_reason = timezone.now(), reason[:300]
        reply.hidden_by = actor.user
    else:
        reply.hidden_at, reply.hidden_reason, reply.hidden_by = None, "", None
    reply.save()
    audit_record(
        actor=actor,
        verb=f"board.reply_{action}",
        target=reply,
        cluster_id=access.cluster.pk,
        after={"reason": reason},
    )
    return reply
