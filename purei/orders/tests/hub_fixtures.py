"""The hub delivery cast: a Martinborough-like cluster whose hub delivers one
parcel for three stallholders (docs/orders.md "Hub delivery", the worked
example), and helpers to check out through the hub."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.ledger.tests.factories import cluster_admin, money_cluster, money_member
from purei.members.models import Member
from purei.orders.models import Cart, HubDelivery, ShippingPolicy, ShippingRate, Zone
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import Address, CheckoutDetails
from purei.orders.services.hub import HubSettingsInput, hub_settings_save
from purei.orders.services.shipping import RateRow
from purei.search.tests.factories import public_product

RD_MARTINBOROUGH = Address(
    country="NZ",
    line1="410 Lake Ferry Road",
    line2="RD 2",
    town="Martinborough",
    postcode="5782",
    region="NZ-WGN",
    rural=True,
)
AUCKLAND = Address(
    country="NZ",
    line1="12 Queen Street",
    town="Auckland",
    postcode="1021",
    region="NZ-AUK",
)
HUB_RATES = (
    RateRow(zone="north", max_weight="5000", price="12.50"),
    RateRow(zone="north", max_weight="", price="19.00"),
    RateRow(zone="south", max_weight="5000", price="16.50"),
)


def hub_settings(**overrides: Any) -> HubSettingsInput:
    values: dict[str, Any] = {
        "enabled": True,
        "hub_name": "The Fair depot",
        "hub_address": "12 Kitchener Street, Martinborough 5711",
        "cutoff_kind": "weekly",
        "cutoff_weekday": 3,
        "cutoff_time": "12:00",
        "split_rule": "weight",
        "rural_surcharge": "5.75",
        "rates": HUB_RATES,
    }
    values.update(overrides)
    return HubSettingsInput(**values)


def variant_for(
    cluster: Cluster, member: Member, *, price: int, grams: int, title: str
) -> Variant:
    product = public_product(cluster, member=member, title_en=title)
    variant = Variant.objects.get(product=product)
    variant.price_cents = price
    variant.weight_grams = grams
    variant.stock = 20
    variant.save()
    return variant


def member_rates(member: Member) -> None:
    """A member's own delivery: $8.50 in the North Island, $5.75 rural."""
    policy = ShippingPolicy.objects.create(member=member, rural_surcharge_cents=575)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )


def basket(fair: dict[str, Any]) -> Cart:
    """The worked example's basket: 2 x olive oil ($24.00, 600 g), a bowl
    ($60.00, 1,500 g) and 3 x feijoa jam ($9.50, 300 g)."""
    cart = cart_get_or_create(
        cluster=fair["cluster"], user=None, session_key=uuid.uuid4().hex
    )
    cart_add(cart=cart, variant_id=fair["oil"].pk, quantity=2)
    cart_add(cart=cart, variant_id=fair["bowl"].pk, quantity=1)
    cart_add(cart=cart, variant_id=fair["jam"].pk, quantity=3)
    return cart


def details(**overrides: Any) -> CheckoutDetails:
    values: dict[str, Any] = {
        "email": "aroha@example.nz",
        "name": "Aroha Te Wake",
        "payment_method": "test",
        "idempotency_key": uuid.uuid4().hex,
        "address": RD_MARTINBOROUGH,
        "hub": True,
    }
    values.update(overrides)
    return CheckoutDetails(**values)


@pytest.fixture
def fair(db: None, settings: Any) -> dict[str, Any]:
    """Three stallholders (the olive grove and the potter registered for GST,
    the jam maker not) in a cluster whose hub delivers, split by weight."""
    settings.PAYMENTS_TEST_GATEWAY = True
    cluster = money_cluster(slug="fair-hub", name_en="Fair Hub")
    olives = money_member(cluster, trading_name="Olive Grove", slug="olive-grove")
    potter = money_member(cluster, trading_name="Clay Potter", slug="clay-potter")
    jam = money_member(
        cluster, gst_registered=False, trading_name="Jam Maker", slug="jam-maker"
    )
    for member in (olives, potter, jam):
        member_rates(member)
    admin: Actor = cluster_admin(cluster)
    hub: HubDelivery = hub_settings_save(
        actor=admin, cluster=cluster, details=hub_settings()
    )
    return {
        "cluster": cluster,
        "admin": admin,
        "hub": hub,
        "olives": olives,
        "potter": potter,
        "oil": variant_for(cluster, olives, price=2400, grams=600, title="Olive oil"),
        "bowl": variant_for(cluster, potter, price=6000, grams=1500, title="Bowl"),
        "jam": variant_for(cluster, jam, price=950, grams=300, title="Feijoa jam"),
        "jam_maker": jam,
    }
