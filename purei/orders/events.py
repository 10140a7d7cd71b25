"""Orders' domain events (``purei.core.events``): what an order or a part of it
became, as plain values, for whoever listens (webhooks). No personal details of
the customer: numbers, states, money in cents, lines.

An order event goes to the cluster (the whole order) and to each member business
with a part in it (its own part only)."""

from __future__ import annotations

from typing import Any

from purei.core.events import emit

from .models import Fulfilment, Order, OrderLine


def _lines(fulfilment: Fulfilment) -> list[dict[str, Any]]:
    prefetched = getattr(fulfilment, "_prefetched_objects_cache", {})
    rows = (
        prefetched["lines"]  # in id order (``selectors.order_parts_with_lines``)
        if "lines" in prefetched
        else OrderLine.objects.filter(fulfilment=fulfilment).order_by("pk")
    )
    return [
        {
            "sku": line.sku,
            "title": line.title,
            "variant": line.variant_name,
            "quantity": line.quantity - line.cancelled_quantity,
            "cancelled_quantity": line.cancelled_quantity,
            "unit_price_cents": line.unit_price_cents,
            "total_cents": line.total_cents,
        }
        for line in rows
    ]


def fulfilment_facts(fulfilment: Fulfilment, order: Order) -> dict[str, Any]:
    return {
        "order": order.number,
        "member_id": fulfilment.member_id,
        "status": fulfilment.status,
        "method": fulfilment.method,
        "carrier": fulfilment.carrier,
        "tracking_number": fulfilment.tracking_number,
        "goods_cents": fulfilment.goods_cents,
        "shipping_cents": fulfilment.shipping_cents,
        "gst_cents": fulfilment.gst_cents,
        "total_cents": fulfilment.total_cents,
        "lines": _lines(fulfilment),
    }


def order_facts(order: Order, parts: list[Fulfilment] | None = None) -> dict[str, Any]:
    """``parts``: every part of the order, in id order, when the caller has read
    them (else they are read here)."""
    if parts is None:
        parts = list(Fulfilment.objects.filter(order=order).order_by("pk"))
    return {
        "order": order.number,
        "channel": order.channel,
        "status": order.status,
        "payment_state": order.payment_state,
        "currency": order.currency,
        "goods_cents": order.goods_cents,
        "shipping_cents": order.shipping_cents,
        "gst_cents": order.gst_cents,
        "discount_cents": order.discount_cents,
        "total_cents": order.total_cents,
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
        "parts": [
            {"member_id": f.member_id, "status": f.status, "total_cents": f.total_cents}
            for f in parts
        ],
    }


def order_event(
    name: str,
    order: Order,
    *,
    parts: list[Fulfilment] | None = None,
    extra: dict[str, Any] | None = None,
    every_part: list[Fulfilment] | None = None,
) -> None:
    """Emit ``name`` for the cluster (the whole order) and for each member whose
    part is in ``parts`` (default: every part), each on commit. ``every_part``:
    all the order's parts in id order, as they are now, when the caller has read
    them (``selectors.order_parts_with_lines``: then nothing is read here)."""
    more = extra or {}
    every = (
        every_part
        if every_part is not None
        else list(Fulfilment.objects.filter(order=order).order_by("pk"))
    )
    emit(
        name,
        cluster_id=order.cluster_id,
        member_id=None,
        payload={**order_facts(order, every), **more},
    )
    for part in parts if parts is not None else every:
        emit(
            name,
            cluster_id=order.cluster_id,
            member_id=part.member_id,
            payload={**fulfilment_facts(part, order), **more},
        )


def fulfilment_event(name: str, fulfilment: Fulfilment, order: Order) -> None:
    """A part changed: its member hears its part, the cluster hears the same."""
    facts = fulfilment_facts(fulfilment, order)
    emit(name, cluster_id=order.cluster_id, member_id=None, payload=facts)
    emit(
        name, cluster_id=order.cluster_id, member_id=fulfilment.member_id, payload=facts
    )
