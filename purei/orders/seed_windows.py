"""The demo's sales windows (ADR 0016): ``sales_window_seed_load()``, after the
shipping seed (its fair days) and the products. Every date is relative to now,
so the demo always has an upcoming fair day:

- Martinborough Fair: the next fair day as a market-day window, pre-order and
  collect at the Pūrei pickup tent (the fair day's pickup event), open from
  yesterday until the fair's cutoff;
- Martinborough Fair: a Christmas box across five stallholders, opening in three
  days at 9 am (its products show "Opens …" with "Notify me"), sold only in it;
- Marlborough Wine: a vintage release open now for ten days, at most 6 of each
  wine per customer.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from purei.catalogue.models import Product
from purei.clusters.models import Cluster
from purei.members.models import Membership

from .models import PickupEvent, SalesWindow, SalesWindowItem
from .pickup import restricted_trading_day
from .seed import FAIR_CLUSTER, FAIR_ZONE, _fair_times, fair_days

WINE_CLUSTER = "marlborough-wine"


def _window(
    cluster: Cluster, name: str, now: dt.datetime, **values: object
) -> tuple[SalesWindow, int]:
    """The demo window ``name``, made; or moved to its next dates once the last
    has closed (its times are relative to ``now``: a window still to come or
    open is left as it is, so loading the demo twice changes nothing)."""
    window = SalesWindow.objects.filter(cluster=cluster, name_en=name).first()
    if window is None:
        return SalesWindow.objects.create(cluster=cluster, name_en=name, **values), 1
    if window.closes_at > now:
        return window, 0
    changed = [k for k, v in values.items() if getattr(window, k) != v]
    for key in changed:
        setattr(window, key, values[key])
    if changed:
        window.save(update_fields=[*changed, "updated_at"])
    return window, int(bool(changed))


def _products(cluster: Cluster, *, per_member: int, members: int) -> list[Product]:
    """Live products of the cluster's approved members: ``per_member`` each from
    the first ``members``."""
    chosen: list[Product] = []
    seen: dict[int, int] = {}
    for product in (
        Product.objects.filter(
            status=Product.Status.LIVE,
            listings__cluster=cluster,
            member__memberships__cluster=cluster,
            member__memberships__status=Membership.Status.APPROVED,
        )
        .distinct()
        .order_by("member__trading_name", "pk")
    ):
        if seen.get(product.member_id, 0) >= per_member:
            continue
        if product.member_id not in seen and len(seen) >= members:
            continue
        seen[product.member_id] = seen.get(product.member_id, 0) + 1
        chosen.append(product)
    return chosen


def _items(
    window: SalesWindow,
    products: list[Product],
    *,
    cap: int | None,
    limit: int | None,
    window_only: bool,
) -> int:
    changes = 0
    for product in products:
        _item, made = SalesWindowItem.objects.get_or_create(
            window=window,
            product=product,
            defaults={
                "member_id": product.member_id,
                "cap": cap,
                "per_customer_limit": limit,
                "window_only": window_only,
            },
        )
        changes += int(made)
    return changes


@transaction.atomic
def sales_window_seed_load(now: dt.datetime | None = None) -> int:
    """Load the demo's windows; return how many rows changed."""
    now = now or timezone.now()
    changes = 0
    fair = Cluster.objects.filter(slug=FAIR_CLUSTER).first()
    if fair is not None:
        days = fair_days(now, count=1)
        if days:
            day = days[0]
            opens, _closes, cutoff = _fair_times(day)
            window, n = _window(
                fair,
                "Fair day pre-order and collect",
                now,
                kind=SalesWindow.Kind.MARKET_DAY,
                description=(
                    "Order from your favourite stallholders before the fair and "
                    "collect at the Pūrei pickup tent, Memorial Square."
                ),
                time_zone=FAIR_ZONE.key,
                opens_at=min(
                    now - dt.timedelta(days=1), cutoff - dt.timedelta(hours=1)
                ),
                closes_at=cutoff,
                is_active=True,
            )
            changes += n
            changes += PickupEvent.objects.filter(
                cluster=fair, starts_at=opens, sales_window__isnull=True
            ).update(sales_window=window)
            changes += _items(
                window,
                _products(fair, per_member=2, members=3),
                cap=30,
                limit=None,
                window_only=False,
            )
        box_opens = dt.datetime.combine(
            (now + dt.timedelta(days=3)).astimezone(FAIR_ZONE).date(),
            dt.time(9, 0),
            tzinfo=FAIR_ZONE,
        ).astimezone(dt.UTC)
        first = (box_opens + dt.timedelta(days=28)).astimezone(FAIR_ZONE).date()
        while restricted_trading_day(
            dt.datetime.combine(first, dt.time()),
            dt.datetime.combine(first + dt.timedelta(days=3), dt.time()),
        ):
            first += dt.timedelta(days=1)  # never deliver on a restricted day
        box, n = _window(
            fair,
            "Christmas box",
            now,
            kind=SalesWindow.Kind.BOX,
            description=(
                "One box, five stallholders: pre-order it, delivered a week after "
                "orders close."
            ),
            time_zone=FAIR_ZONE.key,
            opens_at=box_opens,
            closes_at=box_opens + dt.timedelta(days=21),
            delivery_from=(box_opens + dt.timedelta(days=28))
            .astimezone(FAIR_ZONE)
            .date(),
            delivery_until=(box_opens + dt.timedelta(days=30))
            .astimezone(FAIR_ZONE)
            .date(),
            is_active=True,
        )
        changes += n
        taken = set(
            SalesWindowItem.objects.filter(
                window__cluster=fair, window__kind=SalesWindow.Kind.MARKET_DAY
            ).values_list("product_id", flat=True)
        )
        box_products = [
            p for p in _products(fair, per_member=3, members=8) if p.pk not in taken
        ]
        per_member: dict[int, Product] = {}
        for product in box_products:
            per_member.setdefault(product.member_id, product)
        changes += _items(
            box, list(per_member.values())[:5], cap=40, limit=None, window_only=True
        )
    wine = Cluster.objects.filter(slug=WINE_CLUSTER).first()
    if wine is not None:
        release, n = _window(
            wine,
            "Vintage release",
            now,
            kind=SalesWindow.Kind.RELEASE,
            description="This year's release: at most six of each wine per customer.",
            time_zone="Pacific/Auckland",
            opens_at=now.replace(minute=0, second=0, microsecond=0)
            - dt.timedelta(hours=2),
            closes_at=now.replace(minute=0, second=0, microsecond=0)
            + dt.timedelta(days=10),
            is_active=True,
        )
        changes += n
        changes += _items(
            release,
            _products(wine, per_member=2, members=3),
            cap=120,
            limit=6,
            window_only=False,
        )
    return changes
