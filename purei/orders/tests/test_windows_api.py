"""Sales windows over the API (ADR 0016): public list and detail, an admin's
create and setup, a member's pick list per pickup point after checkout."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from purei.orders.models import SalesWindow
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import CheckoutDetails, Choice, order_place
from purei.orders.tests.factories import (
    PickupEventFactory,
    SalesWindowFactory,
    SalesWindowItemFactory,
)
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_open_and_upcoming_windows(client, cluster_x):
    # given
    SalesWindowFactory.create(cluster=cluster_x, name_en="Fair day")
    SalesWindowFactory.create(
        cluster=cluster_x,
        name_en="Old",
        opens_at=timezone.now() - dt.timedelta(days=9),
        closes_at=timezone.now() - dt.timedelta(days=8),
    )
    SalesWindowFactory.create(cluster=cluster_x, name_en="Hidden", is_active=False)
    # when
    body = client.get("/api/v1/clusters/cluster-x/sales-windows").json()
    # then
    assert [w["name_en"] for w in body] == ["Fair day"]
    assert body[0]["state"] == "open"


def test_an_admin_creates_and_sets_up_a_window(
    cluster_x, cluster_x_admin_user, member_a
):
    # given
    client = Client()
    client.force_login(cluster_x_admin_user)
    product = public_product(cluster_x, member=member_a)
    gate = PickupEventFactory.create(cluster=cluster_x)
    # when
    made = client.post(
        "/api/v1/clusters/cluster-x/manage/sales-windows",
        {
            "kind": "release",
            "name_en": "Vintage release",
            "open_date": "2030-03-01",
            "open_time": "09:00",
            "close_date": "2030-03-08",
            "close_time": "18:00",
        },
        content_type="application/json",
    )
    window_id = made.json()["id"]
    setup = client.put(
        f"/api/v1/clusters/cluster-x/manage/sales-windows/{window_id}/setup",
        {
            "items": [{"product_id": product.pk, "cap": 50, "per_customer_limit": 6}],
            "pickup_event_ids": [gate.pk],
        },
        content_type="application/json",
    )
    # then
    assert made.status_code == 201
    assert made.json()["opens"] == "Friday 1 March, 9 am (NZDT)"
    assert setup.status_code == 200
    assert setup.json()["items"][0]["per_customer_limit"] == 6
    assert [p["id"] for p in setup.json()["pickup_points"]] == [gate.pk]


def test_a_bad_window_is_422_naming_the_field(cluster_x, cluster_x_admin_user):
    client = Client()
    client.force_login(cluster_x_admin_user)
    response = client.post(
        "/api/v1/clusters/cluster-x/manage/sales-windows",
        {
            "kind": "box",
            "name_en": "",
            "open_date": "2030-03-01",
            "open_time": "09:00",
            "close_time": "08:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "name_en" in response.json()["errors"]


def test_a_members_pick_list_totals_per_pickup_point(
    cluster_x, member_a, member_a_owner_user
):
    # given two orders for the window's gate
    product = public_product(cluster_x, member=member_a, title_en="Christmas box")
    window = SalesWindowFactory.create(cluster=cluster_x, kind=SalesWindow.Kind.BOX)
    SalesWindowItemFactory.create(window=window, product=product, cap=20)
    gate = PickupEventFactory.create(
        cluster=cluster_x,
        sales_window=window,
        name_en="Gate",
        starts_at=timezone.now() + dt.timedelta(days=3),
        order_cutoff=timezone.now() + dt.timedelta(days=2),
    )
    variant = product.variants.get()
    for n, email in ((2, "a@example.nz"), (3, "b@example.nz")):
        cart = cart_get_or_create(
            cluster=cluster_x, user=None, session_key=uuid.uuid4().hex
        )
        cart_add(cart=cart, variant_id=variant.pk, quantity=n)
        order_place(
            cart=cart,
            details=CheckoutDetails(
                email=email,
                name="Shopper",
                payment_method="bank_transfer",
                idempotency_key=uuid.uuid4().hex,
                choices={member_a.pk: Choice("pickup_event", gate.pk)},
            ),
        )
    client = Client()
    client.force_login(member_a_owner_user)
    # when
    body = client.get(
        f"/api/v1/members/member-a/sales-windows/{window.pk}/pick-list"
    ).json()
    # then
    assert body["totals"] == [{"item": "Christmas box", "quantity": 5}]
    (group,) = body["groups"]
    assert group["label"].startswith("Gate")
    assert len(group["orders"]) == 2
