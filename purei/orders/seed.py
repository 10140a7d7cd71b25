"""The demo's shipping and pickup: ``shipping_seed_load()``.

Runs after the cluster and member seeds. It gives every seed cluster a default
shipping policy with realistic New Zealand rates (cheaper on the cluster's home
island; domain-nz.md §4.3), a few members their own rates, several members pickup
at their premises, and the Martinborough Fair cluster its next two fair days as
pickup events (the fair is on the first Saturday of February and of March, 9 am to
4 pm in Pacific/Auckland; orders close at 6 pm the evening before; restricted
shop-trading days are skipped) and hub delivery from its association's depot
(stallholders drop their parts by Thursday noon; one parcel, one charge by zone
and weight, shared by weight; docs/orders.md "Hub delivery").

Idempotent like the other seeds: a row is written only when it differs from the
seed, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from purei.clusters.models import Cluster
from purei.clusters.seed import SEED_CLUSTERS
from purei.members.models import Member, Membership
from purei.members.seed import SEED_MEMBERS

from .models import (
    HubDelivery,
    HubSplitRule,
    PickupEvent,
    ShippingPolicy,
    ShippingRate,
    Zone,
)
from .pickup import restricted_trading_day

FAIR_CLUSTER = "martinborough-fair"
FAIR_ZONE = ZoneInfo("Pacific/Auckland")
FAIR_MONTHS = (2, 3)  # the first Saturday of February and of March
FAIR_OPENS = dt.time(9, 0)
FAIR_CLOSES = dt.time(16, 0)
FAIR_CUTOFF = dt.time(18, 0)  # the evening before
FAIR_DAYS_AHEAD = 2
RURAL_SURCHARGE_CENTS = 575
# The fair's hub delivery: its association's depot on the Square.
FAIR_HUB = {
    "enabled": True,
    "hub_name": "The Stallholders' Association depot",
    "hub_address": "Memorial Square, Martinborough 5711",
    "cutoff_kind": HubDelivery.Cutoff.WEEKLY,
    "cutoff_weekday": 3,  # Thursday
    "cutoff_time": dt.time(12, 0),
    "cutoff_hours": None,
    "split_rule": HubSplitRule.WEIGHT,
}

Tier = tuple[str, int | None, int]  # zone, up to grams (None: open), cents


@dataclass(frozen=True)
class SeedPolicy:
    rural_surcharge_cents: int
    free_over_cents: int | None
    tiers: tuple[Tier, ...]
    pickup_at_premises: bool = False
    pickup_address: str = ""
    pickup_instructions: str = ""


def _island_tiers(home: Zone, other: Zone) -> tuple[Tier, ...]:
    return (
        (home, 1000, 850),
        (home, 5000, 1250),
        (home, 25000, 2200),
        (other, 1000, 1150),
        (other, 5000, 1690),
        (other, 25000, 2950),
    )


OFFSHORE_TIERS: tuple[Tier, ...] = (
    (Zone.CHATHAM_ISLANDS, 1000, 4500),
    (Zone.CHATHAM_ISLANDS, 5000, 6900),
    (Zone.CHATHAM_ISLANDS, 25000, 12500),
    (Zone.AUSTRALIA, 1000, 3500),
    (Zone.AUSTRALIA, 5000, 6000),
    (Zone.WORLD, 1000, 6000),
    (Zone.WORLD, 5000, 9500),
)


def cluster_policy(home_island: str) -> SeedPolicy:
    """A cluster's default: cheaper within its home island."""
    home, other = (
        (Zone.SOUTH_ISLAND, Zone.NORTH_ISLAND)
        if home_island == "S"
        else (Zone.NORTH_ISLAND, Zone.SOUTH_ISLAND)
    )
    return SeedPolicy(
        rural_surcharge_cents=RURAL_SURCHARGE_CENTS,
        free_over_cents=None,
        tiers=_island_tiers(home, other) + OFFSHORE_TIERS,
    )


