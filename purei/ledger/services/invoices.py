"""Tax invoices, credit notes and commission invoices (docs/money.md "Invoices").

**Who supplies.** In the agent model (``Cluster.selling_model == "agent"``) each
member is the supplier of its goods: its part of an order (a fulfilment) gets an
invoice in the member's own series, issued by the cluster as its agent. In the
reseller model the cluster's lead organisation is the supplier and numbers every
invoice in the cluster's series. The cluster's commission is the lead
organisation's own supply to the member (``commission_invoice_for_payout``).

**What a document shows** depends on the supply's value including GST
(domain-nz.md §1.3): $200 or less — supplier, date, description, total; up to
$1,000 — also the supplier's GST number, the GST, the total excluding and
including GST; over $1,000 — also the recipient's name, address and email. A
supplier not registered for GST issues an "Invoice" with no GST anywhere.
``invoice_document`` decides this once for the HTML and the PDF.

**Numbers** are unique and gapless per series: the series row is locked while a
number is taken, inside the transaction that issues the document.

Documents are snapshots: the supplier and recipient as they were, never changed
(``Invoice`` rows are append-only). A refund is put right with a credit note that
``corrects`` the invoice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.ledger.commission import commission_rate, gst_on_cents, line_commission_cents
from purei.ledger.models import Invoice, InvoiceLine, InvoiceSequence, Payout
from purei.ledger.split import largest_remainder
from purei.orders.models import Fulfilment, Order, OrderLine
from purei.orders.money import gst_in

if TYPE_CHECKING:
    from purei.clusters.models import Cluster
    from purei.members.models import Member
    from purei.payments.models import Payment, Refund

logger = logging.getLogger(__name__)

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


# --- Numbers -----------------------------------------------------------------------


def _take_number(*, member: Member | None, cluster: Cluster, series: str) -> int:
    """The next number of the member's series (or, with no member, the cluster's),
    taken under a row lock so numbers are unique and gapless. Call inside the
    transaction that creates the document."""
    owner = (
        {"member": member, "cluster": None}
        if member is not None
        else {"member": None, "cluster": cluster}
    )
    sequences = InvoiceSequence.objects.select_for_update()
    sequence = sequences.filter(series=series, **owner).first()
    if sequence is None:
        try:
            with transaction.atomic():
                InvoiceSequence.objects.create(series=series, **owner)
        except IntegrityError:
            pass  # another transaction made it first: wait for its lock below
        sequence = sequences.get(series=series, **owner)
    number = sequence.next_number
    InvoiceSequence.objects.filter(pk=sequence.pk).update(
        next_number=F("next_number") + 1
    )
    return number


def _format_number(prefix_slug: str, series: str, sequence: int) -> str:
    """``MEMBER-A-INV-000123``: the owner's slug (its first 8 characters, without
    a dangling hyphen: ``te-hiku-…`` gives ``TE-HIKU``), series, number."""
    return f"{prefix_slug[:8].rstrip('-').upper()}-{series}-{sequence:06d}"


# --- Suppliers and recipients ------------------------------------------------------


@dataclass(frozen=True)
class _Supplier:
    member: Member | None  # the series owner; None: the cluster's series
    name: str
    gst_registered: bool
    gst_number: str
    address: str
    nzbn: str
    agent_name: str

    def prefix(self, cluster: Cluster) -> str:
        return self.member.slug if self.member is not None else cluster.slug


def _member_address(member: Member) -> str:
    region = member.region.name_en if member.region_id and member.region else ""
    return ", ".join(part for part in (member.town, region) if part)


def _is_reseller(cluster: Cluster) -> bool:
    from purei.clusters.models import SellingModel

    return cluster.selling_model == SellingModel.RESELLER


def _lead_org(cluster: Cluster) -> _Supplier:
    registered = bool(cluster.lead_org_gst_registered)
    return _Supplier(
        member=None,
        name=cluster.lead_org_name,
        gst_registered=registered,
        gst_number=cluster.lead_org_gst_number if registered else "",
        address=cluster.lead_org_address,
        nzbn="",
        agent_name="",
    )


def _supplier_of(fulfilment: Fulfilment, cluster: Cluster) -> _Supplier:
    from purei.clusters.models import SellingModel

    # Who sold is what the order recorded when it was placed.
    if fulfilment.order.selling_model == SellingModel.RESELLER:
        return _lead_org(cluster)
    member = fulfilment.member
    return _Supplier(
        member=member,
        name=fulfilment.supplier_name,
        gst_registered=fulfilment.gst_registered,
        gst_number=fulfilment.gst_number if fulfilment.gst_registered else "",
        address=_member_address(member),
        nzbn=member.nzbn,
        agent_name=cluster.name_en,
    )


def _order_address(order: Order) -> str:
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
class _Amounts:
    quantity: int
    total_cents: int
    gst_cents: int


def _taxed(supplier: _Supplier, order: Order) -> bool:
    return supplier.gst_registered and not order.zero_rated


def _line_now(line: OrderLine, supplier: _Supplier, order: Order) -> _Amounts:
    """A line as the supplier's document states it now. A member supplier uses the
    order line's own GST (so its invoice's GST is the fulfilment's); the lead
    organisation of a reseller cluster charges GST on every line when it is
    registered, whoever made the goods."""
    if not _taxed(supplier, order):
        gst = 0
    elif supplier.member is not None:
        gst = line.gst_cents
    else:
        gst = gst_in(line.total_cents)
    return _Amounts(line.live_quantity, line.total_cents, gst)


def _shipping_now(
    fulfilment: Fulfilment, supplier: _Supplier, order: Order
) -> _Amounts:
    ship = fulfilment.shipping_cents
    return _Amounts(
        1 if ship else 0, ship, gst_in(ship) if _taxed(supplier, order) else 0
    )


def _describe(line: OrderLine) -> str:
    return f"{line.title} ({line.variant_name})" if line.variant_name else line.title


# --- Issuing -----------------------------------------------------------------------


def _issue(
    *,
    kind: str,
    series: str,
    cluster: Cluster,
    supplier: _Supplier,
    lines: list[InvoiceLine],
    issued_at: datetime,
    **fields: object,
) -> Invoice:
    """Number, total and save one document with its lines."""
    total = sum(line.total_cents for line in lines)
    gst = sum(line.gst_cents for line in lines)
    if not supplier.gst_registered and gst:
        raise AssertionError("a supplier not registered for GST charges no GST")
    sequence = _take_number(member=supplier.member, cluster=cluster, series=series)
    invoice = Invoice.objects.create(
        kind=kind,
        series=series,
        sequence=sequence,
        number=_format_number(supplier.prefix(cluster), series, sequence),
        cluster=cluster,
        member=supplier.member,
        issued_at=issued_at,
        supplier_name=supplier.name,
        supplier_gst_number=supplier.gst_number,
        supplier_address=supplier.address,
        supplier_nzbn=supplier.nzbn,
        gst_registered=supplier.gst_registered,
        agent_name=supplier.agent_name,
        band=band_for(total),
        total_cents=total,
        gst_cents=gst,
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


def _invoice_fulfilment(
    fulfilment: Fulfilment, order: Order, cluster: Cluster, issued_at: datetime
) -> Invoice:
    supplier = _supplier_of(fulfilment, cluster)
    lines: list[InvoiceLine] = []
    for line in fulfilment.lines.order_by("pk"):
        now = _line_now(line, supplier, order)
        if now.quantity <= 0:
            continue
        lines.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.GOODS,
                order_line=line,
                fulfilment=fulfilment,
                description=_describe(line)[:300],
                quantity=now.quantity,
                unit_price_cents=line.unit_price_cents,
                total_cents=now.total_cents,
                gst_cents=now.gst_cents,
            )
        )
    ship = _shipping_now(fulfilment, supplier, order)
    if ship.total_cents > 0:
        lines.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.SHIPPING,
                fulfilment=fulfilment,
                description=_("Shipping"),
                quantity=1,
                unit_price_cents=ship.total_cents,
                total_cents=ship.total_cents,
                gst_cents=ship.gst_cents,
            )
        )
    invoice = _issue(
        kind=Kind.TAX_INVOICE if supplier.gst_registered else Kind.INVOICE,
        series=Series.INVOICE,
        cluster=cluster,
        supplier=supplier,
        lines=lines,
        issued_at=issued_at,
        recipient_name=order.name,
        recipient_address=_order_address(order),
        recipient_email=order.email,
        order=order,
        fulfilment=fulfilment,
        zero_rated=order.zero_rated,
    )
    if supplier.member is not None and invoice.gst_cents != fulfilment.gst_cents:
        raise AssertionError("a member's invoice states the GST of its fulfilment")
    return invoice


@transaction.atomic
def invoices_issue_for_payment(payment: Payment) -> list[Invoice]:
    """Issue the invoice of every live part of ``payment``'s order that has none
    yet (called by ``bookings.capture_book`` inside the payment's transaction;
    safe to call again). Returns the invoices issued now."""
    order = Order.objects.select_related("cluster", "region").get(pk=payment.order_id)
    cluster = order.cluster
    issued_at = payment.succeeded_at or timezone.now()
    fulfilments = (
        Fulfilment.objects.filter(order=order)
        .exclude(status=Fulfilment.Status.CANCELLED)
        .select_related("member", "member__region")
        .order_by("pk")
    )
    issued: list[Invoice] = []
    for fulfilment in fulfilments:
        if invoice_for_fulfilment(fulfilment) is not None:
            continue
        if not fulfilment.lines.exists():
            continue
        issued.append(_invoice_fulfilment(fulfilment, order, cluster, issued_at))
    return issued


# --- Credit notes ------------------------------------------------------------------


def _credited_cents(invoice: Invoice) -> int:
    total = invoice.corrections.filter(kind=Kind.CREDIT_NOTE).aggregate(
        total=Sum("total_cents")
    )["total"]
    return int(total or 0)


def _covered(invoice: Invoice) -> tuple[dict[int, _Amounts], _Amounts]:
    """What ``invoice`` less its earlier credit notes still covers: by order line,
    and its shipping."""
    by_line: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    shipping = [0, 0, 0]
    documents = [(invoice.pk, 1)] + [
        (pk, -1)
        for pk in invoice.corrections.filter(kind=Kind.CREDIT_NOTE).values_list(
            "pk", flat=True
        )
    ]
    signs = dict(documents)
    for line in InvoiceLine.objects.filter(invoice_id__in=signs):
        sign = signs[line.invoice_id]
        if line.kind == InvoiceLine.Kind.GOODS and line.order_line_id is not None:
            into = by_line[line.order_line_id]
        elif line.kind == InvoiceLine.Kind.SHIPPING:
            into = shipping
        else:
            continue
        into[0] += sign * line.quantity
        into[1] += sign * line.total_cents
        into[2] += sign * line.gst_cents
    lines = {pk: _Amounts(*values) for pk, values in by_line.items()}
    return lines, _Amounts(*shipping)


def _supplier_from(invoice: Invoice) -> _Supplier:
    return _Supplier(
        member=invoice.member,
        name=invoice.supplier_name,
        gst_registered=invoice.gst_registered,
        gst_number=invoice.supplier_gst_number,
        address=invoice.supplier_address,
        nzbn=invoice.supplier_nzbn,
        agent_name=invoice.agent_name,
    )


def _correction_lines(
    invoice: Invoice,
    fulfilment: Fulfilment,
    order: Order,
    amount_cents: int,
    reason: str,
) -> list[InvoiceLine]:
    """What changed since the last document (cancelled lines, shipping taken
    off), then the rest of ``amount_cents`` as one refund line."""
    supplier = _supplier_from(invoice)
    covered, covered_shipping = _covered(invoice)
    changes: list[InvoiceLine] = []
    for line in fulfilment.lines.order_by("pk"):
        before = covered.get(line.pk)
        if before is None:
            continue
        now = _line_now(line, supplier, order)
        if before.total_cents - now.total_cents <= 0:
            continue
        changes.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.GOODS,
                order_line=line,
                fulfilment=fulfilment,
                description=_describe(line)[:300],
                quantity=before.quantity - now.quantity,
                unit_price_cents=line.unit_price_cents,
                total_cents=before.total_cents - now.total_cents,
                gst_cents=before.gst_cents - now.gst_cents,
            )
        )
    ship = _shipping_now(fulfilment, supplier, order)
    if covered_shipping.total_cents - ship.total_cents > 0:
        changes.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.SHIPPING,
                fulfilment=fulfilment,
                description=_("Shipping"),
                quantity=1,
                unit_price_cents=covered_shipping.total_cents - ship.total_cents,
                total_cents=covered_shipping.total_cents - ship.total_cents,
                gst_cents=covered_shipping.gst_cents - ship.gst_cents,
            )
        )
    explained = sum(line.total_cents for line in changes)
    if explained > amount_cents:
        # Less went back than was cancelled (earlier refunds had used it up): the
        # credit note states the money, and the changed lines stay to explain a
        # later refund.
        changes, explained = [], 0
    rest = amount_cents - explained
    if rest > 0:
        changes.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.OTHER,
                fulfilment=fulfilment,
                description=(_("Refund: %(reason)s") % {"reason": reason})[:300],
                quantity=1,
                unit_price_cents=rest,
                total_cents=rest,
                gst_cents=gst_in(rest) if _taxed(supplier, order) else 0,
            )
        )
    return changes


def _refund_shares(refund: Refund, order: Order) -> list[tuple[Invoice, int]]:
    """Which invoices the refund corrects and by how much: its own fulfilment's,
    or split across the order's in proportion to what is left of each."""
    if refund.fulfilment_id is not None:
        invoice = invoice_for_fulfilment(refund.fulfilment_id)
        return [(invoice, refund.amount_cents)] if invoice is not None else []
    invoices = list(
        Invoice.objects.filter(
            order=order, kind__in=[Kind.TAX_INVOICE, Kind.INVOICE]
        ).order_by("fulfilment_id", "pk")
    )
    left = [
        max(invoice.total_cents - _credited_cents(invoice), 0) for invoice in invoices
    ]
    if sum(left) == 0:
        return []
    shares = largest_remainder(min(refund.amount_cents, sum(left)), left)
    return [(inv, share) for inv, share in zip(invoices, shares, strict=True) if share]


