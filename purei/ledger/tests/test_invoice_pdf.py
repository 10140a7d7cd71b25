"""The PDF of an invoice: what it shows by band, and that the file is a real PDF
with the DejaVu fonts embedded (so macrons render).

The text is read back from the PDF with a small reader below: fpdf2 writes each
run of text as glyph ids of an embedded font (``Identity-H``), and each font's
``ToUnicode`` map turns them back into characters.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib

import pytest

from purei.clusters.models import Cluster
from purei.ledger.models import Invoice, InvoiceLine
from purei.ledger.pdf import (
    PdfBlock,
    PdfDocument,
    PdfTable,
    document_pdf,
    invoice_pdf,
    invoice_pdf_document,
)
from purei.members.models import Member

pytestmark = pytest.mark.django_db

ISSUED = dt.datetime(2030, 3, 1, 23, 30, tzinfo=dt.UTC)  # 2 March 2030 in NZ


# --- Reading text back out of a PDF ---------------------------------------------


def _objects(pdf: bytes) -> dict[int, bytes]:
    found = re.finditer(rb"(\d+) 0 obj\n(.*?)endobj", pdf, re.S)
    return {int(m.group(1)): m.group(2) for m in found}


def _stream(body: bytes) -> bytes:
    raw = re.search(rb"stream\n(.*)\nendstream", body, re.S)
    assert raw is not None
    data = raw.group(1)
    return zlib.decompress(data) if b"/FlateDecode" in body else data


def _unescape(literal: bytes) -> bytes:
    simple = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def one(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return simple.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def pdf_text(pdf: bytes) -> str:
    """The text of every page, one run of text per line."""
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)])
            if to_unicode is None:
                continue
            cmap = _stream(objects[int(to_unicode.group(1))])
            pairs = re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4,})>", cmap)
            fonts[name] = {
                int(gid, 16): bytes.fromhex(code.decode()).decode("utf-16-be")
                for gid, code in pairs
            }
    lines: list[str] = []
    for body in objects.values():
        if b"/Contents" in body:
            continue
        if b"stream" not in body or b"/Length1" in body:
            continue
        content = _stream(body)
        if b"Tj" not in content:
            continue
        current: dict[int, str] = {}
        ops = re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", content, re.S)
        for op in ops:
            if op.group(1):
                current = fonts[op.group(1)]
                continue
            glyphs = _unescape(op.group(2))
            ids = [int.from_bytes(glyphs[i : i + 2]) for i in range(0, len(glyphs), 2)]
            lines.append("".join(current.get(gid, "?") for gid in ids))
    return "\n".join(lines)


# --- Invoices to print -------------------------------------------------------------


def _invoice(
    cluster: Cluster,
    member: Member,
    *,
    total: int,
    gst: int,
    registered: bool = True,
    kind: str = Invoice.Kind.TAX_INVOICE,
    band: str = Invoice.Band.LOW,
    sequence: int = 1,
    **fields: object,
) -> Invoice:
    invoice = Invoice.objects.create(
        kind=kind,
        series="INV",
        sequence=sequence,
        number=f"MEMBER-A-INV-{sequence:06d}",
        cluster=cluster,
        member=member,
        issued_at=ISSUED,
        supplier_name="Member A Wines",
        supplier_gst_number="49091850" if registered else "",
        supplier_address="Blenheim, Marlborough",
        gst_registered=registered,
        agent_name="Cluster X Wine",
        recipient_name="Aroha Te Wake",
        recipient_address="12 Queen Street, Grey Lynn, Auckland 1021",
        recipient_email="aroha@example.nz",
        band=band,
        total_cents=total,
        gst_cents=gst,
        **fields,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        kind=InvoiceLine.Kind.GOODS,
        description="Pinot noir (Rārangi block)",
        quantity=2,
        unit_price_cents=(total - 850) // 2,
        total_cents=total - 850,
        gst_cents=gst - (111 if gst else 0),
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        kind=InvoiceLine.Kind.SHIPPING,
        description="Shipping",
        quantity=1,
        unit_price_cents=850,
        total_cents=850,
        gst_cents=111 if gst else 0,
    )
    return invoice


def test_the_builder_makes_an_a4_pdf_with_the_fonts_embedded() -> None:
    # given
    document = PdfDocument(
        title="Statement",
        header_lines=("Period: March 2030",),
        blocks=(PdfBlock("Member", ("Ōhau Kūmara Ltd",)),),
        table=PdfTable(
            caption="Lines",
            headings=("What", "Amount"),
            rows=(("Kūmara — ā ē ī ō ū", "$12.00"),),
        ),
        totals=(("Owed", "$12.00"),),
        notes=("Paid on Friday.",),
        footer="Cluster X Wine",
    )
    # when
    pdf = document_pdf(document)
    # then
    assert pdf.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf  # A4 in points
    assert b"DejaVuSans" in pdf
    assert b"/FontFile2" in pdf  # the font travels inside the file
    assert b"/Lang (en-NZ)" in pdf
    text = pdf_text(pdf)
    for expected in (
        "Statement",
        "Period: March 2030",
        "Ōhau Kūmara Ltd",
        "Kūmara — ā ē ī ō ū",
        "$12.00",
        "Paid on Friday.",
        "Cluster X Wine  ·  Page 1 of",
    ):
        assert expected in text


def test_a_low_band_pdf_shows_name_date_description_and_total(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given: $180.00 in all, GST $23.48 (not shown at this value)
    invoice = _invoice(cluster_x, member_a, total=18_000, gst=2348)
    # when
    document = invoice_pdf_document(invoice)
    text = pdf_text(invoice_pdf(invoice))
    # then
    assert document.title == "Tax invoice"
    assert document.totals == (("Total", "$180.00"),)
    assert [block.heading for block in document.blocks] == ["Supplier"]
    assert document.table is not None
    assert document.table.headings == (
        "Description",
        "Quantity",
        "Unit price",
        "Amount",
    )
    for expected in (
        "Tax invoice",
        "Number: MEMBER-A-INV-000001",
        "Date: 2 March 2030",
        "Member A Wines",
        "Pinot noir (Rārangi block)",
        "$180.00",
        "Issued by Cluster X Wine as agent for Member A Wines.",
    ):
        assert expected in text
    assert "49091850" not in text
    assert "Aroha" not in text


def test_a_middle_band_pdf_adds_the_gst_number_and_gst_amounts(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given: $450.00, GST $58.70, excluding GST $391.30
    invoice = _invoice(
        cluster_x, member_a, total=45_000, gst=5870, band=Invoice.Band.MIDDLE
    )
    # when
    document = invoice_pdf_document(invoice)
    text = pdf_text(invoice_pdf(invoice))
    # then
    assert document.totals == (
        ("Total excluding GST", "$391.30"),
        ("GST", "$58.70"),
        ("Total including GST", "$450.00"),
    )
    assert "GST number: 49091850" in text
    assert "$391.30" in text
    assert "$58.70" in text
    assert "Aroha" not in text


def test_a_high_band_pdf_adds_the_recipient(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given
    invoice = _invoice(
        cluster_x, member_a, total=125_000, gst=16_304, band=Invoice.Band.HIGH
    )
    # when
    document = invoice_pdf_document(invoice)
    text = pdf_text(invoice_pdf(invoice))
    # then
    assert [block.heading for block in document.blocks] == ["Supplier", "To"]
    assert "Aroha Te Wake" in text
    assert "12 Queen Street, Grey Lynn, Auckland 1021" in text
    assert "aroha@example.nz" in text
    assert "$1,250.00" in text


def test_an_unregistered_suppliers_pdf_is_an_invoice_without_gst(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given
    invoice = _invoice(
        cluster_x,
        member_a,
        total=30_850,
        gst=0,
        registered=False,
        kind=Invoice.Kind.INVOICE,
        band=Invoice.Band.MIDDLE,
    )
    # when
    text = pdf_text(invoice_pdf(invoice))
    # then
    assert text.splitlines()[0] == "Invoice"
    assert "GST" not in text
    assert "$308.50" in text


def test_a_credit_notes_pdf_names_the_invoice_it_corrects(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given
    invoice = _invoice(
        cluster_x, member_a, total=45_000, gst=5870, band=Invoice.Band.MIDDLE
    )
    note = Invoice.objects.create(
        kind=Invoice.Kind.CREDIT_NOTE,
        series="CN",
        sequence=1,
        number="MEMBER-A-CN-000001",
        cluster=cluster_x,
        member=member_a,
        issued_at=ISSUED + dt.timedelta(days=3),
        supplier_name="Member A Wines",
        supplier_gst_number="49091850",
        gst_registered=True,
        corrects=invoice,
        reason="Cork taint",
        band=Invoice.Band.LOW,
        total_cents=2450,
        gst_cents=320,
    )
    InvoiceLine.objects.create(
        invoice=note,
        kind=InvoiceLine.Kind.OTHER,
        description="Refund: Cork taint",
        total_cents=2450,
        unit_price_cents=2450,
        gst_cents=320,
    )
    # when
    text = pdf_text(invoice_pdf(note))
    # then
    for expected in (
        "Credit note",
        "Corrects: MEMBER-A-INV-000001 of 2 March 2030",
        "Date: 5 March 2030",
        "Reason: Cork taint",
        "GST number: 49091850",
        "Change in GST",
        "-$3.20",
        "$24.50",
    ):
        assert expected in text
