"""Hub delivery over JSON (docs/orders.md "Hub delivery"): a cluster's settings,
its hub's parcels and dispatching one, and a member's team saying its part is at
the hub. Session authentication, like the other manage endpoints.

401 when anonymous, 404 outside scope (another cluster's admins, another
member's team), 403 for platform staff on a change (they read), 409 for a state
that does not allow it (a part not yet at the hub, a parcel that left), 422
naming each field at fault.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.members.selectors import member_get_for_team
from purei.orders.api_manage import FulfilmentOut, fulfilment_out
from purei.orders.hub import cutoff_label
from purei.orders.hub_selectors import (
    hub_delivery_of,
    hub_parcels_for_cluster,
    hub_rates_of,
)
from purei.orders.models import Consignment, HubDelivery
from purei.orders.selectors import fulfilment_get_for_team, order_get_for_admin
from purei.orders.services.hub import (
    HubSettingsInput,
    hub_drop_mark,
    hub_parcel_dispatch,
    hub_settings_save,
)
from purei.orders.services.shipping import RateRow

router = Router(tags=["hub delivery"])


class HubRateIO(InputSchema):
    zone: str = Field(description="north, south, chatham, au or world.")
    max_weight_grams: int | None = Field(
        None, description="Up to this many grams; null for the open-ended tier."
    )
    price_cents: int = Field(description="GST-inclusive.")


class HubDeliveryOut(Schema):
    enabled: bool
    hub_name: str
    hub_address: str
    cutoff_kind: str = Field(description="weekly or hours.")
    cutoff_weekday: int | None = Field(description="0 Monday … 6 Sunday (weekly).")
    cutoff_time: str | None = Field(description="HH:MM New Zealand time (weekly).")
    cutoff_hours: int | None = Field(description="Hours after payment (hours).")
    cutoff: str = Field(description="The cutoff in words.")
    split_rule: str = Field(description="weight, value or equal.")
    rural_surcharge_cents: int
    free_over_cents: int | None
    rates: list[HubRateIO]


class HubDeliveryIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    enabled: bool
    hub_name: str = Field("", max_length=120)
    hub_address: str = Field("", max_length=300)
    cutoff_kind: str = Field("hours", description="weekly or hours.")
    cutoff_weekday: int | None = None
    cutoff_time: str = Field("", max_length=5, description="HH:MM (weekly).")
    cutoff_hours: int | None = None
    split_rule: str = Field("weight", description="weight, value or equal.")
    rural_surcharge_cents: int = Field(0, ge=0)
    free_over_cents: int | None = Field(None, ge=1)
    rates: list[HubRateIO] = Field(default_factory=list)


class HubPartOut(Schema):
    member: str = Field(description="The member's slug.")
    supplier_name: str
    status: str
    weight_grams: int
    share_cents: int = Field(description="Its share of the one delivery charge.")
    dropped_at: dt.datetime | None


class HubParcelAdminOut(Schema):
    order: str = Field(description="The order number.")
    paid_at: dt.datetime | None
    customer: str
    status: str = Field(description="gathering or left.")
    hub: str
    charge_cents: int
    split_rule: str
    carrier: str
    tracking_number: str
    left_on: dt.date | None
    parts: list[HubPartOut]


class DispatchIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    carrier: str = Field(max_length=64)
    tracking_number: str = Field(max_length=64)


def _cents_text(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"{cents // 100}.{cents % 100:02d}"


def _hub_out(hub: HubDelivery | None) -> HubDeliveryOut:
    policy = getattr(hub, "policy", None) if hub else None
    return HubDeliveryOut(
        enabled=bool(hub and hub.enabled),
        hub_name=hub.hub_name if hub else "",
        hub_address=hub.hub_address if hub else "",
        cutoff_kind=hub.cutoff_kind if hub else HubDelivery.Cutoff.HOURS,
        cutoff_weekday=hub.cutoff_weekday if hub else None,
        cutoff_time=hub.cutoff_time.strftime("%H:%M")
        if hub and hub.cutoff_time
        else None,
        cutoff_hours=hub.cutoff_hours if hub else None,
        cutoff=cutoff_label(hub) if hub else "",
        split_rule=hub.split_rule if hub else "weight",
        rural_surcharge_cents=policy.rural_surcharge_cents if policy else 0,
        free_over_cents=policy.free_over_cents if policy else None,
        rates=[
            HubRateIO(
                zone=rate.zone,
                max_weight_grams=rate.max_weight_grams,
                price_cents=rate.price_cents,
            )
            for rate in hub_rates_of(hub)
        ],
    )


def _parcel_out(parcel: Consignment) -> HubParcelAdminOut:
    order = parcel.order
    return HubParcelAdminOut(
        order=order.number,
        paid_at=order.paid_at,
        customer=order.name,
        status=parcel.status,
        hub=parcel.consolidation_point,
        charge_cents=parcel.charge_cents,
        split_rule=parcel.split_rule,
        carrier=parcel.carrier,
        tracking_number=parcel.waybill,
        left_on=parcel.left_on,
        parts=[
            HubPartOut(
                member=part.member.slug,
                supplier_name=part.supplier_name,
                status=part.status,
                weight_grams=part.weight_grams,
                share_cents=part.shipping_cents,
                dropped_at=part.hub_dropped_at,
            )
            for part in order.fulfilments.all()
            if part.via_hub
        ],
    )


@router.get(
    "/clusters/{slug}/hub-delivery",
    response=HubDeliveryOut,
    auth=django_auth,
    summary="The cluster's hub delivery",
)
def hub_delivery_get_api(request: HttpRequest, slug: str) -> HubDeliveryOut:
    cluster = cluster_get_for_admin(actor=actor_from(request), slug=slug)
    return _hub_out(hub_delivery_of(cluster))


@router.put(
    "/clusters/{slug}/hub-delivery",
    response=HubDeliveryOut,
    auth=django_auth,
    summary="Set the cluster's hub delivery",
)
def hub_delivery_set_api(
    request: HttpRequest, slug: str, payload: HubDeliveryIn
) -> HubDeliveryOut:
    """The hub, its drop-off cutoff, how the one charge is shared and its whole
    rate table (replaced). Offering it needs the hub's name, address and a rate."""
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    hub_settings_save(
        actor=actor,
        cluster=cluster,
        details=HubSettingsInput(
            enabled=payload.enabled,
            hub_name=payload.hub_name,
            hub_address=payload.hub_address,
            cutoff_kind=payload.cutoff_kind,
            cutoff_weekday=payload.cutoff_weekday,
            cutoff_time=payload.cutoff_time,
            cutoff_hours=payload.cutoff_hours,
            split_rule=payload.split_rule,
            rural_surcharge=_cents_text(payload.rural_surcharge_cents),
            free_over=_cents_text(payload.free_over_cents),
            rates=[
                RateRow(
                    zone=rate.zone,
                    max_weight=str(rate.max_weight_grams or ""),
                    price=_cents_text(rate.price_cents),
                )
                for rate in payload.rates
            ],
        ),
    )
    return _hub_out(hub_delivery_of(cluster))


