"""Exchange: NZD cents to and from another currency's cents at a recorded rate
(units of the currency per NZ$1), rounded half up to the cent, in ``Decimal``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def to_currency(nzd_cents: int, rate: Decimal) -> int:
    """NZD cents in the other currency's cents (``rate`` units per NZ$1)."""
    return int((Decimal(nzd_cents) * rate).quantize(Decimal(1), ROUND_HALF_UP))


def to_nzd(cents: int, rate: Decimal) -> int:
    """Another currency's cents in NZD cents (``rate`` units per NZ$1)."""
    return int((Decimal(cents) / rate).quantize(Decimal(1), ROUND_HALF_UP))
