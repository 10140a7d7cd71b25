"""Reads of working together. Everything starts from ``together_access``: the
cluster and what the actor is there — the teams of its approved members, its
admins, its curators. Anyone else (platform staff included: this is the members'
own space) gets ``Http404``, so a cluster they are not in looks like no cluster.

A hidden notice or reply is seen by moderators only; an admins-only resource by
admins only; who is interested in a partner post by the poster's team only; a
member's directory facts only as far as its ``SharingChoice`` says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Credential, Member, Membership

from .models import (
    Attachment,
    Ballot,
    Commitment,
    DigestChoice,
    Follow,
    GroupBuy,
    Levy,
    LevyBill,
    Motion,
    PartnerInterest,
    PartnerPost,
    Reply,
    Resource,
    ResourceVersion,
    SharingChoice,
    Thread,
)


@dataclass(frozen=True)
class Access:
    """The actor in one cluster's members' space."""

    cluster: Cluster
    members: tuple[Member, ...]  # the actor's businesses approved in the cluster
    is_admin: bool
    is_moderator: bool  # admins and curators
    user_id: int

    @property
    def member_ids(self) -> frozenset[int]:
        return frozenset(m.pk for m in self.members)


def access_for(*, actor: Actor, cluster: Cluster) -> Access | None:
    """What ``actor`` is in ``cluster``'s members' space, or None."""
    if not actor.is_authenticated or actor.user is None:
        return None
    members: tuple[Member, ...] = ()
    if actor.member_ids:
        members = tuple(
            Member.objects.filter(
                pk__in=actor.member_ids,
                memberships__cluster=cluster,
                memberships__status=Membership.Status.APPROVED,
            ).order_by("trading_name", "legal_name", "pk")
        )
    is_admin = actor.is_cluster_admin(cluster.pk)
    is_moderator = cluster.pk in actor.curator_cluster_ids
    if not (members or is_moderator):
        return None
    return Access(
        cluster=cluster,
        members=members,
        is_admin=is_admin,
        is_moderator=is_moderator,
        user_id=actor.user.pk,
    )


def together_access(*, actor: Actor, slug: str) -> Access:
    """The cluster at ``slug`` and the actor's place in it; 404 outside it."""
    cluster = Cluster.objects.filter(slug=slug).first()
    found = access_for(actor=actor, cluster=cluster) if cluster else None
    if found is None:
        raise Http404(_("No cluster you belong to lives at this address."))
    return found


def clusters_for_member(*, member: Member) -> list[Cluster]:
    """The clusters whose members' space ``member``'s team may enter."""
    return list(
        Cluster.objects.filter(
            memberships__member=member, memberships__status=Membership.Status.APPROVED
        ).order_by("name_en")
    )


# --- The notice board ---------------------------------------------------------


def _visible_replies(access: Access) -> QuerySet[Reply]:
    replies = Reply.objects.select_related("author", "author_member")
    if not access.is_moderator:
        replies = replies.filter(hidden_at__isnull=True)
    return replies.prefetch_related("attachments")


def thread_list(
    *, access: Access, category: str = "", following: bool = False
) -> QuerySet[Thread]:
    """The cluster's notices, pinned first, then by their latest activity;
    hidden ones to moderators only."""
    threads = Thread.objects.filter(cluster=access.cluster)
    if not access.is_moderator:
        threads = threads.filter(hidden_at__isnull=True)
    if category:
        threads = threads.filter(category=category)
    if following:
        threads = threads.filter(follows__user_id=access.user_id)
    reply_filter = Q() if access.is_moderator else Q(replies__hidden_at__isnull=True)
    return (
        threads.select_related("author", "author_member")
        .annotate(reply_count=Count("replies", filter=reply_filter))
        .order_by("-pinned", "-last_activity_at", "-pk")
    )


