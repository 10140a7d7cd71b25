"""The catalogue's domain events (``purei.core.events``), for the member business
whose product it is: ``product.changed`` and ``stock.low``."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from purei.core.events import emit

from .models import Product, Variant


def stock_low_at() -> int:
    """A tracked variant's stock is low at or below this (``STOCK_LOW_AT``)."""
    return int(getattr(settings, "STOCK_LOW_AT", 5))


def _variant(variant: Variant) -> dict[str, Any]:
    return {
        "id": variant.pk,
        "sku": variant.sku,
        "price_cents": variant.price_cents,
        "stock_policy": variant.stock_policy,
        "stock": variant.stock,
    }


def product_changed(product: Product) -> None:
    emit(
        "product.changed",
        cluster_id=None,
        member_id=product.member_id,
        payload={
            "product_id": product.pk,
            "slug": product.slug,
            "title": product.title_en,
            "status": product.status,
            "variants": [_variant(v) for v in product.variants.order_by("pk")],
        },
    )


def stock_low_if_crossed(variant: Variant, before: int | None) -> None:
    """``stock.low`` when a tracked variant's stock falls to the threshold or below
    (once per fall: not again while it stays low)."""
    at = stock_low_at()
    if variant.stock_policy != Variant.StockPolicy.TRACKED or variant.stock is None:
        return
    if variant.stock > at or (before is not None and before <= at):
        return
    emit(
        "stock.low",
        cluster_id=None,
        member_id=variant.member_id,
        payload={
            "product_id": variant.product_id,
            **_variant(variant),
            "low_at": at,
        },
    )


def stock_low_after_sale(taken: dict[int, int]) -> None:
    """After an order took ``taken`` (variant id → how many) of counted stock:
    ``stock.low`` for each variant that fell to the threshold or below by it."""
    at = stock_low_at()
    variants = Variant.objects.filter(
        pk__in=list(taken), stock_policy=Variant.StockPolicy.TRACKED, stock__lte=at
    ).order_by("pk")
    for variant in variants:
        stock_low_if_crossed(variant, variant.stock + taken[variant.pk])
