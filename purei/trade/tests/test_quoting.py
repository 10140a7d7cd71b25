from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purei.trade.quoting import (
    Charges,
    NothingToShareBy,
    PricedLine,
    ShareBasis,
    gst_on,
    quote_figures,
)

# The steel fabricators' example in docs/trade.md: beams, pipes and bearings from
# three members, DAP Brisbane, in AUD at NZ$1 = A$0.9125.
BEAMS = PricedLine(key=1, quantity=4, unit_nzd_cents=61_500, unit_weight_grams=242_000)
PIPES = PricedLine(key=2, quantity=20, unit_nzd_cents=8_990, unit_weight_grams=18_500)
BEARINGS = PricedLine(key=3, quantity=50, unit_nzd_cents=1_245, unit_weight_grams=400)
RATE = Decimal("0.9125")


def test_the_steel_fabricators_quote_by_weight():
    # when
    figures = quote_figures(
        [BEAMS, PIPES, BEARINGS],
        Charges(freight_nzd_cents=185_000, insurance_nzd_cents=12_000),
        rate=RATE,
        basis=ShareBasis.WEIGHT,
        export=True,
    )
    # then: unit prices converted half up, totals are unit * quantity
    beams, pipes, bearings = figures.lines
    assert (beams.unit_cents, beams.goods_cents) == (56_119, 224_476)
    assert (pipes.unit_cents, pipes.goods_cents) == (8_203, 164_060)
    assert (bearings.unit_cents, bearings.goods_cents) == (1_136, 56_800)
    # freight A$1,688.13 shared by weight: 968 kg, 370 kg, 20 kg of 1,358 kg
    assert figures.freight_cents == 168_813
    assert [line.freight_cents for line in figures.lines] == [120_332, 45_995, 2_486]
    assert figures.insurance_cents == 10_950
    # 10,950 * 968/1,358 = 7,805.30; * 370/1,358 = 2,983.43; * 20/1,358 = 161.27:
    # the cent left over goes to the largest remainder (pipes)
    assert [line.insurance_cents for line in figures.lines] == [7_805, 2_984, 161]
    # exported: zero-rated
    assert figures.gst_cents == 0
    assert figures.total_cents == 224_476 + 164_060 + 56_800 + 168_813 + 10_950
    assert figures.weight_grams == 1_358_000


def test_shared_by_value_in_new_zealand_with_gst():
    # when
    figures = quote_figures(
        [
            PricedLine(key=1, quantity=2, unit_nzd_cents=10_000),
            PricedLine(key=2, quantity=1, unit_nzd_cents=10_001, gst_registered=False),
        ],
        Charges(freight_nzd_cents=1_000),
        rate=Decimal(1),
        basis=ShareBasis.VALUE,
        export=False,
    )
    # then: freight 1,000 over 20,000 and 10,001 → 667 and 333
    first, second = figures.lines
    assert (first.freight_cents, second.freight_cents) == (667, 333)
    # GST 15 % on the registered supplier's line only, goods and freight together
    assert first.gst_cents == gst_on(20_667) == 3_100
    assert second.gst_cents == 0
    assert figures.total_cents == 20_667 + 3_100 + 10_334


def test_charges_by_weight_need_a_weight():
    # when / then
    with pytest.raises(NothingToShareBy):
        quote_figures(
            [PricedLine(key=1, quantity=1, unit_nzd_cents=100)],
            Charges(freight_nzd_cents=100),
            rate=Decimal(1),
            basis=ShareBasis.WEIGHT,
            export=True,
        )


@pytest.mark.parametrize(
    ("ex_gst", "gst"), [(100, 15), (3, 0), (10, 2), (1_000_001, 150_000)]
)
def test_gst_is_fifteen_percent_half_up(ex_gst, gst):
    assert gst_on(ex_gst) == gst


lines_strategy = st.lists(
    st.builds(
        PricedLine,
        key=st.integers(0, 1000),
        quantity=st.integers(1, 500),
        unit_nzd_cents=st.integers(0, 2_000_000),
        unit_weight_grams=st.integers(1, 500_000),
        gst_registered=st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


@given(
    lines=lines_strategy,
    freight=st.integers(0, 5_000_000),
    insurance=st.integers(0, 100_000),
    packing=st.integers(0, 100_000),
    rate=st.decimals(min_value="0.1", max_value="3", places=4),
    basis=st.sampled_from(list(ShareBasis)),
    export=st.booleans(),
)
def test_every_figure_adds_up(lines, freight, insurance, packing, rate, basis, export):
    # given
    if basis == ShareBasis.VALUE and all(line.unit_nzd_cents == 0 for line in lines):
        basis = ShareBasis.WEIGHT
    # when
    figures = quote_figures(
        lines,
        Charges(freight, insurance, packing),
        rate=rate,
        basis=basis,
        export=export,
    )
    # then
    for line, quoted in zip(lines, figures.lines, strict=True):
        assert quoted.goods_cents == quoted.unit_cents * line.quantity
    assert figures.freight_cents == sum(q.freight_cents for q in figures.lines)
    assert figures.total_cents == figures.ex_gst_cents + figures.gst_cents
    assert figures.total_cents == sum(q.total_cents for q in figures.lines)
    assert figures.ex_gst_cents == (
        figures.goods_cents
        + figures.freight_cents
        + figures.insurance_cents
        + figures.packing_cents
    )
    if export:
        assert figures.gst_cents == 0
