"""The demo's working together (issue 15's demo): the Martinborough Fair's notice
board with threads and replies, and an NZ Steel Fabricators partner post offering
half a container to Brisbane. Safe to run twice (each is found by its title)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from purei.accounts.models import ClusterRole, MemberRole
from purei.clusters.models import Cluster
from purei.members.models import Member, Membership

from .models import Follow, PartnerPost, Reply, Resource, ResourceVersion, Thread

FAIR = "martinborough-fair"
STEEL = "nz-steel-fabricators"

# (category, title, body, replies) — a notice by the n-th approved member (or the
# cluster's admin for announcements), each reply by the next member.
FAIR_THREADS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        Thread.Category.ANNOUNCEMENTS,
        "Stall plan for the February fair",
        "The **stall plan** for the February fair is in the shared library. "
        "Set-up from 6 am; cars off the Square by 8.",
        ("Thanks Helen — can we swap to the shady side this time?",),
    ),
    (
        Thread.Category.FREIGHT,
        "Sharing a courier run to Wellington on Thursdays",
        "We send about 20 cartons to Wellington every Thursday. Anyone want to "
        "share the van? Split by carton.",
        ("Count us in for 4 to 6 cartons most weeks.", "Same here, from March."),
    ),
    (
        Thread.Category.HELP_WANTED,
        "Extra hands for the Toast Martinborough weekend",
        "Looking for two people to help on the stall on the Sunday, 9 to 3.",
        (),
    ),
    (
        Thread.Category.EVENTS,
        "Members' evening at the Town Hall",
        "A members' evening on the 12th: what worked at the last fair, and the "
        "paper bag order for next season.",
        (),
    ),
)


def _approved(cluster: Cluster) -> list[Member]:
    return list(
        Member.objects.filter(
            memberships__cluster=cluster,
            memberships__status=Membership.Status.APPROVED,
        ).order_by("memberships__applied_at", "pk")
    )


def _owner_id(member: Member) -> int | None:
    return (
        MemberRole.objects.filter(member=member, role=MemberRole.Role.OWNER)
        .values_list("user_id", flat=True)
        .first()
    )


def _board(cluster: Cluster) -> int:
    members = _approved(cluster)
    if not members:
        return 0
    admin_id = (
        ClusterRole.objects.filter(cluster=cluster, role=ClusterRole.Role.ADMIN)
        .values_list("user_id", flat=True)
        .first()
    )
    made = 0
    now = timezone.now()
    for n, (category, title, body, replies) in enumerate(FAIR_THREADS):
        if Thread.objects.filter(cluster=cluster, title=title).exists():
            continue
        by_admin = category == Thread.Category.ANNOUNCEMENTS
        member = None if by_admin else members[n % len(members)]
        started = now - dt.timedelta(days=10 - n * 2)
        thread = Thread.objects.create(
            cluster=cluster,
            category=category,
            title=title,
            body=body,
            author_id=admin_id if by_admin else _owner_id(member),  # type: ignore[arg-type]
            author_member=member,
            pinned=by_admin,
            last_activity_at=started,
        )
        Thread.objects.filter(pk=thread.pk).update(created_at=started)
        for k, text in enumerate(replies):
            replier = members[(n + k + 1) % len(members)]
            reply = Reply.objects.create(
                thread=thread,
                body=text,
                author_id=_owner_id(replier),
                author_member=replier,
            )
            at = started + dt.timedelta(hours=3 * (k + 1))
            Reply.objects.filter(pk=reply.pk).update(created_at=at)
            Thread.objects.filter(pk=thread.pk).update(last_activity_at=at)
        follower = admin_id if by_admin else _owner_id(member)  # type: ignore[arg-type]
        if follower:
            Follow.objects.get_or_create(thread=thread, user_id=follower)
        made += 1
    if not Resource.objects.filter(cluster=cluster, title="Fair brand kit").exists():
        kit = Resource.objects.create(
            cluster=cluster,
            title="Fair brand kit",
            description="Logo, colours and the stall sign template.",
            kind=Resource.Kind.LINK,
            created_by_id=admin_id,
        )
        ResourceVersion.objects.create(
            resource=kit,
            number=1,
            url="https://example.com/martinborough-fair/brand-kit",
            note="First version",
        )
        made += 1
    return made


def _freight_post(cluster: Cluster) -> int:
    title = "Half a container to Brisbane, leaving Auckland in three weeks"
    if PartnerPost.objects.filter(cluster=cluster, title=title).exists():
        return 0
    members = _approved(cluster)
    if len(members) < 2:
        return 0
    poster = members[0]
    PartnerPost.objects.create(
        cluster=cluster,
        member=poster,
        kind=PartnerPost.Kind.OFFER,
        title=title,
        body=(
            "We have a 40 ft container of portal frames going to Brisbane and about "
            "half of it free: roughly 30 m³, up to 12 tonnes. Your steel, crated or "
            "strapped on bearers, at our East Tāmaki yard a week before sailing. "
            "Freight split by volume."
        ),
        expires_at=timezone.now() + dt.timedelta(days=21),
        created_by_id=_owner_id(poster),
    )
    return 1


def cooperation_seed_load() -> int:
    """Load the demo's board and partner post; how many things were made."""
    made = 0
    clusters = {c.slug: c for c in Cluster.objects.filter(slug__in=[FAIR, STEEL])}
    if FAIR in clusters:
        made += _board(clusters[FAIR])
    if STEEL in clusters:
        made += _freight_post(clusters[STEEL])
    return made
