"""Factories of the ledger app (style.md §5): clusters and members set up for
money, and orders placed and paid through the real services (settlement books
them), then shipped, cancelled or refunded through the real services too.

Test modules pull in ``books_balance`` (imported, so it runs for every test of
the module): after each test every journal sums to zero.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from purei.accounts.models import ClusterRole
from purei.accounts.tests.factories import UserFactory
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.ledger.selectors import ledger_unbalanced_journals
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import Fulfilment, Order
from purei.orders.tests.factories import order_with_parts, variant_of
from purei.payments.gateways import CardDetails
from purei.payments.models import Payment

GOOD_CARD = CardDetails(card_number="4242 4242 4242 4242", expiry="12/34", cvc="123")
# Valid New Zealand accounts (they pass the banks' check digits).
BANK_ACCOUNTS = ["01-0902-0068389-00", "08-6523-1954512-001", "26-2600-0320871-032"]

_sku = iter(range(1, 10**9))


@pytest.fixture(autouse=True)
def books_balance(settings: Any) -> Iterator[None]:
    """The test gateway takes payments; after the test every journal balances."""
    settings.PAYMENTS_TEST_GATEWAY = True
    yield
    assert ledger_unbalanced_journals() == []


def money_cluster(
    *,
    rate: str = "7.5",
    gst_registered: bool = True,
    reseller: bool = False,
    **fields: Any,
) -> Cluster:
    return ClusterFactory.create(
        commission_rate=Decimal(rate),
        lead_org_gst_registered=gst_registered,
        lead_org_gst_number="123-456-789" if gst_registered else "",
        lead_org_address="1 Main Road, Blenheim",
        selling_model="reseller" if reseller else "agent",
        **fields,
    )


def money_member(
    cluster: Cluster,
    *,
    gst_registered: bool = True,
    bank: bool = True,
    rate: str | None = None,
    **fields: Any,
) -> Member:
    """An approved member of ``cluster`` with (by default) a bank account."""
    n = next(_sku)
    defaults: dict[str, Any] = {
        "gst_registered": gst_registered,
        "gst_number": "49091850" if gst_registered else "",
        "bank_account": BANK_ACCOUNTS[n % len(BANK_ACCOUNTS)] if bank else "",
        "bank_account_name": f"Maker {n} Ltd" if bank else "",
    }
    member = MemberFactory.create(**(defaults | fields))
    MembershipFactory.create(
        member=member,
        cluster=cluster,
        status=Membership.Status.APPROVED,
        commission_rate=Decimal(rate) if rate is not None else None,
    )
    return member


def cluster_admin(cluster: Cluster) -> Actor:
    user = UserFactory.create()
    ClusterRole.objects.create(user=user, cluster=cluster, role=ClusterRole.Role.ADMIN)
    return Actor(user=user)


def place_order(
    cluster: Cluster,
    parts: Sequence[tuple[Member, Sequence[tuple[int, int]]]],
    *,
    shipping_cents: int = 0,
) -> Order:
    """An unpaid order: per member, lines of (unit price in cents, quantity)."""
    built = []
    for member, lines in parts:
        variants = [
            (variant_of(member, sku=f"LDG-{next(_sku)}", price_cents=price), qty)
            for price, qty in lines
        ]
        built.append((member, variants))
    return order_with_parts(
        cluster,
        built,
        paid_with=None,
        shipping_cents=shipping_cents,
        method="delivery" if shipping_cents else "pickup_premises",
    )


def pay(order: Order) -> Payment:
    """Pay ``order`` with the test card through settlement's ``payment_start``."""
    from purei.settlement.services import payment_start

    payment, _result = payment_start(order=order, gateway_name="test", card=GOOD_CARD)
    assert payment.status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    return payment


def paid_order(
    cluster: Cluster,
    parts: Sequence[tuple[Member, Sequence[tuple[int, int]]]],
    *,
    shipping_cents: int = 0,
) -> tuple[Order, Payment]:
    order = place_order(cluster, parts, shipping_cents=shipping_cents)
    return order, pay(order)


def dispatch(order: Order, member: Member | None = None) -> None:
    """Mark the order's live parts (or ``member``'s) as handed over: their money
    can be paid out."""
    parts = Fulfilment.objects.filter(order=order).exclude(
        status=Fulfilment.Status.CANCELLED
    )
    if member is not None:
        parts = parts.filter(member=member)
    parts.update(status=Fulfilment.Status.COLLECTED, completed_at=timezone.now())


def part_of(order: Order, member: Member) -> Fulfilment:
    return Fulfilment.objects.get(order=order, member=member)