def thread_get(*, access: Access, thread_id: int) -> Thread:
    """One notice with its replies and attachments; 404 when not visible."""
    threads = Thread.objects.filter(cluster=access.cluster, pk=thread_id)
    if not access.is_moderator:
        threads = threads.filter(hidden_at__isnull=True)
    found = (
        threads.select_related("author", "author_member", "hidden_by")
        .prefetch_related(
            Prefetch("replies", queryset=_visible_replies(access)),
            Prefetch("attachments", queryset=Attachment.objects.filter(reply=None)),
        )
        .first()
    )
    if found is None:
        raise Http404(_("No such notice here."))
    return found


def is_following(*, access: Access, thread: Thread) -> bool:
    return Follow.objects.filter(thread=thread, user_id=access.user_id).exists()


def digest_frequency(*, access: Access) -> str:
    found = (
        DigestChoice.objects.filter(user_id=access.user_id, cluster=access.cluster)
        .values_list("frequency", flat=True)
        .first()
    )
    return found or DigestChoice.Frequency.WEEKLY


def attachment_get(*, access: Access, attachment_id: int) -> Attachment:
    """An attachment of a notice (or reply) the actor may read; 404 otherwise."""
    found = (
        Attachment.objects.filter(pk=attachment_id, thread__cluster=access.cluster)
        .select_related("thread", "reply")
        .first()
    )
    if found is None or (
        not access.is_moderator
        and (
            found.thread.hidden_at is not None
            or (found.reply is not None and found.reply.hidden_at is not None)
        )
    ):
        raise Http404(_("No such file here."))
    return found


# --- Shared resources ---------------------------------------------------------


def resource_list(*, access: Access) -> QuerySet[Resource]:
    """The library: admins-only entries to admins only, newest versions first."""
    resources = Resource.objects.filter(cluster=access.cluster)
    if not access.is_admin:
        resources = resources.filter(visibility=Resource.Visibility.MEMBERS)
    return resources.prefetch_related(
        Prefetch("versions", queryset=ResourceVersion.objects.order_by("-number"))
    ).order_by("title", "pk")


def resource_get(*, access: Access, resource_id: int) -> Resource:
    found = resource_list(access=access).filter(pk=resource_id).first()
    if found is None:
        raise Http404(_("No such resource here."))
    return found


def resource_version_get(*, access: Access, version_id: int) -> ResourceVersion:
    found = (
        ResourceVersion.objects.filter(
            pk=version_id, resource__in=resource_list(access=access)
        )
        .select_related("resource")
        .first()
    )
    if found is None:
        raise Http404(_("No such file here."))
    return found


# --- Partner search -----------------------------------------------------------


def partner_post_list(
    *, access: Access, now: dt.datetime | None = None
) -> QuerySet[PartnerPost]:
    """Open posts (not closed, not expired), and the actor's own whatever their
    state; soonest to expire first."""
    now = now or timezone.now()
    open_posts = Q(closed_at__isnull=True, expires_at__gt=now)
    own = Q(member_id__in=access.member_ids)
    return (
        PartnerPost.objects.filter(cluster=access.cluster)
        .filter(open_posts | own)
        .select_related("member")
        .order_by("expires_at", "pk")
    )


def partner_post_get(*, access: Access, post_id: int) -> PartnerPost:
    found = partner_post_list(access=access).filter(pk=post_id).first()
    if found is None:
        raise Http404(_("No such post here."))
    return found


def is_poster(*, access: Access, post: PartnerPost) -> bool:
    return post.member_id in access.member_ids


def interests_for_poster(*, access: Access, post: PartnerPost) -> list[PartnerInterest]:
    """Who is interested: for the poster's team only (others get none)."""
    if not is_poster(access=access, post=post):
        return []
    return list(
        PartnerInterest.objects.filter(post=post)
        .select_related("member", "created_by")
        .order_by("created_at", "pk")
    )


def own_interests(*, access: Access, post: PartnerPost) -> list[PartnerInterest]:
    """The actor's businesses' own interest in ``post``."""
    return list(
        PartnerInterest.objects.filter(post=post, member_id__in=access.member_ids)
        .select_related("member")
        .order_by("pk")
    )


