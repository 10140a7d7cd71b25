"""PDF documents: invoices and credit notes, and a small builder for any
statement-like document (title, address blocks, one table, totals, notes).

Built with fpdf2 on A4 with the bundled DejaVu fonts, so te reo Māori macrons
(ā ē ī ō ū) render and the fonts travel inside the file. ``invoice_pdf`` shows what
the HTML (``ledger/invoice_document.html``) shows: both are made from
``purei.ledger.services.invoice_documents.invoice_document``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace

from purei.core.money import format_nzd
from purei.ledger.models import Invoice
from purei.ledger.services.invoice_documents import InvoiceDocument, invoice_document

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"

Alignment = Literal["L", "R"]

# fontTools reports every step of subsetting a font at INFO; keep it quiet.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class PdfBlock:
    """A labelled block of lines, e.g. the supplier's name and address."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PdfTable:
    """One table: column headings, right- or left-aligned columns, text rows."""

    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[Alignment, ...] = ()  # per column; default: first left, rest right
    widths: tuple[int, ...] = ()  # relative column widths; default: first 4, rest 1

    def alignment(self) -> tuple[Alignment, ...]:
        if self.align:
            return self.align
        right: Alignment = "R"
        return ("L", *[right for _heading in self.headings[1:]])

    def column_widths(self) -> tuple[int, ...]:
        if self.widths:
            return self.widths
        return (4,) + (1,) * (len(self.headings) - 1)


@dataclass(frozen=True)
class PdfDocument:
    """Everything one PDF shows, in order: title, the lines under it (number,
    date…), blocks side by side (supplier, recipient), the table, totals (label,
    amount; the last one bold), notes, and a footer on every page."""

    title: str
    header_lines: tuple[str, ...] = ()
    blocks: tuple[PdfBlock, ...] = ()
    table: PdfTable | None = None
    totals: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    footer: str = ""
    lang: str = "en-NZ"
    keywords: tuple[str, ...] = field(default=())


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        page = _("Page %(page)s of %(pages)s") % {
            "page": self.page_no(),
            "pages": "{nb}",
        }
        text = f"{self.footer_text}  ·  {page}" if self.footer_text else page
        self.cell(0, 6, text, align=Align.C)


