"""Trade pricing: the service (who may, the rules), the selectors (which break
applies, many variants at once) and the quantity check."""

import pytest
from django.db import IntegrityError, transaction

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.models import TradePrice, Variant
from purei.catalogue.services import (
    CurrencyPrices,
    PriceBreak,
    TradePricingInput,
    breaks_parse,
    trade_pricing_bulk_update,
    variant_trade_pricing_set,
)
from purei.catalogue.tests.factories import VariantFactory
from purei.catalogue.trade_selectors import (
    trade_prices_for,
    trade_quantity_problems,
    trade_unit_price,
)
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry

FULL = TradePricingInput(
    trade_price="18.50",
    min_order_quantity=6,
    pack_size=6,
    breaks=(PriceBreak(12, "17.50"), PriceBreak("48", "16.00")),
    currency_prices={
        "AUD": CurrencyPrices("17.00", (PriceBreak(24, "15.00"),)),
        "USD": CurrencyPrices("11.00"),
    },
)


@pytest.mark.parametrize("who", ["member_a_owner", "member_a_staff"])
def test_the_team_sets_trade_pricing(request, variant, who):
    # given
    actor = request.getfixturevalue(who)
    # when
    variant_trade_pricing_set(actor=actor, variant=variant, details=FULL)
    # then
    variant.refresh_from_db()
    assert variant.trade_price_cents == 1850
    assert (variant.min_order_quantity, variant.pack_size) == (6, 6)
    rows = set(
        TradePrice.objects.filter(variant=variant).values_list(
            "currency", "min_quantity", "unit_cents"
        )
    )
    assert rows == {
        ("NZD", 12, 1750),
        ("NZD", 48, 1600),
        ("AUD", 1, 1700),
        ("AUD", 24, 1500),
        ("USD", 1, 1100),
    }
    entry = AuditEntry.objects.get(verb="variant.trade_pricing_set")
    assert entry.after["trade_price_cents"] == 1850


@pytest.mark.parametrize(
    "who", ["customer", "cluster_x_admin", "cluster_y_admin", "platform_staff"]
)
def test_others_may_not_set_trade_pricing(request, variant, who):
    # given
    actor = request.getfixturevalue(who)
    # when
    with pytest.raises(NotPermitted):
        variant_trade_pricing_set(actor=actor, variant=variant, details=FULL)
    # then
    variant.refresh_from_db()
    assert variant.trade_price_cents is None
    assert not TradePrice.objects.exists()
    assert not AuditEntry.objects.filter(verb="variant.trade_pricing_set").exists()


def test_anonymous_may_not_set_trade_pricing(anonymous, variant):
    with pytest.raises(NotPermitted):
        variant_trade_pricing_set(actor=anonymous, variant=variant, details=FULL)
    assert not TradePrice.objects.exists()


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (TradePricingInput(trade_price="0"), "trade_price"),
        (TradePricingInput(trade_price="-3"), "trade_price"),
        (TradePricingInput(trade_price="12.345"), "trade_price"),
        (TradePricingInput(trade_price="lots"), "trade_price"),
        (TradePricingInput(min_order_quantity=0), "min_order_quantity"),
        (TradePricingInput(min_order_quantity="1.5"), "min_order_quantity"),
        (TradePricingInput(pack_size=0), "pack_size"),
        (TradePricingInput(min_order_quantity=10, pack_size=6), "min_order_quantity"),
        (
            TradePricingInput(breaks=(PriceBreak(12, "17.00"),)),
            "breaks",  # a break without the NZD trade price
        ),
        (
            TradePricingInput(trade_price="18", breaks=(PriceBreak(1, "17.00"),)),
            "breaks",  # a break starts at 2
        ),
        (
            TradePricingInput(
                trade_price="18",
                breaks=(PriceBreak(24, "17.00"), PriceBreak(12, "16.00")),
            ),
            "breaks",  # quantities must rise
        ),
        (
            TradePricingInput(
                trade_price="18",
                breaks=(PriceBreak(12, "17.00"), PriceBreak(24, "17.50")),
            ),
            "breaks",  # a larger order never costs more per unit
        ),
        (
            TradePricingInput(trade_price="18", breaks=(PriceBreak(12, "19.00"),)),
            "breaks",  # dearer than the trade price itself
        ),
        (
            TradePricingInput(
                trade_price="18", pack_size=6, breaks=(PriceBreak(10, "17.00"),)
            ),
            "breaks",  # not whole packs
        ),
        (
            TradePricingInput(trade_price="18", breaks=(PriceBreak(12, "0"),)),
            "breaks",
        ),
        (
            TradePricingInput(
                trade_price="18", currency_prices={"EUR": CurrencyPrices("10")}
            ),
            "currency_prices",
        ),
        (
            TradePricingInput(
                trade_price="18", currency_prices={"NZD": CurrencyPrices("10")}
            ),
            "currency_prices",
        ),
        (
            TradePricingInput(currency_prices={"AUD": CurrencyPrices("10")}),
            "currency_prices.AUD",  # a currency list needs the NZD trade price
        ),
        (
            TradePricingInput(
                trade_price="18",
                currency_prices={"USD": CurrencyPrices("", (PriceBreak(12, "9"),))},
            ),
            "currency_prices.USD",  # breaks without the list's own price
        ),
    ],
)
def test_trade_pricing_rules(member_a_owner, variant, details, field):
    # when
    with pytest.raises(ValidationFailed) as exc:
        variant_trade_pricing_set(
            actor=member_a_owner, variant=variant, details=details
        )
    # then
    assert exc.value.code == CatalogueErrorCode.INVALID_TRADE_PRICING
    assert field in exc.value.errors
    variant.refresh_from_db()
    assert variant.trade_price_cents is None
    assert (variant.min_order_quantity, variant.pack_size) == (1, 1)
    assert not TradePrice.objects.exists()


