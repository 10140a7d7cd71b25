"""The demo's money: past orders booked, one payout run done, the rest due."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from purei.ledger.models import Invoice, InvoicePrefix, Payout, PayoutRun
from purei.ledger.selectors import (
    ledger_unbalanced_journals,
    member_balances,
    payout_preview,
)
from purei.orders.models import Order
from purei.settlement.seed import CLUSTER_MONEY, KEY_PREFIX, money_seed_load

pytestmark = pytest.mark.django_db


def test_the_demo_has_weeks_of_orders_a_payout_run_done_and_money_due() -> None:
    # given / when: the demo's seed (as `purei demo` loads it)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    # then every seeded cluster has its orders, paid, and the books balance
    assert "past orders paid" in out.getvalue()
    orders = Order.objects.filter(idempotency_key__startswith=KEY_PREFIX)
    assert orders.count() == sum(money.orders for money in CLUSTER_MONEY)
    assert not orders.filter(paid_at=None).exists()
    assert ledger_unbalanced_journals() == []
    for money in CLUSTER_MONEY:
        run = PayoutRun.objects.get(cluster__slug=money.slug)
        # one run two weeks ago paid its members…
        assert Payout.objects.filter(run=run).exists()
        assert run.total_cents == sum(p.amount_cents for p in run.payouts.all())
        # …and what came after is due at the next run
        assert payout_preview(run.cluster, timezone.now())
        # while the last two orders' parts are still being packed: their money
        # is owed but held
        owed = member_balances(run.cluster_id)
        eligible = {
            p.member.pk: p.amount_cents
            for p in payout_preview(run.cluster, timezone.now())
        }
        assert any(owed[m] > eligible.get(m, 0) for m in owed)
    # each paid part has its invoice; the demo's refunds have credit notes
    assert Invoice.objects.filter(kind__in=["tax_invoice", "invoice"]).count() >= (
        orders.count()
    )
    assert Invoice.objects.filter(kind="credit_note").exists()
    assert Invoice.objects.filter(kind="commission").exists()
    # no two documents share a number, and no two suppliers a prefix
    numbers = list(Invoice.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    owners_by_prefix: dict[str, set[tuple[int | None, int | None]]] = {}
    for number, member_id, cluster_id in Invoice.objects.values_list(
        "number", "member_id", "cluster_id"
    ):
        owner = (member_id, None) if member_id else (None, cluster_id)
        owners_by_prefix.setdefault(number.rsplit("-", 2)[0], set()).add(owner)
    assert all(len(owners) == 1 for owners in owners_by_prefix.values())
    assert InvoicePrefix.objects.count() == len(owners_by_prefix)
    # and loading it again changes nothing
    assert money_seed_load() == 0
    assert Order.objects.filter(idempotency_key__startswith=KEY_PREFIX).count() == (
        orders.count()
    )
