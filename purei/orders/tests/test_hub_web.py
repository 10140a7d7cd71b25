"""Hub delivery on the web and the API: checkout's "One parcel from the hub", the
shopper's order page, a member's part screen and its drop, the hub's screen and
settings, and the JSON endpoints."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.core.models import AuditEntry
from purei.ledger.tests.factories import pay
from purei.members.models import Member
from purei.orders.models import Consignment, Fulfilment, HubDelivery, Order
from purei.orders.services.checkout import order_place
from purei.orders.services.hub import hub_drop_mark

from .hub_fixtures import basket, details, fair

__all__ = ["fair"]

pytestmark = pytest.mark.django_db
S = Fulfilment.Status
CARD = {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123"}
RD_FORM = {
    "email": "aroha@example.nz",
    "name": "Aroha Te Wake",
    "country": "NZ",
    "line1": "410 Lake Ferry Road",
    "line2": "RD 2",
    "town": "Martinborough",
    "postcode": "5782",
    "region": "NZ-WGN",
    "rural": "1",
    "payment_method": "test",
    **CARD,
}


def _shop_basket(client: Client, fair: dict[str, Any]) -> None:
    slug = fair["cluster"].slug
    for variant, quantity in (("oil", 2), ("bowl", 1), ("jam", 3)):
        response = client.post(
            f"/c/{slug}/cart/add/",
            {"variant": fair[variant].pk, "quantity": quantity},
        )
        assert response.status_code in (200, 302)


def _key(client: Client, slug: str) -> str:
    body = client.get(f"/c/{slug}/checkout/").content.decode()
    match = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', body)
    assert match is not None
    return match.group(1)


def _team_user(member: Member) -> Any:
    user = UserFactory.create()
    MemberRole.objects.create(user=user, member=member, role=MemberRole.Role.OWNER)
    return user


def _admin_client(fair: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(fair["admin"].user)
    return client


# --- Checkout and the order page -------------------------------------------------


def test_checkout_offers_one_parcel_from_the_hub_with_its_price(
    client: Client, fair: dict[str, Any]
) -> None:
    # given
    _shop_basket(client, fair)
    slug = fair["cluster"].slug
    # when the shopper gives an RD address
    page = client.post(
        f"/c/{slug}/checkout/", {**RD_FORM, "action": "update"}
    ).content.decode()
    # then
    assert "One parcel from the hub" in page
    assert "$18.25 for the whole order" in page
    assert "The Fair depot" in page


def test_checkout_through_the_hub_places_one_parcel_and_the_order_shows_it(
    client: Client, fair: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given
    _shop_basket(client, fair)
    slug = fair["cluster"].slug
    key = _key(client, slug)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/c/{slug}/checkout/",
            {**RD_FORM, "idempotency_key": key, "delivery_mode": "hub"},
        )
    # then
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert order.shipping_cents == 1825
    assert Consignment.objects.get(order=order).kind == Consignment.Kind.HUB
    page = client.get(response["Location"]).content.decode()
    assert "One parcel from the hub" in page
    assert "Gathering at the hub" in page
    assert "0 / 3" in page
    assert "$18.25" in page


def test_choosing_the_hub_without_an_offer_is_refused_on_the_page(
    client: Client, fair: dict[str, Any]
) -> None:
    # given
    HubDelivery.objects.filter(pk=fair["hub"].pk).update(enabled=False)
    _shop_basket(client, fair)
    slug = fair["cluster"].slug
    key = _key(client, slug)
    # when
    response = client.post(
        f"/c/{slug}/checkout/",
        {**RD_FORM, "idempotency_key": key, "delivery_mode": "hub"},
    )
    # then
    assert response.status_code == 422
    assert "doesn&#x27;t offer hub delivery" in response.content.decode()
    assert Order.objects.exists() is False


# --- Members ----------------------------------------------------------------------


@pytest.fixture
def paid(fair: dict[str, Any]) -> Order:
    order = order_place(cart=basket(fair), details=details())
    pay(order)
    order.refresh_from_db()
    return order


def test_a_members_part_says_drop_at_the_hub_and_is_marked_dropped(
    client: Client, fair: dict[str, Any], paid: Order
) -> None:
    # given
    client.force_login(_team_user(fair["olives"]))
    url = f"/manage/members/olive-grove/orders/{paid.number}/"
    # when
    page = client.get(url).content.decode()
    # then
    assert "Drop at the hub by" in page
    assert "The Fair depot" in page
    assert "Mark shipped" not in page
    # when
    response = client.post(
        f"/manage/members/olive-grove/orders/{paid.number}/hub-drop/"
    )
    # then
    assert response.status_code == 302
    part = paid.fulfilments.get(member=fair["olives"])
    assert part.hub_dropped_at is not None
    assert "Dropped at the hub" in client.get(url).content.decode()


def test_another_members_team_cannot_drop_this_part(
    client: Client, fair: dict[str, Any], paid: Order
) -> None:
    client.force_login(_team_user(fair["potter"]))
    response = client.post(
        f"/manage/members/olive-grove/orders/{paid.number}/hub-drop/"
    )
    assert response.status_code == 404
    assert not paid.fulfilments.filter(hub_dropped_at__isnull=False).exists()


# --- The hub ------------------------------------------------------------------------


def test_the_hub_screen_lists_parts_and_sends_the_parcel(
    fair: dict[str, Any], paid: Order, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    admin = _admin_client(fair)
    url = f"/manage/clusters/{fair['cluster'].slug}/hub/"
    page = admin.get(url).content.decode()
    assert paid.number in page
    assert "Not yet" in page
    assert "Send the parcel" not in page
    for member in ("olives", "potter", "jam_maker"):
        part = paid.fulfilments.get(member=fair[member])
        from purei.core.actor import Actor

        hub_drop_mark(actor=Actor(user=_team_user(fair[member])), fulfilment=part)
    assert "Send the parcel" in admin.get(url).content.decode()
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            url,
            {
                "number": paid.number,
                f"{paid.number}-carrier": "NZ Post",
                f"{paid.number}-tracking_number": "NZP987",
            },
        )
    # then
    assert response.status_code == 302
    assert set(paid.fulfilments.values_list("status", flat=True)) == {S.SHIPPED}
    assert len(mail.outbox) == 1
    assert "NZP987" in admin.get(url).content.decode()


def test_the_hub_settings_screen_saves_the_rule_and_rates(
    fair: dict[str, Any],
) -> None:
    # given
    admin = _admin_client(fair)
    url = f"/manage/clusters/{fair['cluster'].slug}/hub/settings/"
    assert "The Fair depot" in admin.get(url).content.decode()
    # when
    response = admin.post(
        url,
        {
            "hub-enabled": "on",
            "hub-hub_name": "Kitchener Street depot",
            "hub-hub_address": "12 Kitchener Street, Martinborough 5711",
            "hub-cutoff_kind": "hours",
            "hub-cutoff_hours": "36",
            "hub-split_rule": "equal",
            "hub-rural_surcharge": "5.75",
            "hub-free_over": "",
            "rates-TOTAL_FORMS": "2",
            "rates-INITIAL_FORMS": "0",
            "rates-0-zone": "north",
            "rates-0-max_weight": "",
            "rates-0-price": "14.00",
            "rates-1-zone": "",
            "rates-1-max_weight": "",
            "rates-1-price": "",
            "action": "save",
        },
    )
    # then
    assert response.status_code == 302
    hub = HubDelivery.objects.get(cluster=fair["cluster"])
    assert (hub.hub_name, hub.cutoff_hours, hub.split_rule) == (
        "Kitchener Street depot",
        36,
        "equal",
    )
    assert list(hub.policy.rates.values_list("price_cents", flat=True)) == [1400]


def test_the_hub_settings_screen_shows_what_is_wrong(fair: dict[str, Any]) -> None:
    admin = _admin_client(fair)
    url = f"/manage/clusters/{fair['cluster'].slug}/hub/settings/"
    response = admin.post(
        url,
        {
            "hub-enabled": "on",
            "hub-hub_name": "",
            "hub-cutoff_kind": "weekly",
            "hub-split_rule": "weight",
            "rates-TOTAL_FORMS": "1",
            "rates-INITIAL_FORMS": "0",
            "rates-0-zone": "north",
            "rates-0-max_weight": "",
            "rates-0-price": "abc",
            "action": "save",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Name the hub" in page
    assert "Choose the day of the week" in page
    assert "Rate row 1" in page
    fair["hub"].refresh_from_db()
    assert fair["hub"].hub_name == "The Fair depot"


# --- The API ------------------------------------------------------------------------


def _send(client: Client, method: str, path: str, body: Any = None) -> Any:
    return client.generic(
        method,
        f"/api/v1{path}",
        json.dumps(body) if body is not None else "",
        content_type="application/json",
    )


def test_api_checkout_through_the_hub(client: Client, fair: dict[str, Any]) -> None:
    # given
    _shop_basket(client, fair)
    slug = fair["cluster"].slug
    assert _send(client, "GET", f"/clusters/{slug}/cart").json()["hub_offered"]
    body = {
        "email": "aroha@example.nz",
        "name": "Aroha",
        "payment_method": "test",
        "idempotency_key": "hub-api-checkout-0001",
        "address": {
            "country": "NZ",
            "line1": "410 Lake Ferry Road",
            "line2": "RD 2",
            "town": "Martinborough",
            "postcode": "5782",
            "region": "NZ-WGN",
            "rural": True,
        },
        "hub": True,
        "payment": CARD,
    }
    # when
    response = _send(client, "POST", f"/clusters/{slug}/checkout", body)
    # then
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["shipping_cents"] == 1825
    assert order["parcel"]["status"] == "gathering"
    assert order["parcel"]["charge_cents"] == 1825
    assert order["parcel"]["split_rule"] == "weight"
    assert all(part["via_hub"] for part in order["fulfilments"])
    shares = {p["supplier_name"]: p["shipping_cents"] for p in order["fulfilments"]}
    assert shares == {"Olive Grove": 608, "Clay Potter": 761, "Jam Maker": 456}


def test_api_hub_settings_drop_and_dispatch(
    fair: dict[str, Any], paid: Order, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    admin = _admin_client(fair)
    slug = fair["cluster"].slug
    # when the settings are read and set
    read = _send(admin, "GET", f"/clusters/{slug}/hub-delivery").json()
    assert read["hub_name"] == "The Fair depot"
    assert read["cutoff"] == "the first Thursday, 12:00 pm, after the order is paid"
    put = _send(
        admin,
        "PUT",
        f"/clusters/{slug}/hub-delivery",
        {
            **{k: read[k] for k in ("enabled", "hub_name", "hub_address")},
            "cutoff_kind": "hours",
            "cutoff_hours": 48,
            "split_rule": "value",
            "rural_surcharge_cents": 575,
            "rates": [{"zone": "north", "max_weight_grams": None, "price_cents": 1500}],
        },
    )
    assert put.status_code == 200, put.content
    assert put.json()["split_rule"] == "value"
    assert put.json()["rates"] == [
        {"zone": "north", "max_weight_grams": None, "price_cents": 1500}
    ]
    # when a part is missing, dispatching is refused
    refused = _send(
        admin,
        "POST",
        f"/clusters/{slug}/hub/parcels/{paid.number}/dispatch",
        {"carrier": "NZ Post", "tracking_number": "NZP1"},
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "hub_parts_missing"
    # when every member drops its part through the API
    for member, slug_of in (
        ("olives", "olive-grove"),
        ("potter", "clay-potter"),
        ("jam_maker", "jam-maker"),
    ):
        team = Client()
        team.force_login(_team_user(fair[member]))
        dropped = _send(
            team, "POST", f"/members/{slug_of}/fulfilments/{paid.number}/hub-drop"
        )
        assert dropped.status_code == 200, dropped.content
        assert dropped.json()["via_hub"] is True
        assert dropped.json()["hub_dropped_at"] is not None
    parcels = _send(admin, "GET", f"/clusters/{slug}/hub/parcels").json()
    assert [p["order"] for p in parcels] == [paid.number]
    assert all(part["dropped_at"] for part in parcels[0]["parts"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(
            admin,
            "POST",
            f"/clusters/{slug}/hub/parcels/{paid.number}/dispatch",
            {"carrier": "NZ Post", "tracking_number": "NZP1"},
        )
    # then
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "left"
    assert sent.json()["tracking_number"] == "NZP1"
    assert AuditEntry.objects.filter(verb="hub_parcel.dispatched").count() == 1
