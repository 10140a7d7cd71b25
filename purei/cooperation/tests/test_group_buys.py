"""Group buying: proposing, committing until the deadline, closing (tiers, the
shared cost split to the cent by the largest remainder, the fail path), the
ledger, and a share offset against the next payout."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from purei.clusters.models import Cluster
from purei.cooperation.allocation import allocate, tier_price
from purei.cooperation.models import Commitment, GroupBuy, Settlement
from purei.cooperation.selectors import (
    commitments_visible,
    group_buy_list,
    together_access,
)
from purei.cooperation.services.group_buys import (
    GroupBuyInput,
    commitment_set,
    group_buy_close,
    group_buy_propose,
    group_buys_close_due,
    share_offset,
    share_payment_record,
)
from purei.cooperation.tests.factories import group_buy_for
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.ledger.models import Account, Journal, Posting
from purei.ledger.selectors import account_balances, member_balance_cents
from purei.ledger.services.payouts import payout_run
from purei.ledger.statement import statement_for_payout
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401 - autouse: every journal balances
    cluster_admin,
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)
from purei.members.models import Member
from purei.members.tests.factories import MemberRoleFactory

pytestmark = pytest.mark.django_db


def owner_of(member: Member) -> Actor:
    role = MemberRoleFactory.create(member=member)
    return Actor(user=role.user)


def commit(member: Member, group_buy: GroupBuy, quantity: int, **kw: object) -> Actor:
    actor = owner_of(member)
    access = together_access(actor=actor, slug=group_buy.cluster.slug)
    commitment_set(
        actor=actor,
        access=access,
        group_buy=group_buy,
        quantity=quantity,
        **kw,  # type: ignore[arg-type]  # settle_by only
    )
    return actor


# --- The arithmetic -----------------------------------------------------------


def test_the_highest_tier_reached_sets_the_price() -> None:
    tiers = [(1, 55), (500, 42), (1000, 35)]
    assert tier_price(tiers, 499) == 55
    assert tier_price(tiers, 500) == 42
    assert tier_price(tiers, 2000) == 35
    assert tier_price([(10, 40)], 9) is None


def test_the_shared_cost_is_split_by_quantity_to_the_cent() -> None:
    # when: $95.00 of freight over 400, 250 and 150 bags at 42c
    shares = allocate([400, 250, 150], 42, 9500)
    # then: 4750, 2968.75, 1781.25: the cent left goes to the largest remainder
    assert [s.shared_cost_cents for s in shares] == [4750, 2969, 1781]
    assert [s.goods_cents for s in shares] == [16800, 10500, 6300]
    assert [s.total_cents for s in shares] == [21550, 13469, 8081]
    assert sum(s.total_cents for s in shares) == 800 * 42 + 9500


# --- Proposing ------------------------------------------------------------------


def test_a_member_proposes_a_group_buy(
    member_a_owner: Actor, cluster_x: Cluster
) -> None:
    # given
    access = together_access(actor=member_a_owner, slug=cluster_x.slug)
    # when
    group_buy = group_buy_propose(
        actor=member_a_owner,
        access=access,
        details=GroupBuyInput(
            kind="packaging",
            title="Printed paper bags",
            supplier="Kraft Bags Ltd",
            unit="bags",
            target_quantity="500",
            cap="1200",
            deadline=timezone.now() + dt.timedelta(days=7),
            arrangement="collection",
            arrangement_details="Collect from the hub, Saturday",
            shared_cost="95.00",
            tiers=[("1", "0.55"), ("500", "0.42"), ("1000", "0.35")],
        ),
    )
    # then
    assert group_buy.proposer_member is not None
    assert group_buy.shared_cost_cents == 9500
    assert list(group_buy.tiers.values_list("min_quantity", "unit_price_cents")) == [
        (1, 55),
        (500, 42),
        (1000, 35),
    ]


def test_a_proposal_is_refused_field_by_field(
    member_a_owner: Actor, cluster_x: Cluster
) -> None:
    access = together_access(actor=member_a_owner, slug=cluster_x.slug)
    # when
    with pytest.raises(ValidationFailed) as refused:
        group_buy_propose(
            actor=member_a_owner,
            access=access,
            details=GroupBuyInput(
                kind="packaging",
                title="Bags",
                supplier="",
                target_quantity="500",
                cap="100",
                deadline=timezone.now() - dt.timedelta(days=1),
                arrangement="delivery",
                tiers=[("600", "0.42"), ("1000", "0.50")],
            ),
        )
    # then
    assert set(refused.value.errors) == {"supplier", "cap", "deadline", "tiers"}
    assert GroupBuy.objects.exists() is False


# --- Committing -------------------------------------------------------------------


def test_a_member_commits_and_changes_until_the_deadline(
    member_a: Member, cluster_x: Cluster
) -> None:
    # given
    group_buy = group_buy_for(cluster_x, cap=500)
    actor = commit(member_a, group_buy, 300)
    access = together_access(actor=actor, slug=cluster_x.slug)
    # when
    commitment_set(
        actor=actor,
        access=access,
        group_buy=group_buy,
        quantity=200,
        settle_by="charged",
    )
    # then
    group_buy.refresh_from_db()
    assert group_buy.committed_quantity == 200
    assert Commitment.objects.get().settle_by == Settlement.CHARGED
    # and when: 0 withdraws
    commitment_set(actor=actor, access=access, group_buy=group_buy, quantity=0)
    group_buy.refresh_from_db()
    assert group_buy.committed_quantity == 0
    assert Commitment.objects.exists() is False


def test_a_capped_lot_refuses_more_than_is_left(
    member_a: Member, cluster_x: Cluster
) -> None:
    # given: 100 of a 120-bag lot taken by C
    group_buy = group_buy_for(cluster_x, target=100, cap=120, tiers=((1, 40),))
    other = money_member(cluster_x)
    commit(other, group_buy, 100)
    # when
    with pytest.raises(ValidationFailed) as refused:
        commit(member_a, group_buy, 21)
    # then
    assert refused.value.code == "group_buy_over_cap"
    assert "20" in refused.value.errors["quantity"][0]
    group_buy.refresh_from_db()
    assert group_buy.committed_quantity == 100
    assert Commitment.objects.count() == 1


def test_nothing_is_committed_after_the_deadline(
    member_a: Member, cluster_x: Cluster
) -> None:
    group_buy = group_buy_for(cluster_x)
    GroupBuy.objects.filter(pk=group_buy.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ValidationFailed) as refused:
        commit(member_a, group_buy, 10)
    assert refused.value.code == "group_buy_closed"
    assert Commitment.objects.exists() is False


def test_members_see_only_their_own_commitment(
    member_a: Member, member_a_owner: Actor, cluster_x: Cluster, cluster_x_admin: Actor
) -> None:
    group_buy = group_buy_for(cluster_x)
    commit(member_a, group_buy, 10)
    commit(money_member(cluster_x), group_buy, 20)
    mine = together_access(actor=member_a_owner, slug=cluster_x.slug)
    admin = together_access(actor=cluster_x_admin, slug=cluster_x.slug)
    assert [
        c.quantity for c in commitments_visible(access=mine, group_buy=group_buy)
    ] == [10]
    assert len(commitments_visible(access=admin, group_buy=group_buy)) == 2
    assert list(group_buy_list(access=mine)) == [group_buy]


# --- Closing ----------------------------------------------------------------------


def test_closing_fixes_the_tier_price_splits_and_books_each_share(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given: the worked example of docs/money.md
    cluster = money_cluster()
    olive, potter, jam = (money_member(cluster) for _ in range(3))
    group_buy = group_buy_for(
        cluster,
        target=500,
        tiers=((1, 55), (500, 42), (1000, 35)),
        shared_cost_cents=9500,
    )
    commit(olive, group_buy, 400)
    commit(potter, group_buy, 250, settle_by="charged")
    commit(jam, group_buy, 150)
    GroupBuy.objects.filter(pk=group_buy.pk).update(deadline=timezone.now())
    # when
    with django_capture_on_commit_callbacks(execute=True):
        closed = group_buys_close_due()
    # then
    assert [gb.status for gb in closed] == [GroupBuy.Status.ALLOCATED]
    group_buy.refresh_from_db()
    assert group_buy.unit_price_cents == 42
    shares = {c.member_id: c.total_cents for c in group_buy.commitments.all()}
    assert shares == {olive.pk: 21550, potter.pk: 13469, jam.pk: 8081}
    assert member_balance_cents(olive.pk, cluster.pk) == -21550
    assert member_balance_cents(potter.pk, cluster.pk) == 0
    balances = account_balances(cluster.pk)
    assert balances[Account.Kind.GROUP_BUYS] == -43100
    assert balances[Account.Kind.MEMBER_RECEIVABLE] == 13469
    assert sum(balances.values()) == 0
    # and the members' owners are told their share
    assert len(mail.outbox) == 3
    assert "$215.50" in mail.outbox[0].body


def test_closing_twice_books_once() -> None:
    cluster = money_cluster()
    member = money_member(cluster)
    group_buy = group_buy_for(cluster, target=10, tiers=((1, 100),))
    commit(member, group_buy, 10)
    admin = cluster_admin(cluster)
    # when
    group_buy_close(actor=admin, group_buy=group_buy)
    group_buy_close(actor=admin, group_buy=group_buy)
    group_buys_close_due(now=timezone.now() + dt.timedelta(days=2))
    # then
    assert Journal.objects.filter(kind=Journal.Kind.MEMBER_CHARGE).count() == 1


def test_a_missed_target_fails_books_nothing_and_tells_the_members(
    django_capture_on_commit_callbacks: Any,
) -> None:
    cluster = money_cluster()
    member = money_member(cluster)
    group_buy = group_buy_for(cluster, target=500)
    commit(member, group_buy, 499)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        group_buy_close(
            actor=Actor.system(),
            group_buy=group_buy,
            now=timezone.now() + dt.timedelta(days=2),
        )
    # then
    group_buy.refresh_from_db()
    assert group_buy.status == GroupBuy.Status.FAILED
    assert group_buy.unit_price_cents is None
    assert Posting.objects.exists() is False
    assert len(mail.outbox) == 1
    assert "did not reach its target" in mail.outbox[0].subject


def test_the_system_does_not_close_before_the_deadline_nor_a_member_at_all(
    member_a_owner: Actor, cluster_x: Cluster
) -> None:
    group_buy = group_buy_for(cluster_x)
    with pytest.raises(ValidationFailed):
        group_buy_close(actor=Actor.system(), group_buy=group_buy)
    with pytest.raises(NotPermitted):
        group_buy_close(actor=member_a_owner, group_buy=group_buy)
    group_buy.refresh_from_db()
    assert group_buy.status == GroupBuy.Status.OPEN


# --- Paying: an offset in the next payout, or a bank transfer ---------------------


def test_a_share_is_taken_off_the_next_payout_and_shown_on_the_statement() -> None:
    # given: a member with a shipped sale, and its share of a group buy offset
    cluster = money_cluster()
    member = money_member(cluster)
    order, _payment = paid_order(cluster, [(member, [(20000, 1)])])
    dispatch(order)
    owed_for_sales = member_balance_cents(member.pk, cluster.pk)
    assert owed_for_sales == 20000 - 1304 - 196 - 570  # docs/money.md
    group_buy = group_buy_for(
        cluster, target=100, tiers=((1, 42),), shared_cost_cents=950
    )
    commit(member, group_buy, 100, settle_by="offset")
    group_buy_close(actor=cluster_admin(cluster), group_buy=group_buy)
    # when
    run = payout_run(
        actor=Actor.system(), cluster=cluster, until=timezone.now() + dt.timedelta(1)
    )
    # then: 100 x 42c + $9.50 = $51.50 less
    payout = run.payouts.get()
    assert payout.amount_cents == owed_for_sales - 5150 == 12780
    statement = statement_for_payout(payout)
    assert statement.totals["cooperation"] == -5150
    assert statement.total_cents == payout.amount_cents
    assert member_balance_cents(member.pk, cluster.pk) == 0


def test_a_charged_share_is_paid_by_bank_transfer_or_turned_into_an_offset() -> None:
    cluster = money_cluster()
    first, second = money_member(cluster), money_member(cluster)
    group_buy = group_buy_for(cluster, target=20, tiers=((1, 100),))
    commit(first, group_buy, 10, settle_by="charged")
    second_owner = commit(second, group_buy, 10, settle_by="charged")
    admin = cluster_admin(cluster)
    group_buy_close(actor=admin, group_buy=group_buy)
    admin_access = together_access(actor=admin, slug=cluster.slug)
    one, two = group_buy.commitments.order_by("pk")
    # when: the admin records the first's transfer; the second's owner offsets
    share_payment_record(actor=admin, access=admin_access, commitment=one)
    share_offset(
        actor=second_owner,
        access=together_access(actor=second_owner, slug=cluster.slug),
        commitment=two,
    )
    # then
    balances = account_balances(cluster.pk)
    assert balances[Account.Kind.MEMBER_RECEIVABLE] == 0
    assert balances[Account.Kind.CLEARING] == 1000
    assert member_balance_cents(second.pk, cluster.pk) == -1000
    # and a second recording is refused, nothing booked twice
    with pytest.raises(ValidationFailed):
        share_payment_record(actor=admin, access=admin_access, commitment=one)
    assert Journal.objects.filter(kind=Journal.Kind.MEMBER_PAYMENT).count() == 1
