"""Checkout asks promotions for an order's discounts (ADR 0013, ADR 0015).

``quote_with_promotions`` hands the priced basket to ``purei.promotions`` as
plain values — each line's member, product, category, price and quantity, each
part's delivery charge, the shopper, the code typed — and writes what comes back
into the quote: each line's total less its discount, with its GST (and any
Australian GST) worked out again on what the shopper now pays for it; each part's
delivery, free when a promotion says so. ``shopper_facts`` says who is buying
(their account, their email, and whether this is their first order here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.db.models import Q

from purei.accounts.models import User
from purei.clusters.models import Cluster
from purei.orders.au_gst import au_gst_in
from purei.orders.models import AuGst, Order
from purei.orders.money import gst_in
from purei.promotions.rules import (
    NONE,
    Discounts,
    LineIn,
    ShippingIn,
    Shopper,
    discounts_for,
    normalise_code,
)
from purei.promotions.selectors import checkout_terms

from .cart import CartSummary
from .checkout import LineQuote, PartQuote, Quote


def first_order(cluster: Cluster, user_id: int | None, email: str) -> bool | None:
    """Whether the shopper has no order in ``cluster`` yet (cancelled ones
    aside), by account or email; None when neither is known."""
    email = email.strip()
    if user_id is None and not email:
        return None
    mine = Q(customer_id=user_id) if user_id is not None else Q(pk__in=[])
    if email:
        mine |= Q(email__iexact=email)
    earlier = Order.objects.filter(cluster=cluster).exclude(
        status=Order.Status.CANCELLED
    )
    return not earlier.filter(mine).exists()


def shopper_facts(user: User | None, email: str = "") -> Shopper:
    """The shopper as promotions know them (first order worked out on demand)."""
    user_id = user.pk if user is not None and user.is_authenticated else None
    if not email and user is not None and user.is_authenticated:
        email = user.email
    return Shopper(user_id=user_id, email=email.strip().lower(), first_order=None)


def quote_with_promotions(
    quote: Quote,
    *,
    cluster: Cluster,
    code: str,
    shopper: Shopper | None,
    now: dt.datetime,
) -> Quote:
    """``quote`` with the discounts of the cluster's promotions (and the code's)."""
    shopper = shopper or Shopper()
    terms = checkout_terms(
        cluster_id=cluster.pk,
        code=code,
        user_id=shopper.user_id,
        email=shopper.email,
        now=now,
    )
    if not terms:
        if not normalise_code(code):
            return quote
        found = discounts_for(promotions=(), lines=(), code=code, now=now)
        return replace(quote, promotions=found)
    if any(t.first_order_only for t in terms) and shopper.first_order is None:
        shopper = replace(
            shopper, first_order=first_order(cluster, shopper.user_id, shopper.email)
        )
    lines: list[LineIn] = []
    for p, part in enumerate(quote.parts):
        for n, line in enumerate(part.lines):
            lines.append(
                LineIn(
                    key=_key(p, n),
                    member_id=part.group.member_id,
                    product_id=line.item.product_id,
                    category_id=line.item.category_id,
                    unit_price_cents=line.unit_price_cents,
                    quantity=line.item.quantity,
                )
            )
    shipping = [
        ShippingIn(part.group.member_id, part.shipping_cents) for part in quote.parts
    ]
    found = discounts_for(
        promotions=terms,
        lines=lines,
        shipping=shipping,
        shopper=shopper,
        code=code,
        now=now,
    )
    if found == NONE:
        return quote
    parts = tuple(
        _discounted(part, p, found, zero_rated=quote.zero_rated)
        for p, part in enumerate(quote.parts)
    )
    return replace(quote, parts=parts, promotions=found)


def _key(part_index: int, line_index: int) -> int:
    return part_index * 1000 + line_index


def _discounted(
    part: PartQuote, p: int, found: Discounts, *, zero_rated: bool
) -> PartQuote:
    taxed = part.gst_registered and not zero_rated
    au_charged = part.au_gst_reason == AuGst.CHARGED
    lines = []
    for n, line in enumerate(part.lines):
        off = found.line(_key(p, n))
        if not off.cents:
            lines.append(line)
            continue
        total = line.total_cents - off.cents
        lines.append(
            LineQuote(
                item=line.item,
                unit_price_cents=line.unit_price_cents,
                total_cents=total,
                gst_cents=gst_in(total) if taxed else 0,
                au_gst_cents=au_gst_in(total)
                if au_charged and not line.item.alcohol_or_tobacco
                else 0,
                discount_cents=off.cents,
                discount_cluster_cents=off.cluster_cents,
            )
        )
    ship = found.shipping_of(part.group.member_id)
    if not ship.cents:
        return replace(part, lines=tuple(lines))
    # Free delivery: the whole charge comes off (its GST and any AU GST with it).
    return replace(
        part,
        lines=tuple(lines),
        shipping_cents=part.shipping_cents - ship.cents,
        shipping_gst_cents=0,
        shipping_au_gst_cents=0,
        shipping_discount_cents=ship.cents,
        shipping_discount_cluster_cents=ship.cluster_cents,
    )


def cart_discounts(
    cluster: Cluster,
    summary: CartSummary,
    *,
    shopper: Shopper | None = None,
    code: str = "",
    now: dt.datetime | None = None,
) -> Discounts:
    """What the promotions take off a cart's goods (delivery is priced at
    checkout: free delivery shows as applying, with nothing off yet). One query
    when the cluster has no promotions."""
    from django.utils import timezone

    now = now or timezone.now()
    shopper = shopper or Shopper()
    terms = checkout_terms(
        cluster_id=cluster.pk,
        code=code,
        user_id=shopper.user_id,
        email=shopper.email,
        now=now,
    )
    if not terms or summary.is_empty:
        return NONE
    lines = [
        LineIn(
            key=_key(p, n),
            member_id=group.member_id,
            product_id=item.product_id,
            category_id=item.category_id,
            unit_price_cents=item.unit_price_cents,
            quantity=item.quantity,
        )
        for p, group in enumerate(summary.groups)
        for n, item in enumerate(group.items)
    ]
    return discounts_for(
        promotions=terms, lines=lines, shopper=shopper, code=code, now=now
    )
