"""The arithmetic of a group buy and of a levy, as pure functions of plain
values (docs/cooperation.md "Group buying", docs/money.md "Group buys and
levies"): the tier price reached by a total quantity, each member's share to the
cent, and a levy's turnover band."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from purei.core.split import largest_remainder


def tier_price(tiers: Sequence[tuple[int, int]], total: int) -> int | None:
    """The unit price (cents) of the highest tier ``(min_quantity, price)`` that
    ``total`` reaches; None when it reaches none."""
    reached = sorted(tier for tier in tiers if tier[0] <= total)
    return reached[-1][1] if reached else None


@dataclass(frozen=True)
class Share:
    """One member's share: its goods at the fixed price, its part of the
    shared cost, and the two together (cents)."""

    quantity: int
    goods_cents: int
    shared_cost_cents: int

    @property
    def total_cents(self) -> int:
        return self.goods_cents + self.shared_cost_cents


def allocate(
    quantities: Sequence[int], unit_price_cents: int, shared_cost_cents: int
) -> list[Share]:
    """Each commitment's share: its quantity at the unit price (exact), and the
    shared cost split by quantity by the largest remainder (the shares add up to
    the shared cost exactly; the earlier commitment first on a tie)."""
    shared = largest_remainder(shared_cost_cents, list(quantities))
    return [
        Share(
            quantity=quantity,
            goods_cents=quantity * unit_price_cents,
            shared_cost_cents=part,
        )
        for quantity, part in zip(quantities, shared, strict=True)
    ]


def levy_amount(
    *, flat_cents: int, bands: Sequence[tuple[int, int]], turnover_cents: int | None
) -> int:
    """A levy for one member: the flat amount, or with bands
    ``(min_turnover_cents, amount_cents)`` the amount of the highest band its
    turnover reaches (0 when it reaches none)."""
    if not bands:
        return flat_cents
    turnover = turnover_cents or 0
    reached = sorted(band for band in bands if band[0] <= turnover)
    return reached[-1][1] if reached else 0
