"""Hub delivery's reads (docs/orders.md "Hub delivery"): a cluster's settings
and rates, the parcels its hub gathers and sends, and what a member's part or a
shopper's order says of the hub. The cluster or the part is already in the
actor's scope (``cluster_get_for_admin``, ``fulfilment_get_for_team``,
``order_get_for_shopper``): these read only inside it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from purei.clusters.models import Cluster

from .hub import cutoff_label, drop_by
from .models import Consignment, Fulfilment, HubDelivery, Order, ShippingRate


def hub_delivery_of(cluster: Cluster) -> HubDelivery | None:
    """The cluster's hub delivery settings (on or off), with its rate policy."""
    return HubDelivery.objects.filter(cluster=cluster).select_related("policy").first()


def hub_rates_of(hub: HubDelivery | None) -> list[ShippingRate]:
    if hub is None:
        return []
    return list(ShippingRate.objects.filter(policy__hub=hub))


def hub_parcels_for_cluster(cluster: Cluster) -> QuerySet[Consignment]:
    """The hub's parcels of the cluster's paid orders: those still gathering
    first, then the sent ones, each oldest payment first; each with its order and
    the order's parts."""
    return (
        Consignment.objects.filter(
            kind=Consignment.Kind.HUB,
            order__cluster=cluster,
            order__status=Order.Status.PAID,
        )
        .select_related("order")
        .prefetch_related(
            Prefetch(
                "order__fulfilments",
                queryset=Fulfilment.objects.select_related("member").order_by(
                    "supplier_name", "pk"
                ),
            )
        )
        .order_by("status", "order__paid_at", "pk")
    )


def hub_parcel_of(order: Order) -> Consignment | None:
    """The order's one parcel from the hub, if it goes through the hub."""
    return Consignment.objects.filter(order=order, kind=Consignment.Kind.HUB).first()


@dataclass(frozen=True)
class DropInfo:
    """What a member's part sent through the hub says: where and by when."""

    where: str
    by: datetime.datetime | None  # None until the order is paid
    rule: str


def hub_drop_info(fulfilment: Fulfilment) -> DropInfo | None:
    """Where and by when the member drops ``fulfilment`` (None: not via the hub)."""
    if not fulfilment.via_hub:
        return None
    order = fulfilment.order
    parcel = hub_parcel_of(order)
    hub = HubDelivery.objects.filter(cluster_id=order.cluster_id).first()
    return DropInfo(
        where=parcel.consolidation_point if parcel else "",
        by=drop_by(hub, order.paid_at) if hub and order.paid_at else None,
        rule=cutoff_label(hub) if hub else "",
    )
