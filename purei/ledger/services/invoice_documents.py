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
    # Australian GST per line and in the totals (goods to an Australian consumer
    # on which the cluster collected it: LVIG, docs/trade.md).
    show_au_gst: bool = False

    @property
    def columns(self) -> int:
        """How many columns the lines' table has."""
        return 4 + int(self.show_gst) + int(self.show_au_gst)

    @property
    def totals(self) -> list[tuple[str, int, bool]]:
        """The rows under the lines: (label, cents, whether it is the total)."""
        invoice = self.invoice
        credit = self.is_credit_note
        rows: list[tuple[str, int, bool]] = []
        if self.show_gst:
            rows += [
                (
                    _("Credit excluding GST") if credit else _("Total excluding GST"),
                    invoice.excl_gst_cents,
                    False,
                ),
                (
                    _("Change in GST") if credit else _("GST"),
                    -invoice.gst_cents if credit else invoice.gst_cents,
                    False,
                ),
            ]
        if self.show_au_gst:
            rows += [
                (
                    _("Credit excluding Australian GST")
                    if credit
                    else _("Total excluding Australian GST"),
                    invoice.total_cents - invoice.au_gst_cents,
                    False,
                ),
                (
                    _("Change in Australian GST (10 %)")
                    if credit
                    else _("Australian GST (10 %)"),
                    -invoice.au_gst_cents if credit else invoice.au_gst_cents,
                    False,
                ),
            ]
        if self.show_au_gst:
            label = (
                _("Total credited including Australian GST")
                if credit
                else _("Total including Australian GST")
            )
        elif self.show_gst:
            label = (
                _("Total credited including GST")
                if credit
                else _("Total including GST")
            )
        else:
            label = _("Total credited") if credit else _("Total")
        rows.append((label, invoice.total_cents, True))
        return rows

    @property
    def notes(self) -> list[str]:
        """What the document says under its totals."""
        invoice = self.invoice
        notes = []
        if invoice.zero_rated and invoice.gst_registered:
            notes.append(_("Zero-rated export: GST is charged at 0 %."))
        if self.show_au_gst:
            notes.append(
                _(
                    "Australian GST on low-value imported goods is collected by "
                    "%(cluster)s as the operator of the marketplace (Australian "
                    "GST registration %(number)s) and paid to the Australian "
                    "Taxation Office; it is not part of %(supplier)s's supply."
                )
                % {
                    "cluster": invoice.cluster.name_en,
                    "number": invoice.au_gst_number or _("not recorded"),
                    "supplier": invoice.supplier_name,
                }
            )
        if self.agent_statement:
            notes.append(self.agent_statement)
        return notes

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
        show_au_gst=bool(invoice.au_gst_cents),
    )
