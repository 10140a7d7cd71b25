"""Pūrei's platform fee per order (ADR 0021): booked in the capture's journal on
the cluster's ``platform_fee`` account, paid out of its commission, in whole
cents rounded half up; taken at the charge through a connected account."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from purei.accounts.tests.factories import StaffFactory
from purei.clusters.models import Cluster, StripeMode
from purei.clusters.money_accounts import (
    MoneyAccountsChanges,
    cluster_money_accounts_update,
)
from purei.core.actor import Actor
from purei.ledger.bankfile import bank_batch_csv
from purei.ledger.models import Account, Posting
from purei.ledger.selectors import account_balances
from purei.ledger.services.payouts import payout_run

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)

pytestmark = pytest.mark.django_db
K = Account.Kind


def _fee(cluster: Cluster, **changes: Any) -> None:
    cluster_money_accounts_update(
        actor=Actor(user=StaffFactory.create()),
        cluster=cluster,
        changes=MoneyAccountsChanges(**changes),
    )


def test_the_fee_is_booked_out_of_the_commission() -> None:
    # given 1.5 % + 20 cents on a $33.33 order (no commission, no GST)
    cluster = money_cluster(rate="0", gst_registered=False)
    _fee(cluster, platform_fee_bps=150, platform_fee_fixed_cents=20)
    maker = money_member(cluster, gst_registered=False)
    # when
    _order, payment = paid_order(cluster, [(maker, [(3333, 1)])])
    # then 49.995 → 50 cents, + 20 = 70, owed to Pūrei, paid by the cluster
    balances = account_balances(cluster.pk)
    assert balances[K.PLATFORM_FEE] == -70
    assert balances[K.COMMISSION] == 70
    legs = Posting.objects.filter(
        journal__payment=payment, account__kind=K.PLATFORM_FEE
    )
    assert [leg.amount_cents for leg in legs] == [-70]
    # and the member's share is what it would be without the fee
    assert balances[K.MEMBER_PAYABLE] == -(3333 - 120)  # the test card's fee: 90+30


def test_no_fee_books_nothing() -> None:
    cluster = money_cluster(rate="0", gst_registered=False)
    maker = money_member(cluster, gst_registered=False)
    paid_order(cluster, [(maker, [(3333, 1)])])
    assert account_balances(cluster.pk).get(K.PLATFORM_FEE, 0) == 0
    assert not Posting.objects.filter(account__kind=K.PLATFORM_FEE).exists()


def test_through_a_connected_account_stripe_took_it_already() -> None:
    # given a cluster on a connected account (the test card stands in for the
    # charge: what matters is the account the payment was taken into)
    cluster = money_cluster(rate="0", gst_registered=False)
    _fee(
        cluster,
        stripe_mode=StripeMode.CONNECT,
        stripe_account_id="acct_1LedgerConnected",
        platform_fee_fixed_cents=50,
    )
    maker = money_member(cluster, gst_registered=False)
    # when
    _order, payment = paid_order(cluster, [(maker, [(2000, 1)])])
    # then the fee is not owed, and less money came in
    assert payment.account == "connect:acct_1LedgerConnected"
    balances = account_balances(cluster.pk)
    assert balances.get(K.PLATFORM_FEE, 0) == 0
    assert balances[K.COMMISSION] == 50
    fee = 54 + 30
    assert balances[K.CLEARING] == 2000 - fee - 50


def test_the_bank_file_is_paid_from_the_clusters_account(settings: Any) -> None:
    # given
    settings.BANK_TRANSFER_ACCOUNT = "01-0902-0068389-000"
    cluster = money_cluster(rate="0", gst_registered=False, slug="own-bank")
    _fee(
        cluster,
        bank_account_name="Own Bank Trust",
        bank_account_number="08 6523 1954512 001",
    )
    maker = money_member(cluster, gst_registered=False)
    order, _payment = paid_order(cluster, [(maker, [(2000, 1)])])
    dispatch(order)
    # when
    run = payout_run(
        actor=Actor.system(),
        cluster=cluster,
        until=timezone.now() + dt.timedelta(minutes=1),
    )
    rows = list(csv.reader(io.StringIO(bank_batch_csv(run))))
    # then
    assert rows[0][-2:] == ["from_account", "from_account_name"]
    assert rows[1][-2:] == ["08-6523-1954512-001", "Own Bank Trust"]


def test_without_its_own_the_bank_file_names_the_platforms() -> None:
    cluster = money_cluster(rate="0", gst_registered=False, slug="no-own-bank")
    maker = money_member(cluster, gst_registered=False)
    order, _payment = paid_order(cluster, [(maker, [(2000, 1)])])
    dispatch(order)
    run = payout_run(
        actor=Actor.system(),
        cluster=cluster,
        until=timezone.now() + dt.timedelta(minutes=1),
    )
    assert run.from_account_name  # the platform's BANK_TRANSFER_ACCOUNT_NAME
