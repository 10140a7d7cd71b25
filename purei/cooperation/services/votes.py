"""Votes on motions (docs/cooperation.md "Votes"): an admin opens a vote, yes or
no or a choice between options, with a quorum and a closing time; each approved
member business has one vote, cast by its owners, who may change it until the
vote closes; at close the electorate, turnout, tally and result are recorded.
Minutes (PDF, JPEG or PNG, checked as the board's files are) can be attached."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.cooperation.errors import CooperationErrorCode
from purei.cooperation.models import Ballot, Motion, MotionOption
from purei.cooperation.selectors import Access
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.images import UploadRejected, evidence_clean

from .common import acting_member, add_error, raise_if, text
from .group_buys import _deadline, approved_member_ids

MAX_OPTIONS = 10


def _require_admin(access: Access) -> None:
    if not access.is_admin:
        raise NotPermitted(
            CooperationErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins open and close votes."),
        )


@dataclass(frozen=True)
class MotionInput:
    title: str = ""
    body: str = ""
    kind: str = ""
    options: Sequence[str] = field(default_factory=tuple)  # for a choice
    quorum_percent: int | str = 50
    closes_at: dt.datetime | str | None = None


@transaction.atomic
def motion_open(*, actor: Actor, access: Access, details: MotionInput) -> Motion:
    _require_admin(access)
    errors: dict[str, list[str]] = {}
    title = text(details.title)
    if not title:
        add_error(errors, "title", _("State the motion."))
    if details.kind not in Motion.Kind.values:
        add_error(errors, "kind", _("Choose yes or no, or a choice."))
    options = [text(o)[:160] for o in details.options if text(o)]
    if details.kind == Motion.Kind.CHOICE:
        if not 2 <= len(options) <= MAX_OPTIONS:
            add_error(
                errors,
                "options",
                _("Give 2 to %(n)s options, one a line.") % {"n": MAX_OPTIONS},
            )
        elif len(set(options)) != len(options):
            add_error(errors, "options", _("Each option is different."))
    else:
        options = [_("Yes"), _("No")]
    try:
        quorum = int(text(details.quorum_percent) or 0)
    except ValueError:
        quorum = -1
    if not 0 <= quorum <= 100:
        add_error(errors, "quorum_percent", _("Give a quorum from 0 to 100 per cent."))
    closes_at = _deadline(details.closes_at, errors)
    if "deadline" in errors:
        errors["closes_at"] = errors.pop("deadline")
    raise_if(errors, CooperationErrorCode.INVALID_MOTION)
    assert closes_at is not None  # noqa: S101 - checked
    motion = Motion.objects.create(
        cluster=access.cluster,
        title=title[:200],
        body=text(details.body)[:5000],
        kind=details.kind,
        quorum_percent=quorum,
        closes_at=closes_at,
        opened_by=actor.user,
    )
    MotionOption.objects.bulk_create(
        MotionOption(motion=motion, label=label, position=n)
        for n, label in enumerate(options)
    )
    audit_record(
        actor=actor,
        verb="motion.opened",
        target=motion,
        cluster_id=access.cluster.pk,
        after={"title": motion.title, "options": options, "quorum": quorum},
    )
    return motion


@transaction.atomic
def ballot_cast(
    *,
    actor: Actor,
    access: Access,
    motion: Motion,
    option: int | str,
    member: str | int | None = None,
) -> Ballot:
    """A member business's owners cast its one vote, or change it, until the
    vote closes."""
    errors: dict[str, list[str]] = {}
    business = acting_member(access, member, errors, required=True)
    raise_if(errors, CooperationErrorCode.INVALID_BALLOT)
    assert business is not None  # noqa: S101 - required=True
    if not actor.is_member_owner(business.pk):
        raise NotPermitted(
            CooperationErrorCode.NOT_VOTER,
            _("A business's owners cast its vote."),
        )
    locked = Motion.objects.select_for_update().get(pk=motion.pk)
    if locked.closed_at is not None or locked.closes_at <= timezone.now():
        raise ValidationFailed(
            CooperationErrorCode.MOTION_CLOSED,
            {"option": [_("Voting on this motion has closed.")]},
        )
    chosen = MotionOption.objects.filter(motion=locked, pk=text(option) or 0).first()
    if chosen is None:
        raise ValidationFailed(
            CooperationErrorCode.INVALID_BALLOT,
            {"option": [_("Choose one of the options.")]},
        )
    ballot, created = Ballot.objects.update_or_create(
        motion=locked,
        member=business,
        defaults={"option": chosen, "cast_by": actor.user},
    )
    audit_record(
        actor=actor,
        verb="motion.voted" if created else "motion.vote_changed",
        target=locked,
        cluster_id=access.cluster.pk,
        member_id=business.pk,
    )
    return ballot


def tally_result(
    *,
    kind: str,
    counts: Sequence[tuple[int, int]],
    electorate: int,
    quorum_percent: int,
) -> tuple[str, int | None]:
    """The result from ``counts`` ``(option id, votes)`` in option order (for a
    yes/no vote: yes first): no quorum when the turnout is under
    ``quorum_percent`` of the electorate (rounded up); yes/no carried when yes
    has more votes than no, else lost; a choice is the option with the most
    votes, or tied. Returns the result and the winning option's id."""
    turnout = sum(votes for _option, votes in counts)
    needed = -(-electorate * quorum_percent // 100)
    if turnout == 0 or turnout < needed:
        return Motion.Result.NO_QUORUM, None
    if kind == Motion.Kind.YES_NO:
        (yes_id, yes), (_no_id, no) = counts[0], counts[1]
        return (
            (Motion.Result.CARRIED, yes_id) if yes > no else (Motion.Result.LOST, None)
        )
    best = max(votes for _option, votes in counts)
    leaders = [option for option, votes in counts if votes == best]
    if len(leaders) > 1:
        return Motion.Result.TIED, None
    return Motion.Result.CHOSEN, leaders[0]


@transaction.atomic
def motion_close(
    *, actor: Actor, motion: Motion, now: dt.datetime | None = None
) -> Motion:
    """Record the electorate (the member businesses approved now), the turnout
    (their ballots), the tally and the result. The system closes at the closing
    time; an admin may close earlier. Safe to run twice."""
    now = now or timezone.now()
    locked = Motion.objects.select_for_update().get(pk=motion.pk)
    if locked.closed_at is not None:
        return locked
    if actor.is_system:
        if locked.closes_at > now:
            raise ValidationFailed(
                CooperationErrorCode.MOTION_NOT_DUE,
                {"closes_at": [_("Voting has not closed yet.")]},
            )
    elif not actor.is_cluster_admin(locked.cluster_id):
        raise NotPermitted(
            CooperationErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins close a vote early."),
        )
    voters = set(approved_member_ids(locked.cluster_id))
    ballots = [b for b in locked.ballots.all() if b.member_id in voters]
    options = list(locked.options.order_by("position", "pk"))
    counts = [
        (option.pk, sum(1 for b in ballots if b.option_id == option.pk))
        for option in options
    ]
    result, winner = tally_result(
        kind=locked.kind,
        counts=counts,
        electorate=len(voters),
        quorum_percent=locked.quorum_percent,
    )
    locked.closed_at = now
    locked.electorate = len(voters)
    locked.turnout = len(ballots)
    locked.tally = {str(option): votes for option, votes in counts}
    locked.result = result
    locked.winner_id = winner
    locked.save(
        update_fields=[
            "closed_at",
            "electorate",
            "turnout",
            "tally",
            "result",
            "winner",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        verb="motion.closed",
        target=locked,
        cluster_id=locked.cluster_id,
        after={
            "electorate": locked.electorate,
            "turnout": locked.turnout,
            "result": result,
            "tally": locked.tally,
        },
    )
    return locked


def motions_close_due(*, now: dt.datetime | None = None) -> list[Motion]:
    now = now or timezone.now()
    due = Motion.objects.filter(closed_at__isnull=True, closes_at__lte=now)
    return [
        motion_close(actor=Actor.system(), motion=m, now=now)
        for m in due.order_by("pk")
    ]


@transaction.atomic
def minutes_attach(
    *, actor: Actor, access: Access, motion: Motion, upload: IO[bytes] | Any
) -> Motion:
    """An admin attaches the minutes (PDF, JPEG or PNG; replaces earlier ones)."""
    _require_admin(access)
    if motion.cluster_id != access.cluster.pk:
        raise NotPermitted(CooperationErrorCode.NOT_CLUSTER_ADMIN, _("Not yours."))
    if upload is None:
        raise ValidationFailed(
            CooperationErrorCode.INVALID_MOTION, {"minutes": [_("Choose a file.")]}
        )
    name = str(getattr(upload, "name", "") or "minutes")[-160:]
    try:
        clean = evidence_clean(upload)
    except UploadRejected as exc:
        raise ValidationFailed(
            CooperationErrorCode.INVALID_MOTION, {"minutes": [exc.message]}
        ) from exc
    motion.minutes.save(str(clean.content.name), clean.content, save=False)
    motion.minutes_name = name
    motion.minutes_content_type = clean.content_type
    motion.save(
        update_fields=["minutes", "minutes_name", "minutes_content_type", "updated_at"]
    )
    audit_record(
        actor=actor,
        verb="motion.minutes_attached",
        target=motion,
        cluster_id=access.cluster.pk,
        after={"name": name},
    )
    return motion