@transaction.atomic
def credit_notes_issue_for_refund(refund: Refund) -> list[Invoice]:
    """Issue the credit notes of a refund (called by ``bookings.refund_book``
    inside the refund's transaction; safe to call again): one per invoice the
    money comes from, correcting it. Automatic refunds (money that was never
    part of a sale) get none."""
    if refund.automatic:
        return []
    existing = list(
        Invoice.objects.filter(refund=refund, kind=Kind.CREDIT_NOTE).order_by("pk")
    )
    if existing:
        return []
    order = Order.objects.select_related("cluster").get(pk=refund.payment.order_id)
    issued: list[Invoice] = []
    now = timezone.now()
    for invoice, amount in _refund_shares(refund, order):
        if invoice.fulfilment_id is None:
            continue
        fulfilment = Fulfilment.objects.get(pk=invoice.fulfilment_id)
        lines = _correction_lines(invoice, fulfilment, order, amount, refund.reason)
        issued.append(
            _issue(
                kind=Kind.CREDIT_NOTE,
                series=Series.CREDIT_NOTE,
                cluster=order.cluster,
                supplier=_supplier_from(invoice),
                lines=lines,
                issued_at=now,
                recipient_name=invoice.recipient_name,
                recipient_address=invoice.recipient_address,
                recipient_email=invoice.recipient_email,
                order=order,
                fulfilment=fulfilment,
                refund=refund,
                corrects=invoice,
                reason=refund.reason[:300],
                zero_rated=invoice.zero_rated,
            )
        )
    return issued


