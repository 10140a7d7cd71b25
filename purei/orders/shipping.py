"""Shipping rules: which zone an address is in, whose rates apply, and the charge.

No request objects and no writes. ``policies_for`` reads the rate tables of many
members in a fixed number of queries; ``shipping_cents`` is pure arithmetic on
integer cents (domain-nz.md §1.2, §4.3).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypedDict

from django.db.models import Q

from purei.clusters.models import Cluster, Region

from .models import ShippingPolicy, Zone

# Zones inside New Zealand: rural delivery and free shipping apply only here.
NZ_ZONES = frozenset({Zone.NORTH_ISLAND, Zone.SOUTH_ISLAND, Zone.CHATHAM_ISLANDS})
CHATHAM_REGION = "NZ-CIT"
ISLAND_ZONES = {"N": Zone.NORTH_ISLAND, "S": Zone.SOUTH_ISLAND}


def zone_for(country: str, region: Region | None) -> Zone | None:
    """The zone of a delivery address.

    New Zealand by its region's island (the Chatham Islands Territory is its own
    zone); Australia; any other ISO country code is the rest of the world. A New
    Zealand address without a region has no zone yet (None): ask for the region.
    """
    code = (country or "").strip().upper()
    if not code:
        return None
    if code == "NZ":
        if region is None:
            return None
        if region.code == CHATHAM_REGION:
            return Zone.CHATHAM_ISLANDS
        return ISLAND_ZONES.get(region.island)
    if code == "AU":
        return Zone.AUSTRALIA
    return Zone.WORLD


class PolicySource(StrEnum):
    MEMBER = "member"
    CLUSTER = "cluster"
    NONE = "none"


@dataclass(frozen=True)
class RateTier:
    zone: str
    max_weight_grams: int | None  # None: no upper limit
    price_cents: int


@dataclass(frozen=True)
class ChilledTier:
    zone: str
    price_cents: int
    transit_days: int


@dataclass(frozen=True)
class ResolvedPolicy:
    """The shipping that applies to one member in one cluster.

    The rates (and the rural surcharge and free-shipping threshold that go with
    them) are the member's own when its policy has any rates, else the cluster's
    default, else none (``source`` says which; with none, the member does not
    ship). Pickup at the premises is always the member's own choice.
    """

    member_id: int
    source: PolicySource
    policy_id: int | None
    rural_surcharge_cents: int = 0
    free_over_cents: int | None = None
    tiers: tuple[RateTier, ...] = ()
    pickup_at_premises: bool = False
    pickup_address: str = ""
    pickup_instructions: str = ""
    # The member's own, whoever's ordinary rates apply: chilled courier rates by
    # zone, and the delivery days (weekdays it dispatches, cutoff, courier days).
    chilled: tuple[ChilledTier, ...] = ()
    dispatch_weekdays: tuple[int, ...] = ()
    dispatch_cutoff: datetime.time | None = None
    transit_days: int = 2

    @property
    def ships(self) -> bool:
        return bool(self.tiers) or bool(self.chilled)

    def chilled_for(self, zone: str) -> ChilledTier | None:
        return next((tier for tier in self.chilled if tier.zone == zone), None)

    @property
    def zones(self) -> frozenset[str]:
        return frozenset(tier.zone for tier in self.tiers)

    def tiers_for(self, zone: str) -> list[RateTier]:
        """The zone's tiers, lightest first, the open-ended tier last."""
        return sorted(
            (tier for tier in self.tiers if tier.zone == zone),
            key=lambda t: (t.max_weight_grams is None, t.max_weight_grams or 0),
        )


class _Pickup(TypedDict):
    pickup_at_premises: bool
    pickup_address: str
    pickup_instructions: str
    chilled: tuple[ChilledTier, ...]
    dispatch_weekdays: tuple[int, ...]
    dispatch_cutoff: datetime.time | None
    transit_days: int


def _chilled(policy: ShippingPolicy | None) -> tuple[ChilledTier, ...]:
    if policy is None:
        return ()
    return tuple(
        ChilledTier(
            zone=rate.zone,
            price_cents=rate.price_cents,
            transit_days=rate.transit_days,
        )
        for rate in policy.chilled_rates.all()
    )


def _tiers(policy: ShippingPolicy | None) -> tuple[RateTier, ...]:
    if policy is None:
        return ()
    return tuple(
        RateTier(
            zone=rate.zone,
            max_weight_grams=rate.max_weight_grams,
            price_cents=rate.price_cents,
        )
        for rate in policy.rates.all()
    )


