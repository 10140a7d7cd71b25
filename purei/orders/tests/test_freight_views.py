"""Freight on quote on the web and the API: the checkout's "Request a freight
quote", the order page while it waits and once quoted, the admins' screens, the
shopper's decline, and the JSON endpoints."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from purei.accounts.models import User
from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.members.models import Member
from purei.orders.models import FreightQuote, Order, Zone
from purei.orders.tests.factories import ShippingPolicyFactory, rate_table
from purei.payments.models import Payment
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

HAMILTON = {
    "country": "NZ",
    "line1": "1 Victoria Street",
    "town": "Hamilton",
    "postcode": "3204",
    "region": "NZ-WKO",
}


@pytest.fixture(autouse=True)
def _payments(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def beam(cluster_x: Cluster, member_a: Member) -> Variant:
    variant = Variant.objects.get(
        product=public_product(cluster_x, member=member_a, title_en="310UB40 beam")
    )
    variant.price_cents = 98_000
    variant.weight_grams = 242_000
    variant.stock = 5
    variant.freight_on_quote = True
    variant.save()
    policy = ShippingPolicyFactory.create(member=member_a, cluster=None)
    rate_table(policy, [(Zone.NORTH_ISLAND, 25_000, 1500)])
    return variant


def _checkout_url(cluster: Cluster) -> str:
    return reverse("settlement:checkout", kwargs={"slug": cluster.slug})


def _add(client: Client, cluster: Cluster, variant: Variant) -> None:
    client.post(
        reverse("orders:cart-add", kwargs={"slug": cluster.slug}),
        {"variant": variant.pk, "quantity": 1},
    )


def _request_quote(client: Client, cluster: Cluster, member: Member) -> Order:
    body = client.get(_checkout_url(cluster)).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', body)
    assert key is not None
    response = client.post(
        _checkout_url(cluster),
        {
            "idempotency_key": key.group(1),
            "email": "rangi@example.nz",
            "name": "Rangi Builder",
            **HAMILTON,
            "payment_method": "test",
            f"choice-{member.pk}": "freight_quote",
            "action": "place",
        },
    )
    assert response.status_code == 302
    return Order.objects.get()


def _order_page(client: Client, order: Order) -> str:
    url = reverse("settlement:order-detail", kwargs={"number": order.number})
    return client.get(url).content.decode()


# --- Checkout ----------------------------------------------------------------------


def test_the_checkout_offers_a_freight_quote_for_the_beam(
    client: Client, cluster_x: Cluster, member_a: Member, beam: Variant
) -> None:
    # given
    _add(client, cluster_x, beam)
    # when
    body = client.get(_checkout_url(cluster_x)).content.decode()
    # then: the part's only way, checked; the button asks for the quote; no card
    assert re.search(
        rf'name="choice-{member_a.pk}"[^>]*value="freight_quote"[^>]* checked', body
    )
    assert "Request a freight quote</label>" in body
    assert 'value="place"' in body
    assert ">Request a freight quote</button>" in body
    assert 'name="card_number"' not in body
    assert "Delivery to be quoted." in body
    assert "does not deliver" not in body


def test_placing_the_request_takes_no_payment_and_says_so(
    client: Client, cluster_x: Cluster, member_a: Member, beam: Variant
) -> None:
    # given
    _add(client, cluster_x, beam)
    # when
    order = _request_quote(client, cluster_x, member_a)
    body = _order_page(client, order)
    # then: waiting for the quote, no Pay button, items held, can cancel
    assert not Payment.objects.exists()
    assert FreightQuote.objects.get().status == FreightQuote.Status.REQUESTED
    assert "Waiting for a freight quote." in body
    assert "to be quoted" in body
    assert "Pay $" not in body
    assert reverse("orders:order-freight-decline", args=[order.number]) in body


def test_the_order_page_shows_the_freight_and_a_pay_button_once_quoted(
    client: Client,
    cluster_x: Cluster,
    member_a: Member,
    beam: Variant,
    cluster_x_admin_user: User,
) -> None:
    # given: requested by the shopper, answered by the admin
    _add(client, cluster_x, beam)
    order = _request_quote(client, cluster_x, member_a)
    quote = FreightQuote.objects.get()
    admin = Client()
    admin.force_login(cluster_x_admin_user)
    url = reverse("orders:cluster-freight-quote", args=[cluster_x.slug, quote.pk])
    answered = admin.post(url, {"price": "184.00", "carrier": "Mainfreight"})
    assert answered.status_code == 302
    # when
    body = _order_page(client, order)
    # then
    assert "Freight from Member A Wines: $184.00" in body
    assert "Pay $1,164.00" in body
    # and: the shopper pays with the test card
    paid = client.post(
        reverse("settlement:order-pay", args=[order.number]),
        {
            "payment_method": "test",
            "card_number": "4242 4242 4242 4242",
            "expiry": "12/40",
            "cvc": "123",
        },
    )
    assert paid.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get().amount_cents == 116_400


def test_the_shopper_declines_from_the_order_page(
    client: Client, cluster_x: Cluster, member_a: Member, beam: Variant
) -> None:
    # given
    _add(client, cluster_x, beam)
    order = _request_quote(client, cluster_x, member_a)
    # when
    response = client.post(reverse("orders:order-freight-decline", args=[order.number]))
    # then
    assert response.status_code == 302
    order.refresh_from_db()
    beam.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert beam.stock == 5


def test_a_stranger_cannot_decline_someone_elses_order(
    client: Client, cluster_x: Cluster, member_a: Member, beam: Variant
) -> None:
    # given
    _add(client, cluster_x, beam)
    order = _request_quote(client, cluster_x, member_a)
    # when
    response = Client().post(
        reverse("orders:order-freight-decline", args=[order.number])
    )
    # then
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_the_member_sees_the_request_and_the_answer_on_its_order_screen(
    client: Client,
    cluster_x: Cluster,
    member_a: Member,
    beam: Variant,
    member_a_staff_user: User,
    cluster_x_admin_user: User,
) -> None:
    # given
    _add(client, cluster_x, beam)
    order = _request_quote(client, cluster_x, member_a)
    team = Client()
    team.force_login(member_a_staff_user)
    url = reverse("settlement:member-order", args=[member_a.slug, order.number])
    waiting = team.get(url).content.decode()
    admin = Client()
    admin.force_login(cluster_x_admin_user)
    quote = FreightQuote.objects.get()
    admin.post(
        reverse("orders:cluster-freight-quote", args=[cluster_x.slug, quote.pk]),
        {"price": "184.00", "carrier": "Mainfreight"},
    )
    # when
    quoted = team.get(url).content.decode()
    # then
    assert "the shopper asked for a freight quote" in waiting
    assert "Quoted: waiting for payment — freight $184.00 (Mainfreight)" in quoted


# --- The admins' screens -------------------------------------------------------------


def test_the_admins_list_shows_the_waiting_requests(
    client: Client,
    cluster_x: Cluster,
    member_a: Member,
    beam: Variant,
    cluster_x_admin_user: User,
) -> None:
    # given
    _add(client, cluster_x, beam)
    order = _request_quote(client, cluster_x, member_a)
    admin = Client()
    admin.force_login(cluster_x_admin_user)
    # when
    listing = admin.get(
        reverse("orders:cluster-freight-quotes", args=[cluster_x.slug])
    ).content.decode()
    orders = admin.get(
        reverse("orders:cluster-orders", args=[cluster_x.slug])
    ).content.decode()
    # then
    assert f"Quote for {order.number}" in listing
    assert "Hamilton 3204" in listing
    assert "242000 g" in listing
    assert reverse("orders:cluster-freight-quotes", args=[cluster_x.slug]) in orders


def test_a_bad_price_shows_on_the_form(
    client: Client,
    cluster_x: Cluster,
    member_a: Member,
    beam: Variant,
    cluster_x_admin_user: User,
) -> None:
    # given
    _add(client, cluster_x, beam)
    _request_quote(client, cluster_x, member_a)
    quote = FreightQuote.objects.get()
    admin = Client()
    admin.force_login(cluster_x_admin_user)
    url = reverse("orders:cluster-freight-quote", args=[cluster_x.slug, quote.pk])
    # when
    response = admin.post(url, {"price": "lots"})
    # then
    assert response.status_code == 422
    assert "Give the freight in dollars and cents" in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == FreightQuote.Status.REQUESTED


def test_another_clusters_admin_gets_404(
    client: Client,
    cluster_x: Cluster,
    cluster_y: Cluster,
    member_a: Member,
    beam: Variant,
    cluster_y_admin_user: User,
) -> None:
    # given
    _add(client, cluster_x, beam)
    _request_quote(client, cluster_x, member_a)
    quote = FreightQuote.objects.get()
    other = Client()
    other.force_login(cluster_y_admin_user)
    # when: through its own cluster's address, or cluster X's
    via_own = other.post(
        reverse("orders:cluster-freight-quote", args=[cluster_y.slug, quote.pk]),
        {"price": "1.00"},
    )
    via_x = other.post(
        reverse("orders:cluster-freight-quote", args=[cluster_x.slug, quote.pk]),
        {"price": "1.00"},
    )
    # then
    assert (via_own.status_code, via_x.status_code) == (404, 404)
    quote.refresh_from_db()
    assert quote.status == FreightQuote.Status.REQUESTED


def test_the_list_page_costs_the_same_queries_for_many_requests(
    client: Client,
    cluster_x: Cluster,
    member_a: Member,
    beam: Variant,
    cluster_x_admin_user: User,
    django_assert_max_num_queries: Any,
) -> None:
    # given: five requests
    for _ in range(5):
        shopper = Client()
        _add(shopper, cluster_x, beam)
        _request_quote_again(shopper, cluster_x, member_a)
    admin = Client()
    admin.force_login(cluster_x_admin_user)
    url = reverse("orders:cluster-freight-quotes", args=[cluster_x.slug])
    # when / then
    with django_assert_max_num_queries(12):
        response = admin.get(url)
    assert response.content.decode().count("Quote for ") == 5


def _request_quote_again(client: Client, cluster: Cluster, member: Member) -> None:
    body = client.get(_checkout_url(cluster)).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', body)
    assert key is not None
    client.post(
        _checkout_url(cluster),
        {
            "idempotency_key": key.group(1),
            "email": "rangi@example.nz",
            "name": "Rangi Builder",
            **HAMILTON,
            "payment_method": "test",
            f"choice-{member.pk}": "freight_quote",
            "action": "place",
        },
    )


# --- The API ------------------------------------------------------------------------


def _api_request(client: Client, cluster: Cluster, member: Member) -> Any:
    _add(client, cluster, Variant.objects.get(freight_on_quote=True))
    payload = {
        "email": "rangi@example.nz",
        "name": "Rangi Builder",
        "payment_method": "test",
        "idempotency_key": uuid.uuid4().hex,
        "address": HAMILTON,
        "choices": {str(member.pk): {"method": "freight_quote"}},
    }
    return client.post(
        f"/api/v1/clusters/{cluster.slug}/checkout",
        json.dumps(payload),
        content_type="application/json",
    )


def test_the_api_requests_answers_and_shows_the_quote(
    client: Client,
    cluster_x: Cluster,
    member_a: Member,
    beam: Variant,
    cluster_x_admin_user: User,
) -> None:
    # given: the shopper requests through the API
    placed = _api_request(client, cluster_x, member_a)
    assert placed.status_code == 201, placed.content
    order = placed.json()
    assert order["awaiting_freight_quote"] is True
    assert order["payment"] is None
    assert order["fulfilments"][0]["freight_quote"]["status"] == "requested"
    admin = Client()
    admin.force_login(cluster_x_admin_user)
    # when: the admin lists and answers
    (listed,) = admin.get(f"/api/v1/clusters/{cluster_x.slug}/freight-quotes").json()
    answered = admin.post(
        f"/api/v1/freight-quotes/{listed['id']}/answer",
        json.dumps({"price": "184.00", "note": "Tail-lift truck"}),
        content_type="application/json",
    )
    # then
    assert answered.status_code == 200
    assert answered.json()["price_cents"] == 18_400
    assert listed["deliver_to"]["town"] == "Hamilton"
    assert listed["weight_grams"] == 242_000
    shown = client.get(f"/api/v1/orders/{order['number']}").json()
    assert shown["awaiting_freight_quote"] is False
    assert shown["total_cents"] == 116_400
    assert shown["fulfilments"][0]["freight_quote"]["note"] == "Tail-lift truck"


def test_the_api_declines_the_quote(
    client: Client, cluster_x: Cluster, member_a: Member, beam: Variant
) -> None:
    # given
    number = _api_request(client, cluster_x, member_a).json()["number"]
    # when
    declined = client.post(
        f"/api/v1/orders/{number}/freight/decline", content_type="application/json"
    )
    again = client.post(
        f"/api/v1/orders/{number}/freight/decline", content_type="application/json"
    )
    # then
    assert declined.status_code == 200
    assert declined.json()["status"] == "cancelled"
    assert declined.json()["fulfilments"][0]["freight_quote"]["status"] == "declined"
    assert again.status_code == 409
    assert again.json()["code"] == "freight_quote_closed"
