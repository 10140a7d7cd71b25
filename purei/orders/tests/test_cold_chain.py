"""Perishables: chilled courier rates, delivery days, the no-weekend rule for cold
goods, the day chosen at checkout (page and API) and what the packer sees."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.models import User
from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.models import Member
from purei.orders.delivery_days import delivery_days
from purei.orders.models import ChilledRate, Fulfilment, OrderLine, ShippingPolicy, Zone
from purei.orders.services import (
    ChilledRateRow,
    ShippingPolicyInput,
    shipping_settings_save,
)
from purei.orders.services.cart import cart_add, cart_get_or_create, cart_summary
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    Choice,
    checkout_quote,
    order_place,
)
from purei.orders.tests.factories import ShippingPolicyFactory, rate_table
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

NZ = ZoneInfo("Pacific/Auckland")
# Thursday 5 March 2026, 9 am in New Zealand.
THURSDAY_9AM = datetime.datetime(2026, 3, 5, 9, 0, tzinfo=NZ)
AUCKLAND = Address(
    country="NZ",
    line1="12 Queen Street",
    town="Auckland",
    postcode="1021",
    region="NZ-AUK",
)
DAYS = datetime.date  # shorthand in the expectations below


@pytest.fixture(autouse=True)
def _payments(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""


def _oysters(cluster: Cluster, member: Member, cold: str = "chilled") -> Variant:
    variant = Variant.objects.get(
        product=public_product(cluster, member=member, title_en="Te Hiku oysters")
    )
    variant.price_cents = 3600
    variant.stock = 20
    variant.weight_grams = 1200
    variant.sku = "OYS-12"
    variant.cold_chain = cold
    variant.harvested_on = datetime.date(2026, 3, 3)
    variant.best_before = datetime.date(2026, 3, 10)
    variant.save()
    return variant


def _member_policy(
    member: Member,
    *,
    chilled: list[tuple[str, int, int]] | None = None,
    weekdays: list[int] | None = None,
) -> ShippingPolicy:
    policy = ShippingPolicyFactory.create(
        member=member,
        cluster=None,
        dispatch_weekdays=weekdays if weekdays is not None else [0, 1, 2, 3, 4],
        dispatch_cutoff=datetime.time(12, 0),
        transit_days=2,
    )
    rate_table(policy, [(Zone.NORTH_ISLAND, None, 850)])
    for zone, cents, days in chilled or []:
        ChilledRate.objects.create(
            policy=policy, zone=zone, price_cents=cents, transit_days=days
        )
    return policy


def _cart(cluster: Cluster, *variants: Variant) -> Any:
    cart = cart_get_or_create(cluster=cluster, user=None, session_key="s" * 32)
    for variant in variants:
        cart_add(cart=cart, variant_id=variant.pk, quantity=1)
    return cart


def _details(member: Member, day: str | None) -> CheckoutDetails:
    return CheckoutDetails(
        email="aroha@example.nz",
        name="Aroha",
        payment_method="test",
        idempotency_key=uuid.uuid4().hex,
        address=AUCKLAND,
        choices={member.pk: Choice("delivery", delivery_day=day)},
    )


# --- The rule: arrival = dispatch + transit; cold goods never meet a weekend -------


def test_cold_goods_skip_a_friday_dispatch_that_would_arrive_on_saturday() -> None:
    # given: dispatch Monday to Friday, one day in transit, Thursday 9 am
    # when
    cold = delivery_days(
        weekdays=[0, 1, 2, 3, 4],
        cutoff=datetime.time(12, 0),
        transit_days=1,
        cold=True,
        now=THURSDAY_9AM,
    )
    ambient = delivery_days(
        weekdays=[0, 1, 2, 3, 4],
        cutoff=datetime.time(12, 0),
        transit_days=1,
        cold=False,
        now=THURSDAY_9AM,
    )
    # then: Thursday (before the cutoff) → Friday; Friday → Saturday only ambient
    assert [d.arrival for d in cold][:3] == [
        DAYS(2026, 3, 6),
        DAYS(2026, 3, 10),
        DAYS(2026, 3, 11),
    ]
    assert all(d.dispatch.weekday() < 5 and d.arrival.weekday() < 5 for d in cold)
    assert DAYS(2026, 3, 7) in [d.arrival for d in ambient]


def test_after_the_cutoff_today_is_not_a_dispatch_day() -> None:
    # given: Thursday 1 pm, cutoff noon
    now = THURSDAY_9AM.replace(hour=13)
    # when
    days = delivery_days(
        weekdays=[3], cutoff=datetime.time(12, 0), transit_days=1, cold=True, now=now
    )
    # then: next Thursday is the first dispatch
    assert days[0].dispatch == DAYS(2026, 3, 12)


def test_no_dispatch_days_offer_no_delivery_days() -> None:
    assert (
        delivery_days(
            weekdays=[], cutoff=None, transit_days=1, cold=False, now=THURSDAY_9AM
        )
        == ()
    )


# --- Members set chilled rates and delivery days -----------------------------------


def _save(actor: Actor, member: Member, **policy: Any) -> ShippingPolicy:
    return shipping_settings_save(
        actor=actor,
        member=member,
        details=ShippingPolicyInput(
            dispatch_weekdays=policy.get("weekdays", ["1", "2", "3"]),
            dispatch_cutoff=policy.get("cutoff", "11:30"),
            transit_days="2",
        ),
        rows=[],
        chilled=policy.get(
            "chilled",
            [ChilledRateRow(zone="north", price="24.00", transit_days="1")],
        ),
    )


@pytest.mark.parametrize("who", ["member_a_owner", "member_a_staff"])
def test_the_team_sets_chilled_rates_and_delivery_days(
    who: str, member_a: Member, request: pytest.FixtureRequest
) -> None:
    # given
    actor: Actor = request.getfixturevalue(who)
    # when
    policy = _save(actor, member_a)
    # then
    policy.refresh_from_db()
    assert policy.dispatch_weekdays == [1, 2, 3]
    assert policy.dispatch_cutoff == datetime.time(11, 30)
    rate = ChilledRate.objects.get(policy=policy)
    assert (rate.zone, rate.price_cents, rate.transit_days) == ("north", 2400, 1)
    assert AuditEntry.objects.filter(verb="shipping_chilled_rates.replaced").exists()


@pytest.mark.parametrize(
    "who",
    ["cluster_x_admin", "cluster_y_admin", "customer", "platform_staff", "anonymous"],
)
def test_no_one_else_sets_a_members_chilled_rates(
    who: str, member_a: Member, request: pytest.FixtureRequest
) -> None:
    # given
    actor: Actor = request.getfixturevalue(who)
    # when
    with pytest.raises(NotPermitted):
        _save(actor, member_a)
    # then
    assert not ChilledRate.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("policy", "field"),
    [
        ({"weekdays": []}, "dispatch_weekdays"),
        ({"weekdays": ["8"]}, "dispatch_weekdays"),
        ({"cutoff": ""}, "dispatch_cutoff"),
        ({"cutoff": "noon"}, "dispatch_cutoff"),
        ({"chilled": [ChilledRateRow(zone="au", price="40")]}, "chilled.0.zone"),
        (
            {"chilled": [ChilledRateRow(zone="north", price="", transit_days="1")]},
            "chilled.0.price",
        ),
        (
            {"chilled": [ChilledRateRow(zone="north", price="9", transit_days="0")]},
            "chilled.0.transit_days",
        ),
        (
            {
                "chilled": [
                    ChilledRateRow(zone="north", price="9"),
                    ChilledRateRow(zone="north", price="10"),
                ]
            },
            "chilled.1.zone",
        ),
    ],
)
def test_bad_delivery_settings_are_refused_and_nothing_changes(
    policy: dict[str, Any], field: str, member_a: Member, member_a_owner: Actor
) -> None:
    # when
    with pytest.raises(ValidationFailed) as caught:
        _save(member_a_owner, member_a, **policy)
    # then
    assert field in caught.value.errors
    assert not ChilledRate.objects.exists()
    assert not ShippingPolicy.objects.filter(member=member_a).exists()


def test_a_clusters_default_policy_has_no_chilled_rates(
    cluster_x: Cluster, cluster_x_admin: Actor
) -> None:
    # when
    with pytest.raises(ValidationFailed) as caught:
        shipping_settings_save(
            actor=cluster_x_admin,
            cluster=cluster_x,
            details=ShippingPolicyInput(),
            rows=[],
            chilled=[ChilledRateRow(zone="north", price="20")],
        )
    # then
    assert "chilled" in caught.value.errors
    assert not ChilledRate.objects.exists()


# --- Checkout ------------------------------------------------------------------------


def test_a_chilled_part_is_priced_at_the_chilled_rate_with_weekday_arrivals(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given: chilled 24.00 north, 1 day in transit
    _member_policy(member_a, chilled=[(Zone.NORTH_ISLAND, 2400, 1)])
    cart = _cart(cluster_x, _oysters(cluster_x, member_a))
    # when
    quote = checkout_quote(
        cluster=cluster_x,
        summary=cart_summary(cart),
        address=AUCKLAND,
        choices={member_a.pk: Choice("delivery")},
        now=THURSDAY_9AM,
    )
    # then
    part = quote.parts[0]
    assert part.chilled is True
    assert part.shipping_cents == 2400
    assert part.problem == ""
    arrivals = [day.arrival for day in part.days]
    assert DAYS(2026, 3, 7) not in arrivals  # Friday's dispatch would be Saturday
    assert all(day.weekday() < 5 for day in arrivals)
    assert part.day is None  # nothing chosen for the shopper


def test_an_ambient_part_keeps_the_ordinary_rate(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given: an avocado is perishable but not chilled
    _member_policy(member_a, chilled=[(Zone.NORTH_ISLAND, 2400, 1)])
    cart = _cart(cluster_x, _oysters(cluster_x, member_a, cold="perishable"))
    # when
    quote = checkout_quote(
        cluster=cluster_x,
        summary=cart_summary(cart),
        address=AUCKLAND,
        choices={member_a.pk: Choice("delivery")},
        now=THURSDAY_9AM,
    )
    # then: the ordinary rate, two courier days, weekends allowed
    part = quote.parts[0]
    assert part.chilled is False
    assert part.shipping_cents == 850
    assert part.days[0].arrival == DAYS(2026, 3, 7)


def test_without_a_chilled_rate_for_the_zone_delivery_is_refused(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given: chilled only to the South Island; the shopper is in Auckland
    _member_policy(member_a, chilled=[(Zone.SOUTH_ISLAND, 2900, 2)])
    variant = _oysters(cluster_x, member_a)
    cart = _cart(cluster_x, variant)
    # when
    with pytest.raises(ValidationFailed) as caught:
        order_place(
            cart=cart, details=_details(member_a, "2026-03-06"), now=THURSDAY_9AM
        )
    # then
    message = caught.value.errors[f"choice.{member_a.pk}"][0]
    assert "no chilled courier to this address" in message
    assert not Fulfilment.objects.exists()
    variant.refresh_from_db()
    assert variant.stock == 20


@pytest.mark.parametrize("day", [None, "", "2026-03-07", "not-a-day"])
def test_a_missing_or_unoffered_day_is_refused_naming_the_field(
    day: str | None, cluster_x: Cluster, member_a: Member
) -> None:
    # given
    _member_policy(member_a, chilled=[(Zone.NORTH_ISLAND, 2400, 1)])
    cart = _cart(cluster_x, _oysters(cluster_x, member_a))
    # when
    with pytest.raises(ValidationFailed) as caught:
        order_place(cart=cart, details=_details(member_a, day), now=THURSDAY_9AM)
    # then
    assert list(caught.value.errors) == [f"choice.{member_a.pk}.delivery_day"]
    assert not Fulfilment.objects.exists()


def test_the_chosen_day_and_the_cold_chain_are_kept_on_the_order(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given
    _member_policy(member_a, chilled=[(Zone.NORTH_ISLAND, 2400, 1)])
    cart = _cart(cluster_x, _oysters(cluster_x, member_a))
    # when
    order = order_place(
        cart=cart, details=_details(member_a, "2026-03-10"), now=THURSDAY_9AM
    )
    # then: arriving Tuesday, sent Monday
    fulfilment = Fulfilment.objects.get(order=order)
    assert fulfilment.chilled is True
    assert fulfilment.delivery_on == DAYS(2026, 3, 10)
    assert fulfilment.dispatch_on == DAYS(2026, 3, 9)
    assert fulfilment.shipping_cents == 2400
    line = OrderLine.objects.get(order=order)
    assert (line.cold_chain, line.harvested_on, line.best_before) == (
        "chilled",
        DAYS(2026, 3, 3),
        DAYS(2026, 3, 10),
    )


def test_pickup_is_still_offered_for_chilled_goods(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given: no chilled rate at all, but pickup at the premises
    policy = _member_policy(member_a)
    policy.pickup_at_premises = True
    policy.pickup_address = "1 Wharf Road, Awanui"
    policy.save()
    cart = _cart(cluster_x, _oysters(cluster_x, member_a))
    details = _details(member_a, None)
    details = CheckoutDetails(
        **{**details.__dict__, "choices": {member_a.pk: Choice("pickup_premises")}}
    )
    # when
    order = order_place(cart=cart, details=details, now=THURSDAY_9AM)
    # then
    fulfilment = Fulfilment.objects.get(order=order)
    assert fulfilment.method == "pickup_premises"
    assert fulfilment.chilled is True
    assert fulfilment.delivery_on is None


# --- The API --------------------------------------------------------------------------


def _api_checkout(
    client: Client, cluster: Cluster, member: Member, choice: dict[str, Any]
) -> Any:
    body = {
        "email": "aroha@example.nz",
        "name": "Aroha",
        "payment_method": "test",
        "idempotency_key": uuid.uuid4().hex,
        "address": {
            "country": "NZ",
            "line1": "12 Queen Street",
            "town": "Auckland",
            "postcode": "1021",
            "region": "NZ-AUK",
        },
        "choices": {str(member.pk): choice},
        "payment": {
            "card_number": "4242424242424242",
            "expiry": "12/39",
            "cvc": "123",
        },
    }
    return client.post(
        f"/api/v1/clusters/{cluster.slug}/checkout",
        json.dumps(body),
        content_type="application/json",
    )


def _api_cart(client: Client, variant: Variant, cluster: Cluster) -> None:
    response = client.post(
        f"/api/v1/clusters/{cluster.slug}/cart/lines",
        json.dumps({"variant": variant.pk, "quantity": 1}),
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize("day", [None, "2026-02-30", "1999-01-01"])
def test_the_api_refuses_a_missing_or_bad_delivery_day_with_422(
    day: str | None, cluster_x: Cluster, member_a: Member
) -> None:
    # given
    _member_policy(member_a, chilled=[(Zone.NORTH_ISLAND, 2400, 1)])
    client = Client()
    _api_cart(client, _oysters(cluster_x, member_a), cluster_x)
    choice: dict[str, Any] = {"method": "delivery"}
    if day is not None:
        choice["delivery_day"] = day
    # when
    response = _api_checkout(client, cluster_x, member_a, choice)
    # then
    assert response.status_code == 422
    body = response.json()
    assert f"choice.{member_a.pk}.delivery_day" in body["errors"]
    assert not Fulfilment.objects.exists()


def test_the_api_places_the_order_for_an_offered_day(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given: the first day the quote offers now
    _member_policy(member_a, chilled=[(Zone.NORTH_ISLAND, 2400, 1)])
    client = Client()
    variant = _oysters(cluster_x, member_a)
    _api_cart(client, variant, cluster_x)
    first = delivery_days(
        weekdays=[0, 1, 2, 3, 4],
        cutoff=datetime.time(12, 0),
        transit_days=1,
        cold=True,
        now=timezone.now(),
    )[0]
    # when
    response = _api_checkout(
        client,
        cluster_x,
        member_a,
        {"method": "delivery", "delivery_day": first.arrival.isoformat()},
    )
    # then
    assert response.status_code == 201, response.content
    part = response.json()["fulfilments"][0]
    assert part["delivery_on"] == first.arrival.isoformat()
    assert part["chilled"] is True
    assert part["lines"][0]["cold_chain"] == "chilled"


# --- What the packer and the shopper see ------------------------------------------


def test_the_packing_slip_shows_the_day_the_marks_and_the_dates(
    cluster_x: Cluster, member_a: Member, member_a_owner_user: User
) -> None:
    # given
    _member_policy(member_a, chilled=[(Zone.NORTH_ISLAND, 2400, 1)])
    cart = _cart(cluster_x, _oysters(cluster_x, member_a))
    order = order_place(
        cart=cart, details=_details(member_a, "2026-03-10"), now=THURSDAY_9AM
    )
    client = Client()
    client.force_login(member_a_owner_user)
    # when
    slip = client.get(
        f"/manage/members/{member_a.slug}/orders/{order.number}/packing-slip/"
    )
    screen = client.get(f"/manage/members/{member_a.slug}/orders/{order.number}/")
    # then
    assert slip.status_code == 200
    body = slip.content.decode()
    for text in (
        "Tuesday 10 March 2026",
        "Monday 9 March 2026",
        "Chilled",
        "Harvested 3 March 2026",
        "Best before 10 March 2026",
        "chilled courier",
    ):
        assert text in body, text
    assert "$" not in body
    assert "Tuesday 10 March 2026" in screen.content.decode()
