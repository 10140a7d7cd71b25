"""Getting paid for a trade order (docs/trade.md "Getting paid"): deposits as
their own payments, account terms (first order pro-forma, the credit limit), the
trade receivable, payouts held until the buyer has paid, and exchange
differences booked to the cluster."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from purei.core.errors import ValidationFailed
from purei.ledger.models import Account, Invoice, Journal, Posting
from purei.ledger.selectors import (
    account_balances,
    eligible_postings,
    ledger_unbalanced_journals,
)
from purei.orders.models import Fulfilment, Order
from purei.orders.services.fulfilment import FulfilmentMoveRefused
from purei.payments.models import Payment
from purei.trade.models import PaymentTerms, TradeAccount, TradeOrder, TradePayment
from purei.trade.services import (
    TradePaymentInput,
    quote_accept,
    trade_order_outstanding,
    trade_payment_record,
)
from purei.trade.terms import due_date
from purei.trade.tests.test_trade_orders import _quoted, _world

K = Account.Kind


def _terms(account: TradeAccount, **terms: object) -> None:
    TradeAccount.objects.filter(pk=account.pk).update(**terms)
    account.refresh_from_db()


def _accept(world: dict, index: int = 0, quantity: int = 2) -> TradeOrder:
    quote = _quoted(world, index, quantity)
    quote_accept(actor=world["accounts"][index][1], quote=quote)
    return TradeOrder.objects.select_related("order").get(quote=quote)


def _balance(cluster_id: int, kind: str) -> int:
    return account_balances(cluster_id).get(kind, 0)


@pytest.mark.django_db
def test_an_order_on_twentieth_terms_is_invoiced_at_acceptance_and_may_be_sent():
    # given: an NZ account on 20th-of-the-month terms that has ordered before
    world = _world(country="NZ")
    account, _buyer = world["accounts"][0]
    _terms(
        account,
        payment_terms=PaymentTerms.TWENTIETH,
        deposit_percent=0,
        first_order_proforma=False,
    )
    # when
    made = _accept(world)
    # then: on account, invoiced today, due the 20th of next month
    order = made.order
    order.refresh_from_db()
    assert made.on_account is True
    assert order.status == Order.Status.ON_ACCOUNT
    assert order.hold_until is None
    assert order.paid_at is None
    today = timezone.localdate()
    assert made.due_on == due_date(PaymentTerms.TWENTIETH, today)
    # the books: the buyer owes the order's total; the members are owed theirs
    cluster_id = world["cluster"].pk
    assert _balance(cluster_id, K.TRADE_RECEIVABLE) == order.total_cents
    assert _balance(cluster_id, K.CLEARING) == 0
    assert ledger_unbalanced_journals() == []
    journal = Journal.objects.get(order=order, kind=Journal.Kind.TRADE_INVOICE)
    assert account.name in journal.memo
    for each in order.fulfilments.all():
        assert Invoice.objects.get(fulfilment=each).total_cents == each.total_cents
    # members may send it, but its money is not paid out before the buyer pays
    part = order.fulfilments.order_by("pk").first()
    assert part is not None
    from purei.orders.services.fulfilment import fulfilment_advance

    owner = world["makers"][0][1]
    fulfilment_advance(actor=owner, fulfilment=part, to="packed")
    fulfilment_advance(
        actor=owner, fulfilment=part, to="shipped", carrier="Mainfreight"
    )
    later = timezone.now() + dt.timedelta(days=1)
    assert eligible_postings(cluster_id, later) == {}


@pytest.mark.django_db
def test_the_first_order_and_the_credit_limit_fall_back_to_pro_forma_with_the_reason():
    # given: 7-day terms, first order pro-forma
    world = _world(country="NZ")
    account, _buyer = world["accounts"][0]
    _terms(account, payment_terms=PaymentTerms.NET_7, deposit_percent=0)
    # when: the first order
    first = _accept(world, quantity=1)
    # then
    assert first.on_account is False
    assert "first order" in first.terms_note
    assert first.order.status == Order.Status.AWAITING_PAYMENT
    # given: a credit limit below the next order
    _terms(account, credit_limit_cents=first.order.total_cents)
    second = _accept(world, quantity=2)
    assert second.on_account is False
    assert "credit limit" in second.terms_note
    # and one within the limit goes on account
    _terms(account, credit_limit_cents=10 * second.order.total_cents)
    third = _accept(world, quantity=1)
    assert third.on_account is True
    assert third.due_on == timezone.localdate() + dt.timedelta(days=7)


@pytest.mark.django_db
def test_a_pro_forma_deposit_and_balance_are_two_payments_sent_once_all_is_in():
    # given: an NZ pro-forma order with a 30 % deposit
    world = _world(country="NZ")
    made = _accept(world)
    order = made.order
    assert made.deposit_cents == (order.total_cents * 30 + 50) // 100
    admin = world["admin"]
    cluster_id = world["cluster"].pk
    # when: the deposit arrives
    deposit = trade_payment_record(
        actor=admin,
        made=made,
        payment=TradePaymentInput(amount_cents=made.deposit_cents),
    )
    # then: its own payment and reference, invoiced and booked
    assert deposit.kind == TradePayment.Kind.DEPOSIT
    assert deposit.reference == f"{order.number}-DEP"
    assert deposit.payment.status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("awaiting_payment", "part_paid")
    assert order.hold_until is None
    rest = order.total_cents - made.deposit_cents
    assert _balance(cluster_id, K.TRADE_RECEIVABLE) == rest
    assert _balance(cluster_id, K.CLEARING) == made.deposit_cents
    # nothing is sent and no part is cancelled while the rest is owed
    from purei.orders.services.fulfilment import fulfilment_advance
    from purei.settlement.services import fulfilment_cancel

    part = order.fulfilments.order_by("pk").first()
    assert part is not None
    with pytest.raises(FulfilmentMoveRefused):
        fulfilment_advance(actor=world["makers"][0][1], fulfilment=part, to="packed")
    with pytest.raises(FulfilmentMoveRefused):
        fulfilment_cancel(actor=admin, fulfilment=part, reason="x")
    # and the order page's "pay" is not offered again
    from purei.settlement.services import payment_start

    with pytest.raises(ValidationFailed):
        payment_start(order=order, gateway_name="bank_transfer")
    # when: the balance arrives
    made.refresh_from_db()
    balance = trade_payment_record(
        actor=admin, made=made, payment=TradePaymentInput(amount_cents=rest)
    )
    # then
    assert balance.kind == TradePayment.Kind.BALANCE
    assert balance.reference == f"{order.number}-BAL"
    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("paid", "paid")
    assert order.paid_at is not None
    assert _balance(cluster_id, K.TRADE_RECEIVABLE) == 0
    assert _balance(cluster_id, K.CLEARING) == order.total_cents
    assert ledger_unbalanced_journals() == []
    assert Journal.objects.filter(order=order, kind="trade_payment").count() == 2
    with pytest.raises(Exception, match="Nothing is owed"):
        trade_payment_record(
            actor=admin, made=made, payment=TradePaymentInput(amount_cents=1)
        )


@pytest.mark.django_db
def test_an_aud_order_paid_in_two_parts_books_the_exchange_difference_to_the_cluster():
    # given: an Australian order on 30-day terms at the quote's 0.9125
    world = _world(country="AU")
    account, _buyer = world["accounts"][0]
    _terms(
        account,
        payment_terms=PaymentTerms.NET_DAYS,
        terms_days=30,
        deposit_percent=0,
        first_order_proforma=False,
    )
    made = _accept(world)
    order = made.order
    cluster_id = world["cluster"].pk
    assert made.on_account
    assert made.currency == "AUD"
    members_before = {
        p.account.member_id: -p.amount_cents
        for p in Posting.objects.filter(
            journal__order=order, account__kind=K.MEMBER_PAYABLE
        ).select_related("account")
    }
    # when: A$1,000.00 arrives, credited as NZ$1,080.00 (the bank's 0.925926)
    first = trade_payment_record(
        actor=world["admin"],
        made=made,
        payment=TradePaymentInput(amount_cents=100_000, received_nzd_cents=108_000),
    )
    # then: it settles A$1,000.00 / 0.9125 = NZ$1,095.89; the loss of NZ$15.89
    # is the cluster's
    assert first.settles_cents == 109_589
    assert first.fx_difference_cents == -1_589
    assert _balance(cluster_id, K.FX_GAINS_LOSSES) == 1_589
    journal = Journal.objects.get(payment=first.payment)
    assert "0.9125" in journal.memo
    assert "0.925926" in journal.memo
    assert "loss" in journal.memo
    # when: the rest arrives, credited generously
    owed = trade_order_outstanding(made)
    rest_nzd = owed.nzd_cents
    assert owed.due_cents == made.total_cents - 100_000
    trade_payment_record(
        actor=world["admin"],
        made=made,
        payment=TradePaymentInput(
            amount_cents=owed.due_cents, received_nzd_cents=rest_nzd + 2_000
        ),
    )
    # then: the receivable is settled exactly; the FX account holds the net
    assert _balance(cluster_id, K.TRADE_RECEIVABLE) == 0
    assert _balance(cluster_id, K.FX_GAINS_LOSSES) == 1_589 - 2_000
    assert _balance(cluster_id, K.CLEARING) == 108_000 + rest_nzd + 2_000
    assert ledger_unbalanced_journals() == []
    # the members' payables never moved with the rate
    members_after = {
        p.account.member_id: -p.amount_cents
        for p in Posting.objects.filter(
            journal__order=order, account__kind=K.MEMBER_PAYABLE
        ).select_related("account")
    }
    assert members_after == members_before
    # and once paid, shipped parts may be paid out
    order.refresh_from_db()
    assert order.paid_at is not None
    Fulfilment.objects.filter(order=order).update(status="shipped")
    later = timezone.now() + dt.timedelta(days=1)
    assert set(eligible_postings(cluster_id, later)) == set(members_before)


@pytest.mark.django_db
def test_a_foreign_payment_needs_the_nzd_received_and_only_admins_record_it():
    world = _world(country="AU")
    made = _accept(world)
    with pytest.raises(ValidationFailed) as refused:
        trade_payment_record(
            actor=world["admin"], made=made, payment=TradePaymentInput(amount_cents=10)
        )
    assert refused.value.code == "invalid_trade_payment"
    from purei.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        trade_payment_record(
            actor=world["accounts"][0][1],
            made=made,
            payment=TradePaymentInput(amount_cents=10, received_nzd_cents=11),
        )
    with pytest.raises(ValidationFailed):
        trade_payment_record(
            actor=world["admin"],
            made=made,
            payment=TradePaymentInput(
                amount_cents=made.total_cents + 1, received_nzd_cents=11
            ),
        )


@pytest.mark.django_db
def test_the_worked_example_in_docs_trade_md():
    """docs/trade.md "Getting paid": an AUD export on 30-day terms with a 30 %
    deposit, each payment credited by the bank at its own rate."""
    # given: the quote of test_trade_orders (2 beams at $615.00, 2 pipes at $89.90,
    # freight $1,000.00) in AUD at 0.9125, on 30 days with a 30 % deposit
    world = _world(country="AU")
    account, _buyer = world["accounts"][0]
    _terms(
        account,
        payment_terms=PaymentTerms.NET_DAYS,
        terms_days=30,
        deposit_percent=30,
        first_order_proforma=False,
    )
    made = _accept(world)
    order = made.order
    cluster_id = world["cluster"].pk
    assert order.total_cents == 240_980  # NZ$2,409.80, zero-rated
    assert made.total_cents == 219_894  # A$2,198.94
    assert made.deposit_cents == 65_968  # A$659.68
    assert made.due_on == timezone.localdate() + dt.timedelta(days=30)
    assert _balance(cluster_id, K.TRADE_RECEIVABLE) == 240_980
    # when: the deposit arrives as NZ$730.00
    deposit = trade_payment_record(
        actor=world["admin"],
        made=made,
        payment=TradePaymentInput(amount_cents=65_968, received_nzd_cents=73_000),
    )
    # then: A$659.68 / 0.9125 = NZ$722.94 settled; a gain of NZ$7.06
    assert deposit.reference == f"{order.number}-DEP"
    assert deposit.settles_cents == 72_294
    assert deposit.fx_difference_cents == 706
    assert _balance(cluster_id, K.TRADE_RECEIVABLE) == 168_686
    memo = Journal.objects.get(payment=deposit.payment).memo
    assert memo.endswith(
        "659.68 AUD received as 730.00 NZD (bank rate 0.903671); settles 722.94 NZD "
        "at the quote's rate 0.9125; exchange gain 7.06 NZD"
    )
    # when: the balance, A$1,539.26, arrives as NZ$1,650.00
    balance = trade_payment_record(
        actor=world["admin"],
        made=made,
        payment=TradePaymentInput(amount_cents=153_926, received_nzd_cents=165_000),
    )
    # then: it settles the NZ$1,686.86 left; a loss of NZ$36.86
    assert balance.reference == f"{order.number}-BAL"
    assert balance.settles_cents == 168_686
    assert balance.fx_difference_cents == -3_686
    assert _balance(cluster_id, K.TRADE_RECEIVABLE) == 0
    assert _balance(cluster_id, K.FX_GAINS_LOSSES) == 2_980  # a net loss of $29.80
    assert _balance(cluster_id, K.CLEARING) == 238_000
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


@pytest.mark.django_db
def test_the_admin_records_a_foreign_payment_on_the_trade_order_screen():
    from django.test import Client

    from purei.core.models import AuditEntry

    world = _world(country="AU")
    made = _accept(world)
    client = Client()
    client.force_login(world["admin"].user)
    url = f"/manage/clusters/{world['cluster'].slug}/trade/orders/{made.order.number}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Record the payment" in page.content.decode()
    # without the NZD credited: refused, and said so
    refused = client.post(url, {"action": "payment", "pay-amount": "100.00"})
    assert refused.status_code == 422
    assert "New Zealand dollars the bank credited" in refused.content.decode()
    # with it: recorded, booked and audited
    done = client.post(
        url,
        {"action": "payment", "pay-amount": "100.00", "pay-received_nzd": "108.00"},
    )
    assert done.status_code == 302
    recorded = TradePayment.objects.get(trade_order=made)
    assert (recorded.amount_cents, recorded.received_cents) == (10_000, 10_800)
    assert AuditEntry.objects.filter(verb="trade.payment_recorded").count() == 1
    assert f"{made.order.number}-P1" in client.get(url).content.decode()
