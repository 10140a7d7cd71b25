"""Reads of memberships within the actor's scope: a cluster's admins see its
memberships, a business's team sees its own; anyone else gets ``Http404``. The
services that change them are in ``purei.members.memberships``."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from purei.accounts.models import MemberRole
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import ValidationFailed

from .memberships import MembershipErrorCode
from .models import Credential, Member, Membership

Status = Membership.Status


def _can_admin(actor: Actor, cluster_id: int) -> bool:
    return actor.is_platform_staff or actor.is_cluster_admin(cluster_id)


def _not_found() -> Http404:
    return Http404(_("No membership you can see has this number."))


def membership_status_errors(status: str | None) -> dict[str, list[str]]:
    if status and status not in Status.values:
        return {
            "status": [
                _("Unknown status: use %(choices)s.")
                % {"choices": ", ".join(Status.values)}
            ]
        }
    return {}


def membership_list_for_cluster(
    *, actor: Actor, cluster: Cluster, status: str | None = None
) -> QuerySet[Membership]:
    """A cluster's memberships (its admins and platform staff), applications
    first, each with its business and that business's credentials."""
    if not _can_admin(actor, cluster.pk):
        raise Http404(_("No cluster you manage lives at this address."))
    if errors := membership_status_errors(status):
        raise ValidationFailed(MembershipErrorCode.INVALID_STATUS, errors)
    memberships = (
        Membership.objects.filter(cluster=cluster)
        .select_related("member", "member__region", "decided_by", "cluster")
        .prefetch_related(
            Prefetch(
                "member__credentials",
                queryset=Credential.objects.order_by("kind", "expires_on", "pk"),
            )
        )
        .order_by("status", "-applied_at", "pk")
    )
    if status:
        memberships = memberships.filter(status=status)
    return memberships


def membership_counts_for_cluster(*, actor: Actor, cluster: Cluster) -> dict[str, int]:
    """How many memberships the cluster has in each status (every status listed)."""
    if not _can_admin(actor, cluster.pk):
        raise Http404(_("No cluster you manage lives at this address."))
    counts = dict.fromkeys(Status.values, 0)
    rows = (
        Membership.objects.filter(cluster=cluster)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for status, n in rows:
        counts[status] = n
    return counts


def membership_list_for_member(*, actor: Actor, member: Member) -> QuerySet[Membership]:
    """A business's memberships (its owners and staff, and platform staff)."""
    if not (actor.is_platform_staff or actor.is_member_team(member.pk)):
        raise Http404(_("No business you work for has this name."))
    return (
        Membership.objects.filter(member=member)
        .select_related("cluster", "member")
        .order_by("cluster__name_en", "pk")
    )


def membership_list_for_actor(
    *, actor: Actor, cluster: Cluster | None = None
) -> QuerySet[Membership]:
    """The memberships of every business ``actor`` owns or works for (in
    ``cluster`` only, when given)."""
    memberships = Membership.objects.filter(member_id__in=actor.member_ids)
    if cluster is not None:
        memberships = memberships.filter(cluster=cluster)
    return memberships.select_related("cluster", "member").order_by(
        "member__trading_name", "member__legal_name", "cluster__name_en"
    )


def membership_get_for_admin(*, actor: Actor, membership_id: int) -> Membership:
    """One membership, for its cluster's admins and platform staff; else 404.
    The business's credentials come with it."""
    membership = (
        Membership.objects.select_related("member", "cluster", "decided_by")
        .prefetch_related(
            Prefetch(
                "member__credentials",
                queryset=Credential.objects.order_by("kind", "expires_on", "pk"),
            )
        )
        .filter(pk=membership_id)
        .first()
    )
    if membership is None or not _can_admin(actor, membership.cluster_id):
        raise _not_found()
    return membership


def membership_get_for(*, actor: Actor, membership_id: int) -> Membership:
    """One membership, for those who may see it: its cluster's admins, platform
    staff and the business's own team; ``Http404`` for anyone else. (Seeing is not
    deciding: the services check who may change it.)"""
    membership = (
        Membership.objects.select_related("member", "cluster", "decided_by")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None or not (
        _can_admin(actor, membership.cluster_id)
        or actor.is_member_team(membership.member_id)
    ):
        raise _not_found()
    return membership


def membership_get_for_team(
    *, actor: Actor, cluster: Cluster, member_slug: str
) -> Membership:
    """The membership in ``cluster`` of the business ``member_slug``, for that
    business's team; ``Http404`` for anyone else or if it never applied."""
    membership = (
        Membership.objects.select_related("member", "cluster", "decided_by")
        .filter(cluster=cluster, member__slug=member_slug)
        .first()
    )
    if membership is None or not actor.is_member_team(membership.member_id):
        raise _not_found()
    return membership


def member_list_owned_by(*, actor: Actor) -> list[Member]:
    """The businesses ``actor`` owns, by name."""
    if not actor.owned_member_ids:
        return []
    return list(
        Member.objects.filter(pk__in=actor.owned_member_ids).order_by(
            "trading_name", "legal_name", "pk"
        )
    )


def member_list_for_team(*, actor: Actor) -> list[tuple[Member, str]]:
    """The businesses ``actor`` owns or works for, each with the role ("owner" or
    "staff"; an owner who is also staff is listed as owner)."""
    if not actor.member_ids:
        return []
    members = Member.objects.filter(pk__in=actor.member_ids).order_by(
        "trading_name", "legal_name", "pk"
    )
    return [
        (
            member,
            MemberRole.Role.OWNER
            if actor.is_member_owner(member.pk)
            else MemberRole.Role.STAFF,
        )
        for member in members
    ]


def member_get_for_team(*, actor: Actor, slug: str) -> Member:
    """The business ``slug`` if ``actor`` owns or works for it; ``Http404`` else."""
    member = Member.objects.filter(slug=slug).first()
    if member is None or not actor.is_member_team(member.pk):
        raise Http404(_("No business you work for has this name."))
    return member
