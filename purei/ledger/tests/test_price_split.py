"""Where the money goes: one price, a whole order, and the product page."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from purei.catalogue.models import Variant
from purei.catalogue.tests.test_public_pages import PRODUCT_QUERIES
from purei.clusters.models import Cluster, SellingModel
from purei.clusters.tests.factories import ClusterFactory
from purei.ledger.price_split import PriceSplit, order_price_split, price_split
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Fulfilment, Order
from purei.orders.money import gst_in
from purei.orders.tests.factories import order_with_parts, variant_of
from purei.search.tests.factories import VariantFactory, public_product


def _cluster(**fields: Any) -> Cluster:
    """An unsaved cluster: price_split reads only its fields."""
    values: dict[str, Any] = {
        "commission_rate": Decimal("7.5"),
        "selling_model": SellingModel.AGENT,
        "lead_org_gst_registered": True,
        **fields,
    }
    return ClusterFactory.build(**values)


# --- One price ------------------------------------------------------------------------


def test_worked_example_registered_member_and_lead_org() -> None:
    # given: $45.00 from a GST-registered member, 7.5 % commission, the lead
    # organisation registered, paid through Stripe (2.7 % + 30 c)
    cluster = _cluster()
    # when
    split = price_split(
        cluster=cluster,
        member=1,
        price_cents=4500,
        gst_cents=gst_in(4500),
        rate=Decimal("7.5"),
    )
    # then
    assert split == PriceSplit(
        gst_cents=587,  # 4500 x 3/23 = 586.96
        commission_cents=293,  # 7.5 % of (4500 - 587 = 3913) = 293.475
        commission_gst_cents=44,  # 15 % of 293 = 43.95
        fee_cents=152,  # 2.7 % of 4500 = 121.5 → 122, + 30
        maker_cents=3424,  # 4500 - 587 - 293 - 44 - 152
    )
    assert split.price_cents == 4500


def test_worked_example_nobody_registered_and_a_bank_transfer() -> None:
    # given: $45.00 from an unregistered member, 10 % commission, the lead
    # organisation unregistered, paid by bank transfer (no fee)
    cluster = _cluster(lead_org_gst_registered=False)
    # when
    split = price_split(
        cluster=cluster,
        member=1,
        price_cents=4500,
        gst_cents=0,
        gateway="bank_transfer",
        rate=Decimal("10"),
    )
    # then: commission on the whole price (there is no GST in it)
    assert split == PriceSplit(
        maker_cents=4050,
        commission_cents=450,
        commission_gst_cents=0,
        gst_cents=0,
        fee_cents=0,
    )


def test_reseller_adds_no_gst_on_its_margin() -> None:
    # given: the lead organisation resells; the sale's GST is already its own
    cluster = _cluster(selling_model=SellingModel.RESELLER)
    # when
    split = price_split(
        cluster=cluster,
        member=1,
        price_cents=4500,
        gst_cents=587,
        rate=Decimal("7.5"),
    )
    # then
    assert split.commission_gst_cents == 0
    assert split.maker_cents == 4500 - 587 - 293 - 152


@pytest.mark.django_db
def test_a_members_own_rate_replaces_the_clusters(
    member_a: Any, cluster_x: Any
) -> None:
    # given: the cluster charges 7.5 %, this member 5 %
    Cluster.objects.filter(pk=cluster_x.pk).update(commission_rate=Decimal("7.5"))
    cluster_x.refresh_from_db()
    Membership.objects.filter(member=member_a, cluster=cluster_x).update(
        commission_rate=Decimal("5")
    )
    # when
    split = price_split(
        cluster=cluster_x, member=member_a, price_cents=4500, gst_cents=587
    )
    # then: 5 % of 3913 = 195.65
    assert split.commission_cents == 196


@given(
    price=st.integers(min_value=0, max_value=10_000_000),
    registered=st.booleans(),
    lead_registered=st.booleans(),
    reseller=st.booleans(),
    rate=st.decimals(min_value=0, max_value=100, places=2),
    gateway=st.sampled_from(["stripe", "test", "bank_transfer", "unknown"]),
)
def test_the_parts_always_add_up_to_the_price(
    price: int,
    registered: bool,
    lead_registered: bool,
    reseller: bool,
    rate: Decimal,
    gateway: str,
) -> None:
    # given
    cluster = _cluster(
        lead_org_gst_registered=lead_registered,
        selling_model=SellingModel.RESELLER if reseller else SellingModel.AGENT,
    )
    gst = gst_in(price) if registered else 0
    # when
    split = price_split(
        cluster=cluster,
        member=1,
        price_cents=price,
        gst_cents=gst,
        gateway=gateway,
        rate=rate,
    )
    # then
    assert split.price_cents == price
    assert split.gst_cents == gst
    assert min(split.commission_cents, split.fee_cents, split.commission_gst_cents) >= 0
    if rate < 100:
        assert split.commission_cents <= price - gst


# --- A whole order --------------------------------------------------------------------


@pytest.fixture
def two_member_order(db: Any) -> Order:
    """Bees (registered): 2 x $24.50 + $5.00 shipping; Pots (not registered):
    $60.00 + $5.00 shipping; 10 % commission, registered lead organisation,
    agent model, paid through Stripe."""
    cluster = ClusterFactory.create(
        commission_rate=Decimal("10"), lead_org_gst_registered=True
    )
    bees = MemberFactory.create(trading_name="Bees", gst_registered=True)
    pots = MemberFactory.create(trading_name="Pots", gst_registered=False)
    honey = variant_of(bees, sku="HONEY", price_cents=2450)
    bowl = variant_of(pots, sku="BOWL", price_cents=6000)
    return order_with_parts(
        cluster, [(bees, [(honey, 2)]), (pots, [(bowl, 1)])], paid_with="stripe"
    )


def test_order_split_worked_by_hand(two_member_order: Order) -> None:
    # given: Bees: 4900 goods (GST 639.13 → 639) + 500 shipping (GST 65.2 → 65)
    # = 5400, GST 704, commission 10 % of 4261 = 426.1 → 426, its GST 63.9 → 64.
    # Pots: 6000 + 500 = 6500, no GST, commission 600, its GST 90.
    # Fee: 2.7 % of 11900 = 321.3 → 321, + 30 = 351.
    # when
    split = order_price_split(two_member_order)
    # then
    assert split == PriceSplit(
        gst_cents=704,
        commission_cents=426 + 600,
        commission_gst_cents=64 + 90,
        fee_cents=351,
        maker_cents=11900 - 704 - 1026 - 154 - 351,  # 9665
    )
    assert split.price_cents == two_member_order.total_cents == 11900


def test_order_split_leaves_out_a_cancelled_part(two_member_order: Order) -> None:
    # given
    Fulfilment.objects.filter(
        order=two_member_order, member__trading_name="Pots"
    ).update(status=Fulfilment.Status.CANCELLED)
    # when
    split = order_price_split(two_member_order)
    # then: Bees only; fee 2.7 % of 5400 = 145.8 → 146, + 30 = 176
    assert split == PriceSplit(
        gst_cents=704,
        commission_cents=426,
        commission_gst_cents=64,
        fee_cents=176,
        maker_cents=5400 - 704 - 426 - 64 - 176,
    )


def test_order_split_of_a_prefetched_order_takes_one_query(
    two_member_order: Order, django_assert_num_queries: Any
) -> None:
    # given
    order = (
        Order.objects.select_related("cluster")
        .prefetch_related("fulfilments__lines")
        .get(pk=two_member_order.pk)
    )
    # when / then: the members' rates, and the cluster's platform fee (ADR 0021)
    with django_assert_num_queries(2):
        order_price_split(order)


def test_order_split_shows_the_platform_fee_inside_the_commission(
    two_member_order: Order,
) -> None:
    # given 1 % + 10 cents of each order for Pūrei
    from purei.clusters.models import ClusterMoneyAccounts

    ClusterMoneyAccounts.objects.create(
        cluster=two_member_order.cluster,
        platform_fee_bps=100,
        platform_fee_fixed_cents=10,
    )
    # when
    split = order_price_split(two_member_order)
    # then 1 % of 11900 = 119, + 10; the price is shared out as before
    assert split.platform_fee_cents == 129
    assert split.commission_cents == 426 + 600
    assert split.price_cents == two_member_order.total_cents == 11900


# --- The product page -----------------------------------------------------------------


def _product_url(cluster: Cluster, variant: Variant) -> str:
    product = variant.product
    return f"/c/{cluster.slug}/p/{product.member.slug}/{product.slug}/"


@pytest.fixture
def honey_page(db: Any) -> tuple[Cluster, Variant]:
    cluster = ClusterFactory.create(
        slug="kaipara",
        name_en="Kaipara Growers",
        commission_rate=Decimal("7.5"),
        lead_org_gst_registered=True,
        show_price_split=True,
    )
    member = MemberFactory.create(trading_name="Bees", gst_registered=True)
    product = public_product(cluster, member=member, title_en="Mānuka honey")
    variant = Variant.objects.get(product=product)
    variant.price_cents = 4500
    variant.save()
    return cluster, variant


def test_product_page_shows_where_the_money_goes(
    client: Client, honey_page: tuple[Cluster, Variant]
) -> None:
    # given
    cluster, variant = honey_page
    # when
    html = client.get(_product_url(cluster, variant)).content.decode()
    # then: the worked example above
    assert "Where your $45.00 goes" in html
    assert "<caption>How $45.00 is shared out</caption>" in html
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', html))
    assert rows["The maker, Bees"] == "$34.24"
    assert rows["Commission to Kaipara Growers"] == "$2.93"
    assert rows["GST on that commission"] == "$0.44"
    assert rows["GST, paid to Inland Revenue"] == "$5.87"
    assert rows["Payment fee, kept by the card processor"] == "$1.52"
    assert rows["You pay"] == "$45.00"


def test_product_page_hides_the_split_unless_the_cluster_shows_it(
    client: Client, honey_page: tuple[Cluster, Variant]
) -> None:
    # given
    cluster, variant = honey_page
    Cluster.objects.filter(pk=cluster.pk).update(show_price_split=False)
    # when
    html = client.get(_product_url(cluster, variant)).content.decode()
    # then
    assert "Where your" not in html


def test_product_page_with_the_split_adds_at_most_one_query(
    client: Client,
    honey_page: tuple[Cluster, Variant],
    django_assert_max_num_queries: Any,
) -> None:
    # given: several options
    cluster, variant = honey_page
    for _ in range(5):
        VariantFactory.create(product=variant.product)
    client.get(_product_url(cluster, variant))
    # when / then
    with django_assert_max_num_queries(PRODUCT_QUERIES + 1):
        response = client.get(_product_url(cluster, variant))
    assert response.status_code == 200


def test_reseller_product_page_prices_include_the_lead_orgs_gst(
    client: Client, honey_page: tuple[Cluster, Variant]
) -> None:
    # given: the maker is not registered, the reselling lead organisation is
    cluster, variant = honey_page
    Cluster.objects.filter(pk=cluster.pk).update(selling_model=SellingModel.RESELLER)
    Member.objects.filter(pk=variant.product.member_id).update(
        gst_registered=False, gst_number=""
    )
    # when
    html = client.get(_product_url(cluster, variant)).content.decode()
    # then
    assert "incl. GST" in html
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', html))
    assert rows["GST, paid to Inland Revenue"] == "$5.87"
    assert "GST on that commission" not in rows
