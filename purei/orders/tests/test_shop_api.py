"""The shopper's API: the session's cart, checkout, and the customer's orders."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from purei.accounts.models import User
from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory
from purei.orders.models import CartLine, Order, Zone
from purei.orders.shopper_access import order_link_key
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


def _variant(cluster: Cluster, member: Member, *, price: int, title: str) -> Variant:
    variant = Variant.objects.get(
        product=public_product(cluster, member=member, title_en=title)
    )
    variant.price_cents = price
    variant.stock = 5
    variant.weight_grams = 400
    variant.save()
    return variant


@pytest.fixture
def shop(db: Any) -> dict[str, Any]:
    cluster = ClusterFactory.create(slug="fair")
    rate_table(
        ShippingPolicyFactory.create(member=None, cluster=cluster),
        [(Zone.NORTH_ISLAND, None, 850)],
    )
    bees = MemberFactory.create(
        slug="bees", trading_name="Bees", gst_registered=True, gst_number="49091850"
    )
    pots = MemberFactory.create(slug="pots", trading_name="Pots", gst_registered=False)
    return {
        "cluster": cluster,
        "bees": bees,
        "pots": pots,
        "honey": _variant(cluster, bees, price=2450, title="Honey"),
        "bowl": _variant(cluster, pots, price=6000, title="Bowl"),
    }


def _send(client: Client, method: str, path: str, body: Any = None) -> Any:
    return client.generic(
        method,
        f"/api/v1{path}",
        json.dumps(body) if body is not None else "",
        content_type="application/json",
    )


def _checkout_body(shop: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": "aroha@example.nz",
        "name": "Aroha",
        "payment_method": "test",
        "idempotency_key": uuid.uuid4().hex,
        "address": ADDRESS,
        "choices": {str(shop["bees"].pk): {"method": "delivery"}},
        "payment": CARD,
    }
    body.update(overrides)
    return body


def test_api_round_trip_from_cart_to_paid_order(
    client: Client, shop: dict[str, Any]
) -> None:
    # given: an empty cart
    assert _send(client, "GET", "/clusters/fair/cart").json()["count"] == 0
    # when: two lines go in, one changes, one goes
    added = _send(
        client, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk}
    )
    assert added.status_code == 201
    _send(client, "POST", "/clusters/fair/cart/lines", {"variant": shop["bowl"].pk})
    honey_line = CartLine.objects.get(variant=shop["honey"]).pk
    bowl_line = CartLine.objects.get(variant=shop["bowl"]).pk
    patched = _send(
        client, "PATCH", f"/clusters/fair/cart/lines/{honey_line}", {"quantity": 2}
    )
    removed = _send(client, "DELETE", f"/clusters/fair/cart/lines/{bowl_line}")
    # then
    assert patched.status_code == 200
    cart = removed.json()
    assert cart["count"] == 2
    assert cart["goods_cents"] == 4900
    assert [g["member_slug"] for g in cart["groups"]] == ["bees"]
    # when: checkout
    placed = _send(client, "POST", "/clusters/fair/checkout", _checkout_body(shop))
    # then
    assert placed.status_code == 201, placed.content
    order = placed.json()
    assert order["status"] == "paid"
    assert order["total_cents"] == 4900 + 850
    assert order["fulfilments"][0]["gst_number"] == "49091850"
    assert order["payment"]["status"] == "succeeded"
    # and the same session reads it back
    again = _send(client, "GET", f"/orders/{order['number']}")
    assert again.status_code == 200
    assert again.json()["number"] == order["number"]


def test_checkout_errors_name_the_field(client: Client, shop: dict[str, Any]) -> None:
    # given
    _send(client, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk})
    body = _checkout_body(shop, email="nope", address={**ADDRESS, "postcode": "12"})
    # when
    response = _send(client, "POST", "/clusters/fair/checkout", body)
    # then
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "email" in errors
    assert "postcode" in errors
    assert not Order.objects.exists()


def test_a_bad_card_is_refused_before_any_order(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _send(client, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk})
    body = _checkout_body(shop, payment={"card_number": "1"})
    # when
    response = _send(client, "POST", "/clusters/fair/checkout", body)
    # then
    assert response.status_code == 422
    assert "payment.card_number" in response.json()["errors"]
    assert not Order.objects.exists()


def test_the_same_idempotency_key_makes_one_order(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _send(client, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk})
    body = _checkout_body(shop, payment_method="bank_transfer", payment={})
    # when
    first = _send(client, "POST", "/clusters/fair/checkout", body)
    _send(client, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk})
    second = _send(client, "POST", "/clusters/fair/checkout", body)
    # then
    assert first.json()["number"] == second.json()["number"]
    assert Order.objects.count() == 1
    assert (
        first.json()["payment"]["instructions"]["reference"] == (first.json()["number"])
    )


@pytest.mark.parametrize("key", ["short", "sixteen chars ok", "x" * 15])
def test_a_malformed_idempotency_key_is_explained_to_the_api_client(
    client: Client, shop: dict[str, Any], key: str
) -> None:
    # given
    _send(client, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk})
    # when
    response = _send(
        client,
        "POST",
        "/clusters/fair/checkout",
        _checkout_body(shop, idempotency_key=key),
    )
    # then: a message for a program, not for the checkout page
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "idempotency_key"
    assert body["errors"]["idempotency_key"] == [
        "idempotency_key must be 16 to 64 characters: letters, digits, _ or -."
    ]
    assert "page" not in body["message"]
    assert not Order.objects.exists()


def test_someone_elses_idempotency_key_is_explained_to_the_api_client(
    client: Client, shop: dict[str, Any]
) -> None:
    # given: an order placed by another shopper with this key
    other = Client()
    _send(other, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk})
    body = _checkout_body(shop, payment_method="bank_transfer", payment={})
    assert _send(other, "POST", "/clusters/fair/checkout", body).status_code == 201
    _send(client, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk})
    # when
    response = _send(
        client,
        "POST",
        "/clusters/fair/checkout",
        {**body, "email": "someone.else@example.nz"},
    )
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "idempotency_key"
    assert response.json()["errors"]["idempotency_key"] == [
        "This idempotency_key was used by another checkout: send a new one."
    ]
    assert Order.objects.count() == 1


def test_a_cart_line_of_someone_else_is_404(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    owner = Client()
    _send(owner, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk})
    line = CartLine.objects.get().pk
    # when
    response = _send(
        client, "PATCH", f"/clusters/fair/cart/lines/{line}", {"quantity": 3}
    )
    # then
    assert response.status_code == 404
    assert CartLine.objects.get().quantity == 1


def test_cart_writes_need_the_csrf_token(shop: dict[str, Any]) -> None:
    # given
    browser = Client(enforce_csrf_checks=True)
    # when
    response = _send(
        browser, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk}
    )
    # then
    assert response.status_code == 403
    assert not CartLine.objects.exists()


def test_orders_list_is_the_customers_and_needs_login(
    client: Client, shop: dict[str, Any], customer_user: User
) -> None:
    # given
    assert _send(client, "GET", "/orders").status_code == 401
    client.force_login(customer_user)
    _send(client, "POST", "/clusters/fair/cart/lines", {"variant": shop["honey"].pk})
    number = _send(
        client, "POST", "/clusters/fair/checkout", _checkout_body(shop)
    ).json()["number"]
    stranger = Client()
    _send(stranger, "POST", "/clusters/fair/cart/lines", {"variant": shop["bowl"].pk})
    _send(
        stranger,
        "POST",
        "/clusters/fair/checkout",
        _checkout_body(shop, choices={}, email="else@example.nz"),
    )
    # when
    listed = _send(client, "GET", "/orders").json()
    # then
    assert [o["number"] for o in listed["items"]] == [number]
    assert listed["items"][0]["cluster"] == "fair"
    # and one order: the customer, the signed key, nobody else
    assert _send(stranger, "GET", f"/orders/{number}").status_code == 404
    signed = _send(stranger, "GET", f"/orders/{number}?key={order_link_key(number)}")
    assert signed.status_code == 200