def own_rates_policy(home_island: str, town: str, name: str) -> SeedPolicy:
    """A member with its own flat New Zealand rates, free over $150, no export,
    and pickup from its premises."""
    home, other = (
        (Zone.SOUTH_ISLAND, Zone.NORTH_ISLAND)
        if home_island == "S"
        else (Zone.NORTH_ISLAND, Zone.SOUTH_ISLAND)
    )
    return SeedPolicy(
        rural_surcharge_cents=RURAL_SURCHARGE_CENTS,
        free_over_cents=15000,
        tiers=(
            (home, 3000, 900),
            (home, None, 1900),
            (other, 3000, 1300),
            (other, None, 2600),
            (Zone.CHATHAM_ISLANDS, None, 5500),
        ),
        pickup_at_premises=True,
        pickup_address=f"{name}, {town}",
        pickup_instructions="Weekdays 9 am to 4 pm; please phone ahead.",
    )


def pickup_only_policy(town: str, name: str) -> SeedPolicy:
    """A member that uses the cluster's rates but also lets customers collect."""
    return SeedPolicy(
        rural_surcharge_cents=0,
        free_over_cents=None,
        tiers=(),
        pickup_at_premises=True,
        pickup_address=f"{name}, {town}",
        pickup_instructions="Saturdays 10 am to 2 pm, or by arrangement.",
    )


def _policy_load(
    policy: ShippingPolicy | None, lookup: dict[str, object], seed: SeedPolicy
) -> int:
    changes = 0
    values = {
        "rural_surcharge_cents": seed.rural_surcharge_cents,
        "free_over_cents": seed.free_over_cents,
        "pickup_at_premises": seed.pickup_at_premises,
        "pickup_address": seed.pickup_address,
        "pickup_instructions": seed.pickup_instructions,
    }
    if policy is None:
        policy = ShippingPolicy.objects.create(**lookup, **values)
        changes += 1
    else:
        changed = [k for k, v in values.items() if getattr(policy, k) != v]
        if changed:
            for name in changed:
                setattr(policy, name, values[name])
            policy.save(update_fields=[*changed, "updated_at"])
            changes += 1
    have = sorted(
        (r.zone, r.max_weight_grams is None, r.max_weight_grams or 0, r.price_cents)
        for r in policy.rates.all()
    )
    want = sorted(
        (str(zone), grams is None, grams or 0, cents)
        for zone, grams, cents in seed.tiers
    )
    if have != want:
        ShippingRate.objects.filter(policy=policy).delete()
        ShippingRate.objects.bulk_create(
            ShippingRate(
                policy=policy, zone=zone, max_weight_grams=grams, price_cents=cents
            )
            for zone, grams, cents in seed.tiers
        )
        changes += 1
    return changes


def _first_saturday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(5 - first.weekday()) % 7)


def fair_days(now: dt.datetime, count: int = FAIR_DAYS_AHEAD) -> list[dt.date]:
    """The next ``count`` fair days whose orders are still open at ``now``."""

    def candidates() -> Iterator[dt.date]:
        year = now.astimezone(FAIR_ZONE).year
        while True:
            for month in FAIR_MONTHS:
                yield _first_saturday(year, month)
            year += 1

    days: list[dt.date] = []
    for day in candidates():
        opens, closes, cutoff = _fair_times(day)
        if cutoff <= now:
            continue
        if restricted_trading_day(
            opens.astimezone(FAIR_ZONE), closes.astimezone(FAIR_ZONE)
        ):
            continue
        days.append(day)
        if len(days) == count:
            return days
    return days  # pragma: no cover - the loop above always fills the list


