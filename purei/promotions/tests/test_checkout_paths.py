"""Promotions on checkout's other paths: one parcel from the hub, the reseller
model, and an order to Australia (ADR 0015)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from purei.catalogue.models import Variant
from purei.ledger.models import Account
from purei.ledger.selectors import account_balances
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    money_cluster,
    money_member,
    pay,
)
from purei.orders.au_gst import au_gst_in
from purei.orders.models import Consignment, ShippingPolicy, Zone
from purei.orders.money import gst_in
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import Address, CheckoutDetails, order_place
from purei.orders.tests.hub_fixtures import basket, details, fair  # noqa: F401
from purei.promotions.models import Promotion
from purei.promotions.tests.factories import PromotionFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db
K = Account.Kind


def test_free_delivery_through_the_hub_takes_every_share_off(
    fair: dict[str, Any],  # noqa: F811  # the hub's fixture
) -> None:
    # given: the hub's $18.25 parcel (shared 608, 761, 456 by weight), and free
    # delivery over $80 paid by the cluster
    PromotionFactory.create(
        cluster=fair["cluster"],
        kind=Promotion.Kind.FREE_DELIVERY,
        percent_bp=None,
        min_spend_cents=8000,
    )
    # when
    order = order_place(cart=basket(fair), details=details())
    # then: the parcel's charge stands; each part's share is free
    parts = list(order.fulfilments.order_by("pk"))
    assert sorted(f.shipping_discount_cents for f in parts) == [456, 608, 761]
    assert all(f.shipping_cents == 0 and f.via_hub for f in parts)
    assert Consignment.objects.get(order=order).charge_cents == 1825
    assert order.total_cents == 4800 + 6000 + 2850
    pay(order)
    assert account_balances(fair["cluster"].pk)[K.PROMOTIONS] == 1825


def test_the_reseller_model_books_the_clusters_promotion_too() -> None:
    cluster = money_cluster(rate="10", reseller=True)
    member = money_member(cluster)
    ShippingPolicy.objects.create(
        member=member, pickup_at_premises=True, pickup_address="The shed"
    )
    variant = Variant.objects.get(product=public_product(cluster, member=member))
    Variant.objects.filter(pk=variant.pk).update(price_cents=11_500, stock=5)
    PromotionFactory.create(cluster=cluster, code="TEN")
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    cart_add(cart=cart, variant_id=variant.pk, quantity=1)
    order = order_place(
        cart=cart,
        details=CheckoutDetails(
            email="a@example.nz",
            name="A",
            payment_method="test",
            idempotency_key=uuid.uuid4().hex,
            promo_code="TEN",
        ),
    )
    line = order.lines.get()
    assert (line.total_cents, line.gst_cents) == (10_350, gst_in(10_350))
    pay(order)
    assert account_balances(cluster.pk)[K.PROMOTIONS] == 1150


def test_australian_gst_is_on_the_discounted_price(settings: Any) -> None:
    # given: a cluster registered for Australian GST, a $50.00 item to Sydney
    from purei.clusters.tests.factories import ClusterFactory

    cluster = ClusterFactory.create(
        au_gst_number="123456789012",
        au_gst_registered_on=dt.date(2020, 1, 1),
    )
    ShippingPolicy.objects.create(cluster=cluster).rates.create(
        zone=Zone.AUSTRALIA, max_weight_grams=None, price_cents=3500
    )
    member = money_member(cluster)
    variant = Variant.objects.get(product=public_product(cluster, member=member))
    Variant.objects.filter(pk=variant.pk).update(price_cents=5000, stock=5)
    PromotionFactory.create(cluster=cluster, percent_bp=2000)
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    cart_add(cart=cart, variant_id=variant.pk, quantity=1)
    # when
    order = order_place(
        cart=cart,
        details=CheckoutDetails(
            email="a@example.com.au",
            name="A",
            payment_method="bank_transfer",
            idempotency_key=uuid.uuid4().hex,
            address=Address(
                country="AU",
                line1="1 George St",
                town="Sydney",
                postcode="2000",
                state="NSW",
            ),
        ),
    )
    # then: zero-rated for NZ GST; AU GST (1/11) on what is paid for the line
    line = order.lines.get()
    assert line.gst_cents == 0
    assert line.discount_cents > 0
    assert line.au_gst_cents == au_gst_in(line.total_cents)
