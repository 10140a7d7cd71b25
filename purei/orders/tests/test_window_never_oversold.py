"""A sales window's cap and per-customer limit hold under a race, on PostgreSQL:
each shopper in its own connection and transaction (as test_never_oversold.py)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections

from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.core.errors import ValidationFailed
from purei.members.tests.factories import MemberFactory
from purei.orders.models import (
    Order,
    OrderLine,
    SalesWindowItem,
    ShippingPolicy,
    ShippingRate,
    Zone,
)
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import Address, CheckoutDetails, order_place
from purei.orders.tests.factories import SalesWindowFactory, SalesWindowItemFactory
from purei.search.tests.factories import public_product

SHOPPERS = 20
CAP = 5

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database; the race is PostgreSQL's to win",
)


def _setup(cap: int | None, limit: int | None) -> tuple[list, Variant, SalesWindowItem]:
    cluster = ClusterFactory.create()
    policy = ShippingPolicy.objects.create(cluster=cluster)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    member = MemberFactory.create(gst_registered=False)
    product = public_product(cluster, member=member)
    variant = Variant.objects.get(product=product)
    Variant.objects.filter(pk=variant.pk).update(stock=1000, price_cents=1500)
    item = SalesWindowItemFactory.create(
        window=SalesWindowFactory.create(cluster=cluster),
        product=product,
        cap=cap,
        per_customer_limit=limit,
    )
    carts = []
    for _ in range(SHOPPERS):
        cart = cart_get_or_create(
            cluster=cluster, user=None, session_key=uuid.uuid4().hex
        )
        cart_add(cart=cart, variant_id=variant.pk, quantity=1)
        carts.append(cart)
    return carts, variant, item


def _race(carts: list, email_of) -> tuple[list[int], list[str], list[BaseException]]:
    start = threading.Barrier(len(carts))
    placed: list[int] = []
    refused: list[str] = []
    other: list[BaseException] = []
    lock = threading.Lock()

    def shop(index: int) -> None:
        try:
            start.wait()
            order = order_place(
                cart=carts[index],
                details=CheckoutDetails(
                    email=email_of(index),
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
                refused.append(exc.code)
        except BaseException as exc:  # reported below
            with lock:
                other.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=shop, args=(i,)) for i in range(len(carts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return placed, refused, other


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@postgres_only
def test_twenty_checkouts_for_a_windows_last_five() -> None:
    # given a cap of five and plenty of stock
    carts, variant, item = _setup(cap=CAP, limit=None)
    # when twenty shoppers check out at once
    placed, refused, other = _race(carts, lambda i: f"shopper{i}@example.nz")
    # then exactly five get one
    assert not other, other
    assert len(placed) == CAP
    assert refused == ["sold_out"] * (SHOPPERS - CAP)
    item.refresh_from_db()
    assert item.sold == CAP
    assert Order.objects.count() == CAP
    assert Variant.objects.get(pk=variant.pk).stock == 1000 - CAP


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@postgres_only
def test_one_customer_racing_checkouts_stays_within_the_limit() -> None:
    # given a limit of two per customer and no cap
    carts, _variant, item = _setup(cap=None, limit=2)
    # when one customer checks out twenty carts at once
    placed, refused, other = _race(carts, lambda i: "same@example.nz")
    # then only two orders are placed
    assert not other, other
    assert len(placed) == 2
    assert refused == ["window_limit"] * (SHOPPERS - 2)
    item.refresh_from_db()
    assert item.sold == 2
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == 2