def document_pdf(document: PdfDocument) -> bytes:
    """Render ``document`` as an A4 PDF and return its bytes."""
    pdf = _Pdf(document.footer)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(document.title)
    pdf.set_lang(document.lang)
    pdf.set_creator("Pūrei")
    if document.keywords:
        pdf.set_keywords(" ".join(document.keywords))
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.cell(0, 10, document.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    for line in document.header_lines:
        pdf.multi_cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    _blocks(pdf, document.blocks)
    if document.table is not None:
        _table(pdf, document.table)
    _totals(pdf, document.totals)
    if document.notes:
        pdf.ln(3)
        pdf.set_font(FONT, "", 9)
        for note in document.notes:
            pdf.multi_cell(0, 5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _blocks(pdf: FPDF, blocks: Sequence[PdfBlock]) -> None:
    if not blocks:
        return
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(blocks)
    top = pdf.get_y()
    bottom = top
    for i, block in enumerate(blocks):
        pdf.set_xy(pdf.l_margin + i * width, top)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(width - 4, 6, block.heading, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)
        for line in block.lines:
            pdf.multi_cell(width - 4, 5, line, new_x=XPos.LEFT, new_y=YPos.NEXT)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 4)


def _table(pdf: FPDF, table: PdfTable) -> None:
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, table.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    aligns = tuple("RIGHT" if a == "R" else "LEFT" for a in table.alignment())
    with pdf.table(
        col_widths=table.column_widths(),
        text_align=aligns,
        headings_style=FontFace(emphasis="BOLD"),
        line_height=6,
    ) as rendered:
        heading = rendered.row()
        for text in table.headings:
            heading.cell(text)
        for values in table.rows:
            row = rendered.row()
            for text in values:
                row.cell(text)
    pdf.ln(3)


def _totals(pdf: FPDF, totals: Sequence[tuple[str, str]]) -> None:
    for i, (label, amount) in enumerate(totals):
        last = i == len(totals) - 1
        pdf.set_font(FONT, "B" if last else "", 10)
        pdf.cell(pdf.w - pdf.l_margin - pdf.r_margin - 40, 6, label, align=Align.R)
        pdf.cell(40, 6, amount, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


# --- Invoices ----------------------------------------------------------------------


def _date(invoice: Invoice) -> str:
    return date_format(timezone.localtime(invoice.issued_at), "j F Y")


def invoice_header_lines(doc: InvoiceDocument) -> tuple[str, ...]:
    """Number, date, and for a credit note what it corrects and why."""
    invoice = doc.invoice
    lines = [
        _("Number: %(number)s") % {"number": invoice.number},
        _("Date: %(date)s") % {"date": _date(invoice)},
    ]
    if doc.corrects is not None:
        lines.append(
            _("Corrects: %(number)s of %(date)s")
            % {"number": doc.corrects.number, "date": _date(doc.corrects)}
        )
    if invoice.reason:
        lines.append(_("Reason: %(reason)s") % {"reason": invoice.reason})
    return tuple(lines)


def invoice_blocks(doc: InvoiceDocument) -> tuple[PdfBlock, ...]:
    invoice = doc.invoice
    supplier = [invoice.supplier_name]
    if invoice.supplier_address:
        supplier.append(invoice.supplier_address)
    if doc.show_gst_number:
        supplier.append(
            _("GST number: %(number)s") % {"number": invoice.supplier_gst_number}
        )
    if invoice.supplier_nzbn:
        supplier.append(_("NZBN: %(nzbn)s") % {"nzbn": invoice.supplier_nzbn})
    blocks = [PdfBlock(_("Supplier"), tuple(supplier))]
    if doc.show_recipient:
        recipient = [
            text
            for text in (
                invoice.recipient_name,
                invoice.recipient_address,
                invoice.recipient_email,
            )
            if text
        ]
        if invoice.recipient_gst_number:
            recipient.append(
                _("GST number: %(number)s") % {"number": invoice.recipient_gst_number}
            )
        blocks.append(PdfBlock(_("To"), tuple(recipient)))
    return tuple(blocks)


def invoice_table(doc: InvoiceDocument) -> PdfTable:
    headings = [_("Description"), _("Quantity"), _("Unit price")]
    if doc.show_gst:
        headings.append(_("GST"))
    if doc.show_au_gst:
        headings.append(_("Australian GST"))
    headings.append(_("Amount"))
    rows = []
    for line in doc.lines:
        row = [
            line.description,
            str(line.quantity),
            format_nzd(line.unit_price_cents),
        ]
        if doc.show_gst:
            row.append(format_nzd(line.gst_cents))
        if doc.show_au_gst:
            row.append(format_nzd(line.au_gst_cents))
        row.append(format_nzd(line.total_cents))
        rows.append(tuple(row))
    caption = _("What is credited") if doc.is_credit_note else _("What was supplied")
    widths = (11,) + (3,) * (len(headings) - 1)
    return PdfTable(caption, tuple(headings), tuple(rows), widths=widths)


def invoice_totals(doc: InvoiceDocument) -> tuple[tuple[str, str], ...]:
    return tuple((label, format_nzd(cents)) for label, cents, _total in doc.totals)


def invoice_notes(doc: InvoiceDocument) -> tuple[str, ...]:
    return tuple(doc.notes)


def invoice_pdf_document(invoice: Invoice) -> PdfDocument:
    """What the PDF of ``invoice`` shows (the same as its HTML)."""
    doc = invoice_document(invoice)
    return PdfDocument(
        title=doc.title,
        header_lines=invoice_header_lines(doc),
        blocks=invoice_blocks(doc),
        table=invoice_table(doc),
        totals=invoice_totals(doc),
        notes=invoice_notes(doc),
        footer=f"{invoice.supplier_name} · {invoice.number}",
        keywords=(invoice.number,),
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    """The PDF of ``invoice`` (A4, fonts embedded)."""
    return document_pdf(invoice_pdf_document(invoice))
