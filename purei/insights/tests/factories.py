"""Factories of insights: a small hand-made history of sold orders, placed on
given days (New Zealand time), to check the dashboards' figures to the cent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from purei.catalogue.models import Category, Product, Variant
from purei.clusters.models import Cluster, Region
from purei.members.models import Member
from purei.orders.models import Fulfilment, Order
from purei.orders.tests.factories import order_with_parts, variant_of

_n = iter(range(1, 10**9))


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def sold(
    cluster: Cluster,
    day: dt.date,
    parts: Sequence[tuple[Member, Sequence[tuple[Variant, int]]]],
    *,
    email: str = "aroha@example.nz",
    method: str = "delivery",
    region: str | None = "NZ-AUK",
    country: str = "NZ",
    channel: str = Order.Channel.RETAIL,
    hour: int = 12,
    paid: bool = True,
) -> Order:
    """An order of ``cluster`` placed (and paid, unless not ``paid``) on
    ``day``: no delivery charge, each line at its variant's price."""
    order = order_with_parts(
        cluster,
        [(member, list(lines)) for member, lines in parts],
        paid_with="test" if paid else None,
        method=method,
        shipping_cents=0,
        email=email,
        number=f"INS{next(_n):05d}",
        take_stock=False,
    )
    when = at(day, hour)
    Order.objects.filter(pk=order.pk).update(
        created_at=when,
        paid_at=when if paid else None,
        region=Region.objects.get(code=region) if region else None,
        country=country,
        channel=channel,
    )
    order.refresh_from_db()
    return order


def product(member: Member, price_cents: int, *, category: str = "honey") -> Variant:
    """A variant of a new product of ``member`` in ``category`` (a slug)."""
    variant = variant_of(member, sku=f"INS-{next(_n)}", price_cents=price_cents)
    Product.objects.filter(pk=variant.product_id).update(
        category=Category.objects.get(slug=category)
    )
    return variant


def part(order: Order, member: Member) -> Fulfilment:
    return Fulfilment.objects.get(order=order, member=member)
