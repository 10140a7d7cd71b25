"""Promotions on the shopper's pages (``orders/shop/_promo.html``): the cart, the
checkout (a code applied, refused, placed) and the order page."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.members.models import Member
from purei.orders.models import Order, ShippingPolicy, Zone
from purei.promotions.models import Promotion
from purei.promotions.tests.factories import PromotionFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def basket(client: Client, cluster_x: Cluster, member_a: Member, settings: Any) -> str:
    """A $45.00 item twice in the session's cart; cluster X delivers for $8.50."""
    settings.PAYMENTS_TEST_GATEWAY = True
    ShippingPolicy.objects.create(cluster=cluster_x).rates.create(
        zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    variant = Variant.objects.get(product=public_product(cluster_x, member=member_a))
    Variant.objects.filter(pk=variant.pk).update(price_cents=4500, stock=10)
    client.post(
        f"/c/{cluster_x.slug}/cart/add/", {"variant": variant.pk, "quantity": "2"}
    )
    return cluster_x.slug


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


FORM = {
    "email": "ana@example.nz",
    "name": "Ana",
    "country": "NZ",
    "line1": "1 Queen St",
    "town": "Auckland",
    "postcode": "1010",
    "region": "NZ-AUK",
    "payment_method": "bank_transfer",
}


def test_the_cart_shows_the_automatic_promotions(client: Client, basket: str) -> None:
    PromotionFactory.create(
        cluster=Cluster.objects.get(slug=basket),
        name="Free delivery over $80",
        kind=Promotion.Kind.FREE_DELIVERY,
        percent_bp=None,
        min_spend_cents=8000,
    )
    page = _text(client.get(f"/c/{basket}/cart/"))
    assert "Free delivery over $80: your delivery is free, at checkout" in page
    assert 'name="promo_code"' in page


def test_checkout_applies_refuses_and_places_with_a_code(
    client: Client, basket: str
) -> None:
    cluster = Cluster.objects.get(slug=basket)
    PromotionFactory.create(cluster=cluster, code="TEN", name="Ten off")
    # the cart's "Check out with this code"
    page = _text(client.get(f"/c/{basket}/checkout/?promo_code=ten"))
    assert "Ten off (<code>TEN</code>): <strong>-$9.00</strong>" in page
    assert "You save $9.00" in page
    # an unknown code is said on "Apply"
    key = uuid.uuid4().hex
    page = _text(
        client.post(
            f"/c/{basket}/checkout/",
            {**FORM, "promo_code": "nope", "idempotency_key": key, "action": "update"},
        )
    )
    assert "NOPE is not a promo code of this shop." in page
    # refused when placing: beside the field, and in the summary
    refused = client.post(
        f"/c/{basket}/checkout/",
        {**FORM, "promo_code": "nope", "idempotency_key": key, "action": "place"},
    )
    assert refused.status_code == 422
    assert 'href="#id_promo_code"' in refused.content.decode()
    assert not Order.objects.exists()
    # placed with the code: the order page says what came off and who paid
    placed = client.post(
        f"/c/{basket}/checkout/",
        {**FORM, "promo_code": "ten", "idempotency_key": key, "action": "place"},
    )
    assert placed.status_code == 302
    order = Order.objects.get()
    assert (order.promo_code, order.discount_cents) == ("TEN", 900)
    page = _text(client.get(placed["Location"]))
    assert "Ten off (<code>TEN</code>): <strong>-$9.00</strong>" in page
    assert "the makers get their full price" in page
