"""A quote's arithmetic, exact and in integer cents: no database, no float.

The members price their lines in New Zealand dollars, excluding GST. The cluster's
admin assembles one quote in the buyer's currency:

1. each line's **unit price** is converted at the quote's rate (half up to the cent),
   and its **total** is that unit price * the quantity, so the commercial invoice's
   unit price * quantity always equals its line total;
2. **freight, insurance and packing** are entered in NZD, converted once each, and
   shared across the lines by **largest remainder** (as the ledger splits an amount:
   ``purei.ledger.split``) in proportion to each line's **weight** or **value** — the
   admin picks which. Shares always add up to the charge;
3. **GST** is 15 % of each line's ex-GST amount (its goods plus its shares of the
   charges), rounded half up per line, when the goods are supplied in New Zealand by
   a GST-registered supplier; **0 %** (zero-rated) when they are exported, or when
   the supplier is not registered (domain-nz.md §1.1, §1.4).

The totals are the sums of the lines, so every figure on the quote adds up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from purei.ledger.split import largest_remainder
from purei.trade.fx import to_currency

GST_RATE_PERCENT = 15


class ShareBasis(StrEnum):
    WEIGHT = "weight"
    VALUE = "value"


@dataclass(frozen=True)
class PricedLine:
    """One line as its member priced it (NZD cents, ex-GST)."""

    key: int  # the caller's id for the line
    quantity: int
    unit_nzd_cents: int
    unit_weight_grams: int = 0
    gst_registered: bool = True  # the line's supplier charges GST in New Zealand


@dataclass(frozen=True)
class Charges:
    """The quote's own lines, in NZD cents, ex-GST."""

    freight_nzd_cents: int = 0
    insurance_nzd_cents: int = 0
    packing_nzd_cents: int = 0


@dataclass(frozen=True)
class QuotedLine:
    key: int
    quantity: int
    unit_cents: int
    goods_cents: int
    freight_cents: int
    insurance_cents: int
    packing_cents: int
    gst_cents: int

    @property
    def ex_gst_cents(self) -> int:
        return (
            self.goods_cents
            + self.freight_cents
            + self.insurance_cents
            + self.packing_cents
        )

    @property
    def total_cents(self) -> int:
        return self.ex_gst_cents + self.gst_cents


@dataclass(frozen=True)
class QuoteFigures:
    lines: tuple[QuotedLine, ...]
    goods_cents: int
    freight_cents: int
    insurance_cents: int
    packing_cents: int
    gst_cents: int
    total_cents: int
    weight_grams: int

    @property
    def ex_gst_cents(self) -> int:
        return self.total_cents - self.gst_cents


class NothingToShareBy(ValueError):
    """A charge can't be shared by weight when no line has a weight."""


def gst_on(ex_gst_cents: int) -> int:
    """15 % of an ex-GST amount, rounded half up to the cent."""
    return (ex_gst_cents * GST_RATE_PERCENT * 2 + 100) // 200


def quote_figures(
    lines: Sequence[PricedLine],
    charges: Charges,
    *,
    rate: Decimal,
    basis: ShareBasis,
    export: bool,
) -> QuoteFigures:
    """The quote's lines and totals in the quote's currency (``rate`` units per
    NZ$1; ``Decimal(1)`` for NZD). ``export``: the goods leave New Zealand, so GST
    is zero-rated."""
    if not lines:
        raise ValueError("a quote has at least one line")
    units = [to_currency(line.unit_nzd_cents, rate) for line in lines]
    goods = [unit * line.quantity for unit, line in zip(units, lines, strict=True)]
    weights = [line.unit_weight_grams * line.quantity for line in lines]
    # By value: the lines' values as priced (NZD), not as converted, so rounding
    # a small price to the other currency's cent never decides a share.
    values = [line.unit_nzd_cents * line.quantity for line in lines]
    share_by = weights if basis == ShareBasis.WEIGHT else values
    charge_cents = [
        to_currency(charges.freight_nzd_cents, rate),
        to_currency(charges.insurance_nzd_cents, rate),
        to_currency(charges.packing_nzd_cents, rate),
    ]
    if any(charge_cents) and sum(share_by) == 0:
        raise NothingToShareBy("give the lines' weights, or share the charges by value")
    freight, insurance, packing = (
        largest_remainder(charge, share_by) if charge else [0] * len(lines)
        for charge in charge_cents
    )
    quoted: list[QuotedLine] = []
    for i, line in enumerate(lines):
        ex_gst = goods[i] + freight[i] + insurance[i] + packing[i]
        taxable = not export and line.gst_registered
        quoted.append(
            QuotedLine(
                key=line.key,
                quantity=line.quantity,
                unit_cents=units[i],
                goods_cents=goods[i],
                freight_cents=freight[i],
                insurance_cents=insurance[i],
                packing_cents=packing[i],
                gst_cents=gst_on(ex_gst) if taxable else 0,
            )
        )
    return QuoteFigures(
        lines=tuple(quoted),
        goods_cents=sum(q.goods_cents for q in quoted),
        freight_cents=sum(q.freight_cents for q in quoted),
        insurance_cents=sum(q.insurance_cents for q in quoted),
        packing_cents=sum(q.packing_cents for q in quoted),
        gst_cents=sum(q.gst_cents for q in quoted),
        total_cents=sum(q.total_cents for q in quoted),
        weight_grams=sum(weights),
    )
