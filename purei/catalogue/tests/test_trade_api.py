"""Trade pricing over the member's API, and proof that nothing public shows it."""

import json

import pytest
from django.test import Client

from purei.catalogue.models import TradePrice, Variant
from purei.catalogue.services import (
    CurrencyPrices,
    PriceBreak,
    TradePricingInput,
    variant_trade_pricing_set,
)
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.members.tests.factories import MemberRoleFactory
from purei.search.models import PublicProduct
from purei.search.tests.factories import public_product

TRADE = "/api/v1/members/member-a/products/manuka/trade/MH-500"

# A trade price no retail figure on these pages could be by chance.
SECRET_TRADE = TradePricingInput(
    trade_price="1234.57",
    min_order_quantity=24,
    pack_size=12,
    breaks=(PriceBreak(48, "1111.13"),),
    currency_prices={"AUD": CurrencyPrices("987.61")},
)
SECRETS = ("1234.57", "1,234.57", "123457", "1111.13", "111113", "987.61", "98761")


def _patch(client: Client, url: str, data: object):
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_the_team_sets_and_reads_trade_pricing(
    client: Client, member_a_staff_user, variant
):
    # given
    client.force_login(member_a_staff_user)
    # when
    response = _patch(
        client,
        TRADE,
        {
            "trade_price_cents": 1850,
            "min_order_quantity": 12,
            "pack_size": 6,
            "breaks": [{"min_quantity": 48, "price": "16.00"}],
            "currency_prices": {"USD": {"price": "11.00"}},
        },
    )
    # then
    assert response.status_code == 200, response.content
    trade = response.json()["trade"]
    assert trade["price"] == "18.50"
    assert trade["min_order_quantity"] == 12
    assert trade["breaks"] == [
        {"min_quantity": 48, "price": "16.00", "price_cents": 1600}
    ]
    assert trade["currency_prices"]["USD"]["price_cents"] == 1100
    listed = client.get("/api/v1/members/member-a/products").json()
    assert listed[0]["variants"][0]["trade"]["price_cents"] == 1850


def test_a_refusal_names_the_field(client: Client, member_a_owner_user, variant):
    # given
    client.force_login(member_a_owner_user)
    # when
    response = _patch(
        client,
        TRADE,
        {"trade_price": "18.50", "min_order_quantity": 10, "pack_size": 6},
    )
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "min_order_quantity"
    assert response.json()["code"] == "invalid_trade_pricing"
    variant.refresh_from_db()
    assert variant.trade_price_cents is None


def test_only_sent_fields_change(client: Client, member_a_owner, variant):
    # given
    variant_trade_pricing_set(
        actor=member_a_owner, variant=variant, details=SECRET_TRADE
    )
    client.force_login(member_a_owner.user)
    # when
    response = _patch(client, TRADE, {"trade_price": "1300.00"})
    # then
    assert response.status_code == 200
    assert response.json()["trade"]["pack_size"] == 12
    assert TradePrice.objects.filter(variant=variant).count() == 2


@pytest.mark.parametrize(
    ("who", "status"),
    [("customer_user", 404), ("cluster_x_admin_user", 404), ("staff_user", 403)],
)
def test_others_may_not_set_trade_pricing(
    client: Client, request, variant, who, status
):
    # given
    client.force_login(request.getfixturevalue(who))
    # when
    response = _patch(client, TRADE, {"trade_price": "1.00"})
    # then
    assert response.status_code == status
    variant.refresh_from_db()
    assert variant.trade_price_cents is None


def test_anonymous_is_refused(client: Client, variant):
    assert _patch(client, TRADE, {"trade_price": "1.00"}).status_code == 401


def test_the_public_never_sees_a_trade_price(client: Client, db):
    # given: a public product with trade pricing on its variant
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, title_en="Mānuka honey")
    variant = Variant.objects.get(product=product)
    owner = Actor(user=MemberRoleFactory.create(member=product.member).user)
    variant_trade_pricing_set(actor=owner, variant=variant, details=SECRET_TRADE)
    member = product.member.slug
    pages = {
        "product page": f"/c/kaipara/p/{member}/{product.slug}/",
        "shop": "/c/kaipara/shop/",
        "cluster home": "/c/kaipara/",
        "search page": "/search/?q=honey",
        "product API": f"/api/v1/clusters/kaipara/products/{member}/{product.slug}",
        "cluster products API": "/api/v1/clusters/kaipara/products",
        "search API": "/api/v1/search?q=honey",
    }
    # when
    for name, url in pages.items():
        response = client.get(url)
        # then
        assert response.status_code == 200, name
        body = response.content.decode()
        assert product.slug in body, name  # the product is there
        for secret in SECRETS:
            assert secret not in body, f"{name} shows {secret}"
    # and the shelf holds nothing of it
    shelf = PublicProduct.objects.filter(product_id=product.pk).values()
    for row in shelf:
        for value in row.values():
            assert str(value) not in {"123457", "111113", "98761"}
    detail = client.get(pages["product API"]).json()
    for out in detail["variants"]:
        assert not any("trade" in key for key in out)
        assert "min_order_quantity" not in out
        assert "pack_size" not in out
