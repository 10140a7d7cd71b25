"""Delivery estimated in the cart (issue 13): for the New Zealand region the
shopper picks, what each maker's part would cost to deliver.

It is priced by checkout's own quote (``checkout_quote``) for an ordinary street
address in that region with every part delivered, so the cart's figure is the one
checkout charges for an address there — the same rate tables, free-shipping
thresholds, chilled courier rates and GST. Only a rural delivery (RD) address can
cost more, by the maker's rural surcharge; the cart says so.

A part is one of: priced (its charge, 0 when free), delivered by freight quoted
after the order (``freight``), not delivered to the region (``no_delivery``: the
maker doesn't send there, or sends no chilled goods there) or not deliverable as
it is (``problem``, with checkout's own words). Its ``pickup`` says whether it can
be collected instead, at the maker's premises or at an open pickup event.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from purei.clusters.models import Cluster, Region

from .cart import CartSummary
from .checkout import Address, Choice, PartQuote, checkout_quote


class EstimateKind(StrEnum):
    PRICED = "priced"
    FREIGHT = "freight"
    NO_DELIVERY = "no_delivery"
    PROBLEM = "problem"


@dataclass(frozen=True)
class PartEstimate:
    """One maker's part delivered to the region."""

    member_id: int
    member_name: str
    kind: EstimateKind
    shipping_cents: int | None  # set only when ``kind`` is priced
    pickup: bool  # can be collected instead (premises or an open pickup event)
    message: str = ""  # why it is not priced, as checkout would say it

    @property
    def priced(self) -> bool:
        return self.kind == EstimateKind.PRICED

    @property
    def free(self) -> bool:
        return self.priced and self.shipping_cents == 0


@dataclass(frozen=True)
class DeliveryEstimate:
    region: Region
    parts: tuple[PartEstimate, ...]

    @property
    def shipping_cents(self) -> int:
        """The delivery of every priced part."""
        return sum(part.shipping_cents or 0 for part in self.parts if part.priced)

    @property
    def complete(self) -> bool:
        """Every part is priced: the cart's total is the total to pay."""
        return all(part.priced for part in self.parts)

    def for_member(self, member_id: int) -> PartEstimate | None:
        return next((p for p in self.parts if p.member_id == member_id), None)


def estimate_address(region: Region) -> Address:
    """The address the estimate is priced for: a street in ``region``."""
    return Address(country="NZ", region=region.code, rural=False)


def _part(part: PartQuote) -> PartEstimate:
    kind, message = EstimateKind.PRICED, ""
    cents: int | None = part.shipping_cents
    if part.freight:
        kind, cents = EstimateKind.FREIGHT, None
    elif not part.can_deliver:
        kind, cents, message = EstimateKind.NO_DELIVERY, None, part.problem
    elif part.problem:
        kind, cents, message = EstimateKind.PROBLEM, None, part.problem
    return PartEstimate(
        member_id=part.group.member_id,
        member_name=part.group.member_name,
        kind=kind,
        shipping_cents=cents,
        pickup=part.pickup_premises or bool(part.events),
        message=message,
    )


def cart_delivery_estimate(
    *,
    cluster: Cluster,
    summary: CartSummary,
    region: Region,
    now: datetime.datetime | None = None,
) -> DeliveryEstimate | None:
    """Each part of ``summary`` delivered to a street address in ``region``,
    priced as checkout prices it; None for an empty cart. A fixed number of
    queries whatever the number of makers: checkout's quote."""
    if summary.is_empty:
        return None
    quote = checkout_quote(
        cluster=cluster,
        summary=summary,
        address=estimate_address(region),
        choices={group.member_id: Choice("delivery") for group in summary.groups},
        now=now,
    )
    return DeliveryEstimate(
        region=region, parts=tuple(_part(part) for part in quote.parts)
    )


def region_of(regions: Iterable[Region], code: str) -> Region | None:
    """The region whose ISO 3166-2:NZ ``code`` is given (any case), if any."""
    wanted = (code or "").strip().upper()
    return next((region for region in regions if region.code == wanted), None)
