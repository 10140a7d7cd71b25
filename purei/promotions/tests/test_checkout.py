"""Promotions at checkout, through the real services: the quote, the order's
lines and parts, the uses recorded, the books when it is paid, and what a
cancellation gives back (ADR 0015)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.core.errors import ValidationFailed
from purei.ledger.models import Account, Posting
from purei.ledger.selectors import account_balances, member_balances
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    money_cluster,
    money_member,
    pay,
)
from purei.members.models import Member
from purei.orders.models import Cart, Fulfilment, Order, ShippingPolicy, Zone
from purei.orders.money import gst_in
from purei.orders.services.cart import cart_add, cart_get_or_create, cart_summary
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    checkout_quote,
    order_place,
    order_release_expired,
)
from purei.orders.services.promotions import shopper_facts
from purei.promotions.models import Promotion, PromotionUse
from purei.promotions.tests.factories import PromotionFactory
from purei.search.tests.factories import public_product
from purei.settlement.services import order_lines_cancel

pytestmark = pytest.mark.django_db
K = Account.Kind

WELLINGTON = Address(
    line1="88 Cuba Street", town="Wellington", postcode="6011", region="NZ-WGN"
)


def _variant(cluster: Cluster, member: Member, price: int) -> Variant:
    variant = Variant.objects.get(product=public_product(cluster, member=member))
    Variant.objects.filter(pk=variant.pk).update(
        price_cents=price, stock=50, weight_grams=400
    )
    variant.refresh_from_db()
    return variant


@pytest.fixture
def fair(db: Any) -> dict[str, Any]:
    """Two registered makers, 12 % commission, delivery $8.50 a parcel in the
    North Island from each."""
    cluster = money_cluster(rate="12", gst_registered=True)
    policy = ShippingPolicy.objects.create(cluster=cluster)
    policy.rates.create(zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850)
    olives = money_member(cluster, gst_registered=True)
    potter = money_member(cluster, gst_registered=True)
    return {
        "cluster": cluster,
        "olives": olives,
        "potter": potter,
        "oil": _variant(cluster, olives, 2400),
        "bowl": _variant(cluster, potter, 6000),
    }


def _cart(cluster: Cluster, *items: tuple[Variant, int]) -> Cart:
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    for variant, quantity in items:
        cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    return cart


def _place(cart: Cart, code: str = "", email: str = "ana@example.nz") -> Order:
    return order_place(
        cart=cart,
        details=CheckoutDetails(
            email=email,
            name="Ana",
            payment_method="test",
            idempotency_key=uuid.uuid4().hex,
            address=WELLINGTON,
            promo_code=code,
        ),
    )


def test_free_delivery_over_80_paid_by_the_cluster(fair: dict[str, Any]):
    # given: the Martinborough Fair's promotion, and a basket of $108.00
    PromotionFactory.create(
        cluster=fair["cluster"],
        name="Free delivery over $80",
        kind=Promotion.Kind.FREE_DELIVERY,
        percent_bp=None,
        min_spend_cents=8000,
    )
    cart = _cart(fair["cluster"], (fair["oil"], 2), (fair["bowl"], 1))
    # when
    order = _place(cart)
    # then: both parcels free, paid by the cluster; goods as priced
    assert (order.goods_cents, order.shipping_cents, order.discount_cents) == (
        10_800,
        0,
        1_700,
    )
    parts = list(order.fulfilments.order_by("pk"))
    assert [(f.shipping_cents, f.shipping_discount_cents) for f in parts] == [
        (0, 850),
        (0, 850),
    ]
    assert [f.shipping_discount_cluster_cents for f in parts] == [850, 850]
    assert order.gst_cents == gst_in(4800) + gst_in(6000)
    use = PromotionUse.objects.get(order_id=order.pk)
    assert (use.discount_cents, use.cluster_cents) == (1_700, 1_700)
    # when it is paid, the cluster makes each maker's delivery good
    pay(order)
    promotions = account_balances(fair["cluster"].pk)[K.PROMOTIONS]
    assert promotions == 1_700
    credited = Posting.objects.filter(
        account__kind=K.MEMBER_PAYABLE,
        description=f"Order {order.number}: promotion paid by the cluster",
    )
    assert sorted(p.amount_cents for p in credited) == [-850, -850]


def test_a_percentage_code_gst_on_the_discounted_price_and_a_refund(
    fair: dict[str, Any],
):
    # given: 10 % off with FAIR10, paid by the cluster
    PromotionFactory.create(cluster=fair["cluster"], code="FAIR10", max_uses=5)
    cart = _cart(fair["cluster"], (fair["oil"], 3), (fair["bowl"], 1))
    # when: 3 x $24.00 and $60.00: $132.00, 10 % = $13.20
    order = _place(cart, code="fair10")
    # then: split 7200 : 6000 → 720 and 600
    lines = {line.sku: line for line in order.lines.all()}
    oil = lines[fair["oil"].sku]
    bowl = lines[fair["bowl"].sku]
    assert (oil.total_cents, oil.discount_cents, oil.gst_cents) == (6480, 720, 845)
    assert (bowl.total_cents, bowl.discount_cents, bowl.gst_cents) == (5400, 600, 704)
    assert order.promo_code == "FAIR10"
    assert order.total_cents == 6480 + 5400 + 850 + 850
    assert Promotion.objects.get(code="FAIR10").uses == 1
    # when it is paid and one of the three bottles is cancelled
    pay(order)
    part = Fulfilment.objects.get(order=order, member=fair["olives"])
    outcome = order_lines_cancel(
        actor=cluster_admin(fair["cluster"]),
        fulfilment=part,
        quantities={oil.pk: 1},
        reason="Broken",
    )
    # then: it gives back what was paid for it: 720 split 2 : 1 → 480 stays
    oil.refresh_from_db()
    assert (oil.total_cents, oil.live_discount_cents) == (4800 - 480, 480)
    assert outcome.refund is not None
    assert outcome.refund.amount_cents == 6480 - 4320 == 2160
    # and the cluster takes back what it had made good on that bottle (240)
    assert account_balances(fair["cluster"].pk)[K.PROMOTIONS] == 480 + 600


def test_a_refused_code_refuses_the_order_and_changes_nothing(fair: dict[str, Any]):
    PromotionFactory.create(cluster=fair["cluster"], code="BIG", min_spend_cents=50_000)
    cart = _cart(fair["cluster"], (fair["oil"], 1))
    with pytest.raises(ValidationFailed) as refused:
        _place(cart, code="BIG")
    assert refused.value.errors["promo_code"] == [
        "The code BIG needs a minimum spend of $500.00 on the goods it is for."
    ]
    assert Order.objects.count() == 0
    assert PromotionUse.objects.count() == 0
    assert Variant.objects.get(pk=fair["oil"].pk).stock == 50


def test_uses_in_total_and_per_customer(fair: dict[str, Any]):
    PromotionFactory.create(
        cluster=fair["cluster"], code="ONCE", max_uses_per_customer=1, max_uses=2
    )
    first = _place(_cart(fair["cluster"], (fair["oil"], 1)), code="ONCE")
    assert first.discount_cents == 240
    with pytest.raises(ValidationFailed) as again:
        _place(_cart(fair["cluster"], (fair["oil"], 1)), code="once")
    assert again.value.errors["promo_code"] == ["You have already used the code ONCE."]
    _place(_cart(fair["cluster"], (fair["oil"], 1)), code="ONCE", email="b@example.nz")
    with pytest.raises(ValidationFailed) as used_up:
        _place(
            _cart(fair["cluster"], (fair["oil"], 1)), code="ONCE", email="c@example.nz"
        )
    assert used_up.value.errors["promo_code"] == ["The code ONCE has been used up."]


def test_an_unpaid_order_cancelled_gives_its_use_back(fair: dict[str, Any]):
    promotion = PromotionFactory.create(cluster=fair["cluster"], code="ONE", max_uses=1)
    order = _place(_cart(fair["cluster"], (fair["oil"], 1)), code="ONE")
    assert Promotion.objects.get(pk=promotion.pk).uses == 1
    # when its hold runs out
    order_release_expired(now=timezone.now() + dt.timedelta(days=5))
    # then
    assert Promotion.objects.get(pk=promotion.pk).uses == 0
    assert PromotionUse.objects.get(order_id=order.pk).released_at is not None


def test_first_order_only(fair: dict[str, Any]):
    PromotionFactory.create(
        cluster=fair["cluster"], code="HELLO", first_order_only=True
    )
    _place(_cart(fair["cluster"], (fair["oil"], 1)), email="new@example.nz")
    quote = checkout_quote(
        cluster=fair["cluster"],
        summary=cart_summary(_cart(fair["cluster"], (fair["oil"], 1))),
        promo_code="HELLO",
        shopper=shopper_facts(None, "NEW@example.nz"),
    )
    assert quote.promotions.refused == "The code HELLO is for a first order only."
    quote = checkout_quote(
        cluster=fair["cluster"],
        summary=cart_summary(_cart(fair["cluster"], (fair["oil"], 1))),
        promo_code="HELLO",
        shopper=shopper_facts(None, "other@example.nz"),
    )
    assert quote.promotions.code == "HELLO"


def test_a_members_own_promotion_is_paid_by_it(fair: dict[str, Any]):
    # given: the potter's 25 % off its own goods
    PromotionFactory.create(
        cluster=fair["cluster"],
        member=fair["potter"],
        paid_by=Promotion.PaidBy.MEMBER,
        percent_bp=2500,
    )
    order = _place(_cart(fair["cluster"], (fair["oil"], 1), (fair["bowl"], 1)))
    bowl = order.lines.get(sku=fair["bowl"].sku)
    assert (bowl.total_cents, bowl.discount_cents, bowl.discount_cluster_cents) == (
        4500,
        1500,
        0,
    )
    pay(order)
    # then: the cluster pays nothing; the potter earns on $45.00
    assert account_balances(fair["cluster"].pk).get(K.PROMOTIONS, 0) == 0
    part = order.fulfilments.get(member=fair["potter"])
    balances = member_balances(fair["cluster"].pk)
    assert part.paid_cents == 4500 + 850
    # 12 % of 4500 - 587 = 3913 → 469.56 → 470; its GST 70.5 → 71; fee shares
    assert balances[fair["potter"].pk] < part.paid_cents - 470 - 71
