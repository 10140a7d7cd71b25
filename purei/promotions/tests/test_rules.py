"""The arithmetic of promotions (``purei.promotions.rules``): pure, no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from purei.promotions.rules import (
    BUY_X_GET_Y,
    CLUSTER,
    FIXED,
    FREE_DELIVERY,
    MEMBER,
    PERCENT,
    LineIn,
    ShippingIn,
    Shopper,
    Terms,
    discounts_for,
)

NOW = dt.datetime(2030, 2, 1, 0, 0, tzinfo=dt.UTC)


def line(key: int, price: int, qty: int = 1, member: int = 1, **more: int) -> LineIn:
    return LineIn(
        key=key,
        member_id=member,
        product_id=more.get("product", key),
        category_id=more.get("category"),
        unit_price_cents=price,
        quantity=qty,
    )


def test_a_percentage_is_split_across_lines_and_members_by_largest_remainder():
    # given: 10 % off $10.00, $20.01 and $0.99 from two members
    ten = Terms(id=1, name="Ten off", kind=PERCENT, percent_bp=1000)
    basket = [line(1, 1000), line(2, 2001, member=2), line(3, 99, member=2)]
    # when
    found = discounts_for(promotions=[ten], lines=basket, now=NOW)
    # then: 10 % of 3100 = 310, shared 1000 : 2001 : 99 → 100, 200.1, 9.9:
    # floors 100, 200, 9; the cent left goes to the largest remainder (.9)
    assert [(d.key, d.cents) for d in found.lines] == [(1, 100), (2, 200), (3, 10)]
    assert found.goods_cents == 310
    assert found.cluster_cents == 310  # the cluster pays by default


def test_an_amount_never_takes_more_than_the_goods_in_scope():
    five = Terms(id=1, name="Five off", kind=FIXED, amount_cents=500, code="FIVE")
    found = discounts_for(promotions=[five], lines=[line(1, 300)], code="five", now=NOW)
    assert found.goods_cents == 300
    assert found.code == "FIVE"
    assert found.refused == ""


def test_buy_two_get_one_free_gives_the_cheapest():
    # given: 2 x $12 and 1 x $9 and 3 x $5 in scope (6 units)
    deal = Terms(id=1, name="3 for 2", kind=BUY_X_GET_Y, buy_quantity=2, get_quantity=1)
    basket = [line(1, 1200, 2), line(2, 900, 1), line(3, 500, 3)]
    # when
    found = discounts_for(promotions=[deal], lines=basket, now=NOW)
    # then: two groups of three: the two cheapest units ($5 each) are free
    assert [(d.key, d.cents) for d in found.lines] == [(3, 1000)]


def test_free_delivery_over_a_minimum_spend_and_who_pays():
    free = Terms(
        id=1,
        name="Free delivery over $80",
        kind=FREE_DELIVERY,
        min_spend_cents=8000,
        paid_by=CLUSTER,
    )
    basket = [line(1, 6000), line(2, 2000, member=2)]
    shipping = [ShippingIn(1, 850), ShippingIn(2, 1250)]
    found = discounts_for(promotions=[free], lines=basket, shipping=shipping, now=NOW)
    assert [(s.member_id, s.cents, s.cluster_cents) for s in found.shipping] == [
        (1, 850, 850),
        (2, 1250, 1250),
    ]
    # under $80: nothing
    short = discounts_for(
        promotions=[free], lines=[line(1, 7999)], shipping=shipping, now=NOW
    )
    assert short.total_cents == 0


def test_a_member_pays_only_for_its_own_goods():
    mine = Terms(
        id=1,
        name="Honey week",
        kind=PERCENT,
        percent_bp=2000,
        paid_by=MEMBER,
        member_id=2,
    )
    found = discounts_for(
        promotions=[mine], lines=[line(1, 1000), line(2, 1000, member=2)], now=NOW
    )
    assert [(d.key, d.cents, d.cluster_cents) for d in found.lines] == [(2, 200, 0)]


def test_scope_by_category_and_product():
    cat = Terms(
        id=1, name="Cheese", kind=PERCENT, percent_bp=5000, categories=frozenset({7})
    )
    found = discounts_for(
        promotions=[cat], lines=[line(1, 1000, category=7), line(2, 1000)], now=NOW
    )
    assert [d.key for d in found.lines] == [1]
    prod = Terms(
        id=2, name="One", kind=FIXED, amount_cents=100, products=frozenset({2})
    )
    found = discounts_for(
        promotions=[prod], lines=[line(1, 1000), line(2, 1000)], now=NOW
    )
    assert [d.key for d in found.lines] == [2]


def refused(terms: Terms, basket: list[LineIn] | None = None, **shopper: object) -> str:
    return discounts_for(
        promotions=[terms],
        lines=basket or [line(1, 1000)],
        shopper=Shopper(**shopper),  # type: ignore[arg-type]  # test values
        code=terms.code or "",
        now=NOW,
    ).refused


def test_a_code_is_refused_with_its_reason():
    code = Terms(id=1, name="X", kind=PERCENT, percent_bp=1000, code="SAVE10")
    assert refused(Terms(**{**code.__dict__, "active": False})) == (
        "The code SAVE10 is not available."
    )
    later = NOW + dt.timedelta(days=3)
    assert "starts on" in refused(Terms(**{**code.__dict__, "starts_at": later}))
    assert "expired on" in refused(Terms(**{**code.__dict__, "ends_at": NOW}))
    assert refused(Terms(**{**code.__dict__, "min_spend_cents": 8000})) == (
        "The code SAVE10 needs a minimum spend of $80.00 on the goods it is for."
    )
    assert refused(Terms(**{**code.__dict__, "max_uses": 1, "uses": 1})) == (
        "The code SAVE10 has been used up."
    )
    assert refused(
        Terms(**{**code.__dict__, "max_uses_per_customer": 1, "customer_uses": 1})
    ) == ("You have already used the code SAVE10.")
    assert refused(
        Terms(**{**code.__dict__, "first_order_only": True}), first_order=False
    ) == ("The code SAVE10 is for a first order only.")
    assert refused(Terms(**{**code.__dict__, "products": frozenset({99})})) == (
        "The code SAVE10 is for other goods than these."
    )
    unknown = discounts_for(promotions=[], lines=[line(1, 10)], code="nope", now=NOW)
    assert unknown.refused == "NOPE is not a promo code of this shop."


def test_a_code_that_does_not_stack_loses_to_a_bigger_automatic_promotion():
    auto = Terms(id=1, name="Summer sale", kind=PERCENT, percent_bp=2000)
    code = Terms(id=2, name="Ten", kind=PERCENT, percent_bp=1000, code="TEN")
    found = discounts_for(
        promotions=[auto, code], lines=[line(1, 1000)], code="TEN", now=NOW
    )
    assert found.goods_cents == 200
    assert found.code == ""
    assert found.refused == (
        "The code TEN can't be combined with Summer sale, which takes more off."
    )


def test_a_code_that_does_not_stack_replaces_a_smaller_automatic_promotion():
    auto = Terms(id=1, name="Small", kind=PERCENT, percent_bp=500)
    code = Terms(id=2, name="Ten", kind=PERCENT, percent_bp=1000, code="TEN")
    found = discounts_for(
        promotions=[auto, code], lines=[line(1, 1000)], code="ten", now=NOW
    )
    assert (found.goods_cents, found.code, found.refused) == (100, "TEN", "")
    assert found.replaced == ("Small",)


def test_stackable_promotions_apply_one_after_the_other():
    # 10 % then $5 off $100: 1000 + 500; then free delivery
    ten = Terms(id=1, name="Ten", kind=PERCENT, percent_bp=1000, stackable=True)
    five = Terms(
        id=2, name="Five", kind=FIXED, amount_cents=500, code="FIVE", stackable=True
    )
    ship = Terms(id=3, name="Ship", kind=FREE_DELIVERY, stackable=True)
    found = discounts_for(
        promotions=[five, ship, ten],
        lines=[line(1, 10_000)],
        shipping=[ShippingIn(1, 850)],
        code="FIVE",
        now=NOW,
    )
    assert [(a.name, a.discount_cents) for a in found.applied] == [
        ("Ten", 1000),
        ("Five", 500),
        ("Ship", 850),
    ]
    assert found.total_cents == 2350


prices = st.integers(min_value=0, max_value=50_000)
baskets = st.lists(
    st.tuples(prices, st.integers(1, 5), st.integers(1, 3)), min_size=1, max_size=6
)
promotion = st.one_of(
    st.builds(
        lambda bp, s: Terms(id=1, name="P", kind=PERCENT, percent_bp=bp, stackable=s),
        st.integers(1, 10_000),
        st.booleans(),
    ),
    st.builds(
        lambda c, s: Terms(id=2, name="F", kind=FIXED, amount_cents=c, stackable=s),
        st.integers(1, 100_000),
        st.booleans(),
    ),
    st.builds(
        lambda b, g, s: Terms(
            id=3,
            name="B",
            kind=BUY_X_GET_Y,
            buy_quantity=b,
            get_quantity=g,
            stackable=s,
        ),
        st.integers(1, 4),
        st.integers(1, 3),
        st.booleans(),
    ),
    st.builds(
        lambda m, s: Terms(
            id=4,
            name="M",
            kind=PERCENT,
            percent_bp=1500,
            paid_by=MEMBER,
            member_id=m,
            stackable=s,
        ),
        st.integers(1, 3),
        st.booleans(),
    ),
    st.builds(
        lambda s: Terms(id=5, name="D", kind=FREE_DELIVERY, stackable=s), st.booleans()
    ),
)


@given(
    basket=baskets, promotions=st.lists(promotion, max_size=4, unique_by=lambda t: t.id)
)
def test_no_line_ever_goes_below_zero_and_members_pay_only_their_own(
    basket, promotions
):
    lines = [line(i, p, q, member=m) for i, (p, q, m) in enumerate(basket)]
    shipping = [ShippingIn(m, 850) for m in {m for _p, _q, m in basket}]
    found = discounts_for(
        promotions=promotions, lines=lines, shipping=shipping, now=NOW
    )
    by_key = {ln.key: ln for ln in lines}
    for off in found.lines:
        assert 0 < off.cents <= by_key[off.key].total_cents
        assert 0 <= off.cluster_cents <= off.cents
    for applied in found.applied:
        if applied.paid_by == MEMBER:
            assert all(
                by_key[off.key].member_id == applied.member_id
                for off in found.lines
                if off.cluster_cents < off.cents
            )
    assert found.total_cents == sum(a.discount_cents for a in found.applied)
    assert found.cluster_cents == sum(a.cluster_cents for a in found.applied)
