"""What a product page tells a shopper about getting the product: delivery to
their region and what it costs, and the pickups on offer (docs/orders.md
"Delivery on the product page").

The price is checkout's own: ``checkout_quote`` for one of each option of the
product, sent to the region asked about, so the page and checkout can never
disagree. The region is the ``region`` query parameter of the page (an ISO
3166-2:NZ code): no cookie and no session, so the page stays one page per
address and the estimate works without JavaScript (ADR 0014).

No writes. A fixed number of queries whatever the number of options: the
regions, the member's (and the cluster's) shipping (three), the region asked
about, and the pickup events (one or two).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from purei.catalogue.models import Product, Variant
from purei.clusters.models import Cluster, Region
from purei.clusters.selectors import regions_in_order
from purei.orders.pickup import event_cutoff_label, event_window_label
from purei.orders.services.cart import CartGroup, CartItem, CartSummary
from purei.orders.services.checkout import (
    Address,
    Choice,
    checkout_quote,
    supplier_gst_registered,
)
from purei.orders.shipping import policies_for

# Options priced for the estimate (a product rarely has more).
MAX_OPTIONS = 12


@dataclass(frozen=True)
class EventPickup:
    """A pickup event the member takes part in, open for orders."""

    name: str
    where: str
    when: str
    order_by: str


@dataclass(frozen=True)
class DeliveryEstimate:
    """Delivery and pickup of one product for a shopper in ``region``.

    - ``delivery_low_cents``/``delivery_high_cents``: the cheapest and dearest
      delivery of one of any option to ``region`` (None: no region asked, or no
      option is delivered there by the rates).
    - ``quoted``: delivery is quoted on request at checkout (freight).
    - ``problem``: why the member can't deliver there, when it can't.
    """

    regions: tuple[Region, ...]
    region: Region | None
    ships: bool
    delivery_low_cents: int | None = None
    delivery_high_cents: int | None = None
    earliest_arrival: datetime.date | None = None
    quoted: bool = False
    chilled: bool = False
    problem: str = ""
    free_over_cents: int | None = None
    pickup_address: str = ""
    pickup_instructions: str = ""
    events: tuple[EventPickup, ...] = ()

    @property
    def prices_differ(self) -> bool:
        return self.delivery_low_cents != self.delivery_high_cents

    @property
    def offers_anything(self) -> bool:
        return self.ships or bool(self.pickup_address) or bool(self.events)


def region_from_code(code: str, regions: Sequence[Region]) -> Region | None:
    """The region of an ISO 3166-2:NZ code (any case), or None."""
    wanted = code.strip().upper()
    return next((region for region in regions if region.code == wanted), None)


def _item(product: Product, variant: Variant) -> CartItem:
    """One of ``variant``, as a cart holds it."""
    return CartItem(
        line_id=0,
        variant_id=variant.pk,
        product_id=product.pk,
        product_slug=product.slug,
        title=product.title,
        variant_name=variant.name,
        sku=variant.sku,
        unit_price_cents=variant.price_cents,
        quantity=1,
        total_cents=variant.price_cents,
        weight_grams=variant.weight_grams or 0,
        restricted_r18=product.is_restricted,
        cold_chain=variant.cold_chain,
        alcohol_or_tobacco=product.alcohol_or_tobacco,
        freight_on_quote=variant.freight_on_quote,
    )


def delivery_estimate_for(
    *,
    cluster: Cluster,
    product: Product,
    variants: Sequence[Variant],
    region_code: str = "",
    now: datetime.datetime | None = None,
) -> DeliveryEstimate:
    """Delivery of one of each of ``variants`` (the options a shopper can add)
    to the region of ``region_code``, and the member's pickups, as checkout would
    price them now."""
    now = now or timezone.now()
    regions = tuple(regions_in_order())
    region = region_from_code(region_code, regions)
    member = product.member
    policy = policies_for(cluster, [member.pk])[member.pk]
    registered = supplier_gst_registered(cluster, member.gst_registered)
    name = member.trading_name or member.legal_name
    # One part per option: each priced on its own, as if bought alone.
    summary = CartSummary(
        cart_id=None,
        groups=tuple(
            CartGroup(
                member_id=member.pk,
                member_slug=member.slug,
                member_name=name,
                gst_registered=registered,
                items=(_item(product, variant),),
            )
            for variant in variants[:MAX_OPTIONS]
        ),
    )
    address = Address(country="NZ", region=region.code) if region else None
    quote = checkout_quote(
        cluster=cluster,
        summary=summary,
        address=address,
        choices={member.pk: Choice("delivery")},
        now=now,
        policies={member.pk: policy},
    )
    parts = quote.parts
    events = parts[0].events if parts else ()
    delivered = [
        part
        for part in parts
        if part.can_deliver and not part.freight and not part.problem
    ]
    prices = [part.shipping_cents for part in delivered]
    arrivals = [part.days[0].arrival for part in delivered if part.days]
    # Priced by the rates but not deliverable all the same (chilled goods from a
    # member that sets no delivery days): checkout's reason. Not priced at all:
    # the page says the member does not deliver to the region.
    problem = ""
    if region is not None and not delivered:
        problem = next(
            (
                part.problem
                for part in parts
                if part.can_deliver and not part.freight and part.problem
            ),
            "",
        )
    chilled = any(part.chilled for part in parts)
    quoted = bool(parts) and all(part.freight for part in parts)
    return DeliveryEstimate(
        regions=regions,
        region=region,
        ships=policy.ships,
        delivery_low_cents=min(prices) if prices else None,
        delivery_high_cents=max(prices) if prices else None,
        earliest_arrival=min(arrivals) if arrivals else None,
        quoted=quoted,
        chilled=chilled,
        problem=problem,
        # Free delivery (in New Zealand) never applies to a chilled parcel or
        # to freight.
        free_over_cents=None if chilled or quoted else policy.free_over_cents,
        pickup_address=policy.pickup_address if policy.pickup_at_premises else "",
        pickup_instructions=policy.pickup_instructions
        if policy.pickup_at_premises
        else "",
        events=tuple(
            EventPickup(
                name=event.name,
                where=", ".join(
                    text
                    for text in (event.collection_point, event.venue, event.address)
                    if text
                ),
                when=event_window_label(event),
                order_by=event_cutoff_label(event),
            )
            for event in events
        ),
    )
