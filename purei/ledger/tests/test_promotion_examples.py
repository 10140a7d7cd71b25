"""The worked examples of docs/money.md "Promotions", through the real services
(checkout, payment, cancellation), checked to the cent — and the figures are the
ones the page prints."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.ledger.models import Account, Invoice
from purei.ledger.selectors import account_balances, member_balance_cents
from purei.members.models import Member
from purei.orders.models import Fulfilment, Order, ShippingPolicy, Zone
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import Address, CheckoutDetails, order_place
from purei.payments.models import Payment
from purei.promotions.models import Promotion
from purei.promotions.tests.factories import PromotionFactory
from purei.search.tests.factories import public_product
from purei.settlement.services import order_lines_cancel, payment_succeeded

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    money_cluster,
    money_member,
    pay,
)

pytestmark = pytest.mark.django_db
K = Account.Kind
MONEY_MD = Path(settings.BASE_DIR).parent / "docs" / "money.md"
WELLINGTON = Address(
    line1="88 Cuba Street", town="Wellington", postcode="6011", region="NZ-WGN"
)


def _section() -> str:
    text = MONEY_MD.read_text(encoding="utf-8")
    return text[text.index("## Promotions") : text.index("## Trade receivables")]


def _says(*figures: str) -> None:
    """docs/money.md's Promotions section prints each of ``figures``."""
    section = re.sub(r"\s+", " ", _section())
    for figure in figures:
        assert figure in section, figure


def _variant(cluster: Cluster, member: Member, price: int) -> Variant:
    variant = Variant.objects.get(product=public_product(cluster, member=member))
    Variant.objects.filter(pk=variant.pk).update(
        price_cents=price, stock=20, weight_grams=400
    )
    return variant


def _order(
    cluster: Cluster,
    items: list[tuple[Variant, int]],
    *,
    code: str = "",
    method: str = "test",
) -> Order:
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    for variant, quantity in items:
        cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    return order_place(
        cart=cart,
        details=CheckoutDetails(
            email="ana@example.nz",
            name="Ana",
            payment_method=method,
            idempotency_key=uuid.uuid4().hex,
            address=WELLINGTON,
            promo_code=code,
        ),
    )


def _pay_by_transfer(order: Order) -> None:
    payment = Payment.objects.create(
        order=order, gateway="bank_transfer", amount_cents=order.total_cents
    )
    payment_succeeded(payment, succeeded_at=timezone.now(), reference="transfer")


def _pickup_only(cluster: Cluster, member: Member) -> None:
    """The member hands over at its premises only (no delivery charge)."""
    ShippingPolicy.objects.create(
        member=member, pickup_at_premises=True, pickup_address="The shed"
    )