@router.get(
    "/clusters/{slug}/hub/parcels",
    response=list[HubParcelAdminOut],
    auth=django_auth,
    summary="The hub's parcels: paid orders gathering at the hub, and those sent",
)
def hub_parcel_list_api(request: HttpRequest, slug: str) -> list[HubParcelAdminOut]:
    cluster = cluster_get_for_admin(actor=actor_from(request), slug=slug)
    return [_parcel_out(parcel) for parcel in hub_parcels_for_cluster(cluster)[:200]]


@router.post(
    "/clusters/{slug}/hub/parcels/{number}/dispatch",
    response=HubParcelAdminOut,
    auth=django_auth,
    summary="Send an order's one parcel from the hub",
)
def hub_parcel_dispatch_api(
    request: HttpRequest, slug: str, number: str, payload: DispatchIn
) -> HubParcelAdminOut:
    """Every part must be at the hub (409 names those still to come). Every part
    is marked shipped with the carrier and tracking number; the shopper gets one
    email."""
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    order = order_get_for_admin(actor, cluster, number)
    hub_parcel_dispatch(
        actor=actor,
        order=order,
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
    )
    parcel = hub_parcels_for_cluster(cluster).filter(order=order).first()
    if parcel is None:  # pragma: no cover - just dispatched
        raise Http404(_("No such parcel."))
    return _parcel_out(parcel)


@router.post(
    "/members/{slug}/fulfilments/{number}/hub-drop",
    response=FulfilmentOut,
    auth=django_auth,
    tags=["orders"],
    summary="Say your part of an order is at the cluster's hub",
)
def hub_drop_api(request: HttpRequest, slug: str, number: str) -> FulfilmentOut:
    """For a part sent through the hub, of a paid order (409 otherwise)."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    fulfilment = fulfilment_get_for_team(actor, member, number)
    hub_drop_mark(actor=actor, fulfilment=fulfilment)
    return fulfilment_out(fulfilment_get_for_team(actor, member, number))
