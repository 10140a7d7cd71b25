"""Reads of member businesses, each scoped to the actor asking.

Public reads show only members approved in a live cluster, and only credentials that
are verified and unexpired today. Team reads (owner or staff, and platform staff)
answer ``Http404`` outside scope, so nobody learns that a business exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.accounts.models import MemberRole
from purei.clusters.models import Cluster, Region
from purei.core.actor import Actor
from purei.core.text import fold, query_terms
from purei.web.shell import MemberTeam

from .models import Credential, Member, MemberPhoto, Membership


@dataclass
class RegionGroup:
    """Members of one region (``region`` is None for members who gave none)."""

    region: Region | None
    members: list[Member] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.region.name if self.region is not None else _("Other places")

    @property
    def anchor(self) -> str:
        return f"region-{self.region.code.lower()}" if self.region else "region-other"


@dataclass
class PublicMemberList:
    groups: list[RegionGroup]
    count: int

    @property
    def members(self) -> list[Member]:
        return [member for group in self.groups for member in group.members]


def verified_credentials() -> QuerySet[Credential]:
    """Credentials verified by a cluster admin and not expired today."""
    today = timezone.localdate()
    return Credential.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        verification=Credential.Verification.VERIFIED,
    ).order_by("kind", "expires_on", "pk")


def _approved_in(cluster: Cluster) -> QuerySet[Member]:
    return Member.objects.filter(
        memberships__cluster=cluster,
        memberships__status=Membership.Status.APPROVED,
    )


def _require_live(cluster: Cluster) -> None:
    if cluster.status != Cluster.Status.LIVE:
        raise Http404(_("No cluster lives at this address."))


def member_list_public(
    *, actor: Actor | None = None, cluster: Cluster, q: str | None = None
) -> PublicMemberList:
    """The approved members of a live cluster, grouped by region (north to south,
    then those without a region), each group sorted by name.

    ``q`` searches names, story, town and region, ignoring case and macrons; every
    word must match. Two queries whatever the number of members: the members with
    their regions, and their publicly verified credentials (``verified_credentials``
    attribute of each member).
    """
    _require_live(cluster)
    members = (
        _approved_in(cluster)
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "credentials",
                queryset=verified_credentials(),
                to_attr="verified_credentials",
            )
        )
    )
    for term in query_terms(q or ""):
        members = members.filter(search_text__contains=term)
    groups: dict[int | None, RegionGroup] = {}
    for member in members:
        key = member.region_id
        if key not in groups:
            groups[key] = RegionGroup(region=member.region)
        groups[key].members.append(member)
    ordered = sorted(
        groups.values(),
        key=lambda g: (g.region is None, g.region.position if g.region else 0),
    )
    for group in ordered:
        group.members.sort(key=lambda m: (fold(m.name), m.pk))
    return PublicMemberList(
        groups=ordered, count=sum(len(group.members) for group in ordered)
    )


def member_get_public(
    *, actor: Actor | None = None, cluster: Cluster, slug: str
) -> Member:
    """One approved member of a live cluster, with its photos and publicly verified
    credentials; ``Http404`` otherwise (not a member, not approved, not live)."""
    _require_live(cluster)
    members = (
        _approved_in(cluster)
        .select_related("region")
        .prefetch_related(
            Prefetch("photos", queryset=MemberPhoto.objects.order_by("position", "pk")),
            Prefetch(
                "credentials",
                queryset=verified_credentials(),
                to_attr="verified_credentials",
            ),
        )
    )
    try:
        return members.get(slug=slug)
    except Member.DoesNotExist:
        raise Http404(_("No member of this cluster lives at this address.")) from None


def _team_members(actor: Actor) -> QuerySet[Member]:
    if actor.is_platform_staff:
        return Member.objects.all()
    return Member.objects.filter(pk__in=actor.member_ids)


def member_get_for_team(*, actor: Actor, slug: str) -> Member:
    """A member business its owners and staff (and platform staff) manage.

    ``Http404`` for anyone else, whatever other role they hold.
    """
    try:
        return _team_members(actor).select_related("region").get(slug=slug)
    except Member.DoesNotExist:
        raise Http404(_("No business you manage lives at this address.")) from None


def member_list_for_actor(*, actor: Actor) -> list[Member]:
    """The member businesses the actor owns or works for, by name."""
    if not actor.is_authenticated:
        return []
    members = Member.objects.filter(pk__in=actor.member_ids).select_related("region")
    return sorted(members, key=lambda m: (fold(m.name), m.pk))


def member_role_of(*, actor: Actor, member: Member) -> str | None:
    """``owner``, ``staff`` or None: the actor's role in ``member``'s team."""
    if actor.is_member_owner(member.pk):
        return MemberRole.Role.OWNER.value
    if actor.is_member_team(member.pk):
        return MemberRole.Role.STAFF.value
    return None


def member_team_for(*, actor: Actor, member: Member) -> MemberTeam:
    """The actor's place in ``member``'s team, for the header of its screens."""
    return MemberTeam(
        role=member_role_of(actor=actor, member=member),
        approved_clusters=member_clusters_approved(actor=actor, member=member),
        is_platform_staff=actor.is_platform_staff,
    )


def member_clusters_approved(*, actor: Actor, member: Member) -> list[Cluster]:
    """The clusters ``member`` is approved in (for its own team's screens)."""
    _require_team(actor, member)
    return list(
        Cluster.objects.filter(
            memberships__member=member,
            memberships__status=Membership.Status.APPROVED,
        ).order_by("name_en")
    )


# --- Photos and credentials ---------------------------------------------------


def _require_team(actor: Actor, member: Member) -> None:
    if not (actor.is_platform_staff or actor.is_member_team(member.pk)):
        raise Http404(_("No business you manage lives at this address."))


def photo_list_for_team(*, actor: Actor, member: Member) -> list[MemberPhoto]:
    _require_team(actor, member)
    return list(MemberPhoto.objects.filter(member=member).order_by("position", "pk"))


def photo_get_for_team(*, actor: Actor, member: Member, photo_id: int) -> MemberPhoto:
    _require_team(actor, member)
    try:
        photo = MemberPhoto.objects.get(member=member, pk=photo_id)
    except MemberPhoto.DoesNotExist:
        raise Http404(_("No such photo.")) from None
    photo.member = member
    return photo


def credential_list_for_team(*, actor: Actor, member: Member) -> list[Credential]:
    _require_team(actor, member)
    return list(
        Credential.objects.filter(member=member)
        .select_related("verified_in", "verified_by")
        .order_by("kind", "expires_on", "pk")
    )


def credential_get_for_team(
    *, actor: Actor, member: Member, credential_id: int
) -> Credential:
    _require_team(actor, member)
    try:
        credential = Credential.objects.get(member=member, pk=credential_id)
    except Credential.DoesNotExist:
        raise Http404(_("No such credential.")) from None
    credential.member = member
    return credential


def credential_get_for_evidence(
    *, actor: Actor, member_slug: str, credential_id: int
) -> Credential:
    """A credential whose evidence file the actor may download: its member's team,
    admins of a cluster the member is approved in, and platform staff."""
    if not actor.is_authenticated:
        raise Http404
    visible = Q(member__pk__in=actor.member_ids) | Q(
        member__memberships__cluster_id__in=actor.admin_cluster_ids,
        member__memberships__status=Membership.Status.APPROVED,
    )
    credentials = Credential.objects.select_related("member")
    if not actor.is_platform_staff:
        credentials = credentials.filter(visible)
    found = credentials.filter(pk=credential_id, member__slug=member_slug).first()
    if found is None:
        raise Http404(_("No such credential."))
    return found


def cluster_get_for_admin(*, actor: Actor, slug: str) -> Cluster:
    """A cluster the actor administers; ``Http404`` otherwise."""
    try:
        return Cluster.objects.get(slug=slug, pk__in=actor.admin_cluster_ids)
    except Cluster.DoesNotExist:
        raise Http404(_("No cluster you run lives at this address.")) from None


def credential_get_for_cluster_admin(
    *, actor: Actor, cluster: Cluster, credential_id: int
) -> Credential:
    """A credential of a member approved in ``cluster``, for that cluster's admins."""
    if not actor.is_cluster_admin(cluster.pk):
        raise Http404
    try:
        return Credential.objects.select_related("member").get(
            pk=credential_id,
            member__memberships__cluster=cluster,
            member__memberships__status=Membership.Status.APPROVED,
        )
    except Credential.DoesNotExist:
        raise Http404(_("No such credential in this cluster.")) from None


def credential_list_for_cluster_admin(
    *, actor: Actor, cluster: Cluster, pending_only: bool = False
) -> list[Credential]:
    """Credentials of the members approved in ``cluster`` (for its admins' screens),
    waiting ones first."""
    if not actor.is_cluster_admin(cluster.pk):
        raise Http404
    credentials = Credential.objects.filter(
        member__memberships__cluster=cluster,
        member__memberships__status=Membership.Status.APPROVED,
    ).select_related("member", "verified_in")
    if pending_only:
        credentials = credentials.filter(verification=Credential.Verification.PENDING)
    waiting_first: dict[str, int] = {
        Credential.Verification.PENDING.value: 0,
        Credential.Verification.REJECTED.value: 1,
        Credential.Verification.VERIFIED.value: 2,
    }
    return sorted(
        credentials,
        key=lambda c: (waiting_first.get(c.verification, 3), fold(c.member.name), c.pk),
    )
