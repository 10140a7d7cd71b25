"""The cluster's report shows what it paid for its promotions."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from purei.catalogue.models import Variant
from purei.ledger.reports import cluster_report, report_csv
from purei.orders.models import ShippingPolicy, Zone
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import Address, CheckoutDetails, order_place
from purei.promotions.models import Promotion
from purei.promotions.tests.factories import PromotionFactory
from purei.search.tests.factories import public_product

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    money_cluster,
    money_member,
    pay,
)

pytestmark = pytest.mark.django_db


def test_the_report_has_the_promotions_the_cluster_paid() -> None:
    # given: free delivery paid by the cluster on a paid order
    cluster = money_cluster(rate="6")
    ShippingPolicy.objects.create(cluster=cluster).rates.create(
        zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    member = money_member(cluster)
    PromotionFactory.create(
        cluster=cluster, kind=Promotion.Kind.FREE_DELIVERY, percent_bp=None
    )
    variant = Variant.objects.get(product=public_product(cluster, member=member))
    Variant.objects.filter(pk=variant.pk).update(price_cents=2000, stock=5)
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    cart_add(cart=cart, variant_id=variant.pk, quantity=1)
    order = order_place(
        cart=cart,
        details=CheckoutDetails(
            email="a@example.nz",
            name="A",
            payment_method="test",
            idempotency_key=uuid.uuid4().hex,
            address=Address(
                line1="1 Queen St", town="Auckland", postcode="1010", region="NZ-AUK"
            ),
        ),
    )
    pay(order)
    # when
    today = timezone.localdate()
    report = cluster_report(cluster, period="month", start=today, end=today)
    # then
    assert report.totals["promotions_cents"] == 850
    csv = report_csv(report)
    assert "Promotions paid" in csv.splitlines()[0]
    assert '"8.50"' in csv