def test_clearing_the_trade_price_keeps_nothing_behind(member_a_owner, variant):
    # given
    variant_trade_pricing_set(actor=member_a_owner, variant=variant, details=FULL)
    # when: the price alone cannot go while breaks and lists hang on it
    with pytest.raises(ValidationFailed) as exc:
        variant_trade_pricing_set(
            actor=member_a_owner,
            variant=variant,
            details=TradePricingInput(trade_price=""),
        )
    assert "trade_price" in exc.value.errors
    # when: all of it together
    variant_trade_pricing_set(
        actor=member_a_owner,
        variant=variant,
        details=TradePricingInput(
            trade_price="",
            breaks=(),
            currency_prices={"AUD": None, "USD": None},
        ),
    )
    # then
    variant.refresh_from_db()
    assert variant.trade_price_cents is None
    assert not TradePrice.objects.exists()


def test_a_field_not_given_is_kept(member_a_owner, variant):
    # given
    variant_trade_pricing_set(actor=member_a_owner, variant=variant, details=FULL)
    # when
    variant_trade_pricing_set(
        actor=member_a_owner,
        variant=variant,
        details=TradePricingInput(trade_price="19.00"),
    )
    # then
    variant.refresh_from_db()
    assert trade_unit_price(variant, "NZD", 1) == 1900
    assert trade_unit_price(variant, "NZD", 12) == 1750
    assert trade_unit_price(variant, "AUD", 1) == 1700


