"""A client finds a product, puts it in a cart, checks out and pays with the test
card through the API alone: no page, no cookie, no CSRF token (issue 17)."""

from __future__ import annotations

import json
import secrets
import uuid
from typing import Any

import pytest
from django.test import Client

from purei.apikeys.tests.helpers import issue
from purei.catalogue.indexing import product_changed
from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Order, Zone
from purei.orders.tests.factories import ShippingPolicyFactory, rate_table
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

ADDRESS = {
    "country": "NZ",
    "line1": "12 Queen Street",
    "town": "Auckland",
    "postcode": "1021",
    "region": "NZ-AUK",
}
CARD = {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123"}


@pytest.fixture(autouse=True)
def _payments(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def shop(db: Any) -> dict[str, Any]:
    cluster = ClusterFactory.create(slug="fair")
    rate_table(
        ShippingPolicyFactory.create(member=None, cluster=cluster),
        [(Zone.NORTH_ISLAND, None, 850)],
    )
    bees = MemberFactory.create(slug="bees", trading_name="Bees")
    product = public_product(cluster, member=bees, title_en="Manuka Honey")
    variant = Variant.objects.get(product=product)
    variant.price_cents = 2450
    variant.stock = 5
    variant.weight_grams = 400
    variant.save()
    product_changed(product.pk)  # the shelf learns the price
    return {"cluster": cluster, "bees": bees, "variant": variant}


class Machine:
    """An API client: JSON, its own cart token, no cookies kept, CSRF checked."""

    def __init__(self, **headers: Any) -> None:
        self.headers = headers
        self.cart_token = secrets.token_urlsafe(32)

    def send(self, method: str, path: str, body: Any = None, **more: Any) -> Any:
        client = Client(enforce_csrf_checks=True)  # a fresh one: no cookie jar
        return client.generic(
            method,
            f"/api/v1{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            HTTP_X_CART_TOKEN=self.cart_token,
            **self.headers,
            **more,
        )


def _buy(machine: Machine, shop: dict[str, Any]) -> dict[str, Any]:
    # search
    found = machine.send("GET", "/search?q=manuka")
    assert found.status_code == 200, found.content
    hit = found.json()["results"][0]
    assert hit["price_cents"] == 2450
    assert hit["in_stock"] is True
    # the product: its variants' ids, stock state and price
    detail = machine.send(
        "GET", f"/clusters/fair/products/{hit['member_slug']}/{hit['slug']}"
    ).json()
    variant = detail["variants"][0]
    assert variant["id"] == shop["variant"].pk
    assert variant["availability"] == "in_stock"
    assert variant["price"] == "24.50"
    # add to the cart
    added = machine.send(
        "POST", "/clusters/fair/cart/lines", {"variant": variant["id"], "quantity": 2}
    )
    assert added.status_code == 201, added.content
    cart = machine.send("GET", "/clusters/fair/cart").json()
    assert cart["count"] == 2
    member_id = cart["groups"][0]["member_id"]
    # check out and pay with the test card, once
    body = {
        "email": "machine@example.nz",
        "name": "Till 3",
        "payment_method": "test",
        "idempotency_key": uuid.uuid4().hex,
        "address": ADDRESS,
        "choices": {str(member_id): {"method": "delivery"}},
        "payment": CARD,
    }
    placed = machine.send(
        "POST", "/clusters/fair/checkout", body, HTTP_IDEMPOTENCY_KEY="till-3-sale-1"
    )
    assert placed.status_code == 201, placed.content
    again = machine.send(
        "POST", "/clusters/fair/checkout", body, HTTP_IDEMPOTENCY_KEY="till-3-sale-1"
    )
    assert again.status_code == 201
    assert again.content == placed.content
    order: dict[str, Any] = placed.json()
    return order


def test_an_anonymous_client_buys_with_its_cart_token(shop: dict[str, Any]):
    # given
    machine = Machine()
    # when
    order = _buy(machine, shop)
    # then
    assert order["status"] == "paid"
    assert order["payment"]["status"] == "succeeded"
    assert order["total_cents"] == 2 * 2450 + 850
    assert Order.objects.count() == 1
    assert Order.objects.get().customer is None
    shop["variant"].refresh_from_db()
    assert shop["variant"].stock == 3


def test_a_client_with_a_key_buys_as_a_guest_never_as_its_issuer(
    shop: dict[str, Any], member_a_owner: Actor, member_a: Any
):
    # given: a member's key (any scope: shopping is public)
    key = issue(member_a_owner, member_a, ["read_orders"]).secret
    machine = Machine(HTTP_AUTHORIZATION=f"Bearer {key}")
    # when
    order = _buy(machine, shop)
    # then: a guest's order, not the owner's
    assert order["status"] == "paid"
    assert Order.objects.get().customer is None


def test_a_bad_cart_token_is_refused(shop: dict[str, Any]):
    # given
    machine = Machine()
    machine.cart_token = "short"
    # when
    response = machine.send("GET", "/clusters/fair/cart")
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "X-Cart-Token"