# --- Commission invoices -----------------------------------------------------------


def _commission_from_postings(payout: Payout) -> dict[int, int] | None:
    """Commission by fulfilment on the journals whose member-payable postings
    ``payout`` settles: the credits to the cluster's COMMISSION account for this
    member's fulfilments (less any reversed by a refund in those journals). None
    when those journals hold no commission leg for a fulfilment."""
    from purei.ledger.models import Account, Posting

    settled = Posting.objects.filter(payout_item__payout=payout)
    journal_ids = set(settled.values_list("journal_id", flat=True))
    fulfilment_ids = set(
        settled.exclude(fulfilment__isnull=True).values_list("fulfilment_id", flat=True)
    )
    legs = (
        Posting.objects.filter(
            journal_id__in=journal_ids,
            account__kind=Account.Kind.COMMISSION,
            fulfilment_id__in=fulfilment_ids,
            fulfilment__member_id=payout.member_id,
        )
        .values("fulfilment_id")
        .annotate(total=Sum("amount_cents"))
    )
    found = {row["fulfilment_id"]: -int(row["total"]) for row in legs}
    return found or None


def _commission_from_orders(payout: Payout) -> dict[int, int]:
    """Commission by fulfilment worked out from the order lines of the
    fulfilments the payout's postings refer to (used when the books hold no
    commission legs), each fulfilment invoiced once."""
    from purei.ledger.models import Posting

    fulfilment_ids = set(
        Posting.objects.filter(payout_item__payout=payout)
        .exclude(fulfilment__isnull=True)
        .values_list("fulfilment_id", flat=True)
    )
    invoiced = set(
        InvoiceLine.objects.filter(
            invoice__kind=Kind.COMMISSION, fulfilment_id__in=fulfilment_ids
        ).values_list("fulfilment_id", flat=True)
    )
    rate = commission_rate(payout.cluster, payout.member_id)
    found: dict[int, int] = {}
    lines = OrderLine.objects.filter(
        fulfilment_id__in=fulfilment_ids - invoiced,
        fulfilment__member_id=payout.member_id,
    )
    for line in lines:
        found[line.fulfilment_id] = found.get(
            line.fulfilment_id, 0
        ) + line_commission_cents(line.total_cents, line.gst_cents, rate)
    return found


