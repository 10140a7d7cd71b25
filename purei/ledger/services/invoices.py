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

**Numbers** are unique across the platform and gapless per series: each owner
has a prefix of its own, and the series row is locked while a number is taken,
inside the transaction that issues the document (``invoice_numbers.py``).

Documents are snapshots: the supplier and recipient as they were, never changed
(``Invoice`` rows are append-only). A refund is put right with a credit note that
``corrects`` the invoice.

This module issues the tax invoices of a payment and says who may see a document.
The rest lives beside it: what every document is made of and how one is saved
(``invoice_issue.py``), credit notes (``credit_notes.py``), commission invoices
(``commission_invoices.py``) and what a document shows (``invoice_documents.py``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.money import format_nzd
from purei.ledger.models import Invoice, InvoiceLine, Payout
from purei.ledger.services.invoice_issue import (
    Kind,
    Series,
    describe,
    invoice_for_fulfilment,
    invoice_issue,
    line_now,
    order_address,
    shipping_now,
    supplier_of,
)
from purei.orders.models import Fulfilment, Order, OrderLine
from purei.orders.selectors import order_parts_with_lines

if TYPE_CHECKING:
    from purei.clusters.models import Cluster
    from purei.payments.models import Payment

logger = logging.getLogger(__name__)

# --- Tax invoices for a payment ----------------------------------------------------


def _described(line: OrderLine) -> str:
    """A goods line as its invoice names it; a discounted line says what came
    off its price (its total is the price paid, the supply's consideration, and
    its GST is on that: ADR 0015)."""
    text = describe(line)
    off = line.live_discount_cents
    if off:
        text += " " + _("(%(amount)s off under a promotion)") % {
            "amount": format_nzd(off)
        }
    return text


def _invoice_fulfilment(
    fulfilment: Fulfilment, order: Order, cluster: Cluster, issued_at: datetime
) -> Invoice:
    supplier = supplier_of(fulfilment, cluster)
    lines: list[InvoiceLine] = []
    for line in fulfilment.lines.all():  # prefetched in id order
        now = line_now(line, supplier, order)
        if now.quantity <= 0:
            continue
        lines.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.GOODS,
                order_line=line,
                fulfilment=fulfilment,
                description=_described(line)[:300],
                quantity=now.quantity,
                unit_price_cents=line.unit_price_cents,
                total_cents=now.total_cents,
                gst_cents=now.gst_cents,
                au_gst_cents=now.au_gst_cents,
            )
        )
    ship = shipping_now(fulfilment, supplier, order)
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
                au_gst_cents=ship.au_gst_cents,
            )
        )
    invoice = invoice_issue(
        kind=Kind.TAX_INVOICE if supplier.gst_registered else Kind.INVOICE,
        series=Series.INVOICE,
        cluster=cluster,
        supplier=supplier,
        lines=lines,
        issued_at=issued_at,
        recipient_name=order.name,
        recipient_address=order_address(order),
        recipient_email=order.email,
        order=order,
        fulfilment=fulfilment,
        zero_rated=order.zero_rated,
    )
    if supplier.member is not None and invoice.gst_cents != fulfilment.gst_cents:
        raise AssertionError("a member's invoice states the GST of its fulfilment")
    if invoice.au_gst_cents != fulfilment.au_gst_cents:
        raise AssertionError("an invoice states the Australian GST of its part")
    return invoice


@transaction.atomic
def invoices_issue_for_payment(
    payment: Payment,
    *,
    order: Order | None = None,
    parts: list[Fulfilment] | None = None,
) -> list[Invoice]:
    """Issue the invoice of every live part of ``payment``'s order that has none
    yet (called by ``bookings.capture_book`` inside the payment's transaction,
    with the order and its parts as it read them; safe to call again). Returns
    the invoices issued now."""
    return invoices_issue_for_order(
        order_id=payment.order_id,
        issued_at=payment.succeeded_at or timezone.now(),
        order=order,
        parts=parts,
    )


@transaction.atomic
def invoices_issue_for_order(
    *,
    order_id: int,
    issued_at: datetime,
    order: Order | None = None,
    parts: list[Fulfilment] | None = None,
) -> list[Invoice]:
    """Issue the invoice of every live part of order ``order_id`` that has none
    yet, dated ``issued_at`` (a payment's, or a trade order's invoicing to the
    buyer's account). Returns the invoices issued now. ``order`` (with its
    cluster and region) and ``parts`` (``order_parts_with_lines``): when the
    caller has read them in this transaction; read here otherwise."""
    if order is None:
        order = Order.objects.select_related("cluster", "region").get(pk=order_id)
    if parts is None:
        parts = order_parts_with_lines(order)
    cluster = order.cluster
    fulfilments = [p for p in parts if p.status != Fulfilment.Status.CANCELLED]
    issued: list[Invoice] = []
    for fulfilment in fulfilments:
        if invoice_for_fulfilment(fulfilment) is not None:
            continue
        if not fulfilment.lines.exists():
            continue
        issued.append(_invoice_fulfilment(fulfilment, order, cluster, issued_at))
    return issued


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
