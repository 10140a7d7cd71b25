"""Who sells: each member as supplier with the cluster as its agent (the default),
or the lead organisation reselling (domain-nz.md §1.5) — the supplier snapshotted
onto each fulfilment, the GST charged, and what the shop's pages say."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster, SellingModel
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Cart, Fulfilment, Order, OrderLine, Zone
from purei.orders.money import gst_in, without_gst
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

LEAD_GST = "136410132"
AUCKLAND = Address(
    country="NZ",
    line1="12 Queen Street",
    town="Auckland",
    postcode="1021",
    region="NZ-AUK",
)
SYDNEY = Address(
    country="AU", line1="1 George St", town="Sydney", postcode="2000", state="NSW"
)


@pytest.fixture(autouse=True)
def _payments(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""


def _variant(cluster: Cluster, member: Member, *, price: int, title: str) -> Variant:
    made = public_product(cluster, member=member, title_en=title)
    variant = Variant.objects.get(product=made)
    variant.price_cents = price
    variant.stock = 10
    variant.weight_grams = 500
    variant.save()
    return variant


def _shop(**cluster_fields: Any) -> dict[str, Any]:
    """A live cluster shipping NZ-wide ($8.50 North Island, $35 to Australia) with
    a GST-registered beekeeper and an unregistered potter."""
    cluster = ClusterFactory.create(
        slug="fair",
        name_en="The Fair",
        lead_org_name="Fair Trust",
        **cluster_fields,
    )
    policy = ShippingPolicyFactory.create(member=None, cluster=cluster)
    rate_table(
        policy,
        [(Zone.NORTH_ISLAND, None, 850), (Zone.AUSTRALIA, None, 3500)],
    )
    bees = MemberFactory.create(
        slug="bees", trading_name="Bees", gst_registered=True, gst_number="49091850"
    )
    pots = MemberFactory.create(slug="pots", trading_name="Pots", gst_registered=False)
    return {
        "cluster": cluster,
        "bees": bees,
        "pots": pots,
        "honey": _variant(cluster, bees, price=2450, title="Mānuka honey"),
        "bowl": _variant(cluster, pots, price=6000, title="Bowl"),
    }


@pytest.fixture
def agent_shop(db: Any) -> dict[str, Any]:
    return _shop()


@pytest.fixture
def reseller_shop(db: Any) -> dict[str, Any]:
    return _shop(
        selling_model=SellingModel.RESELLER,
        lead_org_gst_registered=True,
        lead_org_gst_number=LEAD_GST,
    )


def _cart(cluster: Cluster, *items: tuple[Variant, int]) -> Cart:
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    for variant, quantity in items:
        cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    return cart


def _details(address: Address = AUCKLAND) -> CheckoutDetails:
    return CheckoutDetails(
        email="aroha@example.nz",
        name="Aroha Te Wake",
        payment_method="bank_transfer",
        idempotency_key=uuid.uuid4().hex,
        address=address,
    )


# --- GST and the supplier -------------------------------------------------------------


def test_reseller_charges_gst_on_an_unregistered_members_goods(
    reseller_shop: dict[str, Any],
) -> None:
    # given: the potter is not registered, the lead organisation is
    shop = reseller_shop
    cart = _cart(shop["cluster"], (shop["bowl"], 2))
    # when
    order = order_place(cart=cart, details=_details())
    # then: $120.00 of bowls and $8.50 shipping, GST 3/23 of each
    fulfilment = Fulfilment.objects.get(order=order)
    assert fulfilment.member == shop["pots"]
    assert fulfilment.supplier_name == "Fair Trust"
    assert fulfilment.gst_registered is True
    assert fulfilment.gst_number == LEAD_GST
    line = OrderLine.objects.get(fulfilment=fulfilment)
    assert line.total_cents == 12000
    assert line.gst_cents == 1565  # 12000 x 3/23 = 1565.2
    assert fulfilment.shipping_cents == 850
    assert fulfilment.gst_cents == 1565 + 111  # 850 x 3/23 = 110.87
    assert order.gst_cents == 1676
    assert order.total_cents == 12850  # the price shown is the price paid


def test_reseller_with_an_unregistered_lead_org_charges_no_gst(db: Any) -> None:
    # given: the beekeeper is registered, the lead organisation is not
    shop = _shop(selling_model=SellingModel.RESELLER)
    cart = _cart(shop["cluster"], (shop["honey"], 1))
    # when
    order = order_place(cart=cart, details=_details())
    # then
    fulfilment = Fulfilment.objects.get(order=order)
    assert fulfilment.supplier_name == "Fair Trust"
    assert fulfilment.gst_registered is False
    assert fulfilment.gst_number == ""
    assert fulfilment.gst_cents == 0
    assert order.total_cents == 2450 + 850


def test_reseller_quote_follows_the_lead_org_for_every_member(
    reseller_shop: dict[str, Any],
) -> None:
    # given
    shop = reseller_shop
    cart = _cart(shop["cluster"], (shop["honey"], 1), (shop["bowl"], 1))
    # when
    quote = checkout_quote(
        cluster=shop["cluster"], summary=cart_summary(cart), address=AUCKLAND
    )
    # then
    assert all(part.gst_registered for part in quote.parts)
    assert quote.gst_cents == gst_in(2450) + gst_in(6000) + 2 * gst_in(850)


def test_reseller_export_is_zero_rated_on_the_lead_orgs_registration(
    reseller_shop: dict[str, Any],
) -> None:
    # given: the unregistered potter's bowl, shipped to Sydney
    shop = reseller_shop
    cart = _cart(shop["cluster"], (shop["bowl"], 1))
    # when
    quote = checkout_quote(
        cluster=shop["cluster"], summary=cart_summary(cart), address=SYDNEY
    )
    # then: the registered supplier takes GST out of an export's price
    (part,) = quote.parts
    assert part.lines[0].unit_price_cents == without_gst(6000) == 5217
    assert part.shipping_cents == without_gst(3500)
    assert part.gst_cents == 0


def test_agent_model_is_unchanged(agent_shop: dict[str, Any]) -> None:
    # given
    shop = agent_shop
    cart = _cart(shop["cluster"], (shop["honey"], 1), (shop["bowl"], 1))
    # when
    order = order_place(cart=cart, details=_details())
    # then: each member is the supplier; only the registered one charges GST
    parts = {f.member_id: f for f in Fulfilment.objects.filter(order=order)}
    bees, pots = parts[shop["bees"].pk], parts[shop["pots"].pk]
    assert (bees.supplier_name, bees.gst_registered, bees.gst_number) == (
        "Bees",
        True,
        "49091850",
    )
    assert bees.gst_cents == gst_in(2450) + gst_in(850)
    assert (pots.supplier_name, pots.gst_registered, pots.gst_number) == (
        "Pots",
        False,
        "",
    )
    assert pots.gst_cents == 0
    assert order.gst_cents == gst_in(2450) + gst_in(850)


# --- What the pages say ---------------------------------------------------------------


def _add(client: Client, cluster: Cluster, variant: Variant) -> None:
    client.post(
        reverse("orders:cart-add", kwargs={"slug": cluster.slug}),
        {"variant": variant.pk, "quantity": 1},
    )


def _checkout_page(client: Client, cluster: Cluster) -> str:
    url = reverse("settlement:checkout", kwargs={"slug": cluster.slug})
    return client.get(url).content.decode()


def _place(client: Client, cluster: Cluster) -> Order:
    body = _checkout_page(client, cluster)
    match = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', body)
    assert match is not None
    client.post(
        reverse("settlement:checkout", kwargs={"slug": cluster.slug}),
        {
            "idempotency_key": match.group(1),
            "email": "aroha@example.nz",
            "name": "Aroha Te Wake",
            "country": "NZ",
            "line1": "12 Queen Street",
            "town": "Auckland",
            "postcode": "1021",
            "region": "NZ-AUK",
            "payment_method": "test",
            "card_number": "4242 4242 4242 4242",
            "expiry": "12/39",
            "cvc": "123",
            "action": "place",
        },
    )
    return Order.objects.get()


def _order_page(client: Client, order: Order) -> str:
    url = reverse("settlement:order-detail", args=[order.number])
    return client.get(url).content.decode()


def test_agent_pages_say_each_member_sells_and_the_cluster_collects(
    client: Client, agent_shop: dict[str, Any]
) -> None:
    # given
    shop = agent_shop
    _add(client, shop["cluster"], shop["honey"])
    _add(client, shop["cluster"], shop["bowl"])
    # when
    checkout = _checkout_page(client, shop["cluster"])
    order = _place(client, shop["cluster"])
    page = _order_page(client, order)
    # then
    for body in (checkout, page):
        for name in ("Bees", "Pots"):
            assert (
                f"Sold by {name} (supplier); The Fair collects payment as their agent."
                in body
            )
        assert "Sold by Fair Trust." not in body
    assert "Where your" not in page  # the price split is off by default


def test_reseller_pages_say_the_lead_org_sells(
    client: Client, reseller_shop: dict[str, Any]
) -> None:
    # given
    shop = reseller_shop
    _add(client, shop["cluster"], shop["bowl"])
    # when
    checkout = _checkout_page(client, shop["cluster"])
    order = _place(client, shop["cluster"])
    page = _order_page(client, order)
    # then
    for body in (checkout, page):
        assert "Sold by Fair Trust." in body
        assert "collects payment as their agent" not in body
        assert "not GST-registered" not in body
    assert f"GST number {LEAD_GST}" in page
    assert order.gst_cents == gst_in(6000) + gst_in(850)


def test_order_page_shows_where_the_money_goes_when_the_cluster_shows_it(
    client: Client, agent_shop: dict[str, Any]
) -> None:
    # given: 7.5 % commission, lead organisation not registered, paid by test card
    shop = agent_shop
    Cluster.objects.filter(pk=shop["cluster"].pk).update(
        show_price_split=True, commission_rate=Decimal("7.5")
    )
    _add(client, shop["cluster"], shop["honey"])
    order = _place(client, shop["cluster"])
    # when
    page = _order_page(client, order)
    # then: $24.50 + $8.50 = $33.00; GST 320 + 111 = $4.31; commission 7.5 % of
    # the honey before GST (2450 - 320 = 2130 → 159.75) = $1.60; fee 2.7 % of
    # $33.00 + $0.30 = 89.1 + 30 → $1.19; maker 3300 - 431 - 160 - 119 = $25.90
    assert "Where your $33.00 goes" in page
    assert "<caption>How $33.00 is shared out</caption>" in page
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', page))
    assert rows["The makers"] == "$25.90"
    assert rows["Commission to The Fair"] == "$1.60"
    assert rows["GST, paid to Inland Revenue"] == "$4.31"
    assert rows["Payment fee, kept by the card processor"] == "$1.19"
    assert "GST on that commission" not in page
