"""What every invoice document is made of: the supplier and recipient, what each
line of a supplier's part is now, and numbering and saving one document with its
lines (``invoice_issue``). Used by the tax invoices of a payment (``invoices.py``),
the credit notes of a refund (``credit_notes.py``) and the commission invoices of a
payout (``commission_invoices.py``); docs/money.md "Invoices".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from purei.ledger.models import Invoice, InvoiceLine, InvoiceSequence
from purei.ledger.services.invoice_numbers import (
    invoice_number_format,
    invoice_number_take,
    invoice_prefix_for,
)
from purei.orders.models import Fulfilment, Order, OrderLine
from purei.orders.money import gst_in

if TYPE_CHECKING:
    from purei.clusters.models import Cluster
    from purei.members.models import Member


# Supply value including GST up to which each band applies (domain-nz.md §1.3).
LOW_BAND_MAX_CENTS = 200_00
MIDDLE_BAND_MAX_CENTS = 1_000_00

Kind = Invoice.Kind
Series = InvoiceSequence.Series


def band_for(total_cents: int) -> str:
    """The taxable supply information band of a supply worth ``total_cents``
    including GST: ≤ $200 low, ≤ $1,000 middle, above that high."""
    if total_cents <= LOW_BAND_MAX_CENTS:
        return Invoice.Band.LOW
    if total_cents <= MIDDLE_BAND_MAX_CENTS:
        return Invoice.Band.MIDDLE
    return Invoice.Band.HIGH


# --- Suppliers and recipients ------------------------------------------------------


@dataclass(frozen=True)
class Supplier:
    member: Member | None  # the series owner; None: the cluster's series
    name: str
    gst_registered: bool
    gst_number: str
    address: str
    nzbn: str
    agent_name: str


def member_address(member: Member) -> str:
    region = member.region.name_en if member.region_id and member.region else ""
    return ", ".join(part for part in (member.town, region) if part)


def is_reseller(cluster: Cluster) -> bool:
    from purei.clusters.models import SellingModel

    return cluster.selling_model == SellingModel.RESELLER


def lead_org(cluster: Cluster) -> Supplier:
    registered = bool(cluster.lead_org_gst_registered)
    return Supplier(
        member=None,
        name=cluster.lead_org_name,
        gst_registered=registered,
        gst_number=cluster.lead_org_gst_number if registered else "",
        address=cluster.lead_org_address,
        nzbn="",
        agent_name="",
    )


def supplier_of(fulfilment: Fulfilment, cluster: Cluster) -> Supplier:
    from purei.clusters.models import SellingModel

    # Who sold is what the order recorded when it was placed.
    if fulfilment.order.selling_model == SellingModel.RESELLER:
        return lead_org(cluster)
    member = fulfilment.member
    return Supplier(
        member=member,
        name=fulfilment.supplier_name,
        gst_registered=fulfilment.gst_registered,
        gst_number=fulfilment.gst_number if fulfilment.gst_registered else "",
        address=member_address(member),
        nzbn=member.nzbn,
        agent_name=cluster.name_en,
    )


def order_address(order: Order) -> str:
    region = order.region.name_en if order.region_id and order.region else ""
    parts = [
        order.address_line1,
        order.address_line2,
        order.suburb,
        " ".join(p for p in (order.town, order.postcode) if p),
        region or order.state,
        order.country if order.country != "NZ" and order.address_line1 else "",
    ]
    return ", ".join(part for part in parts if part)


# --- What each line of a supplier's part is now --------------------------------


@dataclass(frozen=True)
class Amounts:
    quantity: int
    total_cents: int
    gst_cents: int
    au_gst_cents: int = 0


def taxed(supplier: Supplier, order: Order) -> bool:
    return supplier.gst_registered and not order.zero_rated


def line_now(line: OrderLine, supplier: Supplier, order: Order) -> Amounts:
    """A line as the supplier's document states it now. A member supplier uses the
    order line's own GST (so its invoice's GST is the fulfilment's); the lead
    organisation of a reseller cluster charges GST on every line when it is
    registered, whoever made the goods."""
    if not taxed(supplier, order):
        gst = 0
    elif supplier.member is not None:
        gst = line.gst_cents
    else:
        gst = gst_in(line.total_cents)
    return Amounts(line.live_quantity, line.total_cents, gst, line.au_gst_cents)


def shipping_now(fulfilment: Fulfilment, supplier: Supplier, order: Order) -> Amounts:
    """The part's shipping as its document states it: with the Australian GST
    on it that the part's lines do not hold (``purei.orders.au_gst``)."""
    ship = fulfilment.shipping_cents
    if not ship:
        return Amounts(0, 0, 0)
    au_on_lines = sum(line.au_gst_cents for line in fulfilment.lines.all())
    au_gst = max(fulfilment.au_gst_cents - au_on_lines, 0)
    if not taxed(supplier, order):
        return Amounts(1, ship, 0, au_gst)
    if order.prices_exclude_gst:
        # A trade order's charges carry the GST its quote added to each line's
        # share of them (ex-GST, half up): the part's GST less its goods'.
        goods_gst = sum(line.gst_cents for line in fulfilment.lines.all())
        return Amounts(1, ship, fulfilment.gst_cents - goods_gst, au_gst)
    return Amounts(1, ship, gst_in(ship), au_gst)


def describe(line: OrderLine) -> str:
    return f"{line.title} ({line.variant_name})" if line.variant_name else line.title


# --- Issuing -------------------------------------------------------------------------


def invoice_issue(
    *,
    kind: str,
    series: str,
    cluster: Cluster,
    supplier: Supplier,
    lines: list[InvoiceLine],
    issued_at: datetime,
    **fields: object,
) -> Invoice:
    """Number, total and save one document with its lines."""
    total = sum(line.total_cents for line in lines)
    gst = sum(line.gst_cents for line in lines)
    au_gst = sum(line.au_gst_cents for line in lines)
    if not supplier.gst_registered and gst:
        raise AssertionError("a supplier not registered for GST charges no GST")
    prefix = invoice_prefix_for(member=supplier.member, cluster=cluster)
    sequence = invoice_number_take(
        member=supplier.member, cluster=cluster, series=series
    )
    invoice = Invoice.objects.create(
        kind=kind,
        series=series,
        sequence=sequence,
        number=invoice_number_format(prefix, series, sequence),
        cluster=cluster,
        member=supplier.member,
        issued_at=issued_at,
        supplier_name=supplier.name,
        supplier_gst_number=supplier.gst_number,
        supplier_address=supplier.address,
        supplier_nzbn=supplier.nzbn,
        gst_registered=supplier.gst_registered,
        agent_name=supplier.agent_name,
        # The New Zealand supply's value: without the Australian GST in it.
        band=band_for(total - au_gst),
        total_cents=total,
        gst_cents=gst,
        au_gst_cents=au_gst,
        au_gst_number=cluster.au_gst_number if au_gst else "",
        **fields,
    )
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    if invoice.gst_cents != sum(line.gst_cents for line in lines):
        raise AssertionError("an invoice's GST is the sum of its lines' GST")
    return invoice


def invoice_for_fulfilment(fulfilment: Fulfilment | int) -> Invoice | None:
    """The (tax) invoice issued for a member's part of an order, if any."""
    fulfilment_id = fulfilment if isinstance(fulfilment, int) else fulfilment.pk
    return (
        Invoice.objects.filter(
            fulfilment_id=fulfilment_id, kind__in=[Kind.TAX_INVOICE, Kind.INVOICE]
        )
        .order_by("pk")
        .first()
    )