def _member_recipient_address(member: Member) -> str:
    return _member_address(member)


@transaction.atomic
def commission_invoice_for_payout(payout: Payout) -> Invoice | None:
    """The lead organisation's invoice to the member for the commission on what
    ``payout`` settles: one line per fulfilment, GST at 15 % on each when the lead
    organisation is registered. None when there is no commission, and in a
    reseller cluster (its margin is no supply to the member). Safe to call again
    (returns the invoice issued before)."""
    existing = Invoice.objects.filter(payout=payout, kind=Kind.COMMISSION).first()
    if existing is not None:
        return existing
    payout = Payout.objects.select_related("cluster", "member", "member__region").get(
        pk=payout.pk
    )
    cluster, member = payout.cluster, payout.member
    if _is_reseller(cluster):
        # The lead organisation buys from the member and keeps a margin: that is
        # not a supply of a service to the member, so there is nothing to invoice.
        return None
    by_fulfilment = _commission_from_postings(payout)
    if by_fulfilment is None:
        by_fulfilment = _commission_from_orders(payout)
    supplier = _lead_org(cluster)
    numbers = dict(
        Fulfilment.objects.filter(pk__in=by_fulfilment).values_list(
            "pk", "order__number"
        )
    )
    lines: list[InvoiceLine] = []
    for fulfilment_id in sorted(by_fulfilment):
        commission = by_fulfilment[fulfilment_id]
        if commission <= 0:
            continue
        gst = gst_on_cents(commission) if supplier.gst_registered else 0
        lines.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.COMMISSION,
                fulfilment_id=fulfilment_id,
                description=(
                    _("Commission on order %(number)s")
                    % {"number": numbers[fulfilment_id]}
                )[:300],
                quantity=1,
                unit_price_cents=commission + gst,
                total_cents=commission + gst,
                gst_cents=gst,
            )
        )
    if not lines:
        return None
    return _issue(
        kind=Kind.COMMISSION,
        series=Series.COMMISSION,
        cluster=cluster,
        supplier=supplier,
        lines=lines,
        issued_at=timezone.now(),
        recipient_name=member.legal_name,
        recipient_address=_member_recipient_address(member),
        recipient_email=member.email,
        recipient_gst_number=member.gst_number if member.gst_registered else "",
        payout=payout,
    )


