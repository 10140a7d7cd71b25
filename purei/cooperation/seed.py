"""The demo's working together (issue 15's demo): the Martinborough Fair's notice
board with threads and replies and a group buy of printed paper bags that closed
and was split (each share offset against the member's next payout); an NZ Steel
Fabricators partner post offering half a container to Brisbane; Te Tauranga
Toi's vote on the collective's new kaitiaki and its annual levy. Safe to run
twice (each is found by its title or name)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from purei.accounts.models import ClusterRole, MemberRole
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member, Membership

from .models import (
    Ballot,
    Commitment,
    Follow,
    GroupBuy,
    GroupBuyTier,
    Levy,
    Motion,
    MotionOption,
    PartnerPost,
    Reply,
    Resource,
    ResourceVersion,
    Settlement,
    Thread,
)
from .selectors import Access
from .services.group_buys import group_buy_close
from .services.levies import LevyInput, levy_bill, levy_create, levy_payment_record

FAIR = "martinborough-fair"
STEEL = "nz-steel-fabricators"
TOI = "te-tauranga-toi"

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


def _admin_access(cluster: Cluster) -> Access:
    """The cluster as its admins see it, for the services (Pūrei acts)."""
    admin = ClusterRole.objects.filter(
        cluster=cluster, role=ClusterRole.Role.ADMIN
    ).first()
    return Access(
        cluster=cluster,
        members=(),
        is_admin=True,
        is_moderator=True,
        user_id=admin.user_id if admin else 0,
    )


BAGS = "Printed paper bags with the Fair's logo"


def _paper_bags(cluster: Cluster) -> int:
    """A group buy that closed last week with its target met: 2,000 bags at the
    2,000+ tier, the $120.00 freight split by quantity, every share offset
    against the member's next payout."""
    if GroupBuy.objects.filter(cluster=cluster, title=BAGS).exists():
        return 0
    members = _approved(cluster)
    if len(members) < 3:
        return 0
    closed = timezone.now() - dt.timedelta(days=7)
    group_buy = GroupBuy.objects.create(
        cluster=cluster,
        kind=GroupBuy.Kind.PACKAGING,
        title=BAGS,
        description="Brown kraft bags, two sizes mixed, printed one colour.",
        supplier="Kraft Bags Ltd, Petone",
        unit="bags",
        target_quantity=1500,
        cap=3000,
        deadline=closed,
        arrangement=GroupBuy.Arrangement.COLLECTION,
        arrangement_details="Collect from the Town Hall store room, the Saturday after",
        shared_cost_cents=12000,
        proposer_member=members[0],
        proposed_by_id=_owner_id(members[0]),
    )
    for minimum, price in ((1, 55), (1000, 42), (2000, 35)):
        GroupBuyTier.objects.create(
            group_buy=group_buy, min_quantity=minimum, unit_price_cents=price
        )
    quantities = (800, 700, 500)
    for member, quantity in zip(members, quantities, strict=False):
        Commitment.objects.create(
            group_buy=group_buy,
            member=member,
            quantity=quantity,
            settle_by=Settlement.OFFSET,
            committed_by_id=_owner_id(member),
        )
    GroupBuy.objects.filter(pk=group_buy.pk).update(
        committed_quantity=sum(quantities[: len(members)])
    )
    group_buy_close(actor=Actor.system(), group_buy=group_buy, now=closed)
    return 1


KAITIAKI_VOTE = "Who will be the collective's new kaitiaki?"


def _kaitiaki_vote(cluster: Cluster) -> int:
    if Motion.objects.filter(cluster=cluster, title=KAITIAKI_VOTE).exists():
        return 0
    members = _approved(cluster)
    if not members:
        return 0
    motion = Motion.objects.create(
        cluster=cluster,
        title=KAITIAKI_VOTE,
        body=(
            "Our kaitiaki gives the cultural review of members' listings. Two "
            "members have been nominated; one vote per member business, by its "
            "owners. A quorum of half the members."
        ),
        kind=Motion.Kind.CHOICE,
        quorum_percent=50,
        closes_at=timezone.now() + dt.timedelta(days=10),
    )
    options = [
        MotionOption.objects.create(motion=motion, label=label, position=n)
        for n, label in enumerate(("Aroha Te Whata", "Wiremu Parata"))
    ]
    for n, member in enumerate(members[:2]):
        Ballot.objects.create(
            motion=motion,
            member=member,
            option=options[n % 2],
            cast_by_id=_owner_id(member),
        )
    return 1


ANNUAL_LEVY = "Annual collective levy"


def _annual_levy(cluster: Cluster) -> int:
    if Levy.objects.filter(cluster=cluster, name=ANNUAL_LEVY).exists():
        return 0
    access = _admin_access(cluster)
    levy = levy_create(
        actor=Actor.system(),
        access=access,
        details=LevyInput(
            name=ANNUAL_LEVY, period="annual", basis="flat", amount=15000, due_days=30
        ),
    )
    bills = levy_bill(actor=Actor.system(), access=access, levy=levy)
    if bills:
        levy_payment_record(actor=Actor.system(), access=access, bill=bills[0])
    return 1


def cooperation_seed_load() -> int:
    """Load the demo's board, group buy, partner post, vote and levy; how many
    things were made."""
    made = 0
    clusters = {c.slug: c for c in Cluster.objects.filter(slug__in=[FAIR, STEEL, TOI])}
    if FAIR in clusters:
        made += _board(clusters[FAIR])
        made += _paper_bags(clusters[FAIR])
    if STEEL in clusters:
        made += _freight_post(clusters[STEEL])
    if TOI in clusters:
        made += _kaitiaki_vote(clusters[TOI])
        made += _annual_levy(clusters[TOI])
    return made
