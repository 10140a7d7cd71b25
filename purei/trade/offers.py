"""What a trade buyer is offered: each variant's price for its account, excluding
GST, in the account's currency — from, in this order:

1. the member's **own price for this buyer** (``BuyerPrice``), at any quantity;
2. the variant's **price list in that currency** (AUD or USD, with its breaks);
3. the variant's **NZD trade price list**, converted at the cluster's newest rate
   (half up to the cent, each step), and said to be converted.

A variant with no trade price is not offered. The RRP beside it is the retail
price (NZD, GST-inclusive). Reads only; the caller has checked the account is the
actor's own and approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from purei.catalogue.models import Variant
from purei.catalogue.trade_selectors import Steps, trade_prices_for, unit_cents_at
from purei.trade.fx import to_currency
from purei.trade.models import BuyerPrice, Currency, ExchangeRate, TradeAccount


class PriceSource(StrEnum):
    BUYER = "buyer"
    LIST = "list"
    CONVERTED = "converted"


@dataclass(frozen=True)
class Offer:
    variant: Variant
    currency: str
    steps: Steps  # (from quantity, unit cents), rising; the first at quantity 1
    source: PriceSource
    min_order_quantity: int
    pack_size: int

    @property
    def unit_cents(self) -> int:
        """The unit price at the minimum order."""
        return unit_cents_at(self.steps, self.min_order_quantity) or self.steps[0][1]

    def unit_cents_for(self, quantity: int) -> int | None:
        return unit_cents_at(self.steps, quantity)

    @property
    def breaks(self) -> Steps:
        return self.steps[1:]

    @property
    def rrp_cents(self) -> int:
        return self.variant.price_cents


def trade_offers(
    *,
    account: TradeAccount,
    variants: Sequence[Variant],
    rate: ExchangeRate | None,
) -> dict[int, Offer]:
    """The offers for ``variants`` to ``account``, by variant id (a fixed number of
    queries whatever the number of variants)."""
    ids = [variant.pk for variant in variants]
    currency = account.currency
    own = {
        row.variant_id: row
        for row in BuyerPrice.objects.filter(account=account, variant_id__in=ids)
    }
    lists = trade_prices_for(ids, currency)
    nzd = (
        trade_prices_for(ids, Currency.NZD)
        if currency != Currency.NZD and rate is not None
        else {}
    )
    offers: dict[int, Offer] = {}
    for variant in variants:
        if variant.trade_price_cents is None:
            continue
        rules = {
            "min_order_quantity": variant.min_order_quantity,
            "pack_size": variant.pack_size,
        }
        if variant.pk in own:
            offers[variant.pk] = Offer(
                variant=variant,
                currency=currency,
                steps=((1, own[variant.pk].unit_cents),),
                source=PriceSource.BUYER,
                **rules,
            )
        elif variant.pk in lists:
            offers[variant.pk] = Offer(
                variant=variant,
                currency=currency,
                steps=lists[variant.pk].steps,
                source=PriceSource.LIST,
                **rules,
            )
        elif variant.pk in nzd and rate is not None:
            offers[variant.pk] = Offer(
                variant=variant,
                currency=currency,
                steps=tuple(
                    (quantity, to_currency(cents, rate.rate))
                    for quantity, cents in nzd[variant.pk].steps
                ),
                source=PriceSource.CONVERTED,
                **rules,
            )
    return offers