# --- The members' directory ---------------------------------------------------


@dataclass(frozen=True)
class DirectoryEntry:
    """One member as the other members see it: its public facts, and what it
    chose to share (empty when it did not)."""

    member: Member
    makes: str = ""
    capacity: str = ""
    credentials: list[Credential] = field(default_factory=list)
    email: str = ""
    phone: str = ""
    shares_anything: bool = False


def _entry(member: Member, choice: SharingChoice | None) -> DirectoryEntry:
    if choice is None:
        return DirectoryEntry(member=member)
    credentials = []
    if choice.share_credentials:
        credentials = [
            c
            for c in member.credentials.all()
            if c.verification == Credential.Verification.VERIFIED
        ]
    return DirectoryEntry(
        member=member,
        makes=choice.makes if choice.share_makes else "",
        capacity=choice.capacity if choice.share_capacity else "",
        credentials=credentials,
        email=member.email if choice.share_contact else "",
        phone=member.phone if choice.share_contact else "",
        shares_anything=any(
            (
                choice.share_makes,
                choice.share_capacity,
                choice.share_credentials,
                choice.share_contact,
            )
        ),
    )


def directory_list(*, access: Access) -> list[DirectoryEntry]:
    """The cluster's approved members, each with what it chose to share."""
    members = (
        Member.objects.filter(
            memberships__cluster=access.cluster,
            memberships__status=Membership.Status.APPROVED,
        )
        .select_related("region", "sharing")
        .prefetch_related("credentials")
        .order_by("trading_name", "legal_name", "pk")
    )
    entries = []
    for member in members:
        choice = getattr(member, "sharing", None)
        entries.append(_entry(member, choice))
    return entries


def sharing_get(*, member: Member) -> SharingChoice:
    """A member's sharing choice (unsaved and sharing nothing when never made)."""
    return SharingChoice.objects.filter(member=member).first() or SharingChoice(
        member=member
    )


# --- Group buys (docs/cooperation.md "Group buying") ----------------------------


def group_buy_list(*, access: Access) -> QuerySet[GroupBuy]:
    """The cluster's group buys, open ones first (soonest deadline first)."""
    return (
        GroupBuy.objects.filter(cluster=access.cluster)
        .select_related("proposer_member")
        .prefetch_related("tiers")
        .order_by(
            models.Case(models.When(status=GroupBuy.Status.OPEN, then=0), default=1),
            "deadline",
            "pk",
        )
    )


def group_buy_get(*, access: Access, group_buy_id: int) -> GroupBuy:
    found = (
        GroupBuy.objects.filter(cluster=access.cluster, pk=group_buy_id)
        .select_related("proposer_member")
        .prefetch_related("tiers")
        .first()
    )
    if found is None:
        raise Http404(_("No such group buy here."))
    return found


def commitments_visible(*, access: Access, group_buy: GroupBuy) -> list[Commitment]:
    """Every commitment to the cluster's admins; a member's own to its team
    (other members see the total only)."""
    commitments = Commitment.objects.filter(group_buy=group_buy).select_related(
        "member"
    )
    if not access.is_admin:
        commitments = commitments.filter(member_id__in=access.member_ids)
    return list(commitments.order_by("pk"))


def commitment_get(*, access: Access, commitment_id: int) -> Commitment:
    """A commitment the actor may act on: any of the cluster's to an admin, its
    own to a member's team."""
    visible = Commitment.objects.filter(group_buy__cluster=access.cluster)
    if not access.is_admin:
        visible = visible.filter(member_id__in=access.member_ids)
    found = visible.select_related("group_buy", "member").filter(pk=commitment_id)
    commitment = found.first()
    if commitment is None:
        raise Http404(_("No such share here."))
    return commitment


# --- Levies --------------------------------------------------------------------


def levy_list(*, access: Access) -> QuerySet[Levy]:
    return Levy.objects.filter(cluster=access.cluster).prefetch_related("bands")


