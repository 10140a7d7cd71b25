"""The services below tell what happened (``purei.core.events``), after their
transaction commits: each member business hears only its own part."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.catalogue.services.products import ProductInput, product_update
from purei.catalogue.services.variants import stock_set
from purei.catalogue.tests.factories import VariantFactory
from purei.core.actor import Actor
from purei.core.events import DomainEvent, domain_event
from purei.ledger.services.payouts import payout_run
from purei.ledger.tests.factories import (
    dispatch,
    money_cluster,
    money_member,
    part_of,
    pay,
    place_order,
)
from purei.orders.models import Fulfilment
from purei.orders.services.fulfilment import fulfilment_advance
from purei.settlement.services import fulfilment_cancel

from .factories import endpoint_for
from .receiver import receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[DomainEvent]]:
    events: list[DomainEvent] = []

    def listen(sender: str, *, event: DomainEvent, **kwargs: Any) -> None:
        events.append(event)

    domain_event.connect(listen, dispatch_uid="test-heard")
    yield events
    domain_event.disconnect(dispatch_uid="test-heard")


@pytest.fixture(autouse=True)
def _money_settings(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""


def _owner(member: Any) -> Actor:
    user = UserFactory.create()
    MemberRole.objects.create(user=user, member=member, role=MemberRole.Role.OWNER)
    return Actor(user=user)


def _names(events: list[DomainEvent]) -> list[tuple[str, int | None]]:
    return [(e.name, e.member_id) for e in events]


def test_a_paid_order_tells_the_cluster_and_each_maker_its_part(
    heard, django_capture_on_commit_callbacks
):
    # given
    cluster = money_cluster(slug="kai-events")
    first, second = money_member(cluster), money_member(cluster)
    order = place_order(cluster, [(first, [(1500, 2)]), (second, [(2000, 1)])])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        pay(order)
    # then
    paid = [e for e in heard if e.name == "order.paid"]
    assert sorted(_names(paid), key=str) == sorted(
        [("order.paid", None), ("order.paid", first.pk), ("order.paid", second.pk)],
        key=str,
    )
    mine = next(e for e in paid if e.member_id == first.pk)
    assert mine.payload["order"] == order.number
    assert mine.payload["total_cents"] == 3000
    assert [line["quantity"] for line in mine.payload["lines"]] == [2]
    whole = next(e for e in paid if e.member_id is None)
    assert whole.cluster_id == cluster.pk
    assert whole.payload["total_cents"] == order.total_cents
    assert "email" not in json.dumps(whole.payload)


def test_a_paid_order_reaches_the_makers_endpoint_with_only_its_part(
    django_capture_on_commit_callbacks,
):
    # given
    cluster = money_cluster(slug="kai-hooks")
    first, second = money_member(cluster), money_member(cluster)
    order = place_order(cluster, [(first, [(1500, 2)]), (second, [(2000, 1)])])
    with receiver() as hooks:
        endpoint_for(_owner(first), first, hooks.url, events=["order.paid"])
        # when
        with django_capture_on_commit_callbacks(execute=True):
            pay(order)
    # then
    assert len(hooks.received) == 1
    data = json.loads(hooks.received[0].body)["data"]
    assert data["member_id"] == first.pk
    assert data["total_cents"] == 3000


def test_moving_a_part_tells_fulfilment_changed(
    heard, django_capture_on_commit_callbacks
):
    # given
    cluster = money_cluster(slug="kai-moves")
    maker = money_member(cluster)
    order = place_order(cluster, [(maker, [(1500, 1)])])
    pay(order)
    part = part_of(order, maker)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment_advance(
            actor=_owner(maker), fulfilment=part, to=Fulfilment.Status.PACKED
        )
    # then
    assert _names(heard) == [
        ("fulfilment.changed", None),
        ("fulfilment.changed", maker.pk),
    ]
    assert heard[1].payload["status"] == Fulfilment.Status.PACKED


def test_cancelling_a_paid_part_tells_cancelled_then_refunded(
    heard, django_capture_on_commit_callbacks
):
    # given
    cluster = money_cluster(slug="kai-cancel")
    maker = money_member(cluster)
    order = place_order(cluster, [(maker, [(1500, 1)])])
    pay(order)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment_cancel(
            actor=_owner(maker), fulfilment=part_of(order, maker), reason="Sold out"
        )
    # then
    assert ("order.cancelled", maker.pk) in _names(heard)
    assert ("order.cancelled", None) in _names(heard)
    assert ("order.refunded", maker.pk) in _names(heard)
    refunded = next(e for e in heard if e.name == "order.refunded" and e.member_id)
    assert refunded.payload["refund_cents"] == 1500


def test_a_payout_run_tells_each_maker_its_payout(
    heard, django_capture_on_commit_callbacks
):
    # given
    cluster = money_cluster(slug="kai-payout")
    maker = money_member(cluster)
    order = place_order(cluster, [(maker, [(11500, 1)])])
    pay(order)
    dispatch(order)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        payout_run(
            actor=Actor.system(),
            cluster=cluster,
            until=timezone.now() + dt.timedelta(minutes=1),
        )
    # then
    assert _names(heard) == [("payout.made", maker.pk), ("payout.made", None)]
    assert heard[0].payload["amount_cents"] > 0


def test_product_and_stock_changes_tell_the_maker(
    member_a, member_a_owner, heard, django_capture_on_commit_callbacks
):
    # given
    variant = VariantFactory.create(product__member=member_a, stock=10)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        product_update(
            actor=member_a_owner,
            product=variant.product,
            details=ProductInput(title_en="Mānuka honey, raw"),
        )
        stock_set(actor=member_a_owner, variant=variant, stock=3)
        stock_set(actor=member_a_owner, variant=variant, stock=2)  # still low: once
    # then
    assert _names(heard) == [
        ("product.changed", member_a.pk),
        ("stock.low", member_a.pk),
    ]
    assert heard[0].payload["title"] == "Mānuka honey, raw"
    assert heard[1].payload["stock"] == 3


def test_a_rolled_back_change_tells_nobody(member_a, member_a_owner, heard):
    # given a transaction that never commits (the test's own)
    variant = VariantFactory.create(product__member=member_a, stock=10)
    # when
    stock_set(actor=member_a_owner, variant=variant, stock=1)
    # then
    assert heard == []


def test_a_checkout_that_takes_stock_down_to_the_threshold_tells_stock_low(
    heard, django_capture_on_commit_callbacks
):
    # given a counted variant with 7 left, and a cart of 3
    import uuid

    from purei.catalogue.models import Variant
    from purei.clusters.tests.factories import ClusterFactory
    from purei.members.tests.factories import MemberFactory
    from purei.orders.models import ShippingPolicy, ShippingRate, Zone
    from purei.orders.services.cart import cart_add, cart_get_or_create
    from purei.orders.services.checkout import Address, CheckoutDetails, order_place
    from purei.search.tests.factories import public_product

    cluster = ClusterFactory.create()
    policy = ShippingPolicy.objects.create(cluster=cluster)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    member = MemberFactory.create(gst_registered=False)
    variant = Variant.objects.get(product=public_product(cluster, member=member))
    Variant.objects.filter(pk=variant.pk).update(stock=7, price_cents=1500)
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    cart_add(cart=cart, variant_id=variant.pk, quantity=3)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        order_place(
            cart=cart,
            details=CheckoutDetails(
                email="shopper@example.nz",
                name="Shopper",
                payment_method="bank_transfer",
                idempotency_key=uuid.uuid4().hex,
                address=Address(
                    line1="1 Queen St",
                    town="Auckland",
                    postcode="1010",
                    region="NZ-AUK",
                ),
            ),
        )
    # then
    low = [e for e in heard if e.name == "stock.low"]
    assert [(e.member_id, e.payload["stock"]) for e in low] == [(member.pk, 4)]
