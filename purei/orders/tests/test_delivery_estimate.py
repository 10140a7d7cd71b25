"""The product page's delivery and pickup (``delivery_estimate_for``): checkout's
own prices for one of each option, to the region the shopper asks about."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from purei.catalogue.models import Product, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory
from purei.orders.delivery_selectors import delivery_estimate_for
from purei.orders.models import ChilledRate, Zone
from purei.orders.services.cart import cart_add, cart_get_or_create, cart_summary
from purei.orders.services.checkout import Address, Choice, checkout_quote
from purei.orders.tests.factories import (
    PickupEventFactory,
    ShippingPolicyFactory,
    rate_table,
)
from purei.search.tests.factories import VariantFactory, public_product

pytestmark = pytest.mark.django_db

# Before the factories' market day (Saturday 2 February 2030) closes for orders.
NOW = dt.datetime(2030, 1, 28, 22, 0, tzinfo=dt.UTC)  # Tuesday 29 January, 11 am NZDT


@pytest.fixture
def honey(db: Any) -> dict[str, Any]:
    cluster = ClusterFactory.create(slug="kai")
    maker = MemberFactory.create(slug="hive-hill", trading_name="Hive Hill")
    product = public_product(cluster, member=maker)
    Variant.objects.filter(product=product).update(
        name="250 g", price_cents=1850, weight_grams=300
    )
    VariantFactory.create(
        product=product, name="1 kg", price_cents=5800, weight_grams=1200
    )
    return {"cluster": cluster, "maker": maker, "product": product}


def _estimate(honey: dict[str, Any], region: str = "", **kwargs: Any) -> Any:
    product = Product.objects.select_related("member", "category").get(
        pk=honey["product"].pk
    )
    return delivery_estimate_for(
        cluster=honey["cluster"],
        product=product,
        variants=list(product.variants.order_by("pk")),
        region_code=region,
        now=kwargs.pop("now", NOW),
        **kwargs,
    )


def _ships(member: Member, **fields: Any) -> None:
    policy = ShippingPolicyFactory.create(member=member, **fields)
    rate_table(
        policy,
        [
            (Zone.NORTH_ISLAND, 1000, 850),
            (Zone.NORTH_ISLAND, 5000, 1250),
            (Zone.SOUTH_ISLAND, None, 1450),
        ],
    )


def test_without_a_region_it_lists_the_regions_and_prices_nothing(
    honey: dict[str, Any],
) -> None:
    # given
    _ships(honey["maker"])
    # when
    estimate = _estimate(honey)
    # then
    assert estimate.region is None
    assert estimate.ships is True
    assert estimate.delivery_low_cents is None
    assert "NZ-WGN" in [region.code for region in estimate.regions]


def test_each_option_is_priced_by_its_weight_from_the_cheapest(
    honey: dict[str, Any],
) -> None:
    # given
    _ships(honey["maker"])
    # when
    north = _estimate(honey, "nz-wgn")  # any case
    south = _estimate(honey, "NZ-CAN")
    # then: 300 g by the 1 kg tier, 1.2 kg by the 5 kg tier
    assert north.region is not None
    assert north.region.name_en == "Wellington"
    assert (north.delivery_low_cents, north.delivery_high_cents) == (850, 1250)
    assert north.prices_differ is True
    assert (south.delivery_low_cents, south.delivery_high_cents) == (1450, 1450)
    assert south.prices_differ is False


def test_the_estimate_is_what_checkout_charges_for_the_same_item(
    honey: dict[str, Any],
) -> None:
    # given: the 1 kg jar in a cart, to Wellington
    _ships(honey["maker"])
    cluster: Cluster = honey["cluster"]
    jar = Variant.objects.get(product=honey["product"], name="1 kg")
    cart = cart_get_or_create(cluster=cluster, user=None, session_key="s" * 32)
    cart_add(cart=cart, variant_id=jar.pk, quantity=1)
    # when
    quote = checkout_quote(
        cluster=cluster,
        summary=cart_summary(cart),
        address=Address(region="NZ-WGN"),
        choices={honey["maker"].pk: Choice("delivery")},
        now=NOW,
    )
    estimate = delivery_estimate_for(
        cluster=cluster,
        product=honey["product"],
        variants=[jar],
        region_code="NZ-WGN",
        now=NOW,
    )
    # then
    assert estimate.delivery_low_cents == quote.parts[0].shipping_cents == 1250


def test_a_region_the_member_does_not_serve_has_no_price(
    honey: dict[str, Any],
) -> None:
    # given: North Island only
    policy = ShippingPolicyFactory.create(member=honey["maker"])
    rate_table(policy, [(Zone.NORTH_ISLAND, None, 850)])
    # when
    estimate = _estimate(honey, "NZ-OTA")
    # then
    assert estimate.region is not None
    assert estimate.delivery_low_cents is None
    assert estimate.problem == ""  # the page says it does not deliver there


def test_an_unknown_region_is_no_region(honey: dict[str, Any]) -> None:
    # given
    _ships(honey["maker"])
    # when
    estimate = _estimate(honey, "<script>")
    # then
    assert estimate.region is None
    assert estimate.delivery_low_cents is None


def test_free_delivery_over_the_threshold_is_said_and_applied(
    honey: dict[str, Any],
) -> None:
    # given: free over $50, so the $58 jar goes free
    _ships(honey["maker"], free_over_cents=5000)
    # when
    estimate = _estimate(honey, "NZ-WGN")
    # then
    assert estimate.free_over_cents == 5000
    assert (estimate.delivery_low_cents, estimate.delivery_high_cents) == (0, 850)


def test_chilled_goods_go_by_the_chilled_rate_and_never_free(
    honey: dict[str, Any],
) -> None:
    # given
    Variant.objects.filter(product=honey["product"]).update(
        cold_chain=Variant.ColdChain.CHILLED
    )
    policy = ShippingPolicyFactory.create(
        member=honey["maker"],
        free_over_cents=1000,
        dispatch_weekdays=[0, 1, 2, 3, 4],
        dispatch_cutoff=dt.time(12, 0),
    )
    rate_table(policy, [(Zone.NORTH_ISLAND, None, 850)])
    ChilledRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, price_cents=2400, transit_days=1
    )
    # when
    estimate = _estimate(honey, "NZ-AUK")
    # then: sent Tuesday before noon, there Wednesday
    assert estimate.chilled is True
    assert estimate.delivery_low_cents == 2400
    assert estimate.free_over_cents is None
    assert estimate.earliest_arrival == dt.date(2030, 1, 30)


def test_freight_goods_are_quoted_not_priced(honey: dict[str, Any]) -> None:
    # given
    _ships(honey["maker"])
    Variant.objects.filter(product=honey["product"]).update(freight_on_quote=True)
    # when
    estimate = _estimate(honey, "NZ-WGN")
    # then
    assert estimate.quoted is True
    assert estimate.delivery_low_cents is None
    assert estimate.free_over_cents is None


def test_pickup_at_the_premises_and_at_events_the_member_is_in(
    honey: dict[str, Any],
) -> None:
    # given
    cluster, maker = honey["cluster"], honey["maker"]
    ShippingPolicyFactory.create(
        member=maker,
        pickup_at_premises=True,
        pickup_address="12 Hive Road, Martinborough",
        pickup_instructions="Ring the bell.",
    )
    PickupEventFactory.create(cluster=cluster, name_en="Fair day", members=[maker])
    PickupEventFactory.create(
        cluster=cluster, name_en="Not ours", members=[MemberFactory.create()]
    )
    # when
    estimate = _estimate(honey)
    # then
    assert estimate.ships is False
    assert estimate.offers_anything is True
    assert estimate.pickup_address == "12 Hive Road, Martinborough"
    assert estimate.pickup_instructions == "Ring the bell."
    assert [event.name for event in estimate.events] == ["Fair day"]
    event = estimate.events[0]
    assert event.when == "Saturday 2 February, 9 am \u2013 4 pm (NZDT)"
    assert event.where == "Pūrei pickup tent, The Square"


def test_a_member_offering_nothing_says_so(honey: dict[str, Any]) -> None:
    # when
    estimate = _estimate(honey, "NZ-WGN")
    # then
    assert estimate.ships is False
    assert estimate.offers_anything is False


@pytest.mark.parametrize("options", [1, 8])
def test_it_runs_a_fixed_number_of_queries(
    honey: dict[str, Any], django_assert_num_queries: Any, options: int
) -> None:
    # given
    _ships(honey["maker"], pickup_at_premises=True)
    PickupEventFactory.create(cluster=honey["cluster"], members=[honey["maker"]])
    for _ in range(options):
        VariantFactory.create(product=honey["product"], weight_grams=100)
    product = Product.objects.select_related("member", "category").get(
        pk=honey["product"].pk
    )
    variants = list(product.variants.all())
    # when / then: the regions; the policies, their rates and chilled rates; the
    # region asked about; the events and who takes part; the cluster's promotions
    # (free delivery)
    with django_assert_num_queries(8):
        delivery_estimate_for(
            cluster=honey["cluster"],
            product=product,
            variants=variants,
            region_code="NZ-WGN",
            now=NOW,
        )