def test_the_database_holds_the_rules_too(variant):
    for bad in (
        {"trade_price_cents": 0},
        {"min_order_quantity": 0},
        {"min_order_quantity": 10, "pack_size": 6},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Variant.objects.filter(pk=variant.pk).update(**bad)
    for currency, quantity, cents in (("NZD", 1, 100), ("EUR", 2, 100), ("AUD", 1, 0)):
        with pytest.raises(IntegrityError), transaction.atomic():
            TradePrice.objects.create(
                variant=variant,
                currency=currency,
                min_quantity=quantity,
                unit_cents=cents,
            )
    TradePrice.objects.create(
        variant=variant, currency="AUD", min_quantity=1, unit_cents=100
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TradePrice.objects.create(
            variant=variant, currency="AUD", min_quantity=1, unit_cents=90
        )


@pytest.mark.parametrize(
    ("currency", "quantity", "cents"),
    [
        ("NZD", 1, 1850),
        ("NZD", 11, 1850),
        ("NZD", 12, 1750),
        ("NZD", 47, 1750),
        ("NZD", 48, 1600),
        ("NZD", 1000, 1600),
        ("AUD", 6, 1700),
        ("AUD", 24, 1500),
        ("USD", 100, 1100),
        ("NZD", 0, None),
    ],
)
def test_the_largest_break_at_or_below_the_quantity_applies(
    member_a_owner, variant, currency, quantity, cents
):
    # given
    variant = variant_trade_pricing_set(
        actor=member_a_owner, variant=variant, details=FULL
    )
    # when / then
    assert trade_unit_price(variant, currency, quantity) == cents


def test_no_price_in_a_currency_is_none(member_a_owner, variant):
    # given: only an NZD trade price
    variant = variant_trade_pricing_set(
        actor=member_a_owner,
        variant=variant,
        details=TradePricingInput(trade_price="18.50"),
    )
    other = VariantFactory.create(product=variant.product)  # not offered to trade
    # then
    assert trade_unit_price(variant, "AUD", 10) is None
    assert trade_unit_price(other, "NZD", 10) is None


def test_many_variants_priced_in_two_queries(
    member_a_owner, product, django_assert_num_queries
):
    # given
    variants = VariantFactory.create_batch(20, product=product)
    for variant in variants[:10]:
        variant_trade_pricing_set(actor=member_a_owner, variant=variant, details=FULL)
    ids = [v.pk for v in variants]
    # when
    with django_assert_num_queries(2):
        nzd = trade_prices_for(ids, "NZD")
        # then
    assert set(nzd) == {v.pk for v in variants[:10]}
    assert nzd[variants[0].pk].unit_cents(12) == 1750
    assert nzd[variants[0].pk].min_order_quantity == 6
    assert trade_prices_for(ids, "USD")[variants[0].pk].unit_cents(500) == 1100


def test_quantity_against_moq_and_pack_size(member_a_owner, variant):
    # given
    variant_trade_pricing_set(actor=member_a_owner, variant=variant, details=FULL)
    variant.refresh_from_db()
    # then
    assert trade_quantity_problems(variant, 12) == []
    assert trade_quantity_problems(variant, 6) == []
    below_moq, not_packs = trade_quantity_problems(variant, 4)
    assert "minimum order is 6" in below_moq
    assert "order 6 units or a multiple" in not_packs
    [problem] = trade_quantity_problems(variant, 15)
    assert "packs of 6" in problem
    assert "12 or 18" in problem
    assert trade_quantity_problems(variant, 0) == ["Order at least one unit."]


def test_bulk_update_is_all_or_nothing(member_a_owner, member_a, product, variant):
    # given
    other = VariantFactory.create(product=product, sku="MH-1KG")
    # when: one bad row
    with pytest.raises(ValidationFailed) as exc:
        trade_pricing_bulk_update(
            actor=member_a_owner,
            member=member_a,
            changes={
                "MH-500": TradePricingInput(
                    trade_price="18.00", min_order_quantity="6", pack_size="6"
                ),
                "MH-1KG": TradePricingInput(trade_price="oops"),
                "NOPE": TradePricingInput(trade_price="1"),
            },
        )
    # then
    assert set(exc.value.errors) == {"trade_price.MH-1KG", "trade_price.NOPE"}
    variant.refresh_from_db()
    assert variant.trade_price_cents is None
    # when: all good
    trade_pricing_bulk_update(
        actor=member_a_owner,
        member=member_a,
        changes={
            "MH-500": TradePricingInput(trade_price="18.00"),
            "MH-1KG": TradePricingInput(
                trade_price="30", min_order_quantity="12", pack_size="6"
            ),
        },
    )
    other.refresh_from_db()
    assert (other.trade_price_cents, other.min_order_quantity) == (3000, 12)
    assert AuditEntry.objects.filter(verb="variant.trade_pricing_set").count() == 2


def test_bulk_update_refuses_another_team(customer, member_a, variant):
    with pytest.raises(NotPermitted):
        trade_pricing_bulk_update(
            actor=customer,
            member=member_a,
            changes={"MH-500": TradePricingInput(trade_price="1")},
        )
    variant.refresh_from_db()
    assert variant.trade_price_cents is None


def test_breaks_parse_reads_the_text_form():
    assert breaks_parse("12:18.50; 48=17\n96:16") == (
        PriceBreak("12", "18.50"),
        PriceBreak("48", "17"),
        PriceBreak("96", "16"),
    )
    assert breaks_parse("") == ()
    assert breaks_parse("12 18.50") is None


def test_margin_to_retail_ex_gst(variant):
    # given: RRP $23.00 incl. GST is $20.00 without it
    variant.price_cents = 2300
    variant.trade_price_cents = 1500
    # then
    assert variant.retail_ex_gst_cents == 2000
    assert variant.trade_margin_percent == 25