@pytest.mark.parametrize(
    ("paid_by", "owed", "kept"),
    [("cluster", 8920, 80), ("member", 7920, 1080), (None, 8800, 1200)],
)
def test_worked_example_1(paid_by: str | None, owed: int, kept: int) -> None:
    # given: a $100.00 item, 12 % commission, nobody registered, bank transfer
    cluster = money_cluster(rate="12", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    _pickup_only(cluster, member)
    item = _variant(cluster, member, 10_000)
    if paid_by == "cluster":
        PromotionFactory.create(cluster=cluster, percent_bp=1000)
    elif paid_by == "member":
        PromotionFactory.create(
            cluster=cluster, member=member, paid_by="member", percent_bp=1000
        )
    # when
    order = _order(cluster, [(item, 1)], method="bank_transfer")
    _pay_by_transfer(order)
    # then
    balances = account_balances(cluster.pk)
    assert member_balance_cents(member.pk, cluster.pk) == owed
    assert -balances[K.COMMISSION] - balances.get(K.PROMOTIONS, 0) == kept
    _says(f"**{owed}**", f"**{kept}**")


@pytest.mark.parametrize(("paid_by", "owed"), [("cluster", 8647), ("member", 7647)])
def test_worked_example_2(paid_by: str, owed: int) -> None:
    # given: the same item from a registered member, the lead organisation
    # registered, paid by card
    cluster = money_cluster(rate="12", gst_registered=True)
    member = money_member(cluster, gst_registered=True)
    _pickup_only(cluster, member)
    item = _variant(cluster, member, 10_000)
    PromotionFactory.create(
        cluster=cluster,
        member=member if paid_by == "member" else None,
        paid_by=paid_by,
        percent_bp=1000,
    )
    # when
    order = _order(cluster, [(item, 1)])
    pay(order)
    # then
    line = order.lines.get()
    assert (line.total_cents, line.gst_cents, line.discount_cents) == (9000, 1174, 1000)
    balances = account_balances(cluster.pk)
    assert -balances[K.COMMISSION] == 939
    assert -balances[K.COMMISSION_GST] == 141
    assert member_balance_cents(member.pk, cluster.pk) == owed
    if paid_by == "cluster":
        assert -balances[K.COMMISSION] - balances[K.PROMOTIONS] == -61
        invoice = Invoice.objects.get(order=order, kind=Invoice.Kind.TAX_INVOICE)
        shown = invoice.lines.get()
        assert (shown.unit_price_cents, shown.total_cents, shown.gst_cents) == (
            10_000,
            9000,
            1174,
        )
        assert "$10.00 off under a promotion" in shown.description
    _says("**1174**", "**939**", "**141**", "**273**", f"**{owed}**", "**\u221261**")


def test_worked_example_3_free_delivery_over_80() -> None:
    # given: the Martinborough Fair's promotion, 6 % commission
    cluster = money_cluster(rate="6", gst_registered=True)
    ShippingPolicy.objects.create(cluster=cluster).rates.create(
        zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    olives = money_member(cluster, gst_registered=True)
    potter = money_member(cluster, gst_registered=False)
    PromotionFactory.create(
        cluster=cluster,
        name="Free delivery over $80",
        kind=Promotion.Kind.FREE_DELIVERY,
        percent_bp=None,
        min_spend_cents=8000,
    )
    oil = _variant(cluster, olives, 2400)
    bowl = _variant(cluster, potter, 6000)
    # when
    order = _order(cluster, [(oil, 2), (bowl, 1)])
    pay(order)
    # then
    assert (order.total_cents, order.discount_cents) == (10_800, 1_700)
    balances = account_balances(cluster.pk)
    assert balances[K.PROMOTIONS] == 1700
    assert member_balance_cents(olives.pk, cluster.pk) == 5219
    assert member_balance_cents(potter.pk, cluster.pk) == 6257
    assert -balances[K.COMMISSION] - balances[K.PROMOTIONS] == -1090
    _says("**1700**", "**10800**", "**626**", "**143**", "**179**")
    _says("**5219**", "**6257**", "**\u22121090**")


def test_worked_example_4_refund_of_part_of_a_discounted_line() -> None:
    # given: 3 x $19.99 with 20 % off paid by the cluster, paid
    cluster = money_cluster(rate="12", gst_registered=True)
    member = money_member(cluster, gst_registered=True)
    _pickup_only(cluster, member)
    item = _variant(cluster, member, 1999)
    PromotionFactory.create(cluster=cluster, code="TWENTY", percent_bp=2000)
    order = _order(cluster, [(item, 3)], code="twenty")
    pay(order)
    line = order.lines.get()
    assert (line.discount_cents, line.total_cents, line.gst_cents) == (1199, 4798, 626)
    # when one item is cancelled
    outcome = order_lines_cancel(
        actor=cluster_admin(cluster),
        fulfilment=Fulfilment.objects.get(order=order),
        quantities={line.pk: 1},
        reason="Chipped",
    )
    # then
    line.refresh_from_db()
    assert (line.live_discount_cents, line.total_cents, line.gst_cents) == (
        799,
        3199,
        417,
    )
    assert outcome.refund is not None
    assert outcome.refund.amount_cents == 1599
    credit = Invoice.objects.get(order=order, kind=Invoice.Kind.CREDIT_NOTE)
    assert abs(credit.gst_cents) == 209
    assert account_balances(cluster.pk)[K.PROMOTIONS] == 799
    _says(
        "**1199**", "**4798**", "**799**", "**400**", "**3199**", "**1599**", "**209**"
    )


def test_worked_example_5_an_amount_split_across_members() -> None:
    cluster = money_cluster(rate="12", gst_registered=True)
    one = money_member(cluster)
    two = money_member(cluster)
    for member in (one, two):
        _pickup_only(cluster, member)
    PromotionFactory.create(
        cluster=cluster, kind=Promotion.Kind.FIXED, percent_bp=None, amount_cents=500
    )
    a = _variant(cluster, one, 1000)
    b = _variant(cluster, two, 2001)
    c = _variant(cluster, two, 99)
    order = _order(cluster, [(a, 1), (b, 1), (c, 1)])
    off = {line.unit_price_cents: line.discount_cents for line in order.lines.all()}
    assert off == {1000: 161, 2001: 323, 99: 16}
    _says("**161**", "**323**", "**16**")