# --- Who may see a document --------------------------------------------------------


def _visible_filter(actor: Actor) -> Q | None:
    """Invoices ``actor`` may see, as a filter (None: all of them)."""
    if actor.is_platform_staff:
        return None
    if not actor.is_authenticated or actor.user is None:
        return Q(pk__in=[])
    members = actor.member_ids
    return (
        Q(order__customer_id=actor.user.pk, payout__isnull=True)
        | Q(cluster_id__in=actor.admin_cluster_ids)
        | Q(member_id__in=members)
        | Q(fulfilment__member_id__in=members)
        | Q(payout__member_id__in=members)
    )


def invoices_visible_to(actor: Actor) -> QuerySet[Invoice]:
    """The documents ``actor`` may read: the customer's own orders' invoices and
    credit notes; a member team's own (as supplier, as the maker of a reseller
    cluster's part, or as the recipient of a commission invoice); every document
    of the clusters it runs; all of them for platform staff."""
    visible = _visible_filter(actor)
    invoices = (
        Invoice.objects.all() if visible is None else Invoice.objects.filter(visible)
    )
    return invoices.select_related("cluster", "order", "corrects")


def invoice_can_view(actor: Actor, invoice: Invoice) -> bool:
    """Whether ``actor`` may read (and download) ``invoice``."""
    if actor.is_platform_staff:
        return True
    if not actor.is_authenticated or actor.user is None:
        return False
    if actor.is_cluster_admin(invoice.cluster_id):
        return True
    member_ids = {invoice.member_id}
    if invoice.fulfilment_id is not None:
        member_ids.add(
            Fulfilment.objects.values_list("member_id", flat=True).get(
                pk=invoice.fulfilment_id
            )
        )
    if invoice.payout_id is not None:
        member_ids.add(
            Payout.objects.values_list("member_id", flat=True).get(pk=invoice.payout_id)
        )
    if any(m is not None and actor.is_member_team(m) for m in member_ids):
        return True
    if invoice.order_id is not None and invoice.payout_id is None:
        customer_id = Order.objects.values_list("customer_id", flat=True).get(
            pk=invoice.order_id
        )
        return customer_id is not None and customer_id == actor.user.pk
    return False


