from __future__ import annotations

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
