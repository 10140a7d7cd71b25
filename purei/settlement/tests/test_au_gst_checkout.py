"""Australian GST at checkout, on the page and over the API (docs/trade.md
"Australian GST on sales to consumers (LVIG)"): the price with AU GST shown as
soon as the Australian address is known, a business buyer's ABN and statement,
what is said above A$1,000 and for alcohol, and the order page's lines."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.ledger.tests.factories import money_cluster, money_member
from purei.members.models import Member
from purei.orders.models import AuGst, Order, ShippingPolicy, ShippingRate, Zone
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

SYDNEY = {
    "country": "AU",
    "line1": "1 George St",
    "town": "Sydney",
    "postcode": "2000",
    "state": "NSW",
}
AUCKLAND = {
    "country": "NZ",
    "line1": "12 Queen Street",
    "town": "Auckland",
    "postcode": "1021",
    "region": "NZ-AUK",
}
CARD = {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123"}


def _variant(
    cluster: Cluster, member: Member, *, price: int, **product: Any
) -> Variant:
    variant = Variant.objects.get(
        product=public_product(cluster, member=member, **product)
    )
    variant.price_cents = price
    variant.stock = 100
    variant.weight_grams = 50
    variant.save()
    return variant


@pytest.fixture
def shop(db: Any) -> dict[str, Any]:
    """Registered for AU GST, NZ$1 = A$0.90, NZ$35.00 to Australia."""
    cluster = money_cluster(
        slug="kai",
        au_gst_number="51824753556",
        au_gst_registered_on=timezone.localdate() - dt.timedelta(days=30),
        aud_rate=Decimal("0.9"),
        aud_rate_source="RBNZ",
        aud_rate_as_of=timezone.now(),
    )
    policy = ShippingPolicy.objects.create(cluster=cluster)
    for zone, price in ((Zone.AUSTRALIA, 3500), (Zone.NORTH_ISLAND, 850)):
        ShippingRate.objects.create(
            policy=policy, zone=zone, max_weight_grams=5000, price_cents=price
        )
    bees = money_member(cluster, trading_name="Bees")
    vines = money_member(cluster, trading_name="Vines")
    return {
        "cluster": cluster,
        "bees": bees,
        "vines": vines,
        "honey": _variant(cluster, bees, price=3833, title_en="Mānuka honey"),
        "wine": _variant(
            cluster, vines, price=4025, title_en="Pinot noir", alcohol_or_tobacco=True
        ),
    }


def _add(client: Client, variant: Variant, quantity: int) -> None:
    response = client.post(
        reverse("orders:cart-add", kwargs={"slug": "kai"}),
        {"variant": variant.pk, "quantity": quantity},
    )
    assert response.status_code in (200, 302)


def _page(client: Client, **fields: Any) -> Any:
    url = reverse("settlement:checkout", kwargs={"slug": "kai"})
    body = client.get(url).content.decode()
    match = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', body)
    assert match is not None
    data: dict[str, Any] = {
        "idempotency_key": match.group(1),
        "email": "mia@example.com.au",
        "name": "Mia Nguyen",
        **SYDNEY,
        "payment_method": "test",
        "card_number": CARD["card_number"],
        "expiry": CARD["expiry"],
        "cvc": CARD["cvc"],
        "action": "place",
    }
    data.update(fields)
    return client.post(url, {k: v for k, v in data.items() if v is not None})


# --- The page ---------------------------------------------------------------------


def test_the_page_shows_the_price_with_australian_gst_once_the_address_is_known(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 10)
    # when the shopper gives the Sydney address (the page reprices)
    response = _page(client, action="update")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Australian GST included" in body
    assert "$400.07" in body  # 366.60 + 33.47 shipping, AU GST included
    assert "Prices include Australian GST of $36.37" in body
    assert "NZ$1 = A$0.9 (RBNZ)" in body
    assert 'name="buyer_abn"' in body
    assert not Order.objects.exists()


def test_a_new_zealand_address_shows_no_australian_gst(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 1)
    # when
    body = _page(client, action="update", **AUCKLAND, state="").content.decode()
    # then
    assert "Australian GST" not in body
    assert 'name="buyer_abn"' not in body


def test_over_a1000_the_page_says_australia_taxes_it_at_the_border(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 40)
    # when
    body = _page(client, action="update").content.decode()
    # then
    assert "worth A$1,199.88, over A$1,000" in body
    assert "at the border" in body
    assert "none: over A$1,000" in body


def test_wine_is_said_to_be_taxed_at_the_border(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["wine"], 6)
    # when
    body = _page(client, action="update").content.decode()
    # then
    assert "Alcohol and tobacco from Vines carry no Australian GST here" in body


def test_placing_the_order_charges_it_and_the_order_page_shows_it(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 10)
    # when
    response = _page(client)
    # then
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert order.au_gst_cents == 3637
    assert order.total_cents == 40007
    page = client.get(response["Location"]).content.decode()
    assert "includes Australian GST of $36.37" in page
    assert "incl. Australian GST $33.33" in page
    assert "Australian GST charged: goods worth A$1,000 or less" in page


def test_a_business_buyer_with_abn_and_statement_pays_none(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 10)
    # when
    response = _page(client, buyer_abn="51 824 753 556", business_use="1")
    # then
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.au_gst_reason == AuGst.BUSINESS_BUYER
    assert order.buyer_abn == "51824753556"
    assert order.total_cents == 33330 + 3043


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"buyer_abn": "51 824 753 557", "business_use": "1"}, "check digits"),
        ({"buyer_abn": "", "business_use": "1"}, "Give the business&#x27;s ABN"),
        ({"buyer_abn": "51 824 753 556"}, "Confirm the business is registered"),
    ],
)
def test_a_wrong_business_claim_is_explained_and_places_nothing(
    client: Client, shop: dict[str, Any], fields: dict[str, str], message: str
) -> None:
    # given
    _add(client, shop["honey"], 10)
    # when
    response = _page(client, **fields)
    # then
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Order.objects.exists()


def test_the_checkout_page_costs_a_fixed_number_of_queries(
    client: Client, shop: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # given
    _add(client, shop["honey"], 10)
    _add(client, shop["wine"], 6)
    _page(client, action="update")
    # when / then (the page and its update; each reads the cluster's money
    # accounts once, ADR 0021)
    with django_assert_max_num_queries(41):
        _page(client, action="update")


# --- The API ----------------------------------------------------------------------


def _api(client: Client, shop: dict[str, Any], **overrides: Any) -> Any:
    body: dict[str, Any] = {
        "email": "mia@example.com.au",
        "name": "Mia",
        "payment_method": "test",
        "idempotency_key": uuid.uuid4().hex,
        "address": SYDNEY,
        "payment": CARD,
    }
    body.update(overrides)
    return client.post(
        "/api/v1/clusters/kai/checkout",
        json.dumps(body),
        content_type="application/json",
    )


def test_api_checkout_charges_australian_gst_and_says_why(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 10)
    _add(client, shop["wine"], 6)
    # when
    response = _api(client, shop)
    # then
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["au_gst_cents"] == 3637
    assert order["au_gst_reason"] == "charged"
    assert order["aud_rate"] == "0.900000"
    parts = {part["supplier_name"]: part for part in order["fulfilments"]}
    assert parts["Bees"]["au_gst_reason"] == "charged"
    assert parts["Bees"]["customs_value_aud_cents"] == 29997
    assert parts["Bees"]["lines"][0]["au_gst_cents"] == 3333
    assert parts["Vines"]["au_gst_reason"] == "excluded_goods"
    assert parts["Vines"]["lines"][0]["alcohol_or_tobacco"] is True


def test_api_business_buyer_pays_none(client: Client, shop: dict[str, Any]) -> None:
    # given
    _add(client, shop["honey"], 10)
    # when
    response = _api(client, shop, buyer_abn="51824753556", business_use=True)
    # then
    assert response.status_code == 201, response.content
    assert response.json()["au_gst_reason"] == "business_buyer"
    assert response.json()["au_gst_cents"] == 0


def test_api_names_the_field_of_a_wrong_abn(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 10)
    # when
    response = _api(client, shop, buyer_abn="123", business_use=True)
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "buyer_abn"
    assert not Order.objects.exists()


def test_api_new_zealand_orders_carry_no_australian_gst(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 1)
    # when an ABN sent for a New Zealand address is ignored
    response = _api(client, shop, address=AUCKLAND, buyer_abn="51824753556")
    # then
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["au_gst_reason"] == ""
    assert order["au_gst_cents"] == 0
    assert order["buyer_abn"] == ""
    assert order["gst_cents"] == 500 + 111  # the honey and its shipping
