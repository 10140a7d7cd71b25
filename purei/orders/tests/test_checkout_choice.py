"""Delivery or pickup is the shopper's choice: nothing is chosen for them, except
where a part has exactly one way to get it (issue 11, defect 11: the checkout chose
pickup at a fair two months away, and the API did the same when nothing was sent).
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.core.errors import ValidationFailed
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Cart, Fulfilment, Order, PickupEvent, Zone
from purei.orders.services.cart import cart_add, cart_get_or_create, cart_summary
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    checkout_quote,
    order_place,
)
from purei.orders.tests.factories import ShippingPolicyFactory, rate_table
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

AUCKLAND = {
    "country": "NZ",
    "line1": "12 Queen Street",
    "town": "Auckland",
    "postcode": "1021",
    "region": "NZ-AUK",
}
AUCKLAND_ADDRESS = Address(
    country="NZ",
    line1="12 Queen Street",
    town="Auckland",
    postcode="1021",
    region="NZ-AUK",
)


@pytest.fixture(autouse=True)
def _payments(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""


def _variant(cluster: Cluster, member: Member, title: str) -> Variant:
    variant = Variant.objects.get(
        product=public_product(cluster, member=member, title_en=title)
    )
    variant.price_cents = 1800
    variant.stock = 10
    variant.weight_grams = 400
    variant.save()
    return variant


def _fair_day(cluster: Cluster, days: int = 62) -> PickupEvent:
    """A fair day about two months away (as the demo's 6 February fair)."""
    start = timezone.now() + datetime.timedelta(days=days)
    return PickupEvent.objects.create(
        cluster=cluster,
        name_en="Martinborough Fair day",
        venue="The Square, Martinborough",
        collection_point="Pūrei pickup tent",
        time_zone="Pacific/Auckland",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
        order_cutoff=start - datetime.timedelta(hours=15),
    )


@pytest.fixture
def fair(db: Any) -> dict[str, Any]:
    """A fair that delivers in the North Island and has a fair day ahead: every
    stallholder can be delivered to or picked up from."""
    cluster = ClusterFactory.create(slug="martinborough-fair")
    rate_table(
        ShippingPolicyFactory.create(member=None, cluster=cluster),
        [(Zone.NORTH_ISLAND, None, 900)],
    )
    olives = MemberFactory.create(slug="olive-grove", trading_name="Olive Grove")
    return {
        "cluster": cluster,
        "olives": olives,
        "oil": _variant(cluster, olives, "Olive oil"),
        "event": _fair_day(cluster),
    }


@pytest.fixture
def pickup_only(db: Any) -> dict[str, Any]:
    """A market with no delivery at all and one market day: its only way."""
    cluster = ClusterFactory.create(slug="night-market")
    stall = MemberFactory.create(slug="dumplings", trading_name="Dumpling Stall")
    return {
        "cluster": cluster,
        "stall": stall,
        "jar": _variant(cluster, stall, "Chilli oil"),
        "event": _fair_day(cluster, days=20),
    }


def _cart(cluster: Cluster, variant: Variant) -> Cart:
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    cart_add(cart=cart, variant_id=variant.pk, quantity=1)
    return cart


def _details(**overrides: Any) -> CheckoutDetails:
    values: dict[str, Any] = {
        "email": "aroha@example.nz",
        "name": "Aroha Te Wake",
        "payment_method": "bank_transfer",
        "idempotency_key": uuid.uuid4().hex,
        "address": AUCKLAND_ADDRESS,
    }
    values.update(overrides)
    return CheckoutDetails(**values)


# --- The service -------------------------------------------------------------------


@pytest.mark.parametrize("address", [None, AUCKLAND_ADDRESS])
def test_a_quote_chooses_nothing_when_there_is_a_choice(
    fair: dict[str, Any], address: Address | None
) -> None:
    # given
    cart = _cart(fair["cluster"], fair["oil"])
    # when
    quote = checkout_quote(
        cluster=fair["cluster"], summary=cart_summary(cart), address=address
    )
    # then
    (part,) = quote.parts
    assert part.choice is None
    assert part.event is None
    assert part.shipping_cents == 0
    assert not quote.needs_address


def test_placing_an_order_without_a_choice_names_the_part(fair: dict[str, Any]) -> None:
    # given
    cart = _cart(fair["cluster"], fair["oil"])
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_place(cart=cart, details=_details())
    # then
    field = f"choice.{fair['olives'].pk}"
    assert refused.value.field == field
    assert refused.value.errors == {
        field: ["Choose delivery or pickup for the items from Olive Grove."]
    }
    assert not Order.objects.exists()
    assert cart.lines.count() == 1


def test_a_part_with_one_way_only_takes_it_without_asking(
    pickup_only: dict[str, Any],
) -> None:
    # given: no delivery anywhere, one market day
    cart = _cart(pickup_only["cluster"], pickup_only["jar"])
    # when
    order = order_place(cart=cart, details=_details(address=None))
    # then
    fulfilment = order.fulfilments.get()
    assert fulfilment.method == Fulfilment.Method.PICKUP_EVENT
    assert fulfilment.pickup_event_id == pickup_only["event"].pk


def test_a_part_that_is_only_delivered_is_delivered_without_asking(
    fair: dict[str, Any],
) -> None:
    # given: the fair day is over (orders closed), so delivery is the only way
    PickupEvent.objects.update(order_cutoff=timezone.now())
    cart = _cart(fair["cluster"], fair["oil"])
    # when
    order = order_place(cart=cart, details=_details())
    # then
    fulfilment = order.fulfilments.get()
    assert fulfilment.method == Fulfilment.Method.DELIVERY
    assert fulfilment.shipping_cents == 900


# --- The checkout page -------------------------------------------------------------


def _checkout_url(cluster: Cluster) -> str:
    return reverse("settlement:checkout", kwargs={"slug": cluster.slug})


def _add(client: Client, cluster: Cluster, variant: Variant) -> None:
    client.post(
        reverse("orders:cart-add", kwargs={"slug": cluster.slug}),
        {"variant": variant.pk, "quantity": 1},
    )


def _radios(body: str, member: Member) -> dict[str, bool]:
    """value → checked, for the part's delivery or pickup radios."""
    found = re.findall(
        rf'<input type="radio" name="choice-{member.pk}"[^>]*value="([^"]+)"([^>]*)>',
        body,
    )
    return {value: " checked" in rest for value, rest in found}


def _place(client: Client, cluster: Cluster, **fields: str) -> Any:
    body = client.get(_checkout_url(cluster)).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', body)
    assert key is not None
    data = {
        "idempotency_key": key.group(1),
        "email": "aroha@example.nz",
        "name": "Aroha Te Wake",
        **AUCKLAND,
        "payment_method": "bank_transfer",
        "action": "place",
        **fields,
    }
    return client.post(_checkout_url(cluster), data)


def test_the_checkout_page_checks_no_way_for_the_shopper(
    client: Client, fair: dict[str, Any]
) -> None:
    # given
    _add(client, fair["cluster"], fair["oil"])
    # when
    body = client.get(_checkout_url(fair["cluster"])).content.decode()
    # then
    assert _radios(body, fair["olives"]) == {
        "delivery": False,
        f"event-{fair['event'].pk}": False,
    }


def test_the_address_given_still_checks_nothing(
    client: Client, fair: dict[str, Any]
) -> None:
    # given
    _add(client, fair["cluster"], fair["oil"])
    # when: "Update delivery prices" with an address
    response = _place(client, fair["cluster"], action="update")
    # then
    assert response.status_code == 200
    radios = _radios(response.content.decode(), fair["olives"])
    assert not any(radios.values())


def test_placing_without_a_choice_is_refused_beside_the_part(
    client: Client, fair: dict[str, Any]
) -> None:
    # given
    _add(client, fair["cluster"], fair["oil"])
    # when
    response = _place(client, fair["cluster"])
    # then
    assert response.status_code == 422
    body = response.content.decode()
    member = fair["olives"].pk
    message = "Choose delivery or pickup for the items from Olive Grove."
    assert f'<ul class="errorlist" id="choice-{member}-error"><li>{message}' in body
    assert f'href="#id_choice-{member}_0"' in body  # the error summary's link
    assert not any(_radios(body, fair["olives"]).values())
    assert not Order.objects.exists()


def test_placing_with_the_choice_made_places_the_order(
    client: Client, fair: dict[str, Any]
) -> None:
    # given
    _add(client, fair["cluster"], fair["oil"])
    # when
    response = _place(
        client,
        fair["cluster"],
        **{f"choice-{fair['olives'].pk}": f"event-{fair['event'].pk}"},
    )
    # then
    assert response.status_code == 302
    assert Order.objects.get().fulfilments.get().method == "pickup_event"


def test_the_page_checks_a_parts_only_way(
    client: Client, pickup_only: dict[str, Any]
) -> None:
    # given
    _add(client, pickup_only["cluster"], pickup_only["jar"])
    # when
    body = client.get(_checkout_url(pickup_only["cluster"])).content.decode()
    # then: the market day, checked; no delivery offered that does not exist
    assert _radios(body, pickup_only["stall"]) == {
        f"event-{pickup_only['event'].pk}": True
    }


# --- The API -----------------------------------------------------------------------


def _api_checkout(client: Client, cluster: Cluster, **body: Any) -> Any:
    payload = {
        "email": "aroha@example.nz",
        "name": "Aroha",
        "payment_method": "bank_transfer",
        "idempotency_key": uuid.uuid4().hex,
        "address": AUCKLAND,
        **body,
    }
    return client.post(
        f"/api/v1/clusters/{cluster.slug}/checkout",
        json.dumps(payload),
        content_type="application/json",
    )


def test_the_api_answers_422_naming_the_part_without_a_choice(
    client: Client, fair: dict[str, Any]
) -> None:
    # given
    _add(client, fair["cluster"], fair["oil"])
    # when: no choices sent
    response = _api_checkout(client, fair["cluster"])
    # then
    assert response.status_code == 422
    field = f"choice.{fair['olives'].pk}"
    assert response.json() == {
        "code": "invalid_checkout",
        "message": "Choose delivery or pickup for the items from Olive Grove.",
        "field": field,
        "errors": {
            field: ["Choose delivery or pickup for the items from Olive Grove."]
        },
    }
    assert not Order.objects.exists()


def test_the_api_takes_a_parts_only_way_when_none_is_sent(
    client: Client, pickup_only: dict[str, Any]
) -> None:
    # given
    _add(client, pickup_only["cluster"], pickup_only["jar"])
    # when
    response = _api_checkout(client, pickup_only["cluster"], address=None)
    # then
    assert response.status_code == 201, response.json()
    (part,) = response.json()["fulfilments"]
    assert part["method"] == "pickup_event"


def test_the_cart_api_lists_each_parts_ways_by_member_id(
    client: Client, fair: dict[str, Any]
) -> None:
    # given
    _add(client, fair["cluster"], fair["oil"])
    # when
    cart = client.get(f"/api/v1/clusters/{fair['cluster'].slug}/cart").json()
    # then: what a client needs to send ``choices`` at all
    (group,) = cart["groups"]
    assert group["member_id"] == fair["olives"].pk
    assert [(o["method"], o["event_id"]) for o in group["options"]] == [
        ("delivery", None),
        ("pickup_event", fair["event"].pk),
    ]
    assert group["options"][1]["pickup_event"]["name"] == "Martinborough Fair day"


def test_the_api_places_the_order_with_the_choice_sent(
    client: Client, fair: dict[str, Any]
) -> None:
    # given
    _add(client, fair["cluster"], fair["oil"])
    choice = {"method": "pickup_event", "event_id": fair["event"].pk}
    # when
    response = _api_checkout(
        client, fair["cluster"], choices={str(fair["olives"].pk): choice}
    )
    # then
    assert response.status_code == 201, response.json()
    (part,) = response.json()["fulfilments"]
    assert part["method"] == "pickup_event"


def test_the_api_refuses_a_choice_without_a_method(
    client: Client, fair: dict[str, Any]
) -> None:
    # given
    _add(client, fair["cluster"], fair["oil"])
    # when: an empty choice is no choice
    response = _api_checkout(
        client, fair["cluster"], choices={str(fair["olives"].pk): {}}
    )
    # then
    assert response.status_code == 422
    assert response.json()["field"] == f"choices.{fair['olives'].pk}.method"
    assert not Order.objects.exists()
