"""Factories of working together's rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from purei.clusters.models import Cluster
from purei.cooperation.models import GroupBuy, GroupBuyTier, PartnerPost, Thread


class ThreadFactory(factory.django.DjangoModelFactory[Thread]):
    class Meta:
        model = Thread

    category = Thread.Category.FREIGHT
    title = factory.Sequence(lambda n: f"Notice {n}")
    body = "Anyone sending a pallet north?"


class PartnerPostFactory(factory.django.DjangoModelFactory[PartnerPost]):
    class Meta:
        model = PartnerPost

    kind = PartnerPost.Kind.OFFER
    title = factory.Sequence(lambda n: f"Offer {n}")
    body = "Half a container to Brisbane."
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))


def group_buy_for(
    cluster: Cluster,
    *,
    target: int = 100,
    cap: int | None = None,
    tiers: tuple[tuple[int, int], ...] = ((1, 50), (100, 42)),
    shared_cost_cents: int = 0,
    hours: int = 24,
    **fields: Any,
) -> GroupBuy:
    """An open group buy of ``cluster`` with its price tiers."""
    group_buy = GroupBuy.objects.create(
        cluster=cluster,
        kind=GroupBuy.Kind.PACKAGING,
        title=str(fields.pop("title", "Printed paper bags")),
        supplier="Kraft Bags Ltd",
        unit="bags",
        target_quantity=target,
        cap=cap,
        deadline=timezone.now() + dt.timedelta(hours=hours),
        arrangement=GroupBuy.Arrangement.COLLECTION,
        shared_cost_cents=shared_cost_cents,
        **fields,
    )
    for minimum, price in tiers:
        GroupBuyTier.objects.create(
            group_buy=group_buy, min_quantity=minimum, unit_price_cents=price
        )
    return group_buy
