"""Delivery estimated in the cart: per maker, for a region, priced as checkout
prices it — so the figure in the cart is what checkout charges."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster, Region
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory
from purei.orders.models import (
    Cart,
    ChilledRate,
    Fulfilment,
    ShippingPolicy,
    ShippingRate,
    Zone,
)
from purei.orders.services.cart import cart_add, cart_get_or_create, cart_summary
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    Choice,
    order_place,
)
from purei.orders.services.delivery_estimate import (
    EstimateKind,
    cart_delivery_estimate,
    region_of,
)
from purei.orders.tests.factories import PickupEventFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

# A Monday morning in New Zealand, so delivery days are never in question.
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)

STREETS = {
    "NZ-AUK": Address(
        country="NZ",
        line1="12 Queen Street",
        town="Auckland",
        postcode="1010",
        region="NZ-AUK",
    ),
    "NZ-WGN": Address(
        country="NZ",
        line1="12 Cuba Street",
        town="Wellington",
        postcode="6011",
        region="NZ-WGN",
    ),
    "NZ-CAN": Address(
        country="NZ",
        line1="1 Colombo Street",
        town="Christchurch",
        postcode="8011",
        region="NZ-CAN",
    ),
}


def _variant(
    cluster: Cluster, member: Member, *, price: int, grams: int = 500, **fields: Any
) -> Variant:
    variant = Variant.objects.get(
        product=public_product(cluster, member=member, title_en=f"Thing {price}")
    )
    variant.price_cents = price
    variant.stock = 50
    variant.weight_grams = grams
    for name, value in fields.items():
        setattr(variant, name, value)
    variant.save()
    return variant


@pytest.fixture
def fair(db: Any) -> dict[str, Any]:
    """A cluster whose default rates cover both islands; one maker (bees) with
    its own rates, free delivery over $100 and a rural surcharge, North Island
    only; one (pots) on the cluster's rates; one (stall) that only sells at the
    cluster's pickup events."""
    cluster = ClusterFactory.create(slug="fair")
    default = ShippingPolicy.objects.create(cluster=cluster)
    for zone, cents in ((Zone.NORTH_ISLAND, 850), (Zone.SOUTH_ISLAND, 1250)):
        ShippingRate.objects.create(
            policy=default, zone=zone, max_weight_grams=None, price_cents=cents
        )
    bees = MemberFactory.create(
        slug="bees", trading_name="Bees", gst_registered=True, gst_number="49091850"
    )
    own = ShippingPolicy.objects.create(
        member=bees, free_over_cents=10_000, rural_surcharge_cents=575
    )
    ShippingRate.objects.create(
        policy=own, zone=Zone.NORTH_ISLAND, max_weight_grams=2000, price_cents=700
    )
    ShippingRate.objects.create(
        policy=own, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=1400
    )
    pots = MemberFactory.create(slug="pots", trading_name="Pots")
    stall = MemberFactory.create(slug="stall", trading_name="Stall")
    ShippingPolicy.objects.create(member=stall, pickup_at_premises=True)
    return {
        "cluster": cluster,
        "bees": bees,
        "pots": pots,
        "stall": stall,
        "honey": _variant(cluster, bees, price=2450),
        "bowl": _variant(cluster, pots, price=6000, grams=1500),
    }


def _cart(cluster: Cluster, *items: tuple[Variant, int]) -> Cart:
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    for variant, quantity in items:
        cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    return cart


def _estimate(cluster: Cluster, cart: Cart, region: str) -> Any:
    return cart_delivery_estimate(
        cluster=cluster,
        summary=cart_summary(cart),
        region=Region.objects.get(code=region),
        now=MONDAY,
    )


def test_each_makers_part_is_priced_by_its_own_rates_for_the_regions_island(
    fair: dict[str, Any],
) -> None:
    # given
    cart = _cart(fair["cluster"], (fair["honey"], 1), (fair["bowl"], 1))
    # when
    north = _estimate(fair["cluster"], cart, "NZ-WGN")
    south = _estimate(fair["cluster"], cart, "NZ-CAN")
    # then
    assert north.region.code == "NZ-WGN"
    bees, pots = north.for_member(fair["bees"].pk), north.for_member(fair["pots"].pk)
    assert (bees.kind, bees.shipping_cents) == (EstimateKind.PRICED, 700)
    assert (pots.kind, pots.shipping_cents) == (EstimateKind.PRICED, 850)
    assert north.shipping_cents == 1550
    assert north.complete
    # Bees send to the North Island only; the cluster's rates take Pots south.
    bees_south = south.for_member(fair["bees"].pk)
    assert bees_south.kind == EstimateKind.NO_DELIVERY
    assert bees_south.shipping_cents is None
    assert "does not deliver" in bees_south.message
    assert south.for_member(fair["pots"].pk).shipping_cents == 1250
    assert south.shipping_cents == 1250
    assert not south.complete


def test_free_delivery_over_the_makers_threshold_is_free(
    fair: dict[str, Any],
) -> None:
    # given: $122.50 of honey, over Bees' $100
    cart = _cart(fair["cluster"], (fair["honey"], 5))
    # when
    estimate = _estimate(fair["cluster"], cart, "NZ-AUK")
    # then
    part = estimate.for_member(fair["bees"].pk)
    assert part.free
    assert part.shipping_cents == 0


