"""What a payment gateway keeps of a payment (settings.PAYMENT_FEES)."""

from __future__ import annotations

from django.conf import settings


def _half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def gateway_fee_cents(gateway: str, amount_cents: int) -> int:
    """The fee ``gateway`` charges on a payment of ``amount_cents``: a percentage
    (in basis points, rounded half up to the cent) plus a fixed part; never more
    than the payment itself. Unknown gateways charge nothing.

    >>> from django.conf import settings
    >>> settings.PAYMENT_FEES["stripe"]
    (270, 30)
    >>> gateway_fee_cents("stripe", 10_000)
    300
    """
    if amount_cents <= 0:
        return 0
    basis_points, fixed = settings.PAYMENT_FEES.get(gateway, (0, 0))
    fee = _half_up(amount_cents * basis_points, 10_000) + fixed
    return min(fee, amount_cents)
