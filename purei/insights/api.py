"""Insights over JSON (docs/insights.md).

- ``GET /clusters/{slug}/insights?from=&to=&by=``: a cluster's dashboard, for
  its admins and platform staff.
- ``GET /members/{slug}/insights?from=&to=&by=``: a member's dashboard (its
  sales, margin kept and benchmarks), for its team and platform staff.
- ``GET /members/{slug}/wholesale-prices``, ``PUT|DELETE …/{variant_id}``: its
  wholesale prices (cents, excluding GST); its team changes them.
- ``PUT /members/{slug}/benchmarking/{cluster_slug}``: whether it is counted in
  that cluster's benchmarks; its owners decide.

401 anonymous; 404 outside the actor's scope; 403 seen but not changed; 422
naming the field at fault (dates out of range or out of order too).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema, QuerySchema
from purei.core.errors import ValidationFailed

from .errors import InsightsErrorCode
from .ranges import range_from
from .selectors import (
    as_dict,
    cluster_dashboard,
    dashboard_cluster_get_for,
    dashboard_member_get_for,
    member_benchmarks,
    member_clusters,
    member_dashboard,
    member_margin,
    wholesale_price_list_for_member,
)
from .services import benchmark_opt_in_set, wholesale_price_set

router = Router(tags=["insights"])


class RangeIn(QuerySchema):
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    by: Literal["week", "month"] | None = None


class SliceOut(Schema):
    key: str
    label: str
    sales_cents: int
    orders: int | None  # null for categories (an order may span several)


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    sales_cents: int
    orders: int
    units: int
    payouts_cents: int


class InsightsProductOut(Schema):
    title: str
    units: int
    sales_cents: int


class DashboardOut(Schema):
    from_: dt.date = Field(..., alias="from")
    to: dt.date
    by: str
    sales_cents: int
    orders: int
    units: int
    average_order_cents: int
    customers: int
    repeat_customers: int
    payouts_cents: int
    promotion_sales_cents: int
    promotion_discount_cents: int
    periods: list[PeriodOut]
    by_member: list[SliceOut]
    by_category: list[SliceOut]
    by_channel: list[SliceOut]
    by_region: list[SliceOut]
    by_country: list[SliceOut]
    top_products: list[InsightsProductOut]


class MarginOut(Schema):
    start: dt.date
    end: dt.date
    units: int
    revenue_cents: int
    commission_cents: int
    fees_cents: int
    kept_cents: int
    wholesale_cents: int
    gain_cents: int
    unpriced_revenue_cents: int


class BenchmarkOut(Schema):
    cluster: str
    opted_in: bool
    members_opted_in: int
    shown: bool
    sales_cents: int | None
    orders: int | None
    median_sales_cents: int | None
    median_orders: int | None
    median_average_order_cents: int | None


class MemberDashboardOut(DashboardOut):
    margin: list[MarginOut]
    benchmarks: list[BenchmarkOut]


class WholesalePriceOut(Schema):
    variant_id: int
    sku: str
    product: str
    variant: str
    retail_price_cents: int
    wholesale_price_cents: int | None


class WholesalePriceIn(InputSchema):
    price_cents: int = Field(..., gt=0)


class BenchmarkIn(InputSchema):
    opted_in: bool


def _range(params: RangeIn) -> Any:
    data = {
        "from": params.from_.isoformat() if params.from_ else "",
        "to": params.to.isoformat() if params.to else "",
        "by": params.by or "",
    }
    form, rng = range_from(data)
    if form.errors:
        raise ValidationFailed(
            InsightsErrorCode.INVALID,
            {name: [str(e) for e in errors] for name, errors in form.errors.items()},
        )
    return rng


@router.get(
    "/clusters/{slug}/insights",
    response=DashboardOut,
    auth=django_auth,
    by_alias=True,
)
def cluster_insights_api(
    request: HttpRequest, slug: str, params: Query[RangeIn]
) -> dict[str, Any]:
    cluster = dashboard_cluster_get_for(actor=actor_from(request), slug=slug)
    return as_dict(cluster_dashboard(cluster, _range(params)))


@router.get(
    "/members/{slug}/insights",
    response=MemberDashboardOut,
    auth=django_auth,
    by_alias=True,
)
def member_insights_api(
    request: HttpRequest, slug: str, params: Query[RangeIn]
) -> dict[str, Any]:
    member = dashboard_member_get_for(actor=actor_from(request), slug=slug)
    rng = _range(params)
    margin = member_margin(member, rng)
    out = as_dict(member_dashboard(member, rng))
    out["margin"] = [
        {
            "start": row.period.start,
            "end": row.period.end,
            "units": row.units,
            "revenue_cents": row.revenue_cents,
            "commission_cents": row.commission_cents,
            "fees_cents": row.fees_cents,
            "kept_cents": row.kept_cents,
            "wholesale_cents": row.wholesale_cents,
            "gain_cents": row.gain_cents,
            "unpriced_revenue_cents": row.unpriced_revenue_cents,
        }
        for row in margin.rows
    ]
    out["benchmarks"] = [
        {
            "cluster": b.cluster.slug,
            "opted_in": b.opted_in,
            "members_opted_in": b.members_opted_in,
            "shown": b.shown,
            "sales_cents": b.sales_cents if b.shown else None,
            "orders": b.orders if b.shown else None,
            "median_sales_cents": b.median_sales_cents if b.shown else None,
            "median_orders": b.median_orders if b.shown else None,
            "median_average_order_cents": (
                b.median_average_order_cents if b.shown else None
            ),
        }
        for b in member_benchmarks(member, rng)
    ]
    return out


@router.get(
    "/members/{slug}/wholesale-prices",
    response=list[WholesalePriceOut],
    auth=django_auth,
)
def wholesale_price_list_api(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    member = dashboard_member_get_for(actor=actor_from(request), slug=slug)
    return [
        {
            "variant_id": variant.pk,
            "sku": variant.sku,
            "product": variant.product.title_en,
            "variant": variant.name,
            "retail_price_cents": variant.price_cents,
            "wholesale_price_cents": price,
        }
        for variant, price in wholesale_price_list_for_member(member)
    ]


@router.put(
    "/members/{slug}/wholesale-prices/{variant_id}",
    response=WholesalePriceOut,
    auth=django_auth,
)
def wholesale_price_set_api(
    request: HttpRequest, slug: str, variant_id: int, payload: WholesalePriceIn
) -> dict[str, Any]:
    actor = actor_from(request)
    member = dashboard_member_get_for(actor=actor, slug=slug)
    wholesale_price_set(
        actor=actor,
        member=member,
        variant_id=variant_id,
        price_cents=payload.price_cents,
    )
    return _price_row(member, variant_id)


@router.delete(
    "/members/{slug}/wholesale-prices/{variant_id}",
    response={204: None},
    auth=django_auth,
)
def wholesale_price_clear_api(
    request: HttpRequest, slug: str, variant_id: int
) -> Status[None]:
    actor = actor_from(request)
    member = dashboard_member_get_for(actor=actor, slug=slug)
    wholesale_price_set(
        actor=actor, member=member, variant_id=variant_id, price_cents=None
    )
    return Status(204, None)


def _price_row(member: Any, variant_id: int) -> dict[str, Any]:
    for variant, price in wholesale_price_list_for_member(member):
        if variant.pk == variant_id:
            return {
                "variant_id": variant.pk,
                "sku": variant.sku,
                "product": variant.product.title_en,
                "variant": variant.name,
                "retail_price_cents": variant.price_cents,
                "wholesale_price_cents": price,
            }
    raise Http404


@router.put(
    "/members/{slug}/benchmarking/{cluster_slug}",
    response=BenchmarkIn,
    auth=django_auth,
)
def benchmarking_set_api(
    request: HttpRequest, slug: str, cluster_slug: str, payload: BenchmarkIn
) -> dict[str, bool]:
    actor = actor_from(request)
    member = dashboard_member_get_for(actor=actor, slug=slug)
    clusters = {c.slug: c for c in member_clusters(member)}
    if cluster_slug not in clusters:
        raise Http404
    opt_in = benchmark_opt_in_set(
        actor=actor,
        member=member,
        cluster=clusters[cluster_slug],
        opted_in=payload.opted_in,
    )
    return {"opted_in": opt_in is not None}
