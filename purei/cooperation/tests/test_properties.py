"""Group buys, levies and offsets keep the books right over random histories
(Hypothesis): 1-4 members owed money (an admin's credit stands in for sales),
1-2 group buys with random tiers, shared cost and commitments (offset or
charged), a flat levy, charged shares and levies paid or offset at random, then
a payout run. After each history:

* every journal sums to zero, and so do all the cluster's accounts together;
* each share is its quantity at the tier price plus its part of the shared cost,
  and the shares of a group buy add up to total x price + shared cost exactly;
* ``group_buys`` holds minus every share booked, ``levies`` minus every bill;
* ``member_receivable`` is what is charged and neither paid nor offset;
* clearing holds exactly what was paid by bank transfer, payouts what was paid;
* each member was paid (or is owed) its credit less what it had offset.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purei.cooperation.allocation import tier_price
from purei.cooperation.models import Commitment, GroupBuy, LevyBill
from purei.cooperation.selectors import together_access
from purei.cooperation.services.group_buys import (
    commitment_set,
    group_buy_close,
    share_offset,
    share_payment_record,
)
from purei.cooperation.services.levies import (
    LevyInput,
    levy_bill,
    levy_create,
    levy_offset,
    levy_payment_record,
)
from purei.cooperation.tests.factories import group_buy_for
from purei.core.actor import Actor
from purei.ledger.models import Account, Payout
from purei.ledger.selectors import (
    account_balances,
    ledger_unbalanced_journals,
    member_balance_cents,
)
from purei.ledger.services.journal import adjustment_post
from purei.ledger.services.payouts import payout_run
from purei.ledger.tests.factories import cluster_admin, money_cluster, money_member
from purei.members.tests.factories import MemberRoleFactory

pytestmark = pytest.mark.django_db

K = Account.Kind

group_buy_plan = st.fixed_dictionaries(
    {
        "tiers": st.lists(
            st.tuples(st.integers(1, 60), st.integers(1, 500)),
            min_size=1,
            max_size=3,
            unique_by=lambda t: t[0],
        ),
        "target": st.integers(1, 80),
        "shared_cost": st.integers(0, 20000),
        "commitments": st.lists(
            st.tuples(st.integers(1, 40), st.booleans()), min_size=1, max_size=4
        ),
    }
)

world = st.fixed_dictionaries(
    {
        "credits": st.lists(st.integers(0, 50000), min_size=1, max_size=4),
        "group_buys": st.lists(group_buy_plan, min_size=1, max_size=2),
        "levy": st.integers(0, 30000),
        "settle": st.lists(st.sampled_from(["pay", "offset", "leave"]), max_size=16),
    }
)


def run_history(data: dict[str, Any]) -> None:
    cluster = money_cluster()
    members = [money_member(cluster) for _ in data["credits"]]
    admin = cluster_admin(cluster)
    admin_access = together_access(actor=admin, slug=cluster.slug)
    owners = {
        m.pk: Actor(user=MemberRoleFactory.create(member=m).user) for m in members
    }
    for member, credit in zip(members, data["credits"], strict=True):
        if credit:
            adjustment_post(
                actor=admin,
                cluster=cluster,
                member=member,
                amount_cents=credit,
                reason="Sales",
            )
    expected_shares = 0
    for plan in data["group_buys"]:
        # tiers: the price never rises with the quantity; the target reaches one
        tiers = sorted(plan["tiers"])
        prices = sorted((p for _q, p in tiers), reverse=True)
        tiers = [(q, p) for (q, _old), p in zip(tiers, prices, strict=True)]
        target = max(plan["target"], tiers[0][0])
        group_buy = group_buy_for(
            cluster,
            target=target,
            tiers=tuple(tiers),
            shared_cost_cents=plan["shared_cost"],
        )
        for n, (quantity, offset) in enumerate(plan["commitments"]):
            member = members[n % len(members)]
            owner = owners[member.pk]
            commitment_set(
                actor=owner,
                access=together_access(actor=owner, slug=cluster.slug),
                group_buy=group_buy,
                quantity=quantity,
                settle_by="offset" if offset else "charged",
            )
        group_buy_close(actor=admin, group_buy=group_buy)
        group_buy.refresh_from_db()
        shares = list(group_buy.commitments.all())
        total = sum(c.quantity for c in shares)
        if group_buy.status == GroupBuy.Status.ALLOCATED:
            price = tier_price(tiers, total)
            assert price is not None
            assert group_buy.unit_price_cents == price
            assert all(c.goods_cents == c.quantity * price for c in shares)
            booked = sum(c.total_cents or 0 for c in shares)
            assert booked == total * price + plan["shared_cost"]
            expected_shares += booked
        else:
            assert total < target
    if data["levy"]:
        levy = levy_create(
            actor=admin,
            access=admin_access,
            details=LevyInput(
                name="Levy", period="annual", basis="flat", amount=data["levy"]
            ),
        )
        levy_bill(actor=admin, access=admin_access, levy=levy)
    charged: list[Any] = [
        *Commitment.objects.filter(
            group_buy__cluster=cluster, settle_by="charged", total_cents__gt=0
        ).order_by("pk"),
        *LevyBill.objects.filter(levy__cluster=cluster).order_by("pk"),
    ]
    paid = 0
    for item, choice in zip(charged, data["settle"], strict=False):
        owner = owners[item.member_id]
        owner_access = together_access(actor=owner, slug=cluster.slug)
        if isinstance(item, Commitment):
            if choice == "pay":
                share_payment_record(actor=admin, access=admin_access, commitment=item)
                paid += item.total_cents or 0
            elif choice == "offset":
                share_offset(actor=owner, access=owner_access, commitment=item)
        elif choice == "pay":
            levy_payment_record(actor=admin, access=admin_access, bill=item)
            paid += item.amount_cents
        elif choice == "offset":
            levy_offset(actor=owner, access=owner_access, bill=item)
    # what each member should be owed: its credit less what it offset
    owed = {}
    for member, credit in zip(members, data["credits"], strict=True):
        offset_shares = sum(
            c.total_cents or 0
            for c in Commitment.objects.filter(
                member=member, group_buy__cluster=cluster
            )
            if c.settle_by == "offset" or c.offset_at is not None
        )
        offset_levies = sum(
            b.amount_cents
            for b in LevyBill.objects.filter(member=member, offset_at__isnull=False)
        )
        owed[member.pk] = credit - offset_shares - offset_levies
        assert member_balance_cents(member.pk, cluster.pk) == owed[member.pk]
    levies = sum(b.amount_cents for b in LevyBill.objects.filter(levy__cluster=cluster))
    outstanding = sum(
        c.total_cents or 0
        for c in Commitment.objects.filter(
            group_buy__cluster=cluster,
            settle_by="charged",
            paid_at__isnull=True,
            offset_at__isnull=True,
        )
    ) + sum(
        b.amount_cents
        for b in LevyBill.objects.filter(
            levy__cluster=cluster, paid_at__isnull=True, offset_at__isnull=True
        )
    )
    # when: a payout run
    run = payout_run(
        actor=Actor.system(), cluster=cluster, until=timezone.now() + dt.timedelta(1)
    )
    # then
    assert ledger_unbalanced_journals() == []
    balances = account_balances(cluster.pk)
    assert sum(balances.values()) == 0
    assert balances[K.GROUP_BUYS] == -expected_shares
    assert balances[K.LEVIES] == -levies
    assert balances[K.MEMBER_RECEIVABLE] == outstanding
    assert balances[K.CLEARING] == paid
    assert balances[K.PAYOUTS] == -run.total_cents
    for member in members:
        payout = Payout.objects.filter(run=run, member=member).first()
        if owed[member.pk] > 0:
            assert payout is not None
            assert payout.amount_cents == owed[member.pk]
            assert member_balance_cents(member.pk, cluster.pk) == 0
        else:
            assert payout is None
            assert member_balance_cents(member.pk, cluster.pk) == owed[member.pk]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=world)
def test_group_buys_levies_and_offsets_keep_the_books_at_zero(
    data: dict[str, Any],
) -> None:
    with transaction.atomic():
        run_history(data)
        transaction.set_rollback(True)
