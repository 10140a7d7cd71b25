"""Freight on quote: when a part's delivery is quoted rather than priced by the
courier rates (docs/orders.md "Freight on quote").

A member's part is quoted when it holds goods marked freight on quote (a beam,
a pallet of bricks), or when, to a New Zealand address, the member's rates for
the zone stop short of the parcel's weight (a rate for the zone exists, but
none carries it). Checkout then offers "Request a freight quote" instead of
delivery; the cluster's admins answer with a price (``services/freight.py``).
Freight is quoted within New Zealand only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Zone
from .services.cart import CartGroup
from .shipping import NZ_ZONES, ResolvedPolicy

GOODS = "goods"  # the part holds goods marked freight on quote
WEIGHT = "weight"  # no rate of the zone carries the part's weight


def freight_reason(
    group: CartGroup,
    policy: ResolvedPolicy,
    *,
    zone: Zone | str | None,
    delivery: int | None,
) -> str:
    """Why ``group``'s delivery is quoted (``GOODS`` or ``WEIGHT``), or "" when the
    rates price it (or refuse it: no rate to the zone at all, chilled goods).
    ``delivery`` is the rates' charge for the part (None: none carries it)."""
    if group.freight_on_quote:
        return GOODS
    if zone is None or zone not in NZ_ZONES or group.needs_cold:
        return ""
    if delivery is None and policy.tiers_for(zone):
        return WEIGHT
    return ""


def freight_problem(group: CartGroup, *, zone: Zone | str | None, reason: str) -> str:
    """What is wrong with requesting a freight quote for ``group``, or ""."""
    if not reason:
        return _(
            "%(member)s prices delivery of these items by its rates: choose "
            "delivery or pickup."
        ) % {"member": group.member_name}
    if zone is not None and zone not in NZ_ZONES:
        return _(
            "%(member)s quotes freight within New Zealand only: choose pickup if "
            "it is offered, or remove the items marked freight on quote."
        ) % {"member": group.member_name}
    return ""


def freight_delivery_problem(group: CartGroup) -> str:
    """Delivery chosen for a part whose delivery is quoted."""
    return _(
        "%(member)s can't send these items by courier: choose “Request a freight "
        "quote” and the cluster will quote the delivery before you pay."
    ) % {"member": group.member_name}