def test_a_maker_that_only_sells_for_pickup_is_shown_as_pickup(
    fair: dict[str, Any],
) -> None:
    # given
    PickupEventFactory.create(cluster=fair["cluster"])
    jam = _variant(fair["cluster"], fair["stall"], price=900)
    ShippingPolicy.objects.filter(member=fair["stall"]).update(pickup_at_premises=False)
    ShippingRate.objects.filter(policy__cluster=fair["cluster"]).delete()
    cart = _cart(fair["cluster"], (jam, 1))
    # when
    estimate = _estimate(fair["cluster"], cart, "NZ-AUK")
    # then
    part = estimate.for_member(fair["stall"].pk)
    assert part.kind == EstimateKind.NO_DELIVERY
    assert part.pickup


def test_freight_on_quote_goods_are_estimated_as_freight(
    fair: dict[str, Any],
) -> None:
    # given
    beam = _variant(
        fair["cluster"], fair["pots"], price=45_000, grams=80_000, freight_on_quote=True
    )
    cart = _cart(fair["cluster"], (beam, 1))
    # when
    part = _estimate(fair["cluster"], cart, "NZ-AUK").for_member(fair["pots"].pk)
    # then
    assert part.kind == EstimateKind.FREIGHT
    assert part.shipping_cents is None


def test_chilled_goods_are_priced_by_the_chilled_courier_or_not_at_all(
    fair: dict[str, Any],
) -> None:
    # given: oysters from Bees, who send chilled to the North Island only
    policy = ShippingPolicy.objects.get(member=fair["bees"])
    policy.dispatch_weekdays = [0, 1, 2, 3]
    policy.dispatch_cutoff = datetime.time(12, 0)
    policy.save()
    ChilledRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, price_cents=2400, transit_days=1
    )
    oysters = _variant(fair["cluster"], fair["bees"], price=3600, cold_chain="chilled")
    cart = _cart(fair["cluster"], (oysters, 1))
    # when
    north = _estimate(fair["cluster"], cart, "NZ-AUK").for_member(fair["bees"].pk)
    south = _estimate(fair["cluster"], cart, "NZ-CAN").for_member(fair["bees"].pk)
    # then
    assert (north.kind, north.shipping_cents) == (EstimateKind.PRICED, 2400)
    assert south.kind == EstimateKind.NO_DELIVERY
    assert "chilled" in south.message


@pytest.mark.parametrize("region", ["NZ-AUK", "NZ-WGN", "NZ-CAN"])
@pytest.mark.parametrize("honey_jars", [1, 5])
def test_the_estimate_is_what_checkout_charges_for_an_address_in_the_region(
    fair: dict[str, Any], region: str, honey_jars: int
) -> None:
    # given
    cluster = fair["cluster"]
    items = [(fair["bowl"], 2)]
    if region != "NZ-CAN":  # Bees don't deliver there
        items.append((fair["honey"], honey_jars))
    cart = _cart(cluster, *items)
    estimate = _estimate(cluster, cart, region)
    # when: the shopper checks out to a street in that region, all delivered
    order = order_place(
        cart=cart,
        details=CheckoutDetails(
            email="aroha@example.nz",
            name="Aroha",
            payment_method="bank_transfer",
            idempotency_key=uuid.uuid4().hex,
            address=STREETS[region],
            choices={p.member_id: Choice("delivery") for p in estimate.parts},
        ),
        now=MONDAY,
    )
    # then
    charged = {
        f.member_id: f.shipping_cents for f in Fulfilment.objects.filter(order=order)
    }
    assert charged == {p.member_id: p.shipping_cents for p in estimate.parts}
    assert order.shipping_cents == estimate.shipping_cents


def test_no_estimate_for_an_empty_cart(fair: dict[str, Any]) -> None:
    # given
    empty = _cart(fair["cluster"])
    # then
    assert _estimate(fair["cluster"], empty, "NZ-AUK") is None


def test_a_region_is_found_by_its_code_in_any_case() -> None:
    # given
    regions = list(Region.objects.all())
    # then
    found = region_of(regions, " nz-wgn ")
    assert found is not None
    assert found.code == "NZ-WGN"
    assert region_of(regions, "NZ-XXX") is None
    assert region_of(regions, "") is None


def test_the_estimate_costs_a_fixed_number_of_queries(fair: dict[str, Any]) -> None:
    # given: a cart from two makers, and one from six
    two = cart_summary(_cart(fair["cluster"], (fair["honey"], 1), (fair["bowl"], 1)))
    makers = [MemberFactory.create(slug=f"six-{i}") for i in range(6)]
    six = cart_summary(
        _cart(
            fair["cluster"],
            *(
                (_variant(fair["cluster"], m, price=1000 + i), 1)
                for i, m in enumerate(makers)
            ),
        )
    )
    auckland = Region.objects.get(code="NZ-AUK")
    # when
    counts = []
    for summary in (two, six):
        with CaptureQueriesContext(connection) as captured:
            cart_delivery_estimate(
                cluster=fair["cluster"], summary=summary, region=auckland
            )
        counts.append(len(captured.captured_queries))
    # then
    assert counts[0] == counts[1]
    assert counts[1] <= 6