def _fair_times(day: dt.date) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    def at(when: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(when, time, tzinfo=FAIR_ZONE).astimezone(dt.UTC)

    return (
        at(day, FAIR_OPENS),
        at(day, FAIR_CLOSES),
        at(day - dt.timedelta(days=1), FAIR_CUTOFF),
    )


def _fair_event_load(cluster: Cluster, day: dt.date) -> int:
    opens, closes, cutoff = _fair_times(day)
    values = {
        "name_en": f"Martinborough Fair, {day.day} {day:%B %Y}",
        "name_mi": "",
        "venue": "Martinborough Fair",
        "address": "Memorial Square, Martinborough 5711",
        "collection_point": "Pūrei pickup tent, Memorial Square",
        "time_zone": FAIR_ZONE.key,
        "ends_at": closes,
        "order_cutoff": cutoff,
        "restricted_day_exemption": "",
        "is_active": True,
    }
    event = PickupEvent.objects.filter(cluster=cluster, starts_at=opens).first()
    if event is None:
        PickupEvent.objects.create(cluster=cluster, starts_at=opens, **values)
        return 1
    changed = [k for k, v in values.items() if getattr(event, k) != v]
    if not changed:
        return 0
    for name in changed:
        setattr(event, name, values[name])
    event.save(update_fields=[*changed, "updated_at"])
    return 1


@transaction.atomic
def shipping_seed_load(now: dt.datetime | None = None) -> int:
    """Load the demo's shipping policies and fair days; return how many rows (or
    rate tables) changed. Call it after the cluster and member seeds."""
    now = now or timezone.now()
    clusters = {
        c.slug: c
        for c in Cluster.objects.filter(
            slug__in=[s.slug for s in SEED_CLUSTERS]
        ).prefetch_related("regions")
    }
    policies = {
        (p.cluster_id, p.member_id): p
        for p in ShippingPolicy.objects.prefetch_related("rates")
    }
    changes = 0
    for seed in SEED_CLUSTERS:
        found = clusters.get(seed.slug)
        if found is None:
            continue
        islands = [r.island for r in found.regions.all() if r.island]
        home = islands[0] if islands else "N"
        changes += _policy_load(
            policies.get((found.pk, None)), {"cluster": found}, cluster_policy(home)
        )
    members = {
        m.slug: m
        for m in Member.objects.filter(
            slug__in=[s.slug for s in SEED_MEMBERS]
        ).select_related("region")
    }
    # The first approved member of each cluster (its own rates on every other
    # cluster, else pickup only) and the second (pickup only).
    taken: set[str] = set()
    for index, seed in enumerate(SEED_CLUSTERS):
        approved = [
            s
            for s in SEED_MEMBERS
            if s.slug in members
            and s.slug not in taken
            and any(
                m.cluster == seed.slug and m.status == Membership.Status.APPROVED
                for m in s.memberships
            )
        ][:2]
        for position, member_seed in enumerate(approved):
            taken.add(member_seed.slug)
            member = members[member_seed.slug]
            island = member.region.island if member.region else "N"
            name = member_seed.trading_name or member_seed.legal_name
            wanted = (
                own_rates_policy(island or "N", member_seed.town, name)
                if position == 0 and index % 2 == 0
                else pickup_only_policy(member_seed.town, name)
            )
            changes += _policy_load(
                policies.get((None, member.pk)), {"member": member}, wanted
            )
    fair = clusters.get(FAIR_CLUSTER)
    if fair is not None:
        for day in fair_days(now):
            changes += _fair_event_load(fair, day)
        changes += _fair_hub_load(fair)
    return changes


def _fair_hub_load(cluster: Cluster) -> int:
    """The fair's hub delivery and its own rates (one parcel: cheaper than three)."""
    changes = 0
    hub = HubDelivery.objects.filter(cluster=cluster).first()
    if hub is None:
        hub = HubDelivery.objects.create(cluster=cluster, **FAIR_HUB)
        changes += 1
    else:
        changed = [k for k, v in FAIR_HUB.items() if getattr(hub, k) != v]
        if changed:
            for name in changed:
                setattr(hub, name, FAIR_HUB[name])
            hub.save(update_fields=[*changed, "updated_at"])
            changes += 1
    tiers: tuple[Tier, ...] = (
        (Zone.NORTH_ISLAND, 2000, 950),
        (Zone.NORTH_ISLAND, 5000, 1250),
        (Zone.NORTH_ISLAND, 25000, 1900),
        (Zone.SOUTH_ISLAND, 5000, 1650),
        (Zone.SOUTH_ISLAND, 25000, 2400),
    )
    policy = ShippingPolicy.objects.filter(hub=hub).first()
    changes += _policy_load(
        policy,
        {"hub": hub},
        SeedPolicy(
            rural_surcharge_cents=RURAL_SURCHARGE_CENTS,
            free_over_cents=None,
            tiers=tiers,
        ),
    )
    return changes
