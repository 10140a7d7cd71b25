"""Commission: what a cluster charges its members for selling through it.

**Base.** Commission is charged per order line on the line's value **excluding
GST** (the line total less the GST in it). A GST-registered member does not pay
commission on tax it hands to Inland Revenue, and for a member that is not
registered the base is simply the price, so members with and without GST pay the
same commission on the same net takings. Shipping is not commissioned: it passes
through to the carrier. Exports are zero-rated, so their base is the whole price.

**Rounding.** Each line's commission is rounded half up to the cent; a
fulfilment's commission is the sum of its lines' (so a statement's lines add up).
GST on commission (when the lead organisation is GST-registered) is 15 % of a
fulfilment's commission, rounded half up, once per fulfilment.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from purei.clusters.models import Cluster
    from purei.members.models import Member

GST_RATE = Decimal("0.15")


def commission_rate(cluster: Cluster, member: Member | int) -> Decimal:
    """The rate (per cent) ``cluster`` charges ``member``: the member's own rate in
    that cluster when one is set, else the cluster's."""
    from purei.members.models import Membership

    member_id = member if isinstance(member, int) else member.pk
    override = (
        Membership.objects.filter(cluster=cluster, member_id=member_id)
        .values_list("commission_rate", flat=True)
        .first()
    )
    if override is not None:
        return Decimal(override)
    return Decimal(cluster.commission_rate)


def commission_cents(base_cents: int, rate_percent: Decimal) -> int:
    """Commission at ``rate_percent`` on ``base_cents``, rounded half up.

    >>> commission_cents(10_000, Decimal("7.5"))
    750
    >>> commission_cents(1_999, Decimal("7.5"))  # 149.925
    150
    """
    if base_cents <= 0:
        return 0
    value = Decimal(base_cents) * Decimal(rate_percent) / 100
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_commission_cents(
    total_cents: int, gst_cents: int, rate_percent: Decimal
) -> int:
    """Commission on one order line: on its value excluding GST."""
    return commission_cents(total_cents - gst_cents, rate_percent)


def gst_on_cents(excl_cents: int) -> int:
    """15 % GST added to a GST-exclusive amount, rounded half up.

    >>> gst_on_cents(750), gst_on_cents(150)
    (113, 23)
    """
    if excl_cents <= 0:
        return 0
    value = Decimal(excl_cents) * GST_RATE
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
