"""The member's trade price screens: one product's page and the bulk page."""

from typing import Any

from django.test import Client

from purei.catalogue.models import TradePrice, Variant
from purei.catalogue.tests.factories import ProductFactory, VariantFactory

PRODUCT_TRADE = "/manage/members/member-a/products/manuka/trade/"
BULK = "/manage/members/member-a/products/trade-prices/"


def test_product_trade_page_shows_rrp_and_margin(
    client: Client, member_a_owner_user, variant
):
    # given: RRP $23.00 incl. GST ($20.00 without), trade $15.00
    Variant.objects.filter(pk=variant.pk).update(
        price_cents=2300, trade_price_cents=1500
    )
    client.force_login(member_a_owner_user)
    # when
    response = client.get(PRODUCT_TRADE)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "$23.00" in body
    assert "$20.00" in body
    assert "25%" in body
    assert f'name="v{variant.pk}-trade_price"' in body
    assert 'value="15.00"' in body


def test_product_trade_page_saves_one_variant(
    client: Client, member_a_owner_user, variant
):
    # given
    client.force_login(member_a_owner_user)
    p = f"v{variant.pk}-"
    # when
    response = client.post(
        PRODUCT_TRADE,
        {
            "variant": variant.pk,
            p + "trade_price": "18.50",
            p + "min_order_quantity": "12",
            p + "pack_size": "6",
            p + "breaks": "24:17.50; 48:16.00",
            p + "aud_price": "17.00",
            p + "aud_breaks": "",
            p + "usd_price": "",
            p + "usd_breaks": "",
        },
    )
    # then
    assert response.status_code == 302
    variant.refresh_from_db()
    assert (variant.trade_price_cents, variant.min_order_quantity) == (1850, 12)
    assert set(
        TradePrice.objects.values_list("currency", "min_quantity", "unit_cents")
    ) == {("NZD", 24, 1750), ("NZD", 48, 1600), ("AUD", 1, 1700)}


def test_product_trade_page_names_each_problem(
    client: Client, member_a_owner_user, variant
):
    # given
    client.force_login(member_a_owner_user)
    p = f"v{variant.pk}-"
    # when
    response = client.post(
        PRODUCT_TRADE,
        {
            "variant": variant.pk,
            p + "trade_price": "18.50",
            p + "min_order_quantity": "10",
            p + "pack_size": "6",
            p + "breaks": "24 17.50",
            p + "usd_price": "",
        },
    )
    # then
    body = response.content.decode()
    assert response.status_code == 422
    assert "Please fix these problems" in body
    assert "Write each break as quantity:price" in body
    assert not TradePrice.objects.exists()
    # when: the breaks are fine, the service's rule is shown on its field
    response = client.post(
        PRODUCT_TRADE,
        {
            "variant": variant.pk,
            p + "trade_price": "18.50",
            p + "min_order_quantity": "10",
            p + "pack_size": "6",
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert f'href="#id_v{variant.pk}-min_order_quantity"' in body
    assert "whole packs" in body
    variant.refresh_from_db()
    assert variant.trade_price_cents is None


def test_platform_staff_read_but_do_not_change(client: Client, staff_user, variant):
    # given
    client.force_login(staff_user)
    # when
    page = client.get(PRODUCT_TRADE)
    posted = client.post(
        PRODUCT_TRADE, {"variant": variant.pk, f"v{variant.pk}-trade_price": "1"}
    )
    # then
    assert page.status_code == 200
    assert '<form method="post" class="stacked"' not in page.content.decode()
    assert posted.status_code == 403
    variant.refresh_from_db()
    assert variant.trade_price_cents is None


def test_bulk_page_query_count_is_fixed(
    client: Client,
    member_a_owner_user,
    member_a,
    django_assert_max_num_queries: Any,
):
    # given: 60 variants over 30 products (more than a page)
    for n in range(30):
        product = ProductFactory.create(member=member_a, slug=f"p-{n}")
        VariantFactory.create_batch(2, product=product, trade_price_cents=1000)
    client.force_login(member_a_owner_user)
    client.get(BULK)
    # when / then
    with django_assert_max_num_queries(9):
        response = client.get(BULK)
    assert response.status_code == 200
    assert response.content.decode().count('name="sku"') == 50
    with django_assert_max_num_queries(9):
        second = client.get(BULK + "?page=2")
    assert second.content.decode().count('name="sku"') == 10


def test_bulk_page_saves_all_or_shows_each_rows_problem(
    client: Client, member_a_owner_user, product, variant
):
    # given
    other = VariantFactory.create(product=product, sku="MH-1KG")
    client.force_login(member_a_owner_user)
    data = {
        "sku": ["MH-500", "MH-1KG"],
        "trade_price-MH-500": "18.00",
        "min_order_quantity-MH-500": "12",
        "pack_size-MH-500": "6",
        "trade_price-MH-1KG": "0",
        "min_order_quantity-MH-1KG": "1",
        "pack_size-MH-1KG": "1",
    }
    # when
    response = client.post(BULK, data)
    # then
    body = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was saved" in body
    assert f'href="#trade_price-{other.pk}"' in body
    assert "more than zero" in body
    assert 'value="18.00"' in body  # what was typed stays
    variant.refresh_from_db()
    assert variant.trade_price_cents is None
    # when
    data["trade_price-MH-1KG"] = "30.00"
    response = client.post(BULK, data)
    # then
    assert response.status_code == 302
    variant.refresh_from_db()
    other.refresh_from_db()
    assert variant.trade_price_cents == 1800
    assert variant.min_order_quantity == 12
    assert other.trade_price_cents == 3000


def test_bulk_page_refuses_others(client: Client, customer_user, staff_user, variant):
    # given / when / then: a customer is told there is nothing here
    client.force_login(customer_user)
    assert client.get(BULK).status_code == 404
    # platform staff read, but do not change
    client.force_login(staff_user)
    assert client.get(BULK).status_code == 200
    posted = client.post(BULK, {"sku": ["MH-500"], "trade_price-MH-500": "1"})
    assert posted.status_code == 403
