"""Trade pricing in Pūrei's own CSV columns: exported, imported back, checked."""

import csv
import io

from purei.catalogue.models import Product, TradePrice, Variant
from purei.catalogue.services import (
    CurrencyPrices,
    PriceBreak,
    TradePricingInput,
    variant_trade_pricing_set,
)
from purei.catalogue.spreadsheets import products_export, products_import
from purei.catalogue.tests.factories import VariantFactory

FULL = TradePricingInput(
    trade_price="18.50",
    min_order_quantity=12,
    pack_size=6,
    breaks=(PriceBreak(48, "17.00"), PriceBreak(96, "16.00")),
    currency_prices={
        "AUD": CurrencyPrices("17.00", (PriceBreak(48, "15.50"),)),
        "USD": CurrencyPrices("11.00"),
    },
)
BASE = "product_slug,title_en,category,sku,price"


def _state(member) -> list[tuple[object, ...]]:
    return [
        (
            v.sku,
            v.trade_price_cents,
            v.min_order_quantity,
            v.pack_size,
            sorted(
                v.trade_prices.values_list("currency", "min_quantity", "unit_cents")
            ),
        )
        for v in Variant.objects.filter(member=member).order_by("sku")
    ]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_has_the_trade_columns(member_a_owner, member_a, variant):
    # given
    variant_trade_pricing_set(actor=member_a_owner, variant=variant, details=FULL)
    # when
    text = products_export(actor=member_a_owner, member=member_a, fmt="purei")
    # then
    [row] = _rows(text)
    assert row["trade_price"] == "18.50"
    assert row["moq"] == "12"
    assert row["pack_size"] == "6"
    assert row["trade_breaks"] == "48:17.00;96:16.00"
    assert row["trade_price_aud"] == "17.00"
    assert row["trade_breaks_aud"] == "48:15.50"
    assert row["trade_price_usd"] == "11.00"
    assert row["trade_breaks_usd"] == ""
    # Shopify's layout has no such columns
    shopify = products_export(actor=member_a_owner, member=member_a, fmt="shopify")
    assert "18.50" not in shopify


def test_round_trip_keeps_trade_pricing(member_a_owner, member_a, product, variant):
    # given
    variant_trade_pricing_set(actor=member_a_owner, variant=variant, details=FULL)
    VariantFactory.create(product=product, sku="MH-1KG")  # not offered to trade
    before = _state(member_a)
    text = products_export(actor=member_a_owner, member=member_a, fmt="purei")
    Product.objects.filter(member=member_a).delete()
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=text.encode())
    # then
    assert result.ok, result.problems
    assert _state(member_a) == before


def test_a_column_left_out_changes_nothing_and_a_blank_clears(
    member_a_owner, member_a, product, variant
):
    # given
    variant_trade_pricing_set(actor=member_a_owner, variant=variant, details=FULL)
    before = _state(member_a)
    # when: no trade columns at all
    plain = f"{BASE}\nmanuka,Mānuka,honey,MH-500,24.50\n".encode()
    result = products_import(actor=member_a_owner, member=member_a, data=plain)
    # then
    assert result.ok, result.problems
    assert _state(member_a) == before
    # when: only the price changes, the breaks and lists stay
    priced = f"{BASE},trade_price\nmanuka,Mānuka,honey,MH-500,24.50,19.00\n"
    result = products_import(
        actor=member_a_owner, member=member_a, data=priced.encode()
    )
    assert result.ok, result.problems
    variant.refresh_from_db()
    assert variant.trade_price_cents == 1900
    assert TradePrice.objects.filter(variant=variant).count() == 5
    # when: every trade column blank
    header = (
        f"{BASE},trade_price,moq,pack_size,trade_breaks,trade_price_aud,"
        "trade_breaks_aud,trade_price_usd,trade_breaks_usd"
    )
    blank = f"{header}\nmanuka,Mānuka,honey,MH-500,24.50,,,,,,,,\n"
    result = products_import(actor=member_a_owner, member=member_a, data=blank.encode())
    # then
    assert result.ok, result.problems
    variant.refresh_from_db()
    assert variant.trade_price_cents is None
    assert (variant.min_order_quantity, variant.pack_size) == (1, 1)
    assert not TradePrice.objects.exists()


def test_new_variants_get_their_trade_pricing(member_a_owner, member_a):
    # given
    data = (
        f"{BASE},trade_price,moq,pack_size,trade_breaks\n"
        "kawakawa,Kawakawa balm,honey,KB-1,20.00,9.50,24,12,48:9.00;120:8.50\n"
    ).encode()
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=data)
    # then
    assert result.ok, result.problems
    assert _state(member_a) == [
        ("KB-1", 950, 24, 12, [("NZD", 48, 900), ("NZD", 120, 850)])
    ]


def test_bad_trade_cells_are_reported_by_row_and_column(member_a_owner, member_a):
    # given
    data = (
        f"{BASE},trade_price,moq,pack_size,trade_breaks,trade_price_aud\n"
        "kawakawa,Kawakawa balm,honey,KB-1,20.00,0,1,1,,\n"
        "kawakawa,Kawakawa balm,honey,KB-2,20.00,9.50,10,6,,\n"
        "kawakawa,Kawakawa balm,honey,KB-3,20.00,9.50,1,1,48 9.00,\n"
        "kawakawa,Kawakawa balm,honey,KB-4,20.00,,1,1,,8.00\n"
        "kawakawa,Kawakawa balm,honey,KB-5,20.00,9.50,1,1,12:9.90,\n"
    ).encode()
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=data)
    # then
    assert not result.ok
    found = {(p.row, p.column) for p in result.problems}
    assert found == {
        (2, "trade_price"),
        (3, "moq"),
        (4, "trade_breaks"),
        (5, "trade_price"),  # an AUD price needs the NZD trade price
        (6, "trade_breaks"),  # a break dearer than the trade price
    }
    assert not Variant.objects.filter(member=member_a).exists()
