"""Hub delivery's rules (docs/orders.md "Hub delivery"): the cluster's hub and its
rates as checkout reads them, the one charge for a parcel of several members'
parts, how it is shared among them, and by when each part must be at the hub.

No writes. The charge is ``purei.orders.shipping.shipping_cents`` on the hub's own
rate table (zone x the parcel's total weight, its rural surcharge and free
threshold); the shares are ``purei.core.split.largest_remainder`` by the cluster's
rule, so they always add up to the charge.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.split import largest_remainder
from purei.core.times import time_nz

from .models import HubDelivery, HubSplitRule, ShippingPolicy
from .shipping import PolicySource, RateTier, ResolvedPolicy

NZ_TIME = ZoneInfo("Pacific/Auckland")
WEEKDAYS = (0, 1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class PartBasis:
    """What a part brings to the parcel: its weight and the value of its goods."""

    weight_grams: int
    goods_cents: int


def hub_shares(charge_cents: int, parts: Sequence[PartBasis], rule: str) -> list[int]:
    """Share ``charge_cents`` among ``parts`` by ``rule`` (a ``HubSplitRule``),
    largest remainder: each share rounded down, the cents left over one each to
    the largest remainders (the earlier part first on a tie). By weight or value
    with nothing to weigh (every part 0 g or $0), the parts share equally.

    >>> hub_shares(1000, [PartBasis(1500, 0), PartBasis(500, 0)], "weight")
    [750, 250]
    >>> hub_shares(1000, [PartBasis(0, 1), PartBasis(0, 1), PartBasis(0, 1)], "equal")
    [334, 333, 333]
    """
    if not parts:
        return []
    if rule == HubSplitRule.WEIGHT:
        weights = [part.weight_grams for part in parts]
    elif rule == HubSplitRule.VALUE:
        weights = [part.goods_cents for part in parts]
    elif rule == HubSplitRule.EQUAL:
        weights = [1 for _part in parts]
    else:
        raise ValueError(f"no such split rule: {rule}")
    if sum(weights) == 0:
        weights = [1 for _part in parts]
    return largest_remainder(charge_cents, weights)


@dataclass(frozen=True)
class Hub:
    """A cluster's hub delivery as checkout needs it."""

    hub_id: int
    name: str
    address: str
    split_rule: str
    policy: ResolvedPolicy  # the hub's own rates (``source`` is the cluster)
    cutoff_text: str

    @property
    def label(self) -> str:
        return ", ".join(text for text in (self.name, self.address) if text)


def hub_for(cluster: Cluster) -> Hub | None:
    """The cluster's hub delivery when it is on and has rates; else None.
    Two queries: the hub with its policy, then the rates."""
    hub = (
        HubDelivery.objects.filter(cluster_id=cluster.pk, enabled=True)
        .select_related("policy")
        .first()
    )
    if hub is None:
        return None
    policy: ShippingPolicy | None = getattr(hub, "policy", None)
    if policy is None:
        return None
    tiers = tuple(
        RateTier(
            zone=rate.zone,
            max_weight_grams=rate.max_weight_grams,
            price_cents=rate.price_cents,
        )
        for rate in policy.rates.all()
    )
    if not tiers:
        return None
    resolved = ResolvedPolicy(
        member_id=0,
        source=PolicySource.CLUSTER,
        policy_id=policy.pk,
        rural_surcharge_cents=policy.rural_surcharge_cents,
        free_over_cents=policy.free_over_cents,
        tiers=tiers,
    )
    return Hub(
        hub_id=hub.pk,
        name=hub.hub_name,
        address=hub.hub_address,
        split_rule=hub.split_rule,
        policy=resolved,
        cutoff_text=cutoff_label(hub),
    )


@dataclass(frozen=True)
class HubCharge:
    """One parcel from the hub, as priced at checkout: the one charge (zone x
    the parcel's total weight on the hub's rates; 0 until the address is
    known) and each part's share, in the quote's part order."""

    hub_id: int
    label: str
    cutoff_text: str
    split_rule: str
    charge_cents: int
    weight_grams: int
    shares: tuple[int, ...]


# --- The drop-off cutoff -------------------------------------------------------


def weekday_name(day: int) -> str:
    names = (
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    )
    return names[day]


def cutoff_label(hub: HubDelivery) -> str:
    """The rule in words: "the first Thursday, 12:00, after the order is paid" or
    "48 hours after the order is paid"."""
    if hub.cutoff_kind == HubDelivery.Cutoff.WEEKLY:
        if hub.cutoff_weekday is None or hub.cutoff_time is None:
            return ""
        return _("the first %(day)s, %(time)s, after the order is paid") % {
            "day": weekday_name(hub.cutoff_weekday),
            "time": time_nz(hub.cutoff_time),
        }
    if hub.cutoff_hours is None:
        return ""
    return _("%(hours)s hours after the order is paid") % {"hours": hub.cutoff_hours}


def drop_by(hub: HubDelivery, paid_at: datetime.datetime) -> datetime.datetime | None:
    """When a part of an order paid at ``paid_at`` must be at the hub (aware, in
    New Zealand time). Weekly: the first such weekday and time after the payment
    (a payment on the day itself, before the time, counts for that day). Hours:
    that many hours after the payment. None when the rule is incomplete."""
    if hub.cutoff_kind == HubDelivery.Cutoff.HOURS:
        if hub.cutoff_hours is None:
            return None
        return (paid_at + datetime.timedelta(hours=hub.cutoff_hours)).astimezone(
            NZ_TIME
        )
    if hub.cutoff_weekday is None or hub.cutoff_time is None:
        return None
    paid = paid_at.astimezone(NZ_TIME)
    for ahead in range(8):
        day = paid.date() + datetime.timedelta(days=ahead)
        if day.weekday() != hub.cutoff_weekday:
            continue
        at = datetime.datetime.combine(day, hub.cutoff_time, tzinfo=NZ_TIME)
        if at > paid:
            return at
    return None  # pragma: no cover - a weekday always comes within 8 days
