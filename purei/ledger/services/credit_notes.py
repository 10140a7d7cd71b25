"""Credit notes: a refund puts an invoice right with a credit note that
``corrects`` it (docs/money.md "Invoices"). A refund of a whole order is split
across its invoices in proportion to what is left of each (``split.py``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.ledger.models import Invoice, InvoiceLine
from purei.ledger.services.invoice_issue import (
    Amounts,
    Kind,
    Series,
    Supplier,
    describe,
    invoice_for_fulfilment,
    invoice_issue,
    line_now,
    shipping_now,
    taxed,
)
from purei.ledger.split import largest_remainder
from purei.orders.models import Fulfilment, Order
from purei.orders.money import gst_in

if TYPE_CHECKING:
    from purei.payments.models import Refund


def _credited_cents(invoice: Invoice) -> int:
    total = invoice.corrections.filter(kind=Kind.CREDIT_NOTE).aggregate(
        total=Sum("total_cents")
    )["total"]
    return int(total or 0)


def _covered(invoice: Invoice) -> tuple[dict[int, Amounts], Amounts]:
    """What ``invoice`` less its earlier credit notes still covers: by order line,
    and its shipping."""
    by_line: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    shipping = [0, 0, 0, 0]
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
        into[3] += sign * line.au_gst_cents
    lines = {pk: Amounts(*values) for pk, values in by_line.items()}
    return lines, Amounts(*shipping)


def _supplier_from(invoice: Invoice) -> Supplier:
    return Supplier(
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
        now = line_now(line, supplier, order)
        if before.total_cents - now.total_cents <= 0:
            continue
        changes.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.GOODS,
                order_line=line,
                fulfilment=fulfilment,
                description=describe(line)[:300],
                quantity=before.quantity - now.quantity,
                unit_price_cents=line.unit_price_cents,
                total_cents=before.total_cents - now.total_cents,
                gst_cents=before.gst_cents - now.gst_cents,
                au_gst_cents=max(before.au_gst_cents - now.au_gst_cents, 0),
            )
        )
    ship = shipping_now(fulfilment, supplier, order)
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
                au_gst_cents=max(covered_shipping.au_gst_cents - ship.au_gst_cents, 0),
            )
        )
    explained = sum(line.total_cents for line in changes)
    if explained > amount_cents:
        # Less went back than was cancelled (earlier refunds had used it up): the
        # credit note states the money, and the changed lines stay to explain a
        # later refund.
        changes, explained = [], 0
    rest = amount_cents - explained
    au_gst = _au_gst_credited(invoice, amount_cents)
    if rest > 0:
        changes.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.OTHER,
                fulfilment=fulfilment,
                description=(_("Refund: %(reason)s") % {"reason": reason})[:300],
                quantity=1,
                unit_price_cents=rest,
                total_cents=rest,
                gst_cents=gst_in(rest) if taxed(supplier, order) else 0,
                au_gst_cents=max(au_gst - sum(c.au_gst_cents for c in changes), 0),
            )
        )
    return changes


def _au_gst_credited(invoice: Invoice, amount_cents: int) -> int:
    """The Australian GST a credit of ``amount_cents`` gives back: the same share
    of the AU GST not yet credited as of the money not yet credited, half up —
    all of it when the credit takes everything left (as the ledger's refund
    journal does, ``postings._au_gst_back``)."""
    if not invoice.au_gst_cents:
        return 0
    earlier = invoice.corrections.filter(kind=Kind.CREDIT_NOTE).aggregate(
        total=Sum("total_cents"), au=Sum("au_gst_cents")
    )
    left = invoice.total_cents - int(earlier["total"] or 0)
    held = invoice.au_gst_cents - int(earlier["au"] or 0)
    if held <= 0 or amount_cents <= 0:
        return 0
    if left <= 0 or amount_cents >= left:
        return held
    return min(held, (2 * amount_cents * held + left) // (2 * left))


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
            invoice_issue(
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
