"""journal_post, journal_reverse, adjustment_post, and the books' own guards."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.ledger.errors import (
    LedgerEmpty,
    LedgerError,
    LedgerErrorCode,
    LedgerForeignAccount,
    LedgerMixedCurrency,
    LedgerUnbalanced,
)
from purei.ledger.models import Account, Journal, LedgerImmutable, Posting
from purei.ledger.selectors import (
    account_balances,
    ledger_unbalanced_journals,
    member_balance_cents,
)
from purei.ledger.services.journal import (
    Leg,
    account_for,
    adjustment_post,
    journal_post,
    journal_reverse,
)

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    money_cluster,
    money_member,
    paid_order,
)

pytestmark = pytest.mark.django_db
K = Account.Kind


def post(cluster_id: int, key: str, legs: list[Leg]) -> Journal:
    return journal_post(
        cluster_id=cluster_id,
        kind=Journal.Kind.ADJUSTMENT,
        key=key,
        memo="test",
        occurred_at=timezone.now(),
        legs=legs,
    )


def test_account_for_makes_each_account_once() -> None:
    cluster = money_cluster()
    member = money_member(cluster)
    first = account_for(cluster.pk, K.COMMISSION)
    assert account_for(cluster.pk, K.COMMISSION) == first
    payable = account_for(cluster.pk, K.MEMBER_PAYABLE, member.pk)
    assert account_for(cluster.pk, K.MEMBER_PAYABLE, member.pk) == payable
    assert Account.objects.filter(cluster=cluster).count() == 2


def test_journal_post_drops_zero_legs_and_is_idempotent_by_key() -> None:
    # given
    cluster = money_cluster()
    clearing = account_for(cluster.pk, K.CLEARING)
    fees = account_for(cluster.pk, K.GATEWAY_FEES)
    # when
    journal = post(
        cluster.pk, "k1", [Leg(clearing, 100), Leg(fees, -100), Leg(fees, 0)]
    )
    again = post(cluster.pk, "k1", [Leg(clearing, 999), Leg(fees, -999)])
    # then
    assert again == journal
    assert list(journal.postings.values_list("amount_cents", flat=True)) == [100, -100]
    assert account_balances(cluster.pk)[K.CLEARING] == 100


@pytest.mark.parametrize(
    ("make", "error", "code"),
    [
        (
            lambda c, f: [Leg(c, 100), Leg(f, -99)],
            LedgerUnbalanced,
            "ledger_unbalanced",
        ),
        (lambda c, f: [Leg(c, 0)], LedgerEmpty, "ledger_empty_journal"),
        (lambda c, f: [], LedgerEmpty, "ledger_empty_journal"),
    ],
)
def test_journal_post_refuses_bad_legs(
    make: Callable[[Account, Account], list[Leg]], error: type[LedgerError], code: str
) -> None:
    cluster = money_cluster()
    clearing = account_for(cluster.pk, K.CLEARING)
    fees = account_for(cluster.pk, K.GATEWAY_FEES)
    with pytest.raises(error) as caught:
        post(cluster.pk, "bad", make(clearing, fees))
    assert caught.value.code == code
    assert not Journal.objects.filter(key="bad").exists()
    assert Posting.objects.count() == 0


def test_journal_post_refuses_other_clusters_accounts_and_mixed_currency() -> None:
    cluster, other = money_cluster(), money_cluster()
    mine = account_for(cluster.pk, K.CLEARING)
    theirs = account_for(other.pk, K.GATEWAY_FEES)
    aud = account_for(cluster.pk, K.GATEWAY_FEES, currency="AUD")
    with pytest.raises(LedgerForeignAccount):
        post(cluster.pk, "foreign", [Leg(mine, 5), Leg(theirs, -5)])
    with pytest.raises(LedgerMixedCurrency) as caught:
        post(cluster.pk, "mixed", [Leg(mine, 5), Leg(aud, -5)])
    assert caught.value.code == LedgerErrorCode.MIXED_CURRENCY
    assert Journal.objects.count() == 0


def test_database_refuses_to_update_a_posting() -> None:
    # given a booked sale
    cluster = money_cluster()
    member = money_member(cluster)
    paid_order(cluster, [(member, [(1000, 1)])])
    posting = Posting.objects.first()
    assert posting is not None
    # when code tries to change it behind the model's back, the trigger refuses
    with pytest.raises(DatabaseError), transaction.atomic():
        Posting.objects.filter(pk=posting.pk).update(amount_cents=1)
    # and the model refuses too
    with pytest.raises(LedgerImmutable):
        posting.save()
    posting.refresh_from_db()
    assert posting.amount_cents != 1


def test_unbalanced_journals_are_found() -> None:
    cluster = money_cluster()
    clearing = account_for(cluster.pk, K.CLEARING)
    with transaction.atomic():
        empty = Journal.objects.create(
            cluster=cluster,
            kind="adjustment",
            memo="x",
            key="e",
            occurred_at=timezone.now(),
        )
        lopsided = Journal.objects.create(
            cluster=cluster,
            kind="adjustment",
            memo="x",
            key="l",
            occurred_at=timezone.now(),
        )
        Posting.objects.create(journal=lopsided, account=clearing, amount_cents=5)
        assert ledger_unbalanced_journals() == [empty.pk, lopsided.pk]
        transaction.set_rollback(True)
    assert ledger_unbalanced_journals() == []


def test_reverse_negates_every_posting_once() -> None:
    # given a booked sale
    cluster = money_cluster()
    member = money_member(cluster)
    _order, payment = paid_order(cluster, [(member, [(11500, 1)])])
    journal = Journal.objects.get(payment=payment)
    admin = cluster_admin(cluster)
    # when an admin reverses it
    reversal = journal_reverse(actor=admin, journal=journal, reason="Booked twice")
    # then every posting is mirrored and the books are as before the sale
    original = list(journal.postings.values_list("account_id", "amount_cents"))
    mirrored = list(reversal.postings.values_list("account_id", "amount_cents"))
    assert mirrored == [(acc, -cents) for acc, cents in original]
    assert reversal.reverses == journal
    assert all(v == 0 for v in account_balances(cluster.pk).values())
    assert AuditEntry.objects.filter(verb="journal.reversed").count() == 1
    # and it cannot be reversed twice, nor the reversal itself
    with pytest.raises(ValidationFailed) as caught:
        journal_reverse(actor=admin, journal=journal, reason="Again")
    assert caught.value.code == LedgerErrorCode.ALREADY_REVERSED
    with pytest.raises(ValidationFailed) as caught:
        journal_reverse(actor=admin, journal=reversal, reason="Undo")
    assert caught.value.code == LedgerErrorCode.REVERSAL_OF_REVERSAL


def test_reverse_refuses_other_clusters_admin() -> None:
    cluster, other = money_cluster(), money_cluster()
    member = money_member(cluster)
    _order, payment = paid_order(cluster, [(member, [(1000, 1)])])
    journal = Journal.objects.get(payment=payment)
    with pytest.raises(NotPermitted):
        journal_reverse(actor=cluster_admin(other), journal=journal, reason="No")
    assert Journal.objects.filter(kind=Journal.Kind.REVERSAL).count() == 0
    assert not AuditEntry.objects.filter(verb="journal.reversed").exists()


def test_adjustment_credits_and_debits_a_member() -> None:
    # given
    cluster = money_cluster()
    member = money_member(cluster)
    admin = cluster_admin(cluster)
    # when an admin credits $12.00 then debits $2.50
    adjustment_post(
        actor=admin, cluster=cluster, member=member, amount_cents=1200, reason="Stall"
    )
    adjustment_post(
        actor=admin, cluster=cluster, member=member, amount_cents=-250, reason="Bags"
    )
    # then the member is owed $9.50, against the adjustments account
    assert member_balance_cents(member.pk, cluster.pk) == 950
    assert account_balances(cluster.pk)[K.ADJUSTMENTS] == 950
    entries = AuditEntry.objects.filter(verb="ledger.adjusted", member_id=member.pk)
    assert entries.count() == 2


@pytest.mark.parametrize(
    ("amount", "reason", "code"),
    [
        (100, "   ", LedgerErrorCode.REASON_REQUIRED),
        (0, "Nothing", LedgerErrorCode.INVALID_AMOUNT),
    ],
)
def test_adjustment_refusals_change_nothing(
    amount: int, reason: str, code: str
) -> None:
    cluster = money_cluster()
    member = money_member(cluster)
    with pytest.raises(ValidationFailed) as caught:
        adjustment_post(
            actor=cluster_admin(cluster),
            cluster=cluster,
            member=member,
            amount_cents=amount,
            reason=reason,
        )
    assert caught.value.code == code
    assert Journal.objects.count() == 0
    assert not AuditEntry.objects.filter(verb="ledger.adjusted").exists()


def test_adjustment_refuses_non_admin_and_non_member() -> None:
    cluster, other = money_cluster(), money_cluster()
    member = money_member(cluster)
    outsider = money_member(other)
    with pytest.raises(NotPermitted):
        adjustment_post(
            actor=Actor.anonymous(),
            cluster=cluster,
            member=member,
            amount_cents=100,
            reason="x",
        )
    with pytest.raises(ValidationFailed) as caught:
        adjustment_post(
            actor=cluster_admin(cluster),
            cluster=cluster,
            member=outsider,
            amount_cents=100,
            reason="x",
        )
    assert caught.value.code == LedgerErrorCode.NOT_A_MEMBER
    assert Journal.objects.count() == 0


@pytest.mark.parametrize("table", ["Journal", "Posting", "Invoice", "InvoiceLine"])
def test_the_database_refuses_to_update_every_ledger_table(table: str) -> None:
    # given: a booked and invoiced sale (the invoice tables were rebuilt by SQLite
    # in a later migration, which dropped their triggers until post_migrate
    # restored them)
    from purei.ledger import models

    cluster = money_cluster()
    member = money_member(cluster)
    paid_order(cluster, [(member, [(1000, 1)])])
    model = getattr(models, table)
    row = model.objects.order_by("pk").first()
    assert row is not None
    # when / then
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(id=F("id"))


def test_restoring_the_triggers_twice_changes_nothing() -> None:
    from purei.ledger.append_only import ensure_append_only

    cluster = money_cluster()
    paid_order(cluster, [(money_member(cluster), [(1000, 1)])])
    ensure_append_only()
    ensure_append_only()
    with pytest.raises(DatabaseError), transaction.atomic():
        Journal.objects.filter(pk__gte=0).update(memo="x")
