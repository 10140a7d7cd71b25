"""Never oversold: twenty shoppers check out the last five jars at the same moment,
on PostgreSQL, each in its own connection and transaction."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections

from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.core.errors import ValidationFailed
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Order, OrderLine, ShippingPolicy, ShippingRate, Zone
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import Address, CheckoutDetails, order_place
from purei.search.tests.factories import public_product

SHOPPERS = 20
LAST_UNITS = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database; the race is PostgreSQL's to win",
)
def test_twenty_checkouts_for_the_last_five_units() -> None:
    # given
    cluster = ClusterFactory.create()
    policy = ShippingPolicy.objects.create(cluster=cluster)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    member = MemberFactory.create(gst_registered=False)
    variant = Variant.objects.get(product=public_product(cluster, member=member))
    Variant.objects.filter(pk=variant.pk).update(stock=LAST_UNITS, price_cents=1500)
    carts = []
    for _ in range(SHOPPERS):
        cart = cart_get_or_create(
            cluster=cluster, user=None, session_key=uuid.uuid4().hex
        )
        cart_add(cart=cart, variant_id=variant.pk, quantity=1)
        carts.append(cart)
    start = threading.Barrier(SHOPPERS)
    placed: list[int] = []
    sold_out: list[str] = []
    other: list[BaseException] = []
    lock = threading.Lock()

    def shop(index: int) -> None:
        try:
            start.wait()
            order = order_place(
                cart=carts[index],
                details=CheckoutDetails(
                    email=f"shopper{index}@example.nz",
                    name=f"Shopper {index}",
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
            with lock:
                placed.append(order.pk)
        except ValidationFailed as exc:
            with lock:
                sold_out.append(exc.code)
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
        thread.join(timeout=60)

    # then
    assert not other, other
    assert len(placed) == LAST_UNITS
    assert sold_out == ["sold_out"] * (SHOPPERS - LAST_UNITS)
    assert Variant.objects.get(pk=variant.pk).stock == 0
    assert Order.objects.count() == LAST_UNITS
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == LAST_UNITS
