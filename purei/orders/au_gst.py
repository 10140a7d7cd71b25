"""Australian GST on goods sent to Australian consumers (LVIG; domain-nz.md §2;
docs/trade.md "Australian GST on sales to consumers (LVIG)").

Checkout prices an order to Australia without New Zealand GST (an export is
zero-rated). When the cluster is registered for Australian GST, each member's part
(one parcel: one consignment) whose goods have a customs value of **A$1,000 or
less** carries Australian GST of 10 % of that zero-rated price — 1/11 of the price
the customer pays — on every line but alcohol and tobacco, and on its shipping
(in proportion to the goods taxed, when some lines are alcohol or tobacco). None
is charged to a business that gives its ABN and states it is registered for GST
and buying for business use, nor on a part worth over A$1,000 (Australia taxes it
at the border).

Rounding, in NZD cents, half up: a line's unit price with AU GST is its
zero-rated unit price times 1.1; the line's AU GST is 1/11 of its total; a part's
shipping carries 10 % of its taxed share. A part's AU GST is the sum of those.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from purei.clusters.au_gst import LVIG_LIMIT_AUD_CENTS, AudRate

from .models import AuGst


def nzd_to_aud_cents(nzd_cents: int, rate: Decimal) -> int:
    """NZD cents in AUD cents at ``rate`` (AUD per NZ$1), half up."""
    return int((Decimal(nzd_cents) * rate).quantize(Decimal(1), ROUND_HALF_UP))


def with_au_gst(cents: int) -> int:
    """A GST-exclusive price with 10 % Australian GST added, half up.

    >>> with_au_gst(1000), with_au_gst(995)
    (1100, 1095)
    """
    if cents < 0:
        raise ValueError("an amount of money in an order is never negative")
    return (cents * 11 + 5) // 10


def au_gst_in(cents: int) -> int:
    """The Australian GST contained in a GST-inclusive amount: 1/11, half up.

    >>> au_gst_in(1100), au_gst_in(1095), au_gst_in(5)
    (100, 100, 0)
    """
    if cents < 0:
        raise ValueError("an amount of money in an order is never negative")
    return (cents * 2 + 11) // 22


def au_gst_on_share(shipping_cents: int, taxed_cents: int, goods_cents: int) -> int:
    """10 % Australian GST on the share of ``shipping_cents`` that goes with the
    taxed goods (``taxed_cents`` of ``goods_cents``, both without AU GST), half up.

    >>> au_gst_on_share(1500, 3000, 3000), au_gst_on_share(1500, 1000, 3000)
    (150, 50)
    """
    if shipping_cents <= 0 or taxed_cents <= 0 or goods_cents <= 0:
        return 0
    numerator = shipping_cents * taxed_cents
    denominator = goods_cents * 10
    return (numerator * 2 + denominator) // (denominator * 2)


@dataclass(frozen=True)
class AuTerms:
    """What decides Australian GST on an order delivered to Australia."""

    registered: bool  # the cluster, on the day of the order
    business: bool  # a GST-registered business buyer gave its ABN
    rate: AudRate


def part_reason(
    terms: AuTerms, *, customs_value_aud_cents: int, any_taxable_line: bool
) -> str:
    """Why one part (consignment) to Australia carries AU GST or not."""
    if not terms.registered:
        return AuGst.NOT_REGISTERED
    if terms.business:
        return AuGst.BUSINESS_BUYER
    if customs_value_aud_cents > LVIG_LIMIT_AUD_CENTS:
        return AuGst.OVER_LIMIT
    if not any_taxable_line:
        return AuGst.EXCLUDED_GOODS
    return AuGst.CHARGED
