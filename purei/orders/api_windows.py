"""Sales windows over JSON (ADR 0016): a cluster's open and upcoming windows for
anyone, its windows for its admins (create, change, set products and pickup
points), and a member's pick list for its team. Ordering for a window needs no
endpoint of its own: a window's products in the cart are ordered through it at
``POST /clusters/{slug}/checkout``, its pickup points among each part's
``options``.

404 outside scope, 403 for platform staff on a change (they may read), 422
naming each field at fault.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.members.selectors import member_get_for_team
from purei.orders.models import SalesWindow
from purei.orders.services.sales_windows import (
    SalesWindowInput,
    WindowItemRow,
    sales_window_create,
    sales_window_items_set,
    sales_window_pickups_set,
    sales_window_update,
)
from purei.orders.window_selectors import (
    admin_window_get,
    admin_windows,
    member_window_get,
    pick_list,
    pick_list_totals,
    public_window_get,
    public_windows,
    window_view,
)

router = Router(tags=["sales windows"])


class PointOut(Schema):
    id: int
    name: str
    where: str
    when: str = Field(description="The pickup window, in its own time zone.")
    order_by: str


class ItemOut(Schema):
    product_id: int
    product_title: str
    member_id: int
    cap: int | None
    per_customer_limit: int | None
    sold: int
    window_only: bool


class WindowOut(Schema):
    id: int
    kind: str
    name_en: str
    name_mi: str
    description: str
    time_zone: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    opens: str = Field(description="When orders open, in the window's zone.")
    closes: str = Field(description="When orders close (the cutoff), in its zone.")
    state: str = Field(description="upcoming, open or closed.")
    delivery_from: dt.date | None
    delivery_until: dt.date | None
    is_active: bool
    pickup_points: list[PointOut]


class WindowDetailOut(WindowOut):
    items: list[ItemOut]


def _out(window: SalesWindow, *, items: bool = False) -> dict[str, object]:
    view = window_view(window)
    events = [e for e in window.pickup_points.all() if e.is_active]
    data: dict[str, object] = {
        "id": window.pk,
        "kind": window.kind,
        "name_en": window.name_en,
        "name_mi": window.name_mi,
        "description": window.description,
        "time_zone": window.time_zone,
        "opens_at": window.opens_at,
        "closes_at": window.closes_at,
        "opens": view.opens,
        "closes": view.closes,
        "state": view.state,
        "delivery_from": window.delivery_from,
        "delivery_until": window.delivery_until,
        "is_active": window.is_active,
        "pickup_points": [
            {"id": e.pk, **point.__dict__}
            for e, point in zip(events, view.points, strict=True)
        ],
    }
    if items:
        data["items"] = [
            {
                "product_id": i.product_id,
                "product_title": i.product.title_en,
                "member_id": i.member_id,
                "cap": i.cap,
                "per_customer_limit": i.per_customer_limit,
                "sold": i.sold,
                "window_only": i.window_only,
            }
            for i in window.items.all()
        ]
    return data


# --- Public ---------------------------------------------------------------------------


@router.get(
    "/clusters/{slug}/sales-windows",
    response=list[WindowOut],
    summary="The cluster's open and upcoming sales windows",
)
def windows_list_api(request: HttpRequest, slug: str) -> list[dict[str, object]]:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    return [_out(w) for w in public_windows(cluster)]


@router.get(
    "/clusters/{slug}/sales-windows/{window_id}",
    response=WindowDetailOut,
    summary="One sales window with its products",
)
def window_get_api(
    request: HttpRequest, slug: str, window_id: int
) -> dict[str, object]:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    return _out(public_window_get(cluster, window_id), items=True)


# --- A cluster's admins ---------------------------------------------------------------


class WindowIn(InputSchema):
    kind: str = Field(description="market_day, release or box.")
    name_en: str
    name_mi: str = ""
    description: str = ""
    time_zone: str = "Pacific/Auckland"
    open_date: str = Field(description="YYYY-MM-DD in the window's zone.")
    open_time: str = Field(description="HH:MM in the window's zone.")
    close_date: str = ""
    close_time: str
    delivery_from: str = ""
    delivery_until: str = ""
    restricted_day_exemption: str = ""
    is_active: bool = True


class ItemIn(InputSchema):
    product_id: int
    cap: int | None = None
    per_customer_limit: int | None = None
    window_only: bool = True


class SetupIn(InputSchema):
    items: list[ItemIn]
    pickup_event_ids: list[int] = Field(
        default_factory=list, description="The cluster's pickup events."
    )


def _input(payload: WindowIn) -> SalesWindowInput:
    return SalesWindowInput(**payload.dict())


@router.get(
    "/clusters/{slug}/manage/sales-windows",
    response=list[WindowOut],
    auth=django_auth,
    summary="Every sales window of the cluster (its admins)",
)
def manage_windows_api(request: HttpRequest, slug: str) -> list[dict[str, object]]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return [
        _out(w)
        for w in admin_windows(actor=actor, cluster=cluster).prefetch_related(
            "pickup_points"
        )
    ]


@router.post(
    "/clusters/{slug}/manage/sales-windows",
    response={201: WindowDetailOut},
    auth=django_auth,
    summary="Create a sales window",
)
def manage_window_create_api(
    request: HttpRequest, slug: str, payload: WindowIn
) -> Status[Any]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    window = sales_window_create(actor=actor, cluster=cluster, details=_input(payload))
    return Status(
        201,
        _out(
            admin_window_get(actor=actor, cluster=cluster, window_id=window.pk),
            items=True,
        ),
    )


@router.put(
    "/clusters/{slug}/manage/sales-windows/{window_id}",
    response=WindowDetailOut,
    auth=django_auth,
    summary="Change a sales window",
)
def manage_window_update_api(
    request: HttpRequest, slug: str, window_id: int, payload: WindowIn
) -> dict[str, object]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    window = admin_window_get(actor=actor, cluster=cluster, window_id=window_id)
    sales_window_update(actor=actor, window=window, details=_input(payload))
    return _out(
        admin_window_get(actor=actor, cluster=cluster, window_id=window_id), items=True
    )


@router.put(
    "/clusters/{slug}/manage/sales-windows/{window_id}/setup",
    response=WindowDetailOut,
    auth=django_auth,
    summary="Set a window's products (caps, limits) and pickup points",
)
def manage_window_setup_api(
    request: HttpRequest, slug: str, window_id: int, payload: SetupIn
) -> dict[str, object]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    window = admin_window_get(actor=actor, cluster=cluster, window_id=window_id)
    sales_window_items_set(
        actor=actor,
        window=window,
        rows=[WindowItemRow(**item.dict()) for item in payload.items],
    )
    sales_window_pickups_set(
        actor=actor, window=window, event_ids=payload.pickup_event_ids
    )
    return _out(
        admin_window_get(actor=actor, cluster=cluster, window_id=window_id), items=True
    )


# --- A member's pick list -------------------------------------------------------------


class PickTotalOut(Schema):
    item: str
    quantity: int


class PickOrderOut(Schema):
    number: str
    name: str
    pickup_code: str
    status: str
    items: list[PickTotalOut]


class PickGroupOut(Schema):
    label: str
    when: str
    totals: list[PickTotalOut]
    orders: list[PickOrderOut]


class PickListOut(Schema):
    window_id: int
    name: str
    groups: list[PickGroupOut]
    totals: list[PickTotalOut]


def _pairs(pairs: object) -> list[dict[str, object]]:
    return [{"item": name, "quantity": n} for name, n in pairs]  # type: ignore[attr-defined]


@router.get(
    "/members/{slug}/sales-windows/{window_id}/pick-list",
    response=PickListOut,
    auth=django_auth,
    summary="The member's pick list for a window, per pickup point",
)
def pick_list_api(request: HttpRequest, slug: str, window_id: int) -> dict[str, object]:
    member = member_get_for_team(actor=actor_from(request), slug=slug)
    window = member_window_get(member=member, window_id=window_id)
    groups = pick_list(member=member, window=window)
    return {
        "window_id": window.pk,
        "name": window.name_en,
        "groups": [
            {
                "label": g.label,
                "when": g.when,
                "totals": _pairs(g.totals),
                "orders": [{**o, "items": _pairs(o["items"])} for o in g.orders],
            }
            for g in groups
        ],
        "totals": _pairs(pick_list_totals(groups)),
    }
