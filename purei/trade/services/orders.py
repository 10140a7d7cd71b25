"""An accepted quote becomes a trade order (ADR 0010): one ``orders.Order`` with a
part per member, its lines at the members' NZD prices, each part's share of the
freight, insurance and packing, GST as the quote worked it out (15 % in New
Zealand from registered suppliers, zero-rated for export), and the stock of every
counted variant taken — in the transaction of the acceptance, so a quote whose
goods have sold out meanwhile cannot be accepted.

The books are in NZD (GST Act s77); ``TradeOrder`` keeps the quote's currency and
rate and the buyer's total in that currency.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from purei.clusters.models import SellingModel
from purei.core.actor import Actor
from purei.orders.models import Order
from purei.orders.services.priced import (
    PricedLine as OrderLineIn,
)
from purei.orders.services.priced import (
    PricedOrderInput,
    PricedPart,
    hold_until_for_trade,
    order_place_priced,
)
from purei.trade.models import Quote, QuoteRequest, TradeOrder
from purei.trade.quoting import (
    Charges,
    PricedLine,
    ShareBasis,
    gst_on,
    quote_figures,
)
from purei.trade.services.getting_paid import trade_order_terms_apply


def supplier_registered(request: QuoteRequest, member_gst_registered: bool) -> bool:
    """Whether a line's supplier charges GST in New Zealand: the lead organisation
    in the reseller model, else the member."""
    cluster = request.cluster
    if cluster.selling_model == SellingModel.RESELLER:
        return bool(cluster.lead_org_gst_registered)
    return bool(member_gst_registered)


def trade_order_from_quote(
    *, actor: Actor, request: QuoteRequest, quote: Quote
) -> TradeOrder:
    """Make the order of an accepted ``quote`` (inside the acceptance's
    transaction). Raises ``ValidationFailed`` (``sold_out``) when a counted
    variant no longer has the stock, and then nothing is written."""
    lines = list(
        quote.lines.select_related("request_line", "member").order_by("position", "pk")
    )
    taxable = {
        line.pk: supplier_registered(request, line.member.gst_registered)
        for line in lines
    }
    figures = quote_figures(
        [
            PricedLine(
                key=line.pk,
                quantity=line.quantity,
                unit_nzd_cents=line.unit_nzd_cents,
                unit_weight_grams=line.unit_weight_grams,
                gst_registered=taxable[line.pk],
            )
            for line in lines
        ],
        Charges(
            quote.freight_nzd_cents, quote.insurance_nzd_cents, quote.packing_nzd_cents
        ),
        rate=Decimal(1),
        basis=ShareBasis(quote.basis),
        export=quote.export,
    )
    by_member: dict[int, list[OrderLineIn]] = defaultdict(list)
    charges: dict[int, int] = defaultdict(int)
    charges_gst: dict[int, int] = defaultdict(int)
    for line, nzd in zip(lines, figures.lines, strict=True):
        goods_gst = gst_on(nzd.goods_cents) if nzd.gst_cents else 0
        by_member[line.member_id].append(
            OrderLineIn(
                variant_id=line.request_line.variant_id,
                title=line.description,
                sku=line.sku,
                quantity=line.quantity,
                unit_price_cents=nzd.unit_cents,
                gst_cents=goods_gst,
                total_cents=nzd.goods_cents + goods_gst,
                weight_grams=line.unit_weight_grams,
            )
        )
        charges[line.member_id] += (
            nzd.freight_cents + nzd.insurance_cents + nzd.packing_cents
        )
        charges_gst[line.member_id] += nzd.gst_cents - goods_gst
    parts = [
        PricedPart(
            member_id=member_id,
            lines=member_lines,
            charges_cents=charges[member_id] + charges_gst[member_id],
            charges_gst_cents=charges_gst[member_id],
        )
        for member_id, member_lines in by_member.items()
    ]
    account = request.account
    destination = request.destination
    order = order_place_priced(
        order=PricedOrderInput(
            cluster=request.cluster,
            customer=actor.user,
            email=account.accounts_email or account.contact_email,
            name=account.legal_name,
            phone=account.contact_phone,
            country=str(destination.get("country", "NZ")),
            address_line1=str(destination.get("line1", "")),
            address_line2=str(destination.get("line2", "")),
            town=str(destination.get("city", "")),
            postcode=str(destination.get("postcode", ""))[:10],
            state=str(destination.get("region", "")),
            zero_rated=quote.export,
            payment_method="bank_transfer",
            idempotency_key=f"trade-quote-{quote.pk}",
            hold_until=hold_until_for_trade(),
            channel=Order.Channel.TRADE,
        ),
        parts=parts,
    )
    made = TradeOrder.objects.create(
        order=order,
        quote=quote,
        account=account,
        currency=quote.currency,
        fx_rate=quote.fx_rate,
        total_cents=quote.total_cents,
        deposit_cents=quote.deposit_cents,
        payment_terms=quote.payment_terms,
        terms_days=quote.terms_days,
    )
    return trade_order_terms_apply(made=made)
