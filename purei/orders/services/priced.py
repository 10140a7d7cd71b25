"""An order whose prices were agreed elsewhere (a trade quote, ADR 0010): the
caller hands over each member's part already priced — lines, GST and the part's
share of the charges — and this makes the order, one fulfilment per member and
its lines, and takes the stock of every tracked variant, in one transaction.

It knows nothing of where the prices came from. The stock is taken as checkout
takes it (a conditional update, variants in id order; ADR 0004): when any line's
stock has run out, nothing is written and ``ValidationFailed`` with code
``sold_out`` names it — so two buyers accepting quotes over the last stock cannot
both succeed.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.accounts.models import User
from purei.catalogue.events import stock_low_after_sale
from purei.catalogue.indexing import product_facts_changed_on_commit
from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.core.errors import ValidationFailed
from purei.members.models import Member
from purei.orders.errors import OrderErrorCode
from purei.orders.models import Fulfilment, Order, OrderLine

from .checkout import ORDER_NUMBER_ALPHABET, supplier_for


@dataclass(frozen=True)
class PricedLine:
    """One line as agreed: ``unit_price_cents`` excludes GST (``gst_cents`` is the
    line's GST, added), ``total_cents`` is goods and GST."""

    variant_id: int | None
    title: str
    sku: str
    quantity: int
    unit_price_cents: int
    gst_cents: int
    total_cents: int
    weight_grams: int = 0


@dataclass(frozen=True)
class PricedPart:
    """One member's part: its lines and its share of the charges (freight,
    insurance, packing) with the GST on that share."""

    member_id: int
    lines: Sequence[PricedLine]
    charges_cents: int = 0
    charges_gst_cents: int = 0


@dataclass(frozen=True)
class PricedOrderInput:
    cluster: Cluster
    customer: User | None
    email: str
    name: str
    country: str
    address_line1: str
    address_line2: str
    town: str
    postcode: str
    state: str
    zero_rated: bool
    payment_method: str
    idempotency_key: str
    hold_until: datetime.datetime
    phone: str = ""
    channel: str = Order.Channel.TRADE


def _number() -> str:
    for _attempt in range(5):
        number = "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(8))
        if not Order.objects.filter(number=number).exists():
            return number
    return number


def _take_stock(parts: Sequence[PricedPart]) -> None:
    wanted: dict[int, tuple[int, str]] = {}
    for part in parts:
        for line in part.lines:
            if line.variant_id is not None:
                quantity, _title = wanted.get(line.variant_id, (0, line.title))
                wanted[line.variant_id] = (quantity + line.quantity, line.title)
    for variant_id in sorted(wanted):
        quantity, title = wanted[variant_id]
        taken = Variant.objects.filter(
            pk=variant_id,
            stock_policy=Variant.StockPolicy.TRACKED,
            stock__gte=quantity,
        ).update(stock=F("stock") - quantity)
        if taken:
            continue
        counted = Variant.objects.filter(
            pk=variant_id, stock_policy=Variant.StockPolicy.TRACKED
        ).exists()
        if counted or not Variant.objects.filter(pk=variant_id).exists():
            raise ValidationFailed(
                OrderErrorCode.SOLD_OUT,
                {
                    "lines": [
                        _("%(item)s: fewer than %(quantity)s are in stock now.")
                        % {"item": title, "quantity": quantity}
                    ]
                },
            )
    product_facts_changed_on_commit(
        Variant.objects.filter(pk__in=list(wanted)).values_list("product_id", flat=True)
    )
    stock_low_after_sale({v: q for v, (q, _title) in wanted.items()})


@transaction.atomic
def order_place_priced(
    *, order: PricedOrderInput, parts: Sequence[PricedPart]
) -> Order:
    """Make the order (awaiting payment, held until ``hold_until``), its parts and
    lines, and take their stock — all or nothing."""
    if not parts or any(not part.lines for part in parts):
        raise ValueError("an order has parts, and each part has lines")
    _take_stock(parts)
    members = Member.objects.in_bulk([part.member_id for part in parts])
    variant_ids = [
        line.variant_id
        for part in parts
        for line in part.lines
        if line.variant_id is not None
    ]
    products = dict(
        Variant.objects.filter(pk__in=variant_ids).values_list("pk", "product_id")
    )
    goods = sum(line.total_cents for part in parts for line in part.lines)
    charges = sum(part.charges_cents for part in parts)
    gst = sum(
        sum(line.gst_cents for line in part.lines) + part.charges_gst_cents
        for part in parts
    )
    number = _number()
    made = Order.objects.create(
        number=number,
        cluster=order.cluster,
        channel=order.channel,
        prices_exclude_gst=True,
        customer=order.customer,
        email=order.email,
        name=order.name,
        phone=order.phone,
        country=order.country,
        address_line1=order.address_line1,
        address_line2=order.address_line2,
        town=order.town,
        postcode=order.postcode,
        state=order.state,
        zero_rated=order.zero_rated,
        selling_model=order.cluster.selling_model,
        goods_cents=goods,
        shipping_cents=charges,
        gst_cents=gst,
        total_cents=goods + charges,
        payment_method=order.payment_method,
        payment_reference=number,
        hold_until=order.hold_until,
        idempotency_key=order.idempotency_key,
    )
    lines: list[OrderLine] = []
    for part in parts:
        member = members[part.member_id]
        supplier = supplier_for(order.cluster, member)
        part_goods = sum(line.total_cents for line in part.lines)
        fulfilment = Fulfilment.objects.create(
            order=made,
            member=member,
            supplier_name=supplier.name,
            gst_registered=supplier.gst_registered,
            gst_number=supplier.gst_number,
            method=Fulfilment.Method.DELIVERY,
            goods_cents=part_goods,
            shipping_cents=part.charges_cents,
            gst_cents=sum(line.gst_cents for line in part.lines)
            + part.charges_gst_cents,
            total_cents=part_goods + part.charges_cents,
            weight_grams=sum(line.weight_grams * line.quantity for line in part.lines),
        )
        lines.extend(
            OrderLine(
                order=made,
                fulfilment=fulfilment,
                variant_id=line.variant_id,
                title=line.title,
                sku=line.sku,
                unit_price_cents=line.unit_price_cents,
                quantity=line.quantity,
                total_cents=line.total_cents,
                gst_cents=line.gst_cents,
                weight_grams=line.weight_grams * line.quantity,
                product_id=products.get(line.variant_id or 0),
            )
            for line in part.lines
        )
    OrderLine.objects.bulk_create(lines)
    return made


def hold_until_for_trade(now: datetime.datetime | None = None) -> datetime.datetime:
    """How long a trade order awaiting its pro-forma payment keeps its stock: two
    weeks (a bank transfer from abroad takes days)."""
    return (now or timezone.now()) + datetime.timedelta(days=14)
