"""The board's email digest: for each person who follows notices in a cluster,
what happened on them since their last digest (daily or weekly, their choice;
weekly when they never chose). ``purei board_digest --daily|--weekly`` (cron)
enqueues one task per person and cluster due; the task claims the digest with a
conditional update before sending, so running twice never sends twice.

What a digest shows is read afresh, as the person may read it then: only while
they still belong to the cluster's members' space, never a hidden notice or
reply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from purei.accounts.models import User
from purei.clusters.models import Cluster
from purei.core.actor import Actor

from .models import DigestChoice, Follow, Reply, Thread
from .selectors import access_for

PERIOD = {
    DigestChoice.Frequency.DAILY: dt.timedelta(days=1),
    DigestChoice.Frequency.WEEKLY: dt.timedelta(days=7),
}


@dataclass(frozen=True)
class DigestItem:
    thread: Thread
    new_replies: int
    is_new: bool


def digests_due(*, frequency: str, now: dt.datetime) -> list[tuple[int, int]]:
    """(user id, cluster id) of everyone following a notice whose digest of this
    frequency is due."""
    period = PERIOD[DigestChoice.Frequency(frequency)]
    pairs = set(Follow.objects.values_list("user_id", "thread__cluster_id").distinct())
    choices = {
        (c.user_id, c.cluster_id): c
        for c in DigestChoice.objects.filter(user_id__in={u for u, _c in pairs})
    }
    due = []
    for user_id, cluster_id in sorted(pairs):
        choice = choices.get((user_id, cluster_id))
        chosen = choice.frequency if choice else DigestChoice.Frequency.WEEKLY
        if chosen != frequency:
            continue
        last = choice.last_sent_at if choice else None
        if last is None or last <= now - period + dt.timedelta(minutes=30):
            due.append((user_id, cluster_id))
    return due


def digest_claim(
    *, user_id: int, cluster_id: int, frequency: str, now: dt.datetime
) -> dt.datetime | None:
    """Mark the digest sent now, if it is still due; answer since when it
    reports (None: not due, someone else sent it)."""
    period = PERIOD[DigestChoice.Frequency(frequency)]
    choice, _created = DigestChoice.objects.get_or_create(
        user_id=user_id, cluster_id=cluster_id
    )
    if choice.frequency != frequency:
        return None
    since = choice.last_sent_at or now - period
    boundary = now - period + dt.timedelta(minutes=30)
    claimed = (
        DigestChoice.objects.filter(pk=choice.pk)
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=boundary))
        .update(last_sent_at=now)
    )
    return since if claimed else None


def digest_items(
    *, user: User, cluster: Cluster, since: dt.datetime
) -> list[DigestItem]:
    """What changed since ``since`` on the notices ``user`` follows in
    ``cluster``, as they may see it now (nothing when they left it)."""
    access = access_for(actor=Actor(user=user), cluster=cluster)
    if access is None:
        return []
    threads = Thread.objects.filter(
        cluster=cluster, follows__user=user, hidden_at__isnull=True
    ).filter(last_activity_at__gt=since)
    items = []
    for thread in threads.order_by("-last_activity_at", "pk"):
        new_replies = Reply.objects.filter(
            thread=thread, hidden_at__isnull=True, created_at__gt=since
        ).count()
        is_new = thread.created_at > since
        if new_replies or is_new:
            items.append(DigestItem(thread, new_replies, is_new))
    return items


def now() -> dt.datetime:
    return timezone.now()