def levy_get(*, access: Access, levy_id: int) -> Levy:
    found = levy_list(access=access).filter(pk=levy_id).first()
    if found is None:
        raise Http404(_("No such levy here."))
    return found


def levy_bills_visible(*, access: Access) -> QuerySet[LevyBill]:
    """Every bill of the cluster's levies to its admins; a member's own to its
    team."""
    bills = LevyBill.objects.filter(levy__cluster=access.cluster)
    if not access.is_admin:
        bills = bills.filter(member_id__in=access.member_ids)
    return bills.select_related("levy", "member").order_by(
        "-period_start", "member__trading_name", "pk"
    )


def levy_bill_get(*, access: Access, bill_id: int) -> LevyBill:
    found = levy_bills_visible(access=access).filter(pk=bill_id).first()
    if found is None:
        raise Http404(_("No such levy bill here."))
    return found


def levy_bills_overdue(
    *, access: Access, today: dt.date | None = None
) -> list[LevyBill]:
    """Unpaid bills past their due day (admins see all, a team its own)."""
    today = today or timezone.localdate()
    return list(
        levy_bills_visible(access=access).filter(
            due_on__lt=today, paid_at__isnull=True, offset_at__isnull=True
        )
    )


# --- Votes ---------------------------------------------------------------------


def motion_list(*, access: Access) -> QuerySet[Motion]:
    return (
        Motion.objects.filter(cluster=access.cluster)
        .select_related("winner")
        .prefetch_related("options")
        .order_by(models.F("closed_at").asc(nulls_first=True), "-closes_at", "-pk")
    )


def motion_get(*, access: Access, motion_id: int) -> Motion:
    found = motion_list(access=access).filter(pk=motion_id).first()
    if found is None:
        raise Http404(_("No such vote here."))
    return found


def own_ballots(*, access: Access, motion: Motion) -> dict[int, Ballot]:
    """The actor's businesses' ballots on ``motion``, by member id (never
    another member's: a ballot is secret from other members)."""
    return {
        b.member_id: b
        for b in Ballot.objects.filter(
            motion=motion, member_id__in=access.member_ids
        ).select_related("option")
    }


# --- Customers who agreed to hear from the other makers (IPP 3A) ----------------


@dataclass(frozen=True)
class SharedCustomer:
    """A customer of an order ``member`` shared with other makers, who agreed
    at checkout to hear from them: exactly what they agreed to and when."""

    name: str
    email: str
    order_number: str
    ordered_at: dt.datetime
    consented_at: dt.datetime
    wording: str
    makers: tuple[str, ...]  # the order's other makers


def shared_customers(*, access: Access, member: Member) -> list[SharedCustomer]:
    """Customers of orders in the cluster with a part of ``member`` (one of the
    actor's businesses) and a part of another maker, who ticked "the other
    makers may contact me". Orders without that consent are never read."""
    from purei.orders.models import Fulfilment, Order

    if member.pk not in access.member_ids:
        raise Http404(_("No business of yours."))
    orders = (
        Order.objects.filter(
            cluster=access.cluster,
            share_contact_consent=True,
            share_contact_at__isnull=False,
            fulfilments__member=member,
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "fulfilments",
                queryset=Fulfilment.objects.select_related("member").order_by("pk"),
            )
        )
        .order_by("-share_contact_at", "-pk")
    )
    found: list[SharedCustomer] = []
    for order in orders[:500]:
        others = tuple(
            sorted(
                {
                    f.member.name
                    for f in order.fulfilments.all()
                    if f.member_id != member.pk
                }
            )
        )
        if not others:
            continue  # the member's own order: nothing shared
        assert order.share_contact_at is not None  # noqa: S101 - filtered above
        found.append(
            SharedCustomer(
                name=order.name,
                email=order.email,
                order_number=order.number,
                ordered_at=order.created_at,
                consented_at=order.share_contact_at,
                wording=order.share_contact_wording,
                makers=others,
            )
        )
    return found
