"""GST arithmetic in integer cents (domain-nz.md §1.1).

The GST contained in a GST-inclusive amount is ``amount * 3 / 23`` (IRD's fraction
method), rounded half up to the cent. Pūrei rounds **once per order line** (on the
line's total, not its unit price) and once per shipping charge; a supplier's and an
order's GST are the sums of those, so every figure on a receipt adds up.
"""

from __future__ import annotations


def gst_in(cents: int) -> int:
    """The GST contained in ``cents`` (GST-inclusive), rounded half up.

    >>> gst_in(2300), gst_in(100), gst_in(1)
    (300, 13, 0)
    """
    if cents < 0:
        raise ValueError("an amount of money in an order is never negative")
    return (cents * 6 + 23) // 46


def without_gst(cents: int) -> int:
    """The GST-exclusive part of a GST-inclusive amount (what a zero-rated export
    of a GST-registered supplier charges)."""
    return cents - gst_in(cents)
