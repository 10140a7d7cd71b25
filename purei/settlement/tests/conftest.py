"""Orders of a cluster set up for money (the ledger's factories): placed through
the real services, unpaid, so each test settles them its own way."""

from __future__ import annotations

from typing import Any

import pytest

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.ledger.tests.factories import (
    cluster_admin,
    money_cluster,
    money_member,
    place_order,
)
from purei.members.models import Member
from purei.orders.models import Order

WEBHOOK_SECRET = "whsec_test_settlement_0123456789abcdef"


@pytest.fixture(autouse=True)
def _money_settings(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_API_BASE = ""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def money(db: None) -> Cluster:
    return money_cluster()


@pytest.fixture
def makers(money: Cluster) -> tuple[Member, Member]:
    return money_member(money), money_member(money, gst_registered=False)


@pytest.fixture
def order(money: Cluster, makers: tuple[Member, Member]) -> Order:
    """Unpaid: $30.00 from the first maker, $20.00 from the second."""
    first, second = makers
    return place_order(money, [(first, [(1500, 2)]), (second, [(2000, 1)])])


@pytest.fixture
def admin(money: Cluster) -> Actor:
    return cluster_admin(money)
