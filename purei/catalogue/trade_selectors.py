"""Reads of trade pricing (docs/trade.md "Trade prices"): a variant's unit price
for a quantity in a currency, for one variant or many at once, and whether a trade
quantity fits its minimum order and pack size.

``trade_unit_price``, ``trade_prices_for`` and ``trade_quantity_problems`` take no
actor: they price variants the caller has already reached through its own scope
(the trade app, for a trade buyer; the member's screens, for its team). Nothing
public calls them: no public page, API, search or shelf shows a trade price.
``trade_variants_for_team`` and ``trade_terms_for`` serve the member's screens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.money import format_cents
from purei.members.models import Member

from .models import Product, TradePrice, Variant
from .selectors import _require_team

NZD = TradePrice.Currency.NZD.value
FOREIGN_CURRENCIES = (TradePrice.Currency.AUD.value, TradePrice.Currency.USD.value)
CURRENCIES = (NZD, *FOREIGN_CURRENCIES)

# A price list's steps: (from quantity, unit cents), quantities rising; the first
# step is at quantity 1 (the list's unit price).
Steps = tuple[tuple[int, int], ...]


def unit_cents_at(steps: Steps, quantity: int) -> int | None:
    """The unit cents of the step with the largest quantity at or below
    ``quantity``; None when there is none (no list, or a quantity below 1)."""
    found = None
    for min_quantity, cents in steps:
        if min_quantity <= quantity:
            found = cents
        else:
            break
    return found


@dataclass(frozen=True)
class TradeTerms:
    """A variant's trade pricing in cents, as stored (or about to be).
    ``lists`` holds each currency's steps, the NZD one starting with the trade price
    at quantity 1 (kept on the variant; the breaks are ``TradePrice`` rows)."""

    price_cents: int | None
    min_order_quantity: int = 1
    pack_size: int = 1
    lists: Mapping[str, Steps] = field(default_factory=dict)

    @property
    def breaks(self) -> Steps:
        """The NZD quantity breaks (quantity 2 and up)."""
        return self.lists.get(NZD, ())[1:]

    def unit_cents(self, currency: str, quantity: int) -> int | None:
        return unit_cents_at(self.lists.get(currency, ()), quantity)

    def rows(self, variant_id: int) -> list[TradePrice]:
        """The ``TradePrice`` rows that hold these terms (not the NZD unit price)."""
        return [
            TradePrice(
                variant_id=variant_id,
                currency=currency,
                min_quantity=quantity,
                unit_cents=cents,
            )
            for currency, steps in sorted(self.lists.items())
            for quantity, cents in steps
            if not (currency == NZD and quantity == 1)
        ]

    def snapshot(self) -> dict[str, Any]:
        """For the audit trail."""
        return {
            "trade_price_cents": self.price_cents,
            "min_order_quantity": self.min_order_quantity,
            "pack_size": self.pack_size,
            "lists": {c: [list(s) for s in steps] for c, steps in self.lists.items()},
        }


def trade_terms_of(variant: Variant, rows: Iterable[TradePrice]) -> TradeTerms:
    """``variant``'s terms from its fields and its ``TradePrice`` rows."""
    lists: dict[str, list[tuple[int, int]]] = {}
    if variant.trade_price_cents is not None:
        lists[NZD] = [(1, variant.trade_price_cents)]
    for row in sorted(rows, key=lambda r: (r.currency, r.min_quantity)):
        lists.setdefault(row.currency, []).append((row.min_quantity, row.unit_cents))
    return TradeTerms(
        price_cents=variant.trade_price_cents,
        min_order_quantity=variant.min_order_quantity,
        pack_size=variant.pack_size,
        lists={c: tuple(steps) for c, steps in sorted(lists.items())},
    )


def breaks_text(steps: Steps) -> str:
    """Breaks as one line of text in dollars, ``12:18.50;48:17.00`` (what
    ``services.breaks_parse`` reads back; the spreadsheets' ``trade_breaks``)."""
    return ";".join(f"{quantity}:{format_cents(cents)}" for quantity, cents in steps)


# --- For the trade app: prices and quantities -----------------------------------


def _rows_of(variant: Variant) -> Iterable[TradePrice]:
    """The variant's rows, from a prefetch when there is one."""
    return variant.trade_prices.all()


