"""A trade buyer's statement of account and its reminders (docs/trade.md
"Statements", "Reminders"): open invoices aged by their due date, in the
account's currency and NZD; the page, the CSV, the API; the reminder emails,
each sent once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from purei.trade.models import PaymentTerms, TradeAccount, TradeOrder, TradeReminder
from purei.trade.services import TradePaymentInput, trade_payment_record
from purei.trade.statement import bucket_for, statement_for
from purei.trade.tasks import (
    trade_due_soon_reminders_send,
    trade_overdue_reminders_send,
)
from purei.trade.tests.test_getting_paid import _accept, _terms
from purei.trade.tests.test_trade_orders import _world


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "90_plus"),
    ],
)
def test_aging_buckets_by_days_past_the_due_date(days, bucket):
    assert bucket_for(days) == bucket


def _on_account_world(country: str = "NZ") -> tuple[dict, TradeAccount]:
    world = _world(country=country)
    account, _buyer = world["accounts"][0]
    _terms(
        account,
        payment_terms=PaymentTerms.TWENTIETH,
        deposit_percent=0,
        first_order_proforma=False,
        accounts_email="accounts@bottle.example.nz",
    )
    return world, account


def _due(made: TradeOrder, due_on: dt.date) -> None:
    TradeOrder.objects.filter(pk=made.pk).update(due_on=due_on)
    made.refresh_from_db()


@pytest.mark.django_db
def test_a_statement_ages_open_invoices_and_totals_them_in_both_currencies():
    # given: three orders on account, one due later, one 10 and one 45 days overdue
    world, account = _on_account_world()
    today = timezone.localdate()
    current = _accept(world, quantity=1)
    late = _accept(world, quantity=1)
    later = _accept(world, quantity=2)
    _due(late, today - dt.timedelta(days=10))
    _due(later, today - dt.timedelta(days=45))
    # and part of the oldest is paid
    trade_payment_record(
        actor=world["admin"], made=later, payment=TradePaymentInput(amount_cents=50_000)
    )
    # when
    statement = statement_for(account, today)
    # then
    assert [inv.number for inv in statement.invoices] == [
        later.order.number,
        late.order.number,
        current.order.number,
    ]
    by_bucket = {b: owed for b, _label, owed, _nzd in statement.aging}
    assert by_bucket == {
        "current": current.order.total_cents,
        "1_30": late.order.total_cents,
        "31_60": later.order.total_cents - 50_000,
        "61_90": 0,
        "90_plus": 0,
    }
    assert statement.total_cents == statement.total_nzd_cents  # an NZD account
    assert statement.total_cents == (
        current.order.total_cents
        + late.order.total_cents
        + later.order.total_cents
        - 50_000
    )
    oldest = statement.invoices[0]
    assert oldest.paid_cents == 50_000
    assert oldest.days_overdue == 45


@pytest.mark.django_db
def test_the_buyer_sees_its_statement_and_trade_invoice_and_gets_the_csv():
    # given
    world, _account = _on_account_world()
    made = _accept(world)
    buyer = world["accounts"][0][1]
    client = Client()
    client.force_login(buyer.user)
    slug = world["cluster"].slug
    # when
    page = client.get(f"/c/{slug}/trade/statement/")
    csv = client.get(f"/c/{slug}/trade/statement.csv")
    invoice = client.get(f"/c/{slug}/trade/orders/{made.order.number}/")
    # then
    assert page.status_code == 200
    assert made.order.number in page.content.decode()
    assert csv["Content-Type"] == "text/csv"
    assert made.order.number in csv.content.decode()
    text = invoice.content.decode()
    assert made.due_on is not None
    assert made.due_on.strftime("%-d %B %Y") in text
    assert "Balance due" in text


@pytest.mark.django_db
def test_the_statement_api_gives_the_aging():
    world, account = _on_account_world(country="AU")
    made = _accept(world)
    _due(made, timezone.localdate() - dt.timedelta(days=100))
    client = Client()
    client.force_login(world["accounts"][0][1].user)
    response = client.get(f"/api/v1/trade-accounts/{account.pk}/statement")
    assert response.status_code == 200
    body = response.json()
    assert body["currency"] == "AUD"
    assert body["invoices"][0]["bucket"] == "90_plus"
    assert body["invoices"][0]["owed_cents"] == made.total_cents
    assert body["invoices"][0]["owed_nzd_cents"] == made.order.total_cents
    aging = {row["bucket"]: row["owed_cents"] for row in body["aging"]}
    assert aging["90_plus"] == made.total_cents
    assert body["total_nzd_cents"] == made.order.total_cents


@pytest.mark.django_db
def test_overdue_reminders_go_once_per_bucket_to_the_right_buyers():
    # (the test settings send mail to Django's locmem backend: mail.outbox)
    # given: buyer 1 has an invoice 5 days overdue; buyer 2 owes nothing overdue
    world = _world(country="NZ", buyers=2)
    for account, _buyer in world["accounts"]:
        _terms(
            account,
            payment_terms=PaymentTerms.NET_7,
            deposit_percent=0,
            first_order_proforma=False,
        )
    today = timezone.localdate()
    late = _accept(world, index=0)
    _due(late, today - dt.timedelta(days=5))
    _accept(world, index=1)  # due in 7 days
    # when
    sent = trade_overdue_reminders_send.call(as_of=today.isoformat())
    again = trade_overdue_reminders_send.call(as_of=today.isoformat())
    # then: one statement to buyer 1, none on the rerun
    assert (sent, again) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world["accounts"][0][0].contact_email]
    assert late.order.number in message.body
    assert "1 to 30 days overdue" in message.body
    # when: 30 days later buyer 1's invoice reaches the next bucket and buyer 2's
    # is 23 days overdue: each buyer gets one statement, once
    month = (today + dt.timedelta(days=30)).isoformat()
    assert trade_overdue_reminders_send.call(as_of=month) == 2
    assert trade_overdue_reminders_send.call(as_of=month) == 0
    assert sorted(m.to[0] for m in mail.outbox[1:]) == sorted(
        account.contact_email for account, _buyer in world["accounts"]
    )
    assert set(
        TradeReminder.objects.filter(trade_order=late).values_list("kind", flat=True)
    ) == {"overdue_1_30", "overdue_31_60"}


@pytest.mark.django_db
def test_due_soon_reminders_go_once_three_days_ahead():
    # (the test settings send mail to Django's locmem backend: mail.outbox)
    world, _account = _on_account_world()
    today = timezone.localdate()
    soon = _accept(world)
    _due(soon, today + dt.timedelta(days=3))
    far = _accept(world)
    _due(far, today + dt.timedelta(days=20))
    # when: the command runs twice
    call_command("trade_reminders", "--as-of", today.isoformat())
    call_command("trade_reminders", "--as-of", today.isoformat())
    # then: one email, to the accounts address, about the order due soon only
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["accounts@bottle.example.nz"]
    assert soon.order.number in message.body
    assert far.order.number not in message.body
    # and a paid invoice is never reminded
    trade_payment_record(
        actor=world["admin"],
        made=far,
        payment=TradePaymentInput(amount_cents=far.order.total_cents),
    )
    assert (
        trade_due_soon_reminders_send.call(
            as_of=(today + dt.timedelta(days=18)).isoformat()
        )
        == 0
    )
