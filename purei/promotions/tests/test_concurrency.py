"""A code with one use left, and eight shoppers checking out with it at the same
moment, on PostgreSQL, each in its own connection and transaction: one order
gets it, the seven others are refused and nothing of theirs is written."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections

from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.core.errors import ValidationFailed
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Order, ShippingPolicy, ShippingRate, Zone
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import Address, CheckoutDetails, order_place
from purei.promotions.models import Promotion, PromotionUse
from purei.promotions.tests.factories import PromotionFactory
from purei.search.tests.factories import public_product

SHOPPERS = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database; the race is PostgreSQL's to win",
)
@pytest.mark.parametrize("per_customer", [False, True])
def test_a_code_with_one_use_is_used_once(per_customer: bool) -> None:
    # given: a code usable once (in total, or once by one customer who has
    # eight carts), and eight carts
    cluster = ClusterFactory.create()
    policy = ShippingPolicy.objects.create(cluster=cluster)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    member = MemberFactory.create(gst_registered=False)
    variant = Variant.objects.get(product=public_product(cluster, member=member))
    Variant.objects.filter(pk=variant.pk).update(stock=100, price_cents=2000)
    promotion = PromotionFactory.create(
        cluster=cluster,
        code="ONCE",
        max_uses=None if per_customer else 1,
        max_uses_per_customer=1 if per_customer else None,
    )
    carts = []
    for _ in range(SHOPPERS):
        cart = cart_get_or_create(
            cluster=cluster, user=None, session_key=uuid.uuid4().hex
        )
        cart_add(cart=cart, variant_id=variant.pk, quantity=1)
        carts.append(cart)
    start = threading.Barrier(SHOPPERS)
    placed: list[int] = []
    refused: list[str] = []
    other: list[BaseException] = []
    lock = threading.Lock()

    def shop(index: int) -> None:
        email = "same@example.nz" if per_customer else f"shopper{index}@example.nz"
        try:
            start.wait()
            order = order_place(
                cart=carts[index],
                details=CheckoutDetails(
                    email=email,
                    name=f"Shopper {index}",
                    payment_method="bank_transfer",
                    idempotency_key=uuid.uuid4().hex,
                    address=Address(
                        line1="1 Queen St",
                        town="Auckland",
                        postcode="1010",
                        region="NZ-AUK",
                    ),
                    promo_code="once",
                ),
            )
            with lock:
                placed.append(order.pk)
        except ValidationFailed as exc:
            with lock:
                refused.append(exc.field or "")
        except BaseException as exc:  # reported below
            with lock:
                other.append(exc)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=shop, args=(i,)) for i in range(SHOPPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then
    assert not other, other
    assert len(placed) == 1
    assert refused == ["promo_code"] * (SHOPPERS - 1)
    assert Order.objects.count() == 1
    assert PromotionUse.objects.filter(promotion=promotion).count() == 1
    assert Promotion.objects.get(pk=promotion.pk).uses == 1
    assert Variant.objects.get(pk=variant.pk).stock == 99
