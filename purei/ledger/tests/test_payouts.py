"""payout_run, its previews, the member's statement and ``purei payouts run``."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.core.actor import Actor
from purei.core.errors import NotPermitted
from purei.core.models import AuditEntry
from purei.core.validators import bank_account_normalise
from purei.ledger.models import Account, Journal, Payout, PayoutItem, PayoutRun
from purei.ledger.selectors import (
    account_balances,
    member_balance_cents,
    member_upcoming_payout,
    payout_preview,
)
from purei.ledger.services.journal import adjustment_post
from purei.ledger.services.payouts import payout_run
from purei.ledger.statement import statement_csv, statement_for_payout
from purei.members.models import Member
from purei.settlement.services import order_refund

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)

pytestmark = pytest.mark.django_db
K = Account.Kind


def later() -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=1)


def test_run_pays_what_is_owed_for_dispatched_parts() -> None:
    # given a $115.00 sale (member owed 10296, test_postings' worked example),
    # handed over to the customer
    cluster = money_cluster(rate="7.5", gst_registered=True, slug="kai-collective")
    member = money_member(cluster)
    order, _payment = paid_order(cluster, [(member, [(11500, 1)])])
    dispatch(order)
    admin = cluster_admin(cluster)
    # when the admin runs payouts
    run = payout_run(actor=admin, cluster=cluster, until=later())
    # then the member is paid it all
    payout = Payout.objects.get(run=run)
    assert payout.amount_cents == 10296
    assert run.total_cents == 10296
    assert payout.number == f"KAI-CO-P{run.pk}-1"
    assert payout.particulars == "PUREI"
    assert payout.code == "KAI-COLLECTI"
    assert payout.reference == f"P{payout.pk}"
    assert payout.bank_account == bank_account_normalise(member.bank_account)
    # every posting of the member is settled, its own payout posting too
    settled = PayoutItem.objects.filter(payout=payout).count()
    assert settled == 5  # sale, commission, its GST, fee share, the payout
    assert member_balance_cents(member.pk, cluster.pk) == 0
    assert account_balances(cluster.pk)[K.PAYOUTS] == -10296
    assert Journal.objects.get(key=f"payout:{payout.pk}").payout == payout
    assert AuditEntry.objects.filter(verb="payout.run", actor=admin.user).exists()


def test_open_parts_and_future_money_wait() -> None:
    # given two paid orders: one handed over, one still being packed
    cluster = money_cluster(rate="0", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    done, _p = paid_order(cluster, [(member, [(1000, 1)])])
    paid_order(cluster, [(member, [(5000, 1)])])
    dispatch(done)
    # when a run pays up to an hour ago, nothing is eligible
    empty = payout_run(
        actor=Actor.system(),
        cluster=cluster,
        until=timezone.now() - dt.timedelta(hours=1),
    )
    assert empty.payouts.count() == 0
    # when a run pays up to now, only the handed-over order is paid
    run = payout_run(actor=Actor.system(), cluster=cluster, until=later())
    payout = run.payouts.get()
    assert payout.amount_cents == 1000 - (27 + 30)
    # the other stays owed
    assert member_balance_cents(member.pk, cluster.pk) == 5000 - (135 + 30)


def test_rerun_with_nothing_new_pays_nothing() -> None:
    cluster = money_cluster()
    member = money_member(cluster)
    order, _p = paid_order(cluster, [(member, [(2000, 1)])])
    dispatch(order)
    payout_run(actor=Actor.system(), cluster=cluster, until=later())
    again = payout_run(actor=Actor.system(), cluster=cluster, until=later())
    assert again.payouts.count() == 0
    assert again.total_cents == 0
    assert again.skipped == []


def test_member_without_bank_account_is_skipped_and_listed() -> None:
    # given two members owed money, one without a bank account
    cluster = money_cluster(rate="0", gst_registered=False)
    paid = money_member(cluster, gst_registered=False)
    unpaid = money_member(cluster, gst_registered=False, bank=False)
    order, _p = paid_order(cluster, [(paid, [(1000, 1)]), (unpaid, [(2000, 1)])])
    dispatch(order)
    # when a run is made
    run = payout_run(actor=Actor.system(), cluster=cluster, until=later())
    # then only the first is paid; the other is listed with why, still owed
    assert [p.member_id for p in run.payouts.all()] == [paid.pk]
    owed = member_balance_cents(unpaid.pk, cluster.pk)
    assert owed > 0
    assert run.skipped == [
        {
            "member": unpaid.pk,
            "name": unpaid.name,
            "balance_cents": owed,
            "reason": "No valid bank account for payouts.",
        }
    ]
    previews = payout_preview(cluster, later())
    assert [(p.member.pk, p.payable) for p in previews] == [(unpaid.pk, False)]


def test_refund_after_payout_nets_off_next_run() -> None:
    # given a paid-out $40.00 sale
    cluster = money_cluster(rate="0", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    first_order, _p = paid_order(cluster, [(member, [(4000, 1)])])
    dispatch(first_order)
    first = payout_run(actor=Actor.system(), cluster=cluster, until=later())
    assert first.total_cents == 4000 - (108 + 30)
    # when $15.00 of it is refunded afterwards
    admin = cluster_admin(cluster)
    order_refund(actor=admin, order=first_order, amount_cents=1500, reason="Chipped")
    # then the member owes it: the next run pays nothing and carries it over
    assert member_balance_cents(member.pk, cluster.pk) == -1500
    second = payout_run(actor=Actor.system(), cluster=cluster, until=later())
    assert second.payouts.count() == 0
    # and a new $20.00 sale nets off against it
    new_order, _p = paid_order(cluster, [(member, [(2000, 1)])])
    dispatch(new_order)
    third = payout_run(actor=Actor.system(), cluster=cluster, until=later())
    payout = third.payouts.get()
    assert payout.amount_cents == 2000 - (54 + 30) - 1500
    assert member_balance_cents(member.pk, cluster.pk) == 0
    # the statement shows the carried-over refund and adds up to the payout
    statement = statement_for_payout(payout)
    assert statement.total_cents == payout.amount_cents
    assert statement.totals["brought_forward"] == -1500
    assert statement.totals["sales"] == 2000
    assert statement.totals["fees"] == -84


def test_refund_before_payout_comes_off_the_payout() -> None:
    cluster = money_cluster(rate="10", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    order, _p = paid_order(cluster, [(member, [(5000, 1)])])
    order_refund(
        actor=cluster_admin(cluster), order=order, amount_cents=1000, reason="Late"
    )
    dispatch(order)
    run = payout_run(actor=Actor.system(), cluster=cluster, until=later())
    # 5000 - commission 500 - fee (135 + 30) - refund 1000
    assert run.payouts.get().amount_cents == 3335


def test_statement_sections_add_up_to_the_payout() -> None:
    # given a sale, an adjustment and a goodwill refund
    cluster = money_cluster(rate="7.5", gst_registered=True)
    member = money_member(cluster)
    order, _p = paid_order(cluster, [(member, [(11500, 1)])])
    admin = cluster_admin(cluster)
    adjustment_post(
        actor=admin, cluster=cluster, member=member, amount_cents=-500, reason="Stall"
    )
    order_refund(actor=admin, order=order, amount_cents=1000, reason="Late")
    dispatch(order)
    payout = payout_run(actor=admin, cluster=cluster, until=later()).payouts.get()
    # when the statement is made
    statement = statement_for_payout(payout)
    # then each section holds its cents, and they add up to the payout exactly
    assert statement.totals == {
        "sales": 11500,
        "commission": -750 - 113,
        "fees": -341,
        "refunds": -1000,
        "adjustments": -500,
        "cooperation": 0,
        "brought_forward": 0,
    }
    assert statement.total_cents == payout.amount_cents == 8796
    assert statement.period_start is None
    rows = list(csv.reader(io.StringIO(statement_csv(statement))))
    assert rows[0] == ["Section", "Date", "Order", "Description", "Amount"]
    assert ["Sales", "", "", "Total", "115.00"] in rows
    assert rows[-1][-1] == "87.96"
    assert rows[-1][2] == payout.number


def test_preview_and_upcoming_payout_match_the_run() -> None:
    cluster = money_cluster(rate="0", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    order, _p = paid_order(cluster, [(member, [(1000, 1)])])
    assert member_upcoming_payout(member, cluster) is None  # still open
    dispatch(order)
    upcoming = member_upcoming_payout(member, cluster)
    assert upcoming is not None
    assert upcoming.payable
    run = payout_run(actor=Actor.system(), cluster=cluster, until=later())
    assert run.payouts.get().amount_cents == upcoming.amount_cents
    assert member_upcoming_payout(member, cluster) is None


@pytest.mark.parametrize("who", ["anonymous", "member", "other_admin"])
def test_run_refuses_others_and_changes_nothing(who: str) -> None:
    cluster, other = money_cluster(), money_cluster()
    member = money_member(cluster)
    order, _p = paid_order(cluster, [(member, [(1000, 1)])])
    dispatch(order)
    actor = {
        "anonymous": lambda: Actor.anonymous(),
        "member": lambda: member_owner(member),
        "other_admin": lambda: cluster_admin(other),
    }[who]()
    with pytest.raises(NotPermitted):
        payout_run(actor=actor, cluster=cluster, until=later())
    assert PayoutRun.objects.count() == 0
    assert Payout.objects.count() == 0


def member_owner(member: Member) -> Actor:
    user = UserFactory.create()
    MemberRole.objects.create(user=user, member=member, role=MemberRole.Role.OWNER)
    return Actor(user=user)


def test_platform_staff_may_run(platform_staff: Actor) -> None:
    cluster = money_cluster()
    run = payout_run(actor=platform_staff, cluster=cluster, until=later())
    assert run.created_by == platform_staff.user


def test_command_runs_and_writes_the_bank_file(tmp_path: Path) -> None:
    # given
    cluster = money_cluster(rate="0", gst_registered=False, slug="kai")
    paid = money_member(cluster, gst_registered=False, trading_name="Paid Kai")
    skipped = money_member(
        cluster, gst_registered=False, bank=False, trading_name="No Bank Kai"
    )
    order, _p = paid_order(cluster, [(paid, [(1000, 1)]), (skipped, [(2000, 1)])])
    dispatch(order)
    admin = cluster_admin(cluster)
    bank_file = tmp_path / "batch.csv"
    out = io.StringIO()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    # when
    call_command(
        "payouts",
        "run",
        "--cluster",
        "kai",
        "--until",
        tomorrow.isoformat(),
        "--as",
        admin.user.email if admin.user else "",
        "--bank-file",
        str(bank_file),
        stdout=out,
    )
    # then
    text = out.getvalue()
    payout = Payout.objects.get()
    # the fee on $30.00 (81 + 30 = 111) is shared 1:2: 37 and 74
    assert f"Paid {payout.number}  Paid Kai  $9.63" in text
    assert "Skipped No Bank Kai" in text
    assert "No valid bank account for payouts." in text
    assert f"Bank file: {bank_file}" in text
    rows = list(csv.reader(io.StringIO(bank_file.read_text())))
    assert rows[1][0] == payout.bank_account
    run = PayoutRun.objects.get()
    assert run.created_by == admin.user
    assert run.until.date() >= tomorrow - dt.timedelta(days=1)


def test_command_without_as_runs_as_the_system() -> None:
    money_cluster(slug="kai")
    out = io.StringIO()
    call_command(
        "payouts", "run", "--cluster", "kai", "--until", "2030-01-31", stdout=out
    )
    run = PayoutRun.objects.get()
    assert run.created_by is None
    assert timezone.localtime(run.until).date() == dt.date(2030, 1, 31)
    assert timezone.localtime(run.until).hour == 23
    assert "0 payouts" in out.getvalue()


def test_command_with_all_runs_every_live_cluster_with_a_bank_file_each(
    tmp_path: Path,
) -> None:
    # given two live clusters with money owed and a paused one
    kai = money_cluster(rate="0", gst_registered=False, slug="kai")
    wai = money_cluster(rate="0", gst_registered=False, slug="wai")
    money_cluster(slug="quiet", status="paused")
    for cluster in (kai, wai):
        maker = money_member(cluster, gst_registered=False)
        order, _p = paid_order(cluster, [(maker, [(1000, 1)])])
        dispatch(order)
    out = io.StringIO()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    # when the weekly schedule runs
    call_command(
        "payouts",
        "run",
        "--all",
        "--until",
        tomorrow.isoformat(),
        "--bank-dir",
        str(tmp_path / "bank"),
        stdout=out,
    )
    # then each live cluster has its run and its own bank file; the paused none
    runs = {
        run.cluster.slug: run for run in PayoutRun.objects.select_related("cluster")
    }
    assert sorted(runs) == ["kai", "wai"]
    for slug, run in runs.items():
        path = tmp_path / "bank" / f"{slug}-run{run.pk}.csv"
        assert f"Bank file: {path}" in out.getvalue()
        rows = list(csv.reader(io.StringIO(path.read_text())))
        assert len(rows) == 2  # the header and one payout
        assert Payout.objects.filter(run=run).count() == 1
