"""Checkout: quotes, placing an order in one transaction, stock held, idempotency."""

from __future__ import annotations

import datetime
import io
import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from purei.catalogue.models import Product, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.core.errors import ValidationFailed
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory
from purei.orders.models import (
    Cart,
    CartLine,
    Fulfilment,
    Order,
    OrderLine,
    PickupEvent,
    ShippingPolicy,
    ShippingRate,
    Zone,
)
from purei.orders.money import gst_in, without_gst
from purei.orders.services import checkout as checkout_module
from purei.orders.services.cart import cart_add, cart_get_or_create, cart_summary
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    Choice,
    checkout_quote,
    order_place,
    order_release_expired,
)
from purei.orders.services.payments import order_mark_paid
from purei.payments.models import Payment
from purei.search.tests.factories import CategoryFactory, public_product

pytestmark = pytest.mark.django_db

AUCKLAND = Address(
    country="NZ",
    line1="12 Queen Street",
    suburb="Grey Lynn",
    town="Auckland",
    postcode="1021",
    region="NZ-AUK",
)
SYDNEY = Address(
    country="AU", line1="1 George St", town="Sydney", postcode="2000", state="NSW"
)


def _variant(
    cluster: Cluster,
    member: Member,
    *,
    price: int,
    stock: int = 10,
    grams: int = 500,
    **product: Any,
) -> Variant:
    made = public_product(cluster, member=member, **product)
    variant = Variant.objects.get(product=made)
    variant.price_cents = price
    variant.stock = stock
    variant.weight_grams = grams
    variant.save()
    return variant


def _rates(cluster: Cluster) -> None:
    policy = ShippingPolicy.objects.create(cluster=cluster, rural_surcharge_cents=575)
    for zone, price in [
        (Zone.NORTH_ISLAND, 850),
        (Zone.SOUTH_ISLAND, 1250),
        (Zone.AUSTRALIA, 3500),
    ]:
        ShippingRate.objects.create(
            policy=policy, zone=zone, max_weight_grams=5000, price_cents=price
        )


@pytest.fixture
def shop(db: Any) -> dict[str, Any]:
    """A cluster with two makers: one registered for GST, one not."""
    cluster = ClusterFactory.create(slug="martinborough-fair")
    _rates(cluster)
    honey_maker = MemberFactory.create(
        slug="bees", trading_name="Bees", gst_registered=True, gst_number="49091850"
    )
    potter = MemberFactory.create(
        slug="pots", trading_name="Pots", gst_registered=False
    )
    honey = _variant(cluster, honey_maker, price=2450, title_en="Mānuka honey")
    bowl = _variant(cluster, potter, price=6000, grams=1500, title_en="Bowl")
    return {
        "cluster": cluster,
        "honey_maker": honey_maker,
        "potter": potter,
        "honey": honey,
        "bowl": bowl,
    }


def _cart(cluster: Cluster, *items: tuple[Variant, int]) -> Cart:
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    for variant, quantity in items:
        cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    return cart


def _details(**overrides: Any) -> CheckoutDetails:
    values: dict[str, Any] = {
        "email": "aroha@example.nz",
        "name": "Aroha Te Wake",
        "payment_method": "bank_transfer",
        "idempotency_key": uuid.uuid4().hex,
        "address": AUCKLAND,
    }
    values.update(overrides)
    return CheckoutDetails(**values)


def test_gst_is_three_twenty_thirds_rounded_half_up() -> None:
    assert gst_in(2300) == 300
    assert gst_in(2450) == 320  # 319.565…
    assert gst_in(115) == 15
    assert gst_in(0) == 0
    # just under a half cent rounds down
    assert gst_in(299) == 39  # 38.999…
    assert without_gst(2300) == 2000


def test_a_quote_prices_each_member_with_its_own_gst_and_shipping(shop: Any) -> None:
    # given
    cart = _cart(shop["cluster"], (shop["honey"], 3), (shop["bowl"], 1))
    # when
    quote = checkout_quote(
        cluster=shop["cluster"], summary=cart_summary(cart), address=AUCKLAND
    )
    # then
    parts = {part.group.member_id: part for part in quote.parts}
    honey = parts[shop["honey_maker"].pk]
    pots = parts[shop["potter"].pk]
    assert honey.goods_cents == 7350
    assert [line.gst_cents for line in honey.lines] == [gst_in(7350)]
    assert honey.shipping_cents == 850
    assert honey.gst_cents == gst_in(7350) + gst_in(850)
    assert pots.goods_cents == 6000
    assert pots.gst_cents == 0  # not registered: no GST on its lines or shipping
    assert pots.shipping_cents == 850
    assert quote.total_cents == 7350 + 850 + 6000 + 850
    assert quote.gst_cents == honey.gst_cents
    assert quote.zone == Zone.NORTH_ISLAND
    assert not quote.zero_rated


