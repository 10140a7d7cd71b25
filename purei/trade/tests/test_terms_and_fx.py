import datetime as dt
from decimal import Decimal

import pytest

from purei.trade.fx import to_currency, to_nzd
from purei.trade.terms import due_date, terms_for_order


@pytest.mark.parametrize(
    ("terms", "invoice", "days", "due"),
    [
        ("proforma", dt.date(2026, 12, 6), None, dt.date(2026, 12, 6)),
        ("net_7", dt.date(2026, 12, 28), None, dt.date(2027, 1, 4)),
        # 20th of the month following: whatever day of the month the invoice is.
        ("twentieth", dt.date(2026, 1, 31), None, dt.date(2026, 2, 20)),
        ("twentieth", dt.date(2026, 1, 1), None, dt.date(2026, 2, 20)),
        ("twentieth", dt.date(2026, 12, 5), None, dt.date(2027, 1, 20)),
        ("net_days", dt.date(2026, 2, 1), 30, dt.date(2026, 3, 3)),
    ],
)
def test_due_dates(terms, invoice, days, due):
    # when / then
    assert due_date(terms, invoice, days=days) == due


def test_terms_of_a_number_of_days_need_the_number():
    # when / then
    with pytest.raises(ValueError, match="number"):
        due_date("net_days", dt.date(2026, 2, 1))


@pytest.mark.parametrize(
    ("proforma_first", "orders_before", "terms"),
    [(True, 0, "proforma"), (True, 1, "twentieth"), (False, 0, "twentieth")],
)
def test_a_first_order_is_pro_forma_when_the_account_says_so(
    proforma_first, orders_before, terms
):
    # when / then
    assert (
        terms_for_order(
            terms="twentieth",
            first_order_proforma=proforma_first,
            orders_before=orders_before,
        )
        == terms
    )


def test_conversion_rounds_half_up_to_the_cent():
    # given: NZ$1 = A$0.9125
    rate = Decimal("0.9125")
    # when / then: 1,000.00 NZD = 912.50 AUD; 0.02 NZD = 0.01825 → 0.02 AUD
    assert to_currency(100_000, rate) == 91_250
    assert to_currency(2, rate) == 2
    assert to_nzd(91_250, rate) == 100_000
