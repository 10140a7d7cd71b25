"""A quote as a PDF, with the ledger's builder (``purei.ledger.pdf``: A4, DejaVu
fonts embedded so macrons render). The cluster quotes; every amount carries its ISO
currency code (domain-nz.md §2); the exchange rate is shown with its source and
time."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from purei.core.times import datetime_nz
from purei.ledger.pdf import PdfBlock, PdfDocument, PdfTable, document_pdf
from purei.trade.models import PaymentTerms, Quote, QuoteLine
from purei.trade.money import format_money


def address_lines(address: dict[str, str]) -> tuple[str, ...]:
    street = ", ".join(p for p in (address.get("line1"), address.get("line2")) if p)
    town = " ".join(
        p
        for p in (
            address.get("city"),
            address.get("region"),
            address.get("postcode"),
        )
        if p
    )
    return tuple(p for p in (street, town, address.get("country", "")) if p)


def payment_terms_text(quote: Quote) -> str:
    label = str(PaymentTerms(quote.payment_terms).label)
    if quote.payment_terms == PaymentTerms.NET_DAYS and quote.terms_days:
        return _("%(days)s days") % {"days": quote.terms_days}
    return label


def fx_text(quote: Quote) -> str:
    if quote.currency == "NZD":
        return _("Prices are in New Zealand dollars (NZD).")
    return _(
        "Converted from NZD at NZ$1 = %(rate)s %(currency)s (%(source)s, as at "
        "%(time)s)."
    ) % {
        "rate": quote.fx_rate.normalize(),
        "currency": quote.currency,
        "source": quote.fx_source,
        "time": datetime_nz(quote.fx_as_of),
    }


def quote_pdf_document(quote: Quote, lines: Sequence[QuoteLine]) -> PdfDocument:
    """What the PDF of ``quote`` shows (its request, cluster and account loaded)."""
    request = quote.request
    cluster = request.cluster
    account = request.account
    currency = quote.currency

    def money(cents: int) -> str:
        return format_money(cents, currency)

    header = (
        _("Request: %(number)s") % {"number": request.number},
        _("Revision: %(revision)s") % {"revision": quote.revision},
        _("Date: %(date)s")
        % {"date": date_format(timezone.localtime(quote.created_at), "j F Y")},
        _("Valid until: %(date)s") % {"date": date_format(quote.valid_until, "j F Y")},
        _("Delivery: %(terms)s (Incoterms 2020)")
        % {"terms": f"{quote.incoterm} {quote.named_place}"},
        _("Currency: %(currency)s") % {"currency": currency},
        _("Deliver to: %(address)s")
        % {"address": ", ".join(address_lines(request.destination))},
    )
    quoting = [cluster.name]
    if cluster.lead_org_name:
        quoting.append(
            _("Lead organisation: %(name)s") % {"name": cluster.lead_org_name}
        )
    if cluster.lead_org_address:
        quoting.append(cluster.lead_org_address)
    buyer = [account.legal_name]
    if account.trading_name:
        buyer.append(_("Trading as %(name)s") % {"name": account.trading_name})
    buyer.extend(address_lines(account.billing_address or account.delivery_address))
    if account.abn:
        buyer.append(_("ABN: %(abn)s") % {"abn": account.abn})
    if account.nzbn:
        buyer.append(_("NZBN: %(nzbn)s") % {"nzbn": account.nzbn})
    blocks = (
        PdfBlock(_("Quoted by"), tuple(quoting)),
        PdfBlock(_("For"), tuple(buyer)),
    )
    table = PdfTable(
        caption=_("Goods"),
        headings=(
            _("Item"),
            _("Unit price"),
            _("Goods"),
            _("Charges"),
            _("GST"),
            _("Total"),
        ),
        rows=tuple(
            (
                "\n".join(
                    (
                        f"{line.quantity} {line.unit} x {line.description}",
                        " · ".join(
                            p
                            for p in (
                                line.sku,
                                _("supplied by %(member)s")
                                % {"member": line.member.name},
                            )
                            if p
                        ),
                    )
                ),
                money(line.unit_cents),
                money(line.goods_cents),
                money(line.freight_cents + line.insurance_cents + line.packing_cents),
                money(line.gst_cents),
                money(line.total_cents),
            )
            for line in lines
        ),
        widths=(6, 3, 3, 3, 3, 3),
    )
    gst = (
        (_("Zero-rated: export"), money(0))
        if quote.export
        else (_("GST"), money(quote.gst_cents))
    )
    totals = (
        (_("Goods"), money(quote.goods_cents)),
        (_("Freight"), money(quote.freight_cents)),
        (_("Insurance"), money(quote.insurance_cents)),
        (_("Packing"), money(quote.packing_cents)),
        gst,
        (_("Total"), money(quote.total_cents)),
    )
    notes = [
        _("Payment terms: %(terms)s") % {"terms": payment_terms_text(quote)},
    ]
    if quote.deposit_percent:
        notes.append(
            _("Deposit due on acceptance: %(amount)s (%(percent)s%%)")
            % {"amount": money(quote.deposit_cents), "percent": quote.deposit_percent}
        )
    notes.append(fx_text(quote))
    notes.append(
        _("Charges are freight, insurance and packing, shared %(basis)s.")
        % {"basis": str(Quote.Basis(quote.basis).label).lower()}
    )
    if quote.notes:
        notes.append(quote.notes)
    return PdfDocument(
        title=_("Quote %(number)s") % {"number": request.number},
        header_lines=header,
        blocks=blocks,
        table=table,
        totals=totals,
        notes=tuple(notes),
        footer=f"{cluster.name} · {request.number} · "
        + _("revision %(n)s") % {"n": quote.revision},
        keywords=(str(request.number),),
    )


def quote_pdf(quote: Quote, lines: Sequence[QuoteLine]) -> bytes:
    return document_pdf(quote_pdf_document(quote, lines))