def invoice_get_for(*, actor: Actor, invoice_id: int) -> Invoice:
    """One document ``actor`` may read; 404 outside its scope."""
    return get_object_or_404(invoices_visible_to(actor), pk=invoice_id)


# --- What a document shows ---------------------------------------------------------


@dataclass(frozen=True)
class InvoiceDocument:
    """What the HTML and the PDF of one document show, decided once from its kind
    and band (domain-nz.md §1.3)."""

    invoice: Invoice
    lines: list[InvoiceLine]
    title: str
    # The supplier's GST number (middle and high band, credit notes, commission).
    show_gst_number: bool
    # GST per line and the GST, excluding-GST and including-GST totals.
    show_gst: bool
    # The recipient's name, address and email (high band; commission invoices).
    show_recipient: bool
    is_credit_note: bool
    corrects: Invoice | None

    @property
    def agent_statement(self) -> str:
        if not self.invoice.agent_name:
            return ""
        return _("Issued by %(agent)s as agent for %(supplier)s.") % {
            "agent": self.invoice.agent_name,
            "supplier": self.invoice.supplier_name,
        }


def invoice_document(invoice: Invoice) -> InvoiceDocument:
    """What ``invoice`` shows (for ``ledger/invoice_document.html`` and the PDF)."""
    registered = invoice.gst_registered
    band = invoice.band
    credit = invoice.kind in (Kind.CREDIT_NOTE, Kind.COMMISSION_CREDIT)
    commission = invoice.kind in (Kind.COMMISSION, Kind.COMMISSION_CREDIT)
    full = band != Invoice.Band.LOW or credit or commission
    corrects = invoice.corrects if invoice.corrects_id else None
    show_recipient = (
        band == Invoice.Band.HIGH
        or commission
        or (corrects is not None and corrects.band == Invoice.Band.HIGH)
    )
    return InvoiceDocument(
        invoice=invoice,
        lines=list(invoice.lines.order_by("pk")),
        title=str(invoice.get_kind_display()),
        show_gst_number=registered and full and bool(invoice.supplier_gst_number),
        show_gst=registered and full,
        show_recipient=show_recipient
        and bool(invoice.recipient_name or invoice.recipient_address),
        is_credit_note=credit,
        corrects=corrects,
    )