def test_placing_an_order_splits_it_by_member_and_holds_the_stock(shop: Any) -> None:
    # given
    cart = _cart(shop["cluster"], (shop["honey"], 3), (shop["bowl"], 1))
    now = timezone.now()
    # when
    order = order_place(cart=cart, details=_details(), now=now)
    # then
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert order.payment_reference == order.number
    assert order.hold_until == now + datetime.timedelta(days=3)
    assert order.total_cents == 7350 + 850 + 6000 + 850
    assert order.zone == Zone.NORTH_ISLAND
    assert order.town == "Auckland"
    fulfilments = {f.member_id: f for f in order.fulfilments.all()}
    assert set(fulfilments) == {shop["honey_maker"].pk, shop["potter"].pk}
    honey = fulfilments[shop["honey_maker"].pk]
    assert honey.gst_registered
    assert honey.gst_number == "49091850"
    assert honey.total_cents == 8200
    assert honey.method == Fulfilment.Method.DELIVERY
    assert honey.pickup_code == ""
    line = OrderLine.objects.get(fulfilment=honey)
    assert (line.title, line.quantity, line.unit_price_cents) == (
        "Mānuka honey",
        3,
        2450,
    )
    assert line.sku == shop["honey"].sku
    shop["honey"].refresh_from_db()
    shop["bowl"].refresh_from_db()
    assert (shop["honey"].stock, shop["bowl"].stock) == (7, 9)
    assert not CartLine.objects.filter(cart=cart).exists()


def test_a_price_change_after_the_order_does_not_change_it(shop: Any) -> None:
    # given
    order = order_place(
        cart=_cart(shop["cluster"], (shop["honey"], 1)), details=_details()
    )
    # when
    Variant.objects.filter(pk=shop["honey"].pk).update(price_cents=9999)
    Product.objects.filter(pk=shop["honey"].product_id).update(title_en="Renamed")
    # then
    line = OrderLine.objects.get(order=order)
    assert (line.title, line.unit_price_cents) == ("Mānuka honey", 2450)


def test_the_same_checkout_twice_makes_one_order(shop: Any) -> None:
    # given
    cart = _cart(shop["cluster"], (shop["honey"], 2))
    details = _details()
    # when
    first = order_place(cart=cart, details=details)
    second = order_place(cart=cart, details=details)
    # then
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    shop["honey"].refresh_from_db()
    assert shop["honey"].stock == 8


def test_someone_elses_idempotency_key_is_refused(shop: Any) -> None:
    # given
    details = _details()
    order_place(cart=_cart(shop["cluster"], (shop["honey"], 1)), details=details)
    stranger = _details(
        email="other@example.nz", idempotency_key=details.idempotency_key
    )
    # then
    with pytest.raises(ValidationFailed) as refused:
        order_place(cart=_cart(shop["cluster"], (shop["honey"], 1)), details=stranger)
    assert refused.value.field == "idempotency_key"


