"""Prices typed by people ("24.50", "$1,200") to integer cents, and back.

Never through ``float``: the text is parsed as a ``Decimal`` and must have at most
two decimal places. Prices are NZD and GST-inclusive (domain-nz.md §1.2).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MAX_CENTS = 100_000_000  # $1,000,000.00: above that, a typo is likelier than a price


class PriceInvalid(ValueError):
    """The text is not a price."""


def parse_price_cents(value: str | int | Decimal) -> int:
    """``"24.50"`` → ``2450``. Refuses floats, negatives, more than two decimals."""
    if isinstance(value, bool | float):
        raise PriceInvalid("not_a_price")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip().replace(",", "").replace(" ", "")
        text = text.removeprefix("NZ").removeprefix("$")
        if not text:
            raise PriceInvalid("empty")
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise PriceInvalid("not_a_price") from exc
    if not amount.is_finite():
        raise PriceInvalid("not_a_price")
    if amount < 0:
        raise PriceInvalid("negative")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise PriceInvalid("too_many_decimals")
    result = int(cents)
    if result > MAX_CENTS:
        raise PriceInvalid("too_large")
    return result


def format_cents(cents: int) -> str:
    """``2450`` → ``"24.50"`` (what ``parse_price_cents`` reads back)."""
    return f"{cents // 100}.{cents % 100:02d}"


def format_nzd(cents: int | None) -> str:
    """``$1,234.50`` from cents (en-NZ); empty when there is no amount."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(int(cents)), 100)
    return f"{sign}${dollars:,}.{rest:02d}"
