from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from purei.catalogue.models import TradePrice, Variant
from purei.core.errors import NotPermitted, ValidationFailed
from purei.search.tests.factories import public_product
from purei.trade.models import ExchangeRate, TradeAccount
from purei.trade.offers import PriceSource, trade_offers
from purei.trade.services import buyer_price_set
from purei.trade.tests.factories import TradeAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wine(cluster_x, member_a) -> Variant:
    variant = public_product(
        cluster_x, member=member_a, title_en="Pinot Noir 2024"
    ).variants.get()
    Variant.objects.filter(pk=variant.pk).update(
        price_cents=3_450, trade_price_cents=1_850, min_order_quantity=12, pack_size=6
    )
    TradePrice.objects.create(
        variant=variant, currency="NZD", min_quantity=48, unit_cents=1_700
    )
    variant.refresh_from_db()
    return variant


@pytest.fixture
def account(trade_buyer) -> TradeAccount:
    return TradeAccount.objects.get(pk__in=trade_buyer.trade_account_ids)


@pytest.fixture
def rate(cluster_x) -> ExchangeRate:
    return ExchangeRate.objects.create(
        cluster=cluster_x,
        currency="AUD",
        rate=Decimal("0.9125"),
        source="RBNZ",
        as_of=timezone.now(),
    )


def test_an_aud_buyer_sees_the_nzd_list_converted(account, wine, rate):
    # when
    offer = trade_offers(account=account, variants=[wine], rate=rate)[wine.pk]
    # then: 18.50 NZD → 16.88 AUD (16.88125), 17.00 → 15.51 (15.5125)
    assert offer.source == PriceSource.CONVERTED
    assert offer.steps == ((1, 1_688), (48, 1_551))
    assert offer.unit_cents == 1_688
    assert offer.unit_cents_for(48) == 1_551
    assert offer.rrp_cents == 3_450
    assert (offer.min_order_quantity, offer.pack_size) == (12, 6)


def test_an_aud_list_comes_before_a_conversion(account, wine, rate):
    # given
    TradePrice.objects.create(
        variant=wine, currency="AUD", min_quantity=1, unit_cents=1_650
    )
    # when
    offer = trade_offers(account=account, variants=[wine], rate=rate)[wine.pk]
    # then
    assert (offer.source, offer.unit_cents) == (PriceSource.LIST, 1_650)


def test_without_a_rate_a_foreign_buyer_gets_no_converted_price(account, wine):
    # when / then
    assert trade_offers(account=account, variants=[wine], rate=None) == {}


def test_a_buyers_own_price_comes_first(account, wine, rate, member_a_owner):
    # given
    buyer_price_set(
        actor=member_a_owner, account=account, variant=wine, unit_cents=1_500
    )
    # when
    offer = trade_offers(account=account, variants=[wine], rate=rate)[wine.pk]
    # then
    assert (offer.source, offer.steps) == (PriceSource.BUYER, ((1, 1_500),))
    # and removing it brings the list back
    buyer_price_set(
        actor=member_a_owner, account=account, variant=wine, unit_cents=None
    )
    offer = trade_offers(account=account, variants=[wine], rate=rate)[wine.pk]
    assert offer.source == PriceSource.CONVERTED


@pytest.mark.parametrize("who", ["cluster_x_admin", "platform_staff", "trade_buyer"])
def test_only_the_variants_team_sets_a_buyers_price(who, request, account, wine):
    # when / then
    with pytest.raises(NotPermitted):
        buyer_price_set(
            actor=request.getfixturevalue(who),
            account=account,
            variant=wine,
            unit_cents=1_500,
        )


def test_a_buyers_price_needs_an_approved_account_of_the_members_cluster(
    member_a_owner, wine, cluster_y
):
    # given
    elsewhere = TradeAccountFactory.create(cluster=cluster_y, status="approved")
    pending = TradeAccountFactory.create(
        cluster=wine.product.listings.get().cluster, abn=""
    )
    # when / then
    for account in (elsewhere, pending):
        with pytest.raises(ValidationFailed) as refused:
            buyer_price_set(
                actor=member_a_owner, account=account, variant=wine, unit_cents=1
            )
        assert "account" in refused.value.errors


def test_the_trade_products_page(
    trade_buyer_user, wine, rate, django_assert_max_num_queries
):
    # given
    client = Client()
    client.force_login(trade_buyer_user)
    # when
    with django_assert_max_num_queries(20):
        response = client.get("/c/cluster-x/trade/products/")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pinot Noir 2024" in body
    assert "16.88 AUD" in body
    assert "converted" in body
    assert "$34.50 NZD" in body
    assert "48+: 15.51 AUD" in body


def test_the_trade_products_page_is_for_approved_buyers_only(
    customer_user, cluster_x, wine
):
    # given
    client = Client()
    client.force_login(customer_user)
    # when
    response = client.get("/c/cluster-x/trade/products/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/c/cluster-x/trade/"
    assert "18.50" not in client.get(response["Location"]).content.decode()


def test_the_member_sets_a_buyers_price_on_its_screen(
    member_a_owner_user, account, wine
):
    # given
    client = Client()
    client.force_login(member_a_owner_user)
    page = "/manage/members/member-a/trade/buyer-prices/"
    # when
    refused = client.post(page, {"account": account.pk, "sku": "NOPE", "price": "15"})
    saved = client.post(
        page, {"account": account.pk, "sku": wine.sku, "price": "15.00"}
    )
    # then
    assert refused.status_code == 422
    assert saved.status_code == 302
    assert "15.00 AUD" in client.get(page).content.decode()
