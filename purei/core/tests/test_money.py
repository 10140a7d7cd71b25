from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purei.core.money import (
    MAX_CENTS,
    PriceInvalid,
    format_cents,
    parse_price_cents,
)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("24.50", 2450),
        ("24.5", 2450),
        ("24", 2400),
        ("$1,200.00", 120000),
        ("NZ$0.99", 99),
        (" 0.10 ", 10),
        ("0", 0),
    ],
)
def test_parses_prices_people_type(text, cents):
    assert parse_price_cents(text) == cents


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("abc", "not_a_price"),
        ("NaN", "not_a_price"),
        ("Infinity", "not_a_price"),
        ("-1.00", "negative"),
        ("1.005", "too_many_decimals"),
        ("1e9", "too_large"),
    ],
)
def test_refuses_what_is_not_a_price(text, reason):
    with pytest.raises(PriceInvalid) as exc:
        parse_price_cents(text)
    assert str(exc.value) == reason


def test_refuses_floats():
    with pytest.raises(PriceInvalid):
        parse_price_cents(24.5)  # type: ignore[arg-type]  # the point of the test


@given(st.integers(min_value=0, max_value=MAX_CENTS))
def test_cents_round_trip_through_text(cents):
    # when
    text = format_cents(cents)
    # then
    assert parse_price_cents(text) == cents
    assert Decimal(text) * 100 == cents


@given(
    st.decimals(
        min_value=0, max_value=Decimal(MAX_CENTS) / 100, places=2, allow_nan=False
    )
)
def test_two_place_decimals_are_exact(amount):
    assert parse_price_cents(str(amount)) == int(amount * 100)
    assert isinstance(parse_price_cents(str(amount)), int)
