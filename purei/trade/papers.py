"""A trade order's export papers, made from its data with the ledger's PDF builder
(domain-nz.md §2): the **commercial invoice**, the **packing list** and the
exporter's **declaration of origin** for ANZCERTA.

- The exporter is the cluster's lead organisation, for the members who supply each
  line (named on it); the consignee is the buyer with its delivery address.
- Every amount carries its ISO currency code; the commercial invoice's totals are
  the quote's (goods, freight, insurance, packing, GST or zero-rated, total).
- The packing list has no prices: its packages (kind, marks, contents, dimensions,
  net and gross weight) and their totals, with the volume in m³. Its net weight is
  the lines' (the commercial invoice shows the same), so the two agree.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from purei.ledger.pdf import PdfBlock, PdfDocument, PdfTable, document_pdf
from purei.orders.models import Consignment, ConsignmentPackage
from purei.trade.models import QuoteLine, TradeOrder
from purei.trade.money import format_money
from purei.trade.quote_pdf import address_lines, payment_terms_text


def _kg(grams: int) -> str:
    return f"{Decimal(grams) / 1000:.1f} kg"


def _exporter(made: TradeOrder) -> PdfBlock:
    cluster = made.order.cluster
    lines = [cluster.lead_org_name or cluster.name]
    if cluster.lead_org_address:
        lines.append(cluster.lead_org_address)
    lines.append(_("New Zealand"))
    if cluster.lead_org_gst_registered and cluster.lead_org_gst_number:
        lines.append(_("GST number: %(n)s") % {"n": cluster.lead_org_gst_number})
    lines.append(_("for the members of %(cluster)s") % {"cluster": cluster.name})
    return PdfBlock(_("Exporter"), tuple(lines))


def _consignee(made: TradeOrder) -> PdfBlock:
    account = made.account
    lines = [account.legal_name]
    lines.extend(address_lines(made.quote.request.destination))
    if account.abn:
        lines.append(_("ABN: %(abn)s") % {"abn": account.abn})
    if account.nzbn:
        lines.append(_("NZBN: %(nzbn)s") % {"nzbn": account.nzbn})
    return PdfBlock(_("Buyer and consignee"), tuple(lines))


def _header(made: TradeOrder, reference: str) -> tuple[str, ...]:
    quote = made.quote
    order = made.order
    return (
        reference,
        _("Date: %(date)s")
        % {"date": date_format(timezone.localtime(order.created_at), "j F Y")},
        _("Order: %(number)s · Quote: %(request)s rev. %(revision)s")
        % {
            "number": order.number,
            "request": quote.request.number,
            "revision": quote.revision,
        },
        _("Delivery: %(terms)s (Incoterms 2020)")
        % {"terms": f"{quote.incoterm} {quote.named_place}"},
    )


def _lines(made: TradeOrder) -> list[QuoteLine]:
    return list(made.quote.lines.select_related("member").order_by("position", "pk"))


def _net_grams(lines: list[QuoteLine]) -> int:
    return sum(line.unit_weight_grams * line.quantity for line in lines)


def _packages(made: TradeOrder) -> list[ConsignmentPackage]:
    consignment = Consignment.objects.filter(order=made.order).first()
    return list(consignment.packages.all()) if consignment else []


def commercial_invoice_document(made: TradeOrder) -> PdfDocument:
    quote = made.quote
    currency = made.currency

    def money(cents: int) -> str:
        return format_money(cents, currency)

    lines = _lines(made)
    packages = _packages(made)
    table = PdfTable(
        caption=_("Goods"),
        headings=(
            _("Description"),
            _("HS code"),
            _("Origin"),
            _("Quantity"),
            _("Unit price"),
            _("Total"),
        ),
        rows=tuple(
            (
                "\n".join(
                    (
                        line.description,
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
                line.hs_code,
                line.origin_country,
                f"{line.quantity} {line.unit}",
                money(line.unit_cents),
                money(line.goods_cents),
            )
            for line in lines
        ),
        align=("L", "L", "L", "R", "R", "R"),
        widths=(7, 2, 2, 2, 3, 3),
    )
    totals = (
        (_("Goods"), money(quote.goods_cents)),
        (_("Freight"), money(quote.freight_cents)),
        (_("Insurance"), money(quote.insurance_cents)),
        (_("Packing"), money(quote.packing_cents)),
        (_("Zero-rated: export"), money(0))
        if quote.export
        else (_("GST"), money(quote.gst_cents)),
        (_("Total (%(currency)s)") % {"currency": currency}, money(quote.total_cents)),
    )
    gross = sum(p.gross_weight_grams for p in packages)
    notes = [
        _("Payment terms: %(terms)s.") % {"terms": payment_terms_text(quote)},
        _("Net weight: %(net)s.") % {"net": _kg(_net_grams(lines))},
    ]
    if packages:
        notes.append(
            _("Gross weight: %(gross)s in %(n)s packages.")
            % {"gross": _kg(gross), "n": len(packages)}
        )
    if currency != "NZD":
        notes.append(
            _("Prices converted from NZD at NZ$1 = %(rate)s %(currency)s (%(source)s).")
            % {
                "rate": quote.fx_rate.normalize(),
                "currency": currency,
                "source": quote.fx_source,
            }
        )
    return PdfDocument(
        title=_("Commercial invoice"),
        header_lines=_header(
            made,
            _("Invoice number: %(number)s-CI") % {"number": made.order.number},
        ),
        blocks=(_exporter(made), _consignee(made)),
        table=table,
        totals=totals,
        notes=tuple(notes),
        footer=made.order.cluster.name,
        keywords=("commercial invoice", made.order.number),
    )


def packing_list_document(made: TradeOrder) -> PdfDocument:
    lines = _lines(made)
    packages = _packages(made)
    rows = tuple(
        (
            f"{index}. {package.get_kind_display()}"
            + (f" — {package.marks}" if package.marks else ""),
            package.contents,
            f"{package.length_mm} x {package.width_mm} x {package.height_mm} mm",
            f"{package.volume_m3} m³",
            _kg(package.net_weight_grams),
            _kg(package.gross_weight_grams),
        )
        for index, package in enumerate(packages, start=1)
    )
    volume = sum((p.volume_m3 for p in packages), Decimal("0.000"))
    totals = (
        (_("Packages"), str(len(packages))),
        (_("Volume"), f"{volume} m³"),
        (_("Net weight (goods)"), _kg(_net_grams(lines))),
        (
            _("Net weight (packages)"),
            _kg(sum(p.net_weight_grams for p in packages)),
        ),
        (_("Gross weight"), _kg(sum(p.gross_weight_grams for p in packages))),
    )
    goods = tuple(
        f"{line.quantity} {line.unit} {line.description} ({line.member.name})"
        for line in lines
    )
    return PdfDocument(
        title=_("Packing list"),
        header_lines=_header(
            made,
            _("Commercial invoice: %(number)s-CI") % {"number": made.order.number},
        ),
        blocks=(_exporter(made), _consignee(made)),
        table=PdfTable(
            caption=_("Packages"),
            headings=(
                _("Package"),
                _("Contents"),
                _("Dimensions"),
                _("Volume"),
                _("Net"),
                _("Gross"),
            ),
            rows=rows,
            align=("L", "L", "L", "R", "R", "R"),
            widths=(4, 5, 4, 2, 2, 2),
        ),
        totals=totals,
        notes=(_("Goods in this consignment:"), *goods),
        footer=made.order.cluster.name,
        keywords=("packing list", made.order.number),
    )


def declaration_of_origin_document(made: TradeOrder) -> PdfDocument:
    lines = _lines(made)
    origin_nz = [line for line in lines if line.origin_country == "NZ"]
    return PdfDocument(
        title=_("Exporter's declaration of origin (ANZCERTA)"),
        header_lines=_header(
            made,
            _("Commercial invoice: %(number)s-CI") % {"number": made.order.number},
        ),
        blocks=(_exporter(made), _consignee(made)),
        table=PdfTable(
            caption=_("Goods declared"),
            headings=(_("Description"), _("HS code"), _("Origin"), _("Quantity")),
            rows=tuple(
                (
                    line.description,
                    line.hs_code,
                    line.origin_country,
                    str(line.quantity),
                )
                for line in lines
            ),
            align=("L", "L", "L", "R"),
            widths=(8, 2, 2, 2),
        ),
        notes=(
            _(
                "I, the exporter, declare that the goods listed above, %(n)s line(s) "
                "of New Zealand origin, are originating goods under the Australia "
                "New Zealand Closer Economic Relations Trade Agreement (ANZCERTA), "
                "and that the origin criterion each meets is stated in the "
                "exporter's records."
            )
            % {"n": len(origin_nz)},
            _(
                "Each member supplying a line confirms its origin criterion (wholly "
                "obtained, or the change in tariff classification) to the exporter "
                "before this declaration is signed."
            ),
            _("Signed: ________________  Name: ________________  Date: ________"),
        ),
        footer=made.order.cluster.name,
        keywords=("declaration of origin", made.order.number),
    )


def commercial_invoice_pdf(made: TradeOrder) -> bytes:
    return document_pdf(commercial_invoice_document(made))


def packing_list_pdf(made: TradeOrder) -> bytes:
    return document_pdf(packing_list_document(made))


def declaration_of_origin_pdf(made: TradeOrder) -> bytes:
    return document_pdf(declaration_of_origin_document(made))