def trade_unit_price(variant: Variant, currency: str, quantity: int) -> int | None:
    """The unit price excluding GST, in cents of ``currency``, of ``quantity`` units
    of ``variant``: the step of its ``currency`` list with the largest quantity at
    or below ``quantity``. None when the variant has no price in that currency (no
    trade price at all, or no AUD/USD list: the trade app converts from NZD).
    One query, none when ``trade_prices`` is prefetched."""
    terms = trade_terms_of(variant, _rows_of(variant))
    return terms.unit_cents(currency, quantity)


@dataclass(frozen=True)
class TradePriceList:
    """One variant's price list in one currency, with its order rules."""

    variant_id: int
    currency: str
    min_order_quantity: int
    pack_size: int
    steps: Steps

    def unit_cents(self, quantity: int) -> int | None:
        return unit_cents_at(self.steps, quantity)


def trade_prices_for(
    variant_ids: Sequence[int], currency: str
) -> dict[int, TradePriceList]:
    """For many variants at once (two queries, whatever their number): each one's
    price list in ``currency``, by variant id. A variant with no price in that
    currency (or no trade price) is left out."""
    variants = list(
        Variant.objects.filter(pk__in=list(variant_ids)).only(
            "pk", "trade_price_cents", "min_order_quantity", "pack_size"
        )
    )
    rows: dict[int, list[TradePrice]] = {}
    for row in TradePrice.objects.filter(variant_id__in=[v.pk for v in variants]):
        rows.setdefault(row.variant_id, []).append(row)
    found = {}
    for variant in variants:
        terms = trade_terms_of(variant, rows.get(variant.pk, []))
        steps = terms.lists.get(currency)
        if terms.price_cents is None or not steps:
            continue
        found[variant.pk] = TradePriceList(
            variant_id=variant.pk,
            currency=currency,
            min_order_quantity=terms.min_order_quantity,
            pack_size=terms.pack_size,
            steps=steps,
        )
    return found


class OrderRules(Protocol):
    @property
    def min_order_quantity(self) -> int: ...

    @property
    def pack_size(self) -> int: ...


def trade_quantity_problems(rules: OrderRules, quantity: int) -> list[str]:
    """What is wrong with a trade order of ``quantity`` units of a variant (or a
    ``TradePriceList``): below the minimum order, or not whole packs. Empty when
    it is fine."""
    if quantity < 1:
        return [_("Order at least one unit.")]
    problems = []
    if quantity < rules.min_order_quantity:
        problems.append(
            _("The minimum order is %(moq)s units; this is %(quantity)s.")
            % {"moq": rules.min_order_quantity, "quantity": quantity}
        )
    pack = rules.pack_size
    below = quantity - quantity % pack
    if below != quantity and below:
        problems.append(
            _(
                "This comes in packs of %(pack)s: order %(below)s or %(above)s "
                "units, not %(quantity)s."
            )
            % {
                "pack": pack,
                "below": below,
                "above": below + pack,
                "quantity": quantity,
            }
        )
    elif below != quantity:
        problems.append(
            _(
                "This comes in packs of %(pack)s: order %(pack)s units or a "
                "multiple of it, not %(quantity)s."
            )
            % {"pack": pack, "quantity": quantity}
        )
    return problems


# --- For the member's screens ----------------------------------------------------


def trade_variants_for_team(*, actor: Actor, member: Member) -> QuerySet[Variant]:
    """Every variant of ``member`` with its product, by product title and then the
    variant's order: the bulk trade price page pages through it (Http404 outside
    the member's team and platform staff)."""
    _require_team(actor, member)
    return (
        Variant.objects.filter(member=member)
        .select_related("product")
        .order_by("product__title_en", "product_id", "position", "pk")
    )


def trade_terms_for(
    *, actor: Actor, member: Member, variants: Sequence[Variant]
) -> dict[int, TradeTerms]:
    """The trade terms of ``variants`` (of ``member``) by variant id, in one query."""
    _require_team(actor, member)
    rows: dict[int, list[TradePrice]] = {}
    ids = [v.pk for v in variants if v.member_id == member.pk]
    for row in TradePrice.objects.filter(variant_id__in=ids):
        rows.setdefault(row.variant_id, []).append(row)
    return {
        v.pk: trade_terms_of(v, rows.get(v.pk, []))
        for v in variants
        if v.member_id == member.pk
    }


def trade_product_variants(*, actor: Actor, product: Product) -> list[Variant]:
    """A product's variants in order, with their trade rows (two queries)."""
    _require_team(actor, product.member)
    return list(
        Variant.objects.filter(product=product)
        .prefetch_related("trade_prices")
        .order_by("position", "pk")
    )
