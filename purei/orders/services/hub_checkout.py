"""Checkout's "One parcel from the hub" (docs/orders.md "Hub delivery").

``hub_offer`` says whether a cart may go through the cluster's hub: the cluster
offers hub delivery, the cart has parts from two or more members, and none of it
needs chilling (chilled and frozen goods go by each maker's chilled courier).
``hub_quote`` turns a checkout quote into the hub's: every part is delivered
(the members' own choices, delivery days and rates set aside), the one charge is
the hub's rate for the zone and the parcel's total weight (with its rural
surcharge and free-delivery threshold), and each part carries its share by the
cluster's rule as its shipping — GST on a share follows the part's supplier, as
any part's shipping does. Hub delivery is within New Zealand.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.orders.hub import Hub, HubCharge, PartBasis, hub_for, hub_shares
from purei.orders.money import gst_in
from purei.orders.services.cart import CartSummary
from purei.orders.services.checkout import Choice, PartQuote, Quote
from purei.orders.shipping import NZ_ZONES, shipping_cents


def hub_offer(cluster: Cluster, summary: CartSummary) -> Hub | None:
    """The cluster's hub when this cart may go through it, else None. The same
    queries whatever the cart holds (a page's query count stays fixed)."""
    if not summary.groups:
        return None
    hub = hub_for(cluster)
    if len(summary.groups) < 2 or any(g.needs_cold for g in summary.groups):
        return None
    return hub


def _not_offered(quote: Quote, problem: str) -> Quote:
    return replace(quote, hub=None, hub_problem=problem)


def hub_quote(
    quote: Quote, *, cluster: Cluster, summary: CartSummary, rural: bool
) -> Quote:
    """``quote`` with every part in one parcel from the hub (see the module)."""
    if len(summary.groups) < 2:
        return _not_offered(
            quote, _("One parcel from the hub is for orders from several makers.")
        )
    if any(group.needs_cold for group in summary.groups):
        return _not_offered(
            quote,
            _(
                "Chilled and frozen goods go by each maker's chilled courier, not "
                "through the hub."
            ),
        )
    hub = hub_for(cluster)
    if hub is None:
        return _not_offered(quote, _("This shop doesn't offer hub delivery."))
    zone = quote.zone
    weight = sum(part.group.weight_grams for part in quote.parts)
    goods = sum(part.goods_cents for part in quote.parts)
    problem = ""
    charge: int | None = 0
    if zone is not None and zone not in NZ_ZONES:
        problem = _("The hub delivers within New Zealand only.")
    elif zone is not None:
        charge = shipping_cents(
            hub.policy, zone=zone, rural=rural, weight_grams=weight, goods_cents=goods
        )
        if charge is None:
            problem = _(
                "The hub does not deliver a parcel of %(kg)s kg to this address."
            ) % {"kg": f"{weight / 1000:.1f}"}
    amount = charge or 0
    shares = hub_shares(
        amount,
        [PartBasis(p.group.weight_grams, p.goods_cents) for p in quote.parts],
        hub.split_rule,
    )
    parts = tuple(
        _hub_part(part, share) for part, share in zip(quote.parts, shares, strict=True)
    )
    return replace(
        quote,
        parts=parts,
        hub=HubCharge(
            hub_id=hub.hub_id,
            label=hub.label,
            cutoff_text=hub.cutoff_text,
            split_rule=hub.split_rule,
            charge_cents=amount,
            weight_grams=weight,
            shares=tuple(shares),
        ),
        hub_problem=problem,
    )


def _hub_part(part: PartQuote, share: int) -> PartQuote:
    """A part delivered in the hub's parcel, carrying ``share`` as its shipping."""
    return replace(
        part,
        choice=Choice("delivery"),
        can_deliver=True,
        shipping_cents=share,
        shipping_gst_cents=gst_in(share) if part.gst_registered else 0,
        problem="",
        days=(),
        day=None,
        day_error="",
    )
