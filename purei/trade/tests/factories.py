from __future__ import annotations

from typing import Any

import factory

from purei.accounts.tests.factories import UserFactory
from purei.clusters.tests.factories import ClusterFactory
from purei.trade.models import TradeAccount, TradeBuyer

# Valid identifiers (check digits pass): an NZBN and the ATO's example ABN.
NZBN = "9429046393920"
ABN = "51824753556"


class TradeAccountFactory(factory.django.DjangoModelFactory[TradeAccount]):
    class Meta:
        model = TradeAccount

    cluster = factory.SubFactory(ClusterFactory)
    kind = TradeAccount.Kind.DISTRIBUTOR
    legal_name = factory.Sequence(lambda n: f"Trade Buyer {n} Pty Ltd")
    country = "AU"
    abn = ABN
    gst_registered = True
    currency = "AUD"
    contact_name = "Sam Buyer"
    contact_email = factory.Sequence(lambda n: f"buyer{n}@example.com.au")
    delivery_address = factory.LazyFunction(
        lambda: {
            "line1": "1 Wharf St",
            "line2": "",
            "city": "Brisbane",
            "region": "QLD",
            "postcode": "4000",
            "country": "AU",
        }
    )
    billing_address = factory.LazyAttribute(lambda o: dict(o.delivery_address))


class TradeBuyerFactory(factory.django.DjangoModelFactory[TradeBuyer]):
    class Meta:
        model = TradeBuyer

    user = factory.SubFactory(UserFactory)
    account = factory.SubFactory(TradeAccountFactory)
    role = TradeBuyer.Role.OWNER


def trade_order_of(
    order: Any,
    account: TradeAccount,
    *,
    currency: str = "NZD",
    fx_rate: str = "1",
    deposit_percent: int = 0,
    terms: str = "proforma",
    terms_days: int | None = None,
) -> Any:
    """Make the unpaid ``order`` a trade order of ``account`` as if a quote in
    ``currency`` at ``fx_rate`` had been accepted (the quote's rows made here,
    without the members' pricing), its terms applied as acceptance applies them."""
    from decimal import Decimal

    from django.utils import timezone

    from purei.orders.models import Order
    from purei.trade.fx import to_currency
    from purei.trade.models import Quote, QuoteRequest, TradeOrder
    from purei.trade.services.getting_paid import trade_order_terms_apply

    Order.objects.filter(pk=order.pk).update(
        channel=Order.Channel.TRADE, payment_method="bank_transfer"
    )
    rate = Decimal(fx_rate)
    total = to_currency(order.total_cents, rate)
    rfq = QuoteRequest.objects.create(
        cluster=order.cluster,
        account=account,
        number=f"RFQ-{order.number}"[:16],
        status=QuoteRequest.Status.ACCEPTED,
        currency=currency,
        incoterm="DAP",
        named_place="Auckland",
        destination=dict(account.delivery_address),
    )
    quote = Quote.objects.create(
        request=rfq,
        revision=1,
        status=Quote.Status.ACCEPTED,
        currency=currency,
        fx_rate=rate,
        fx_source="RBNZ",
        fx_as_of=timezone.now(),
        basis=Quote.Basis.VALUE,
        export=False,
        incoterm="DAP",
        named_place="Auckland",
        valid_until=timezone.localdate(),
        payment_terms=terms,
        terms_days=terms_days,
        deposit_percent=deposit_percent,
        goods_cents=total,
        freight_cents=0,
        insurance_cents=0,
        packing_cents=0,
        gst_cents=0,
        total_cents=total,
        weight_grams=0,
    )
    made = TradeOrder.objects.create(
        order=Order.objects.get(pk=order.pk),
        quote=quote,
        account=account,
        currency=currency,
        fx_rate=rate,
        total_cents=total,
        deposit_cents=quote.deposit_cents,
        payment_terms=terms,
        terms_days=terms_days,
    )
    return trade_order_terms_apply(made=made)
