"""Reads of shipping and pickup for the manage screens: a member's (or a
cluster's default) policy with its rates, the cluster defaults a member falls back
to, a cluster's pickup events, and each as form values (text, as typed).

The member's team, the cluster's admins and platform staff see them; anyone else
gets ``Http404``, as if there were nothing there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.money import format_cents
from purei.members.models import Member, Membership
from purei.orders.models import PickupEvent, ShippingPolicy, ShippingRate, Zone


def shipping_owner(member: Member | None, cluster: Cluster | None) -> Member | Cluster:
    """The one owner of a policy given as ``member=`` or ``cluster=``."""
    if (member is None) == (cluster is None):
        raise TypeError("give exactly one of member= or cluster=")
    owner = member if member is not None else cluster
    assert owner is not None  # noqa: S101  # for mypy: checked just above
    return owner


# --- Reads for the manage screens ------------------------------------------------


def shipping_policy_get_for(
    *, actor: Actor, member: Member | None = None, cluster: Cluster | None = None
) -> ShippingPolicy | None:
    """The member's (or cluster's) policy with its rates, for those who may see it:
    the member's team, the cluster's admins, platform staff. None if it has none."""
    owner = shipping_owner(member, cluster)
    if not actor.is_platform_staff:
        allowed = (
            actor.is_member_team(owner.pk)
            if isinstance(owner, Member)
            else actor.is_cluster_admin(owner.pk)
        )
        if not allowed:
            raise Http404(_("No shipping you manage lives here."))
    lookup = {"member": owner} if isinstance(owner, Member) else {"cluster": owner}
    return (
        ShippingPolicy.objects.prefetch_related("rates", "chilled_rates")
        .filter(**lookup)
        .first()
    )


@dataclass(frozen=True)
class ClusterDefault:
    """A cluster a member sells in, and the default shipping it falls back to."""

    cluster: Cluster
    policy: ShippingPolicy | None

    @property
    def rates(self) -> list[ShippingRate]:
        return list(self.policy.rates.all()) if self.policy else []


def cluster_defaults_for_member(
    *, actor: Actor, member: Member
) -> list[ClusterDefault]:
    """The default shipping of each cluster the member is approved in (two queries)."""
    if not (actor.is_platform_staff or actor.is_member_team(member.pk)):
        raise Http404(_("No shipping you manage lives here."))
    clusters = list(
        Cluster.objects.filter(
            memberships__member=member,
            memberships__status=Membership.Status.APPROVED,
        ).order_by("name_en", "pk")
    )
    policies = {
        p.cluster_id: p
        for p in ShippingPolicy.objects.filter(cluster__in=clusters).prefetch_related(
            "rates"
        )
    }
    return [ClusterDefault(cluster=c, policy=policies.get(c.pk)) for c in clusters]


def rate_rows_initial(policy: ShippingPolicy | None) -> list[dict[str, str]]:
    """The policy's rates as form rows (text, as typed)."""
    if policy is None:
        return []
    return [
        {
            "zone": rate.zone,
            "max_weight": ""
            if rate.max_weight_grams is None
            else str(rate.max_weight_grams),
            "price": format_cents(rate.price_cents),
        }
        for rate in sorted(
            policy.rates.all(),
            key=lambda r: (
                Zone.values.index(r.zone),
                r.max_weight_grams is None,
                r.max_weight_grams or 0,
            ),
        )
    ]


def chilled_rows_initial(policy: ShippingPolicy | None) -> list[dict[str, str]]:
    """One row per zone in New Zealand, with the policy's chilled rate if any."""
    rates = {rate.zone: rate for rate in policy.chilled_rates.all()} if policy else {}
    rows = []
    for zone in (Zone.NORTH_ISLAND, Zone.SOUTH_ISLAND, Zone.CHATHAM_ISLANDS):
        rate = rates.get(zone)
        rows.append(
            {
                "zone": zone.value,
                "price": format_cents(rate.price_cents) if rate else "",
                "transit_days": str(rate.transit_days) if rate else "",
            }
        )
    return rows


def policy_initial(policy: ShippingPolicy | None) -> dict[str, Any]:
    """The policy as form values (text, as typed)."""
    if policy is None:
        return {}
    return {
        "dispatch_weekdays": [str(n) for n in policy.dispatch_weekdays or []],
        "dispatch_cutoff": policy.dispatch_cutoff.strftime("%H:%M")
        if policy.dispatch_cutoff
        else "",
        "transit_days": str(policy.transit_days),
        "rural_surcharge": format_cents(policy.rural_surcharge_cents)
        if policy.rural_surcharge_cents
        else "",
        "free_over": ""
        if policy.free_over_cents is None
        else format_cents(policy.free_over_cents),
        "pickup_at_premises": policy.pickup_at_premises,
        "pickup_address": policy.pickup_address,
        "pickup_instructions": policy.pickup_instructions,
    }


# --- Pickup events ----------------------------------------------------------------


def pickup_event_list_for_cluster(
    *, actor: Actor, cluster: Cluster
) -> QuerySet[PickupEvent]:
    """Every event of the cluster, soonest first, with who takes part."""
    if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
        raise Http404(_("No cluster you manage lives here."))
    return (
        PickupEvent.objects.filter(cluster=cluster)
        .prefetch_related("members")
        .order_by("-is_active", "starts_at", "pk")
    )


def pickup_event_get_for(
    *, actor: Actor, cluster: Cluster, event_id: int
) -> PickupEvent:
    """One of the cluster's events, or ``Http404``."""
    try:
        return pickup_event_list_for_cluster(actor=actor, cluster=cluster).get(
            pk=event_id
        )
    except PickupEvent.DoesNotExist:
        raise Http404(_("No such pickup event.")) from None


def approved_members_of(cluster: Cluster) -> QuerySet[Member]:
    """The cluster's approved members, by name (choices for an event)."""
    return (
        Member.objects.filter(
            memberships__cluster=cluster,
            memberships__status=Membership.Status.APPROVED,
        )
        .distinct()
        .order_by("trading_name", "legal_name", "pk")
    )


def pickup_event_initial(event: PickupEvent) -> dict[str, Any]:
    """The event as form values, in its own time zone."""
    zone = ZoneInfo(event.time_zone)
    start = event.starts_at.astimezone(zone)
    end = event.ends_at.astimezone(zone)
    cutoff = event.order_cutoff.astimezone(zone)
    return {
        "name_en": event.name_en,
        "name_mi": event.name_mi,
        "venue": event.venue,
        "address": event.address,
        "collection_point": event.collection_point,
        "time_zone": event.time_zone,
        "start_date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_date": end.date().isoformat(),
        "end_time": end.strftime("%H:%M"),
        "cutoff_date": cutoff.date().isoformat(),
        "cutoff_time": cutoff.strftime("%H:%M"),
        "members": [m.pk for m in event.members.all()],
        "restricted_day_exemption": event.restricted_day_exemption,
    }
