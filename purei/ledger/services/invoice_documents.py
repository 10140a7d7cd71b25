"""What a document shows: decided once from its kind and band for the HTML
(``ledger/invoice_document.html``) and the PDF (``pdf.py``); domain-nz.md §1.3.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from purei.ledger.models import Invoice, InvoiceLine
from purei.ledger.services.invoice_issue import Kind


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
