"""Levies (flat and by turnover band, paid or offset, overdue) and votes (one
per approved member business, changed until close, quorum, result)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from purei.cooperation.models import Ballot, LevyBill, Motion
from purei.cooperation.selectors import levy_bills_overdue, together_access
from purei.cooperation.services.levies import (
    LevyInput,
    levy_bill,
    levy_create,
    levy_offset,
    levy_payment_record,
)
from purei.cooperation.services.votes import (
    MotionInput,
    ballot_cast,
    minutes_attach,
    motion_close,
    motion_open,
    motions_close_due,
    tally_result,
)
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.ledger.models import Account
from purei.ledger.selectors import account_balances, member_balance_cents
from purei.ledger.services.payouts import payout_run
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
    return Actor(user=MemberRoleFactory.create(member=member).user)


# --- Levies -----------------------------------------------------------------------


def test_an_annual_flat_levy_bills_every_approved_member_once() -> None:
    # given
    cluster = money_cluster()
    first, second = money_member(cluster), money_member(cluster)
    admin = cluster_admin(cluster)
    access = together_access(actor=admin, slug=cluster.slug)
    levy = levy_create(
        actor=admin,
        access=access,
        details=LevyInput(
            name="Annual levy", period="annual", basis="flat", amount="120.00"
        ),
    )
    # when: billed twice in the same year
    made = levy_bill(actor=admin, access=access, levy=levy, day=dt.date(2027, 3, 1))
    again = levy_bill(actor=admin, access=access, levy=levy, day=dt.date(2027, 9, 1))
    # then
    assert [b.amount_cents for b in made] == [12000, 12000]
    assert again == []
    assert {b.period_start for b in made} == {dt.date(2027, 1, 1)}
    balances = account_balances(cluster.pk)
    assert balances[Account.Kind.LEVIES] == -24000
    assert balances[Account.Kind.MEMBER_RECEIVABLE] == 24000
    assert member_balance_cents(first.pk, cluster.pk) == 0
    assert member_balance_cents(second.pk, cluster.pk) == 0


def test_a_levy_by_turnover_band_reads_last_periods_sales() -> None:
    # given: one member sold $200.00 this month, the other nothing
    cluster = money_cluster()
    seller, quiet = money_member(cluster), money_member(cluster)
    paid_order(cluster, [(seller, [(20000, 1)])])
    admin = cluster_admin(cluster)
    access = together_access(actor=admin, slug=cluster.slug)
    levy = levy_create(
        actor=admin,
        access=access,
        details=LevyInput(
            name="Monthly levy",
            period="monthly",
            basis="turnover",
            bands=[("0", "5.00"), ("100.00", "25.00")],
        ),
    )
    # when: billed next month
    next_month = timezone.localdate() + dt.timedelta(days=32)
    made = levy_bill(actor=admin, access=access, levy=levy, day=next_month)
    # then
    amounts = {b.member_id: (b.turnover_cents, b.amount_cents) for b in made}
    assert amounts == {seller.pk: (20000, 2500), quiet.pk: (0, 500)}


def test_a_levy_is_paid_or_offset_and_overdue_ones_are_shown_to_admins() -> None:
    cluster = money_cluster()
    payer, offsetter, late = (money_member(cluster) for _ in range(3))
    order, _payment = paid_order(cluster, [(offsetter, [(20000, 1)])])
    dispatch(order)
    owed_for_sales = member_balance_cents(offsetter.pk, cluster.pk)
    admin = cluster_admin(cluster)
    access = together_access(actor=admin, slug=cluster.slug)
    levy = levy_create(
        actor=admin,
        access=access,
        details=LevyInput(
            name="Levy", period="annual", basis="flat", amount=5000, due_days=0
        ),
    )
    bills = {b.member_id: b for b in levy_bill(actor=admin, access=access, levy=levy)}
    # when
    levy_payment_record(actor=admin, access=access, bill=bills[payer.pk])
    owner = owner_of(offsetter)
    levy_offset(
        actor=owner,
        access=together_access(actor=owner, slug=cluster.slug),
        bill=bills[offsetter.pk],
    )
    run = payout_run(
        actor=Actor.system(), cluster=cluster, until=timezone.now() + dt.timedelta(1)
    )
    # then
    assert run.payouts.get().amount_cents == owed_for_sales - 5000
    overdue = levy_bills_overdue(
        access=access, today=timezone.localdate() + dt.timedelta(1)
    )
    assert [b.member_id for b in overdue] == [late.pk]
    assert account_balances(cluster.pk)[Account.Kind.MEMBER_RECEIVABLE] == 5000
    # and a member cannot offset another's levy
    with pytest.raises(NotPermitted):
        levy_offset(
            actor=owner,
            access=together_access(actor=owner, slug=cluster.slug),
            bill=bills[late.pk],
        )
    assert LevyBill.objects.get(pk=bills[late.pk].pk).settled is False


def test_only_admins_set_levies(member_a_owner: Actor, cluster_x: object) -> None:
    access = together_access(actor=member_a_owner, slug="cluster-x")
    with pytest.raises(NotPermitted):
        levy_create(
            actor=member_a_owner,
            access=access,
            details=LevyInput(name="L", period="annual", basis="flat", amount=100),
        )


# --- Votes ------------------------------------------------------------------------


def test_the_result_rules() -> None:
    assert tally_result(
        kind="yes_no", counts=[(1, 3), (2, 1)], electorate=8, quorum_percent=50
    ) == ("carried", 1)
    assert tally_result(
        kind="yes_no", counts=[(1, 2), (2, 2)], electorate=8, quorum_percent=50
    ) == ("lost", None)
    assert tally_result(
        kind="yes_no", counts=[(1, 3), (2, 0)], electorate=8, quorum_percent=50
    ) == ("no_quorum", None)
    assert tally_result(
        kind="choice", counts=[(1, 2), (2, 3), (3, 0)], electorate=5, quorum_percent=60
    ) == ("chosen", 2)
    assert tally_result(
        kind="choice", counts=[(1, 2), (2, 2)], electorate=5, quorum_percent=0
    ) == ("tied", None)


def test_one_vote_per_business_changed_until_close_then_counted() -> None:
    # given: three approved businesses, a choice between two people
    cluster = money_cluster()
    members = [money_member(cluster) for _ in range(3)]
    admin = cluster_admin(cluster)
    admin_access = together_access(actor=admin, slug=cluster.slug)
    motion = motion_open(
        actor=admin,
        access=admin_access,
        details=MotionInput(
            title="Who is our new kaitiaki?",
            kind="choice",
            options=["Aroha", "Wiremu"],
            quorum_percent=50,
            closes_at=timezone.now() + dt.timedelta(days=7),
        ),
    )
    aroha, wiremu = motion.options.order_by("position")
    owners = [owner_of(m) for m in members[:2]]
    # when: the first votes Wiremu then changes to Aroha; the second votes Aroha
    for owner, option in [(owners[0], wiremu), (owners[0], aroha), (owners[1], aroha)]:
        ballot_cast(
            actor=owner,
            access=together_access(actor=owner, slug=cluster.slug),
            motion=motion,
            option=option.pk,
        )
    closed = motions_close_due(now=timezone.now() + dt.timedelta(days=8))
    # then
    assert Ballot.objects.count() == 2
    motion.refresh_from_db()
    assert [m.pk for m in closed] == [motion.pk]
    assert (motion.result, motion.winner_id) == ("chosen", aroha.pk)
    assert (motion.electorate, motion.turnout) == (3, 2)
    assert motion.tally == {str(aroha.pk): 2, str(wiremu.pk): 0}


def test_staff_do_not_vote_and_nobody_votes_after_close() -> None:
    cluster = money_cluster()
    member = money_member(cluster)
    admin = cluster_admin(cluster)
    access = together_access(actor=admin, slug=cluster.slug)
    motion = motion_open(
        actor=admin,
        access=access,
        details=MotionInput(
            title="Join the expo?",
            kind="yes_no",
            closes_at=timezone.now() + dt.timedelta(days=1),
        ),
    )
    yes = motion.options.first()
    assert yes is not None
    staff = Actor(user=MemberRoleFactory.create(member=member, role="staff").user)
    with pytest.raises(NotPermitted):
        ballot_cast(
            actor=staff,
            access=together_access(actor=staff, slug=cluster.slug),
            motion=motion,
            option=yes.pk,
        )
    motion_close(actor=admin, motion=motion)
    owner = owner_of(member)
    with pytest.raises(ValidationFailed):
        ballot_cast(
            actor=owner,
            access=together_access(actor=owner, slug=cluster.slug),
            motion=motion,
            option=yes.pk,
        )
    motion.refresh_from_db()
    assert motion.result == Motion.Result.NO_QUORUM
    assert Ballot.objects.exists() is False


def test_minutes_are_checked_like_the_boards_files() -> None:
    cluster = money_cluster()
    money_member(cluster)
    admin = cluster_admin(cluster)
    access = together_access(actor=admin, slug=cluster.slug)
    motion = motion_open(
        actor=admin,
        access=access,
        details=MotionInput(
            title="Budget",
            kind="yes_no",
            closes_at=timezone.now() + dt.timedelta(days=1),
        ),
    )
    with pytest.raises(ValidationFailed):
        minutes_attach(
            actor=admin,
            access=access,
            motion=motion,
            upload=SimpleUploadedFile("m.exe", b"MZ\x90\x00"),
        )
    minutes_attach(
        actor=admin,
        access=access,
        motion=motion,
        upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )
    motion.refresh_from_db()
    assert motion.minutes_content_type == "application/pdf"
    assert str(motion.minutes.name).startswith("cooperation/minutes/")
