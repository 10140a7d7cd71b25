"""The worked examples of docs/trade.md "Australian GST on sales to consumers
(LVIG)", each through the real services: checkout prices and places the order,
settlement takes the test card and books it, and the threshold is read as the
trade settings screen reads it.

The cluster in every example: registered for Australian GST (an ARN) for a month,
its newest AUD rate NZ$1 = A$0.90; a GST-registered honey maker and winery; a
courier charging NZ$35.00 (incl. NZ GST) to Australia.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.ledger.models import Account, Posting
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    money_cluster,
    money_member,
    pay,
)
from purei.members.models import Member
from purei.orders.models import AuGst, Order, ShippingPolicy, ShippingRate, Zone
from purei.orders.services.cart import cart_add, cart_get_or_create, cart_summary
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    checkout_quote,
    order_place,
)
from purei.search.tests.factories import public_product
from purei.settlement.services import order_refund
from purei.trade.au_gst import au_gst_threshold_for
from purei.trade.services.rates import exchange_rate_record

pytestmark = pytest.mark.django_db

SYDNEY = Address(
    country="AU", line1="1 George St", town="Sydney", postcode="2000", state="NSW"
)
AUCKLAND = Address(
    country="NZ",
    line1="12 Queen Street",
    town="Auckland",
    postcode="1021",
    region="NZ-AUK",
)
ABN = "51 824 753 556"
K = Account.Kind


def _variant(
    cluster: Cluster, member: Member, *, price: int, **product: Any
) -> Variant:
    made = public_product(cluster, member=member, **product)
    variant = Variant.objects.get(product=made)
    variant.price_cents = price
    variant.stock = 100
    variant.weight_grams = 50
    variant.save()
    return variant


@pytest.fixture
def au_shop(db: Any) -> dict[str, Any]:
    cluster = money_cluster(
        slug="kai-collective",
        au_gst_number="123456789012",  # an ARN: the simplified registration
        au_gst_registered_on=timezone.localdate() - dt.timedelta(days=30),
    )
    admin = cluster_admin(cluster)
    exchange_rate_record(
        actor=admin,
        cluster=cluster,
        currency="AUD",
        rate=Decimal("0.9000"),
        source="RBNZ",
        as_of=timezone.now() - dt.timedelta(days=1),
    )
    policy = ShippingPolicy.objects.create(cluster=cluster)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.AUSTRALIA, max_weight_grams=5000, price_cents=3500
    )
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=5000, price_cents=850
    )
    cluster.refresh_from_db()  # the rate, as a request would load it
    bees = money_member(cluster, trading_name="Bees")
    winery = money_member(cluster, trading_name="Vines")
    honey = _variant(cluster, bees, price=3833, title_en="Mānuka honey")
    wine = _variant(
        cluster, winery, price=4025, title_en="Pinot noir", alcohol_or_tobacco=True
    )
    return {
        "cluster": cluster,
        "admin": admin,
        "bees": bees,
        "winery": winery,
        "honey": honey,
        "wine": wine,
    }


def _update(shop: dict[str, Any], **fields: Any) -> None:
    """Change the cluster as its services would, and load it again."""
    Cluster.objects.filter(pk=shop["cluster"].pk).update(**fields)
    shop["cluster"].refresh_from_db()


def _order(
    shop: dict[str, Any],
    *items: tuple[Variant, int],
    address: Address = SYDNEY,
    **details: Any,
) -> Order:
    cart = cart_get_or_create(
        cluster=shop["cluster"], user=None, session_key=uuid.uuid4().hex
    )
    for variant, quantity in items:
        cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    return order_place(
        cart=cart,
        details=CheckoutDetails(
            email="mia@example.com.au",
            name="Mia Nguyen",
            payment_method="test",
            idempotency_key=uuid.uuid4().hex,
            address=address,
            **details,
        ),
    )


def _account(cluster: Cluster, kind: str, member: Member | None = None) -> int:
    return sum(
        Posting.objects.filter(
            account__cluster=cluster, account__kind=kind, account__member=member
        ).values_list("amount_cents", flat=True)
    )


# --- Example 1: A$300 of honey to Sydney ------------------------------------------


def test_example_1_honey_worth_a300_to_sydney_carries_australian_gst(au_shop):
    # given ten jars at NZ$38.33 incl. NZ GST: NZ$33.33 each zero-rated
    # when
    order = _order(au_shop, (au_shop["honey"], 10))
    # then the customs value is NZ$333.30 = A$299.97: under A$1,000
    part = order.fulfilments.get()
    assert part.customs_value_aud_cents == 29997
    line = part.lines.get()
    assert line.unit_price_cents == 3666  # 33.33 x 1.1 = 36.663
    assert line.total_cents == 36660
    assert line.au_gst_cents == 3333  # 1/11 of 366.60
    assert line.gst_cents == 0  # zero-rated for NZ GST
    assert part.shipping_cents == 3043 + 304  # NZ$30.43 zero-rated + 10 %
    assert part.au_gst_cents == 3333 + 304
    assert order.au_gst_cents == 3637
    assert order.total_cents == 36660 + 3347
    assert order.gst_cents == 0
    assert order.au_gst_reason == AuGst.CHARGED
    assert order.aud_rate == Decimal("0.9")
    assert order.aud_rate_source == "RBNZ"


def test_example_1_the_australian_gst_is_the_clusters_to_pay_not_the_makers(au_shop):
    # given
    order = _order(au_shop, (au_shop["honey"], 10))
    # when
    pay(order)
    # then the ATO's share sits in the cluster's AU GST account
    cluster = au_shop["cluster"]
    assert _account(cluster, K.AU_GST) == -3637
    # the maker is owed the sale without AU GST, less 7.5 % commission on the
    # goods without it (NZ$333.30 -> 25.00) and GST on that commission (3.75)
    payable = _account(cluster, K.MEMBER_PAYABLE, au_shop["bees"])
    sale = 40007 - 3637
    commission = 2500
    assert _account(cluster, K.COMMISSION) == -commission
    fees = sum(
        p.amount_cents
        for p in Posting.objects.filter(
            account__cluster=cluster,
            account__kind=K.MEMBER_PAYABLE,
            description__contains="payment fee",
        )
    )
    assert payable == -(sale - commission - 375) + fees


def test_example_1_a_full_refund_gives_the_australian_gst_back(au_shop):
    # given a paid order
    order = _order(au_shop, (au_shop["honey"], 10))
    pay(order)
    # when all of it is refunded
    order_refund(
        actor=au_shop["admin"],
        order=order,
        amount_cents=order.total_cents,
        reason="Damaged in transit",
    )
    # then nothing is owed to the ATO any more, and the maker gave back only
    # what it was paid (it keeps the commission and fee of a goodwill refund)
    assert _account(au_shop["cluster"], K.AU_GST) == 0
    kept = -sum(
        Posting.objects.filter(
            account__kind=K.MEMBER_PAYABLE, description__contains="commission"
        ).values_list("amount_cents", flat=True)
    ) - sum(
        Posting.objects.filter(
            account__kind=K.MEMBER_PAYABLE, description__contains="fee"
        ).values_list("amount_cents", flat=True)
    )
    assert _account(au_shop["cluster"], K.MEMBER_PAYABLE, au_shop["bees"]) == -kept


def test_a_part_refund_gives_back_its_share_of_the_australian_gst(au_shop):
    # given a paid order of NZ$400.07 with NZ$36.37 of AU GST
    order = _order(au_shop, (au_shop["honey"], 10))
    pay(order)
    # when NZ$110.00 goes back (a goodwill refund)
    order_refund(actor=au_shop["admin"], order=order, amount_cents=11000, reason="Late")
    # then 110.00 x 36.37 / 400.07 = 10.00 of it was AU GST
    assert _account(au_shop["cluster"], K.AU_GST) == -(3637 - 1000)


# --- Example 2: the same honey worth A$1,200 --------------------------------------


def test_example_2_honey_worth_over_a1000_carries_none(au_shop):
    # when forty jars: NZ$1,333.20 = A$1,199.88
    order = _order(au_shop, (au_shop["honey"], 40))
    # then Australia taxes it at the border
    part = order.fulfilments.get()
    assert part.customs_value_aud_cents == 119988
    assert order.au_gst_cents == 0
    assert order.au_gst_reason == AuGst.OVER_LIMIT
    assert order.total_cents == 133320 + 3043  # zero-rated goods and shipping


# --- Example 3: wine --------------------------------------------------------------


def test_example_3_wine_carries_none(au_shop):
    # when six bottles at NZ$40.25 incl. NZ GST (NZ$35.00 zero-rated) = A$189
    order = _order(au_shop, (au_shop["wine"], 6))
    # then
    line = order.lines.get()
    assert line.alcohol_or_tobacco
    assert line.au_gst_cents == 0
    assert order.au_gst_reason == AuGst.EXCLUDED_GOODS
    assert order.total_cents == 21000 + 3043


def test_example_3_honey_and_wine_in_one_order_tax_the_honey_only(au_shop):
    # when the honey and the wine come from different members
    order = _order(au_shop, (au_shop["honey"], 10), (au_shop["wine"], 6))
    # then
    parts = {f.member_id: f for f in order.fulfilments.all()}
    assert parts[au_shop["bees"].pk].au_gst_reason == AuGst.CHARGED
    assert parts[au_shop["winery"].pk].au_gst_reason == AuGst.EXCLUDED_GOODS
    assert order.au_gst_cents == 3637
    assert order.au_gst_reason == AuGst.CHARGED


# --- Example 4: a business buyer --------------------------------------------------


def test_example_4_a_business_buyer_with_an_abn_pays_none(au_shop):
    # when the café gives its ABN and states it is registered, for business use
    order = _order(au_shop, (au_shop["honey"], 10), buyer_abn=ABN, business_use=True)
    # then
    assert order.au_gst_cents == 0
    assert order.au_gst_reason == AuGst.BUSINESS_BUYER
    assert order.buyer_abn == "51824753556"
    assert order.total_cents == 33330 + 3043


# --- Not registered, and New Zealand ----------------------------------------------


def test_a_cluster_not_registered_charges_none(au_shop):
    # given
    _update(au_shop, au_gst_number="", au_gst_registered_on=None)
    # when
    order = _order(au_shop, (au_shop["honey"], 10))
    # then
    assert order.au_gst_cents == 0
    assert order.au_gst_reason == AuGst.NOT_REGISTERED
    assert order.total_cents == 33330 + 3043


def test_before_the_registration_date_none_is_charged(au_shop):
    # given registered from a date still to come
    _update(au_shop, au_gst_registered_on=timezone.localdate() + dt.timedelta(days=30))
    # when
    order = _order(au_shop, (au_shop["honey"], 10))
    # then
    assert order.au_gst_reason == AuGst.NOT_REGISTERED


def test_new_zealand_orders_are_unaffected(au_shop):
    # when a registered cluster sells the same honey in Auckland
    order = _order(au_shop, (au_shop["honey"], 10), address=AUCKLAND)
    # then NZ GST as ever, and no Australian GST
    line = order.lines.get()
    assert line.unit_price_cents == 3833
    assert line.gst_cents == 5000  # 3/23 of 383.30
    assert line.au_gst_cents == 0
    assert order.au_gst_cents == 0
    assert order.au_gst_reason == ""
    assert order.aud_rate is None
    assert order.total_cents == 38330 + 850


def test_the_quote_shows_the_price_with_australian_gst_before_the_order(au_shop):
    # given
    cart = cart_get_or_create(
        cluster=au_shop["cluster"], user=None, session_key=uuid.uuid4().hex
    )
    cart_add(cart=cart, variant_id=au_shop["honey"].pk, quantity=10)
    # when
    quote = checkout_quote(
        cluster=au_shop["cluster"],
        summary=cart_summary(cart),
        address=SYDNEY,
    )
    # then
    assert quote.au_gst_cents == 3637
    assert quote.total_cents == 40007
    assert quote.parts[0].lines[0].unit_price_cents == 3666


def test_with_no_aud_rate_recorded_one_to_one_is_assumed(au_shop):
    # given no rate on the cluster
    _update(au_shop, aud_rate=None)
    # when 31 jars: NZ$1,033.23, taken as A$1,033.23
    order = _order(au_shop, (au_shop["honey"], 31))
    # then over A$1,000 at the assumed rate (at 0.90 it would be A$929.91)
    assert order.au_gst_reason == AuGst.OVER_LIMIT
    assert order.aud_rate == Decimal("1")
    assert "assumed" in order.aud_rate_source


# --- Example 5: the threshold -----------------------------------------------------


def _paid_au_order(cluster: Cluster, total: int, paid_at: dt.datetime) -> Order:
    return Order.objects.create(
        number=uuid.uuid4().hex[:8].upper(),
        cluster=cluster,
        email="buyer@example.com.au",
        name="Buyer",
        country="AU",
        zone=Zone.AUSTRALIA,
        goods_cents=total,
        total_cents=total,
        status=Order.Status.PAID,
        payment_state=Order.PaymentState.PAID,
        payment_method="test",
        paid_at=paid_at,
        idempotency_key=uuid.uuid4().hex,
    )


def test_example_5_the_threshold_warns_from_80_per_cent(au_shop):
    # given a cluster not registered, NZ$66,700 of sales to Australia this year,
    # and a NZ$50,000 order 13 months ago (outside the 12 months)
    _update(au_shop, au_gst_number="", au_gst_registered_on=None)
    cluster = au_shop["cluster"]
    now = timezone.now()
    _paid_au_order(cluster, 4_000_000, now - dt.timedelta(days=200))
    _paid_au_order(cluster, 2_670_000, now - dt.timedelta(days=10))
    _paid_au_order(cluster, 5_000_000, now - dt.timedelta(days=400))
    # when
    threshold = au_gst_threshold_for(actor=au_shop["admin"], cluster=cluster, now=now)
    # then NZ$66,700 x 0.90 = A$60,030: 80 % of A$75,000
    assert threshold.sales_nzd_cents == 6_670_000
    assert threshold.sales_aud_cents == 6_003_000
    assert threshold.percent == 80
    assert threshold.level == "near"
    assert not threshold.rate_assumed
    # when NZ$17,000 more: A$75,330
    _paid_au_order(cluster, 1_700_000, now - dt.timedelta(days=1))
    threshold = au_gst_threshold_for(actor=au_shop["admin"], cluster=cluster, now=now)
    # then
    assert threshold.sales_aud_cents == 7_533_000
    assert threshold.level == "over"


def test_example_5_once_registered_the_threshold_is_only_information(au_shop):
    # given the registered cluster over the threshold
    now = timezone.now()
    _paid_au_order(au_shop["cluster"], 9_000_000, now - dt.timedelta(days=5))
    # when
    threshold = au_gst_threshold_for(
        actor=au_shop["admin"], cluster=au_shop["cluster"], now=now
    )
    # then
    assert threshold.level == "registered"
    assert threshold.number_kind == "ARN"


def test_the_threshold_counts_sales_without_the_australian_gst_they_carried(au_shop):
    # given a paid order to Sydney with AU GST (example 1)
    order = _order(au_shop, (au_shop["honey"], 10))
    pay(order)
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now())
    # when
    threshold = au_gst_threshold_for(actor=au_shop["admin"], cluster=au_shop["cluster"])
    # then NZ$363.70 (goods and shipping without AU GST) x 0.90 = A$327.33
    assert threshold.orders == 1
    assert threshold.sales_nzd_cents == 40007 - 3637
    assert threshold.sales_aud_cents == 32733