def test_stock_that_ran_out_meanwhile_refuses_the_whole_order(
    shop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: someone else buys the bowls between the cart check and the stock update
    cart = _cart(shop["cluster"], (shop["honey"], 1), (shop["bowl"], 2))
    real = checkout_module._reserve_stock

    def someone_buys_first(quote: Any) -> None:
        Variant.objects.filter(pk=shop["bowl"].pk).update(stock=1)
        real(quote)

    monkeypatch.setattr(checkout_module, "_reserve_stock", someone_buys_first)
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_place(cart=cart, details=_details())
    # then: nothing changed — not even the other shopper's update, which ran in
    # this test's transaction and rolled back with it
    assert refused.value.code == "sold_out"
    assert "sold out while you were checking out" in refused.value.message
    assert Order.objects.count() == 0
    assert Variant.objects.get(pk=shop["honey"].pk).stock == 10
    assert cart.lines.count() == 2


@pytest.mark.parametrize(
    "step", ["_create_order", "_reserve_stock", "_create_fulfilments", "_empty_cart"]
)
def test_a_failure_at_any_step_leaves_nothing_behind(
    shop: Any, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    cart = _cart(shop["cluster"], (shop["honey"], 2), (shop["bowl"], 1))
    real = getattr(checkout_module, step)

    def fails(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)  # the step does its work, then something breaks
        raise RuntimeError(f"injected failure after {step}")

    monkeypatch.setattr(checkout_module, step, fails)
    # when
    with pytest.raises(RuntimeError):
        order_place(cart=cart, details=_details())
    # then
    assert Order.objects.count() == 0
    assert Fulfilment.objects.count() == 0
    assert OrderLine.objects.count() == 0
    assert Payment.objects.count() == 0
    assert Variant.objects.get(pk=shop["honey"].pk).stock == 10
    assert Variant.objects.get(pk=shop["bowl"].pk).stock == 10
    assert cart.lines.count() == 2


def test_r18_goods_need_the_customer_to_confirm_their_age(shop: Any) -> None:
    # given
    wine = CategoryFactory.create(slug="wine", restricted_r18=True)
    pinot = _variant(
        shop["cluster"],
        shop["honey_maker"],
        price=3900,
        title_en="Pinot",
        category=wine,
    )
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_place(cart=_cart(shop["cluster"], (pinot, 1)), details=_details())
    order = order_place(
        cart=_cart(shop["cluster"], (pinot, 1)), details=_details(age_confirmed=True)
    )
    # then
    assert refused.value.field == "age_confirmed"
    assert order.age_confirmed_at is not None
    fulfilment = order.fulfilments.get()
    assert fulfilment.check_id
    assert OrderLine.objects.get(order=order).restricted_r18


def test_an_export_is_zero_rated(shop: Any) -> None:
    # given
    cart = _cart(shop["cluster"], (shop["honey"], 1), (shop["bowl"], 1))
    # when
    order = order_place(cart=cart, details=_details(address=SYDNEY))
    # then
    assert order.zero_rated
    assert order.zone == Zone.AUSTRALIA
    assert order.gst_cents == 0
    honey = order.fulfilments.get(member=shop["honey_maker"])
    # a registered supplier charges the price without its GST, shipping too
    assert honey.goods_cents == without_gst(2450)
    assert honey.shipping_cents == without_gst(3500)
    pots = order.fulfilments.get(member=shop["potter"])
    assert pots.goods_cents == 6000  # no GST in it to take off
    assert pots.shipping_cents == 3500


def test_pickup_at_an_event_needs_no_address_and_gets_a_code(shop: Any) -> None:
    # given
    now = timezone.now()
    fair = PickupEvent.objects.create(
        cluster=shop["cluster"],
        name_en="Martinborough Fair",
        venue="Memorial Square",
        collection_point="Pūrei tent",
        time_zone="Pacific/Auckland",
        starts_at=now + datetime.timedelta(days=5),
        ends_at=now + datetime.timedelta(days=5, hours=7),
        order_cutoff=now + datetime.timedelta(days=4),
    )
    cart = _cart(shop["cluster"], (shop["honey"], 1), (shop["bowl"], 1))
    choices = {
        shop["honey_maker"].pk: Choice("pickup_event", fair.pk),
        shop["potter"].pk: Choice("pickup_event", fair.pk),
    }
    # when
    order = order_place(
        cart=cart, details=_details(address=None, choices=choices), now=now
    )
    # then
    assert order.shipping_cents == 0
    assert order.zone == ""
    assert order.address_line1 == ""
    codes = {f.pickup_code for f in order.fulfilments.all()}
    assert len(codes) == 2
    assert all(len(code) >= 6 for code in codes)
    assert {f.pickup_event_id for f in order.fulfilments.all()} == {fair.pk}


def test_a_closed_event_or_no_premises_pickup_is_refused(shop: Any) -> None:
    # given
    now = timezone.now()
    closed = PickupEvent.objects.create(
        cluster=shop["cluster"],
        name_en="Last fair",
        venue="Square",
        collection_point="Tent",
        time_zone="Pacific/Auckland",
        starts_at=now + datetime.timedelta(hours=10),
        ends_at=now + datetime.timedelta(hours=12),
        order_cutoff=now - datetime.timedelta(hours=1),
    )
    cart = _cart(shop["cluster"], (shop["honey"], 1), (shop["bowl"], 1))
    choices = {
        shop["honey_maker"].pk: Choice("pickup_event", closed.pk),
        shop["potter"].pk: Choice("pickup_premises"),
    }
    # then
    with pytest.raises(ValidationFailed) as refused:
        order_place(cart=cart, details=_details(choices=choices), now=now)
    assert set(refused.value.errors) == {
        f"choice.{shop['honey_maker'].pk}",
        f"choice.{shop['potter'].pk}",
    }


@pytest.mark.parametrize(
    ("address", "field"),
    [
        (
            Address(line1="1 Main Rd", town="Kaitaia", postcode="41", region="NZ-NTL"),
            "postcode",
        ),
        (Address(line1="1 Main Rd", town="Kaitaia", postcode="0410"), "region"),
        (Address(line1="", town="Kaitaia", postcode="0410", region="NZ-NTL"), "line1"),
        (Address(country="AU", line1="1 St", town="Perth", postcode="6000"), "state"),
        (Address(country="xx1", line1="1 St", town="Perth"), "country"),
    ],
)
def test_addresses_are_checked(shop: Any, address: Address, field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        order_place(
            cart=_cart(shop["cluster"], (shop["honey"], 1)),
            details=_details(address=address),
        )
    assert field in refused.value.errors


def test_contact_and_payment_method_are_checked(shop: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        order_place(
            cart=_cart(shop["cluster"], (shop["honey"], 1)),
            details=_details(email="nope", name=" ", payment_method="cash"),
        )
    assert {"email", "name", "payment_method"} <= set(refused.value.errors)


def test_rural_delivery_adds_the_surcharge(shop: Any) -> None:
    rural = Address(
        line1="1650 State Highway 12",
        line2="RD 2",
        town="Dargaville",
        postcode="0372",
        region="NZ-NTL",
        rural=True,
    )
    order = order_place(
        cart=_cart(shop["cluster"], (shop["honey"], 1)), details=_details(address=rural)
    )
    assert order.rural_delivery
    assert order.shipping_cents == 850 + 575


def test_an_unpaid_order_whose_hold_ran_out_gives_its_stock_back(shop: Any) -> None:
    # given
    now = timezone.now()
    order = order_place(
        cart=_cart(shop["cluster"], (shop["honey"], 4)),
        details=_details(payment_method="bank_transfer"),
        now=now,
    )
    # when
    early = order_release_expired(now=now + datetime.timedelta(days=2))
    late = order_release_expired(now=now + datetime.timedelta(days=3, minutes=1))
    # then
    assert (early, late) == (0, 1)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert set(order.fulfilments.values_list("status", flat=True)) == {"cancelled"}
    shop["honey"].refresh_from_db()
    assert shop["honey"].stock == 10


def test_an_empty_cart_cannot_be_checked_out(shop: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        order_place(cart=_cart(shop["cluster"]), details=_details())
    assert refused.value.code == "cart_empty"


def test_the_release_command_cancels_expired_orders(shop: Any) -> None:
    # given
    order = order_place(
        cart=_cart(shop["cluster"], (shop["honey"], 2)),
        details=_details(payment_method="bank_transfer"),
        now=timezone.now() - datetime.timedelta(days=4),
    )
    out = io.StringIO()
    # when
    call_command("orders_release_expired", stdout=out)
    # then
    assert "Released 1 unpaid order(s)." in out.getvalue()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert Variant.objects.get(pk=shop["honey"].pk).stock == 10


def test_a_checkout_leaves_unrelated_expired_holds_to_the_periodic_release(
    shop: Any,
) -> None:
    # given: an unpaid bowl order whose hold ran out a day ago
    stale = order_place(
        cart=_cart(shop["cluster"], (shop["bowl"], 2)),
        details=_details(payment_method="bank_transfer"),
        now=timezone.now() - datetime.timedelta(days=4),
    )
    # when: someone buys honey
    order_place(cart=_cart(shop["cluster"], (shop["honey"], 1)), details=_details())
    # then: the checkout did not sweep (``purei orders_release_expired`` does)
    stale.refresh_from_db()
    assert stale.status == Order.Status.AWAITING_PAYMENT
    assert Variant.objects.get(pk=shop["bowl"].pk).stock == 8
    assert order_release_expired() == 1
    assert Variant.objects.get(pk=shop["bowl"].pk).stock == 10


def test_stock_held_by_an_expired_order_does_not_stop_a_checkout(shop: Any) -> None:
    # given: a cart of 3 jars, then an unpaid order of all 10 whose hold ran out
    # before the periodic release ran
    cart = _cart(shop["cluster"], (shop["honey"], 3))
    stale = order_place(
        cart=_cart(shop["cluster"], (shop["honey"], 10)),
        details=_details(payment_method="bank_transfer"),
        now=timezone.now() - datetime.timedelta(days=4),
    )
    assert Variant.objects.get(pk=shop["honey"].pk).stock == 0
    # when
    order = order_place(cart=cart, details=_details())
    # then: the expired order was released for it, and the stock taken again
    stale.refresh_from_db()
    assert stale.status == Order.Status.CANCELLED
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert OrderLine.objects.get(order=order).quantity == 3
    assert Variant.objects.get(pk=shop["honey"].pk).stock == 7


def test_stock_held_by_an_unexpired_order_still_refuses_a_checkout(
    shop: Any,
) -> None:
    # given
    cart = _cart(shop["cluster"], (shop["honey"], 3))
    held = order_place(
        cart=_cart(shop["cluster"], (shop["honey"], 10)),
        details=_details(payment_method="bank_transfer"),
    )
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_place(cart=cart, details=_details())
    # then
    assert "cart" in refused.value.errors
    held.refresh_from_db()
    assert held.status == Order.Status.AWAITING_PAYMENT
    assert Variant.objects.get(pk=shop["honey"].pk).stock == 0
    assert Order.objects.count() == 1


def test_stock_held_by_an_expired_order_can_be_added_to_a_cart(shop: Any) -> None:
    # given: every jar held by an unpaid order whose hold ran out
    stale = order_place(
        cart=_cart(shop["cluster"], (shop["honey"], 10)),
        details=_details(payment_method="bank_transfer"),
        now=timezone.now() - datetime.timedelta(days=4),
    )
    cart = cart_get_or_create(
        cluster=shop["cluster"], user=None, session_key=uuid.uuid4().hex
    )
    # when
    line = cart_add(cart=cart, variant_id=shop["honey"].pk, quantity=2)
    # then
    assert line.quantity == 2
    stale.refresh_from_db()
    assert stale.status == Order.Status.CANCELLED
    assert Variant.objects.get(pk=shop["honey"].pk).stock == 10


def test_the_shoppers_cart_releases_an_expired_hold_standing_in_its_way(
    shop: Any,
) -> None:
    # given: a cart of 3 jars, then an unpaid order of all 10 whose hold ran out
    cart = _cart(shop["cluster"], (shop["honey"], 3))
    stale = order_place(
        cart=_cart(shop["cluster"], (shop["honey"], 10)),
        details=_details(payment_method="bank_transfer"),
        now=timezone.now() - datetime.timedelta(days=4),
    )
    assert cart_summary(cart).problems  # as read, the jars are taken
    # when: the cart (or checkout) page reads it
    summary = cart_summary(cart, release_expired=True)
    # then
    assert summary.problems == []
    stale.refresh_from_db()
    assert stale.status == Order.Status.CANCELLED
    assert Variant.objects.get(pk=shop["honey"].pk).stock == 10


def test_placing_confirms_to_the_customer_and_paying_tells_each_maker(
    shop: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    # given
    Member.objects.filter(pk=shop["honey_maker"].pk).update(email="bees@example.nz")
    Member.objects.filter(pk=shop["potter"].pk).update(email="pots@example.nz")
    cart = _cart(shop["cluster"], (shop["honey"], 1), (shop["bowl"], 1))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(cart=cart, details=_details())
    placed = [message.to for message in mailoutbox]
    payment = Payment.objects.create(
        order=order,
        gateway="bank_transfer",
        amount_cents=order.total_cents,
        status=Payment.Status.SUCCEEDED,
        succeeded_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order_id=order.pk, payment=payment)
    # then
    assert placed == [["aroha@example.nz"]]
    assert order.number in mailoutbox[0].subject
    told = sorted(message.to[0] for message in mailoutbox[1:])
    assert told == ["bees@example.nz", "pots@example.nz"]
    bees = next(m for m in mailoutbox if m.to == ["bees@example.nz"])
    assert "Mānuka honey" in bees.body
    assert "Bowl" not in bees.body
    assert "12 Queen Street" in bees.body
