"""The storefront's anonymous reads on the read replica, everything else on the
primary (purei/core/db_router.py; docs/scaling.md "Data tier").

The test settings give a ``replica`` alias that mirrors the test database (the same
rows, another connection): which connection ran a query shows where the router sent
it. Transactional tests: inside the test's own transaction every read would go to
the primary, as the router promises.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import dj_database_url
import pytest
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from purei.catalogue.models import Product, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.core.db_router import REPLICA, replica_breaker, replica_reads
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Zone
from purei.orders.tests.factories import ShippingPolicyFactory, rate_table
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", REPLICA]
)


@pytest.fixture(autouse=True)
def routed(settings: Any) -> Iterator[None]:
    settings.DATABASE_ROUTERS = ["purei.core.db_router.PrimaryReplicaRouter"]
    replica_breaker().reset()
    yield
    replica_breaker().reset()


@pytest.fixture
def honey(db: Any) -> Variant:
    cluster = ClusterFactory.create(slug="kai")
    maker = MemberFactory.create(slug="hive-hill", trading_name="Hive Hill")
    product = public_product(
        cluster, member=maker, slug="manuka", title_en="Mānuka honey"
    )
    variant = Variant.objects.get(product=product)
    variant.price_cents, variant.stock = 3200, 5
    variant.save()
    return variant


STOREFRONT = [
    "/",
    "/c/kai/",
    "/c/kai/shop/",
    "/c/kai/shop/?q=honey",
    "/c/kai/p/hive-hill/manuka/",
    "/c/kai/members/hive-hill/",
    "/search/?q=honey",
]


def _queries(client: Client, method: str, url: str, **data: Any) -> tuple[Any, ...]:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = getattr(client, method)(url, data)
    return response, primary.captured_queries, replica.captured_queries


@pytest.mark.parametrize("url", STOREFRONT)
def test_an_anonymous_storefront_get_reads_the_catalogue_from_the_replica(
    client: Client, honey: Variant, url: str
) -> None:
    # when
    response, primary, replica = _queries(client, "get", url)
    # then: the page, its catalogue read on the replica, none of it on the primary
    assert response.status_code == 200
    assert replica
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in replica)
    for table in ("catalogue_", "clusters_cluster"):
        assert not [q for q in primary if table in q["sql"]], url


def test_add_to_cart_and_checkout_run_on_the_primary_only(
    client: Client, honey: Variant, settings: Any
) -> None:
    # given
    settings.PAYMENTS_TEST_GATEWAY = True
    cluster = Cluster.objects.get(slug="kai")
    policy = ShippingPolicyFactory.create(member=None, cluster=cluster)
    rate_table(policy, [(Zone.NORTH_ISLAND, None, 850)])
    # when: added to the cart, then the checkout page and the order placed
    added, _, on_replica_add = _queries(
        client,
        "post",
        reverse("orders:cart-add", kwargs={"slug": cluster.slug}),
        variant=honey.pk,
        quantity=2,
    )
    url = reverse("settlement:checkout", kwargs={"slug": cluster.slug})
    page, _, on_replica_page = _queries(client, "get", url)
    key = page.content.decode().split('name="idempotency_key" value="')[1][:32]
    placed, primary, on_replica_place = _queries(
        client,
        "post",
        url,
        idempotency_key=key,
        email="aroha@example.nz",
        name="Aroha Te Wake",
        phone="021 555 0101",
        country="NZ",
        line1="12 Queen Street",
        suburb="Grey Lynn",
        town="Auckland",
        postcode="1021",
        region="NZ-AUK",
        payment_method="test",
        card_number="4242 4242 4242 4242",
        expiry="12/39",
        cvc="123",
        action="place",
    )
    # then
    assert added.status_code == 302
    assert page.status_code == 200
    assert placed.status_code == 302
    assert Variant.objects.get(pk=honey.pk).stock == 3
    assert primary
    assert on_replica_add == on_replica_page == on_replica_place == []


def test_a_manage_screen_and_a_logged_in_shopper_read_the_primary(
    client: Client, honey: Variant, member_a_owner_user: Any, member_a: Member
) -> None:
    # given
    client.force_login(member_a_owner_user)
    # when
    manage, primary, replica = _queries(
        client, "get", reverse("catalogue:products", kwargs={"slug": member_a.slug})
    )
    shop, shop_primary, shop_replica = _queries(client, "get", "/c/kai/shop/")
    # then
    assert manage.status_code == 200
    assert shop.status_code == 200
    assert primary
    assert shop_primary
    assert replica == shop_replica == []


def test_reads_after_a_write_or_inside_a_transaction_stay_on_the_primary(
    honey: Variant,
) -> None:
    # given
    product = Product.objects.get(pk=honey.product_id)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        with replica_reads():
            # when: a read, then a write, then a read again
            Product.objects.get(pk=product.pk)
            Product.objects.filter(pk=product.pk).update(title_en="Honey")
            Product.objects.get(pk=product.pk)
        with replica_reads(), transaction.atomic():
            Product.objects.get(pk=product.pk)
        # and a read outside any scope
        Product.objects.get(pk=product.pk)
    # then: only the first read went to the replica
    assert len(replica.captured_queries) == 1
    on_primary = [q["sql"].split()[0] for q in primary.captured_queries]
    assert [verb for verb in on_primary if verb in {"SELECT", "UPDATE"}] == [
        "UPDATE",
        "SELECT",
        "SELECT",
        "SELECT",
    ]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def dead_replica() -> Iterator[None]:
    """The replica alias pointed at a PostgreSQL address where nothing listens."""
    original_settings = connections.settings[REPLICA]
    original = connections[REPLICA]
    parsed = dj_database_url.parse(
        f"postgres://postgres@127.0.0.1:{_closed_port()}/purei_gone"
    )
    parsed["OPTIONS"] = {"connect_timeout": 2}
    connections.settings[REPLICA] = connections.configure_settings(
        {"default": connections.settings["default"], REPLICA: parsed}
    )[REPLICA]
    connections[REPLICA] = connections.create_connection(REPLICA)
    yield
    connections[REPLICA].close()
    connections.settings[REPLICA] = original_settings
    connections[REPLICA] = original


def test_a_replica_that_cannot_be_reached_falls_back_to_the_primary(
    client: Client, honey: Variant, dead_replica: None, caplog: Any
) -> None:
    # when: the storefront, twice, with the replica's port closed
    caplog.set_level(logging.WARNING, logger="purei.core.db_router")
    with CaptureQueriesContext(connections["default"]) as primary:
        first = client.get("/c/kai/p/hive-hill/manuka/")
        second = client.get("/c/kai/shop/")
    # then: both pages, from the primary; one failed connect, then left alone
    assert first.status_code == 200
    assert second.status_code == 200
    assert "Mānuka honey" in first.content.decode()
    assert any("catalogue_product" in q["sql"] for q in primary.captured_queries)
    unreachable = [r for r in caplog.records if "replica unreachable" in r.message]
    assert len(unreachable) == 1
    assert replica_breaker().is_open


def test_a_replica_lost_during_a_page_answers_it_from_the_primary(
    client: Client, honey: Variant, caplog: Any
) -> None:
    """The scale run's fault: the replica killed while a product page's queries run
    on it (``terminating connection due to unexpected postmaster exit``). Here its
    server process for this connection is terminated, for real, just before the
    page's third query on it."""
    replica = connections[REPLICA]
    if replica.vendor != "postgresql":
        pytest.skip("terminating a server process needs PostgreSQL")
    # given: the replica's connection, open
    client.get("/c/kai/p/hive-hill/manuka/?warm=1")
    replica.ensure_connection()
    backend = replica.connection.info.backend_pid
    seen: list[str] = []

    def terminate_on_the_third(
        execute: Any, sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        seen.append(sql)
        if len(seen) == 3:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [backend])
        return execute(sql, params, many, context)

    caplog.set_level(logging.WARNING, logger="purei.core.db_router")
    # when
    with replica.execute_wrapper(terminate_on_the_third):
        response = client.get("/c/kai/p/hive-hill/manuka/")
    # then: the page, read again from the primary; the process keeps off the replica
    assert len(seen) == 3
    assert response.status_code == 200
    assert "Mānuka honey" in response.content.decode()
    assert replica_breaker().is_open
    assert any("replica unreachable" in r.message for r in caplog.records)
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get("/c/kai/shop/").status_code == 200
    assert on_replica.captured_queries == []