def policies_for(
    cluster: Cluster, member_ids: Iterable[int]
) -> dict[int, ResolvedPolicy]:
    """The resolved shipping of each member when selling in ``cluster``.

    Three queries whatever the number of members: the member and cluster
    policies, their rates and their chilled rates.
    """
    ids = sorted(set(member_ids))
    if not ids:
        return {}
    policies = list(
        ShippingPolicy.objects.filter(
            Q(member_id__in=ids) | Q(cluster_id=cluster.pk)
        ).prefetch_related("rates", "chilled_rates")
    )
    cluster_policy = next((p for p in policies if p.cluster_id == cluster.pk), None)
    own = {p.member_id: p for p in policies if p.member_id is not None}
    cluster_tiers = _tiers(cluster_policy)
    resolved: dict[int, ResolvedPolicy] = {}
    for member_id in ids:
        mine = own.get(member_id)
        pickup = _Pickup(
            pickup_at_premises=bool(mine and mine.pickup_at_premises),
            pickup_address=mine.pickup_address if mine else "",
            pickup_instructions=mine.pickup_instructions if mine else "",
            chilled=_chilled(mine),
            dispatch_weekdays=tuple(mine.dispatch_weekdays or ()) if mine else (),
            dispatch_cutoff=mine.dispatch_cutoff if mine else None,
            transit_days=mine.transit_days if mine else 2,
        )
        my_tiers = _tiers(mine)
        if mine is not None and my_tiers:
            resolved[member_id] = ResolvedPolicy(
                member_id=member_id,
                source=PolicySource.MEMBER,
                policy_id=mine.pk,
                rural_surcharge_cents=mine.rural_surcharge_cents,
                free_over_cents=mine.free_over_cents,
                tiers=my_tiers,
                **pickup,
            )
        elif cluster_policy is not None and cluster_tiers:
            resolved[member_id] = ResolvedPolicy(
                member_id=member_id,
                source=PolicySource.CLUSTER,
                policy_id=cluster_policy.pk,
                rural_surcharge_cents=cluster_policy.rural_surcharge_cents,
                free_over_cents=cluster_policy.free_over_cents,
                tiers=cluster_tiers,
                **pickup,
            )
        else:
            resolved[member_id] = ResolvedPolicy(
                member_id=member_id, source=PolicySource.NONE, policy_id=None, **pickup
            )
    return resolved


def shipping_cents(
    policy: ResolvedPolicy,
    *,
    zone: Zone | str,
    rural: bool,
    weight_grams: int,
    goods_cents: int,
) -> int | None:
    """The charge, in cents GST-inclusive, for one member's parcel.

    - The lightest tier of ``zone`` whose limit is at least ``weight_grams``
      applies (a parcel of exactly the limit fits); the open-ended tier, if any,
      takes everything heavier.
    - None when the member does not ship to ``zone`` or the parcel is heavier than
      every tier: the customer cannot choose delivery.
    - Rural delivery (an RD address in New Zealand) adds the rural surcharge; it is
      ignored outside New Zealand.
    - Free-shipping rule: when the policy has a ``free_over_cents`` threshold, the
      goods come to at least that much (``goods_cents >= free_over_cents``) and the
      zone is in New Zealand (North Island, South Island or Chatham Islands), the
      whole charge is 0 — the rural surcharge included. Parcels to Australia and
      the rest of the world always pay.
    """
    if weight_grams < 0 or goods_cents < 0:
        raise ValueError("weight and goods must not be negative")
    tier = next(
        (
            t
            for t in policy.tiers_for(zone)
            if t.max_weight_grams is None or t.max_weight_grams >= weight_grams
        ),
        None,
    )
    if tier is None:
        return None
    in_nz = zone in NZ_ZONES
    if (
        in_nz
        and policy.free_over_cents is not None
        and goods_cents >= policy.free_over_cents
    ):
        return 0
    price = tier.price_cents
    if in_nz and rural:
        price += policy.rural_surcharge_cents
    return price


def chilled_shipping_cents(
    policy: ResolvedPolicy, *, zone: Zone | str, rural: bool
) -> int | None:
    """The charge, in cents GST-inclusive, for a member's parcel holding chilled
    or frozen goods: its chilled rate for ``zone`` (one price whatever the weight),
    plus the rural surcharge for an RD address. Free shipping does not apply to a
    chilled parcel. None when the member has no chilled rate for the zone."""
    tier = policy.chilled_for(zone)
    if tier is None:
        return None
    price = tier.price_cents
    if rural and zone in NZ_ZONES:
        price += policy.rural_surcharge_cents
    return price
