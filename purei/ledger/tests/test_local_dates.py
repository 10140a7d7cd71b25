"""Every date a person reads about money is a New Zealand date (Pacific/Auckland),
whatever the instant was in UTC: statements (PDF, CSV, page), invoices and
commission invoices (PDF, page), the bank file's name, the API, the admin's
labels and the audit trail.

Two instants are used: a payout run at 11:29 UTC on 6 December 2026, which is
00:29 on 7 December in New Zealand (daylight time, UTC+13), and two instants
either side of the end of daylight time on 5 April 2026 (03:00 NZDT becomes
02:00 NZST, UTC+12): a day read with a fixed offset would be wrong on one side.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from purei.core.actor import Actor
from purei.core.models import AuditEntry
from purei.ledger.models import Account, Invoice, Journal, Payout, PayoutRun
from purei.ledger.pdf import invoice_pdf
from purei.ledger.services.journal import Leg, account_for, journal_post
from purei.ledger.services.payouts import payout_run
from purei.ledger.statement import statement_csv, statement_for_payout
from purei.ledger.views._common import statement_pdf

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)
from .test_invoice_pdf import pdf_text

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# 11:00 UTC on 6 December 2026 is midnight on 7 December in New Zealand (NZDT).
SOLD = dt.datetime(2026, 12, 6, 11, 0, tzinfo=UTC)
# The run: 11:29 UTC on 6 December is 00:29 NZDT on 7 December.
RUN = dt.datetime(2026, 12, 6, 11, 29, tzinfo=UTC)


@contextmanager
def clock(at: dt.datetime) -> Iterator[None]:
    """``timezone.now()`` is ``at`` inside (auto_now fields too)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


@pytest.fixture
def december() -> dict[str, Any]:
    """An order sold at midnight NZDT on 7 December, handed over, and paid out
    by a run at 00:29 NZDT on 7 December (both 6 December in UTC)."""
    cluster = money_cluster(rate="10", slug="kai-dates")
    member = money_member(cluster, slug="maker-dates")
    with clock(SOLD):
        order, _payment = paid_order(cluster, [(member, [(11500, 1)])])
        dispatch(order)
    with clock(RUN):
        run = payout_run(actor=Actor.system(), cluster=cluster, until=RUN)
    payout = Payout.objects.get(run=run)
    return {
        "cluster": cluster,
        "member": member,
        "order": order,
        "run": run,
        "payout": payout,
        "invoice": Invoice.objects.get(order=order),
        "commission": Invoice.objects.get(payout=payout),
    }


def test_the_statement_pdf_says_the_new_zealand_day_of_the_run(december) -> None:
    # when
    text = pdf_text(statement_pdf(statement_for_payout(december["payout"])))
    # then: the run, the money and each line are on 7 December, as in NZ
    assert "Paid 7 December 2026" in text
    assert "Money up to 7 December 2026" in text
    assert "7 Dec 2026" in text
    assert "6 December" not in text
    assert "6 Dec" not in text


def test_invoice_and_commission_invoice_pdfs_say_the_new_zealand_day(
    december,
) -> None:
    for invoice in (december["invoice"], december["commission"]):
        text = pdf_text(invoice_pdf(invoice))
        assert "Date: 7 December 2026" in text, invoice.number
        assert "6 December" not in text


def test_the_statement_csv_says_the_new_zealand_day(december) -> None:
    # when
    rows = list(
        csv.reader(io.StringIO(statement_csv(statement_for_payout(december["payout"]))))
    )
    # then: every dated row (the lines and the payout) is on 7 December
    dates = {row[1] for row in rows[1:] if row[1]}
    assert dates == {"2026-12-07"}


def test_pages_and_the_bank_file_say_the_new_zealand_day(
    december, client: Client
) -> None:
    # given
    admin = cluster_admin(december["cluster"]).user
    assert admin is not None
    client.force_login(admin)
    base = f"/manage/clusters/{december['cluster'].slug}/"
    # when
    run_page = client.get(f"{base}payouts/{december['run'].pk}/")
    bank = client.get(f"{base}payouts/{december['run'].pk}/bank-file.csv")
    statement = client.get(f"{base}statements/{december['payout'].number}/")
    # then
    assert "7 December 2026, 12:29 am" in run_page.content.decode()
    assert "2026-12-07" in bank["Content-Disposition"]
    assert "6 December" not in statement.content.decode()


def test_the_api_gives_times_in_new_zealand_time(december, client: Client) -> None:
    # given
    admin = cluster_admin(december["cluster"]).user
    assert admin is not None
    client.force_login(admin)
    slug = december["member"].slug
    # when
    statement = client.get(
        f"/api/v1/members/{slug}/statements/{december['payout'].number}"
    ).json()
    invoice = client.get(
        f"/api/v1/members/{slug}/invoices/{december['invoice'].pk}"
    ).json()
    run = client.get(
        f"/api/v1/clusters/{december['cluster'].slug}/payouts/{december['run'].pk}"
    ).json()
    # then: the same instants, written with New Zealand's offset (+13:00)
    assert statement["payout"]["paid_at"].startswith("2026-12-07T00:29")
    assert statement["period_end"].startswith("2026-12-07T00:29")
    assert statement["lines"][0]["date"] == "2026-12-07"
    assert invoice["issued_at"].startswith("2026-12-07T00:00:00")
    assert run["created_at"].startswith("2026-12-07T00:29")
    assert run["until"].startswith("2026-12-07T00:29")
    for value in (statement["payout"]["paid_at"], invoice["issued_at"]):
        assert dt.datetime.fromisoformat(value).utcoffset() == dt.timedelta(hours=13)


def test_labels_and_the_audit_trail_say_the_new_zealand_day(december) -> None:
    run: PayoutRun = december["run"]
    assert str(run).endswith("until 2026-12-07")
    entry = AuditEntry.objects.get(verb="payout.run", target_id=str(run.pk))
    assert entry.after["until"].startswith("2026-12-07T00:29")


# --- Across the end of daylight time (5 April 2026) ----------------------------------

# 5 April 2026, 00:30 NZDT (+13): still 4 April in UTC.
BEFORE_CHANGE = dt.datetime(2026, 4, 4, 11, 30, tzinfo=UTC)
# 5 April 2026, 23:30 NZST (+12): a fixed +13 would say 6 April.
AFTER_CHANGE = dt.datetime(2026, 4, 5, 11, 30, tzinfo=UTC)


def _credit(cluster: Any, member: Any, key: str, at: dt.datetime) -> None:
    journal_post(
        cluster_id=cluster.pk,
        kind=Journal.Kind.ADJUSTMENT,
        key=key,
        memo="Autumn credit",
        occurred_at=at,
        legs=[
            Leg(
                account_for(cluster.pk, Account.Kind.MEMBER_PAYABLE, member.pk),
                -2500,
                description="Autumn credit",
            ),
            Leg(account_for(cluster.pk, Account.Kind.ADJUSTMENTS), 2500),
        ],
    )


def test_dates_across_the_end_of_daylight_time() -> None:
    # given a credit and a run just after midnight NZDT on 5 April, and another
    # credit and run late that evening, after the clocks went back
    cluster = money_cluster(rate="10", slug="kai-autumn")
    member = money_member(cluster, slug="maker-autumn")
    statements = []
    for n, at in enumerate((BEFORE_CHANGE, AFTER_CHANGE)):
        _credit(cluster, member, f"autumn-credit-{n}", at)
        with clock(at + dt.timedelta(minutes=1)):
            run = payout_run(actor=Actor.system(), cluster=cluster, until=at)
        assert str(run).endswith("until 2026-04-05")
        statements.append(statement_for_payout(Payout.objects.get(run=run)))
    for statement in statements:
        # when
        text = pdf_text(statement_pdf(statement))
        rows = list(csv.reader(io.StringIO(statement_csv(statement))))
        # then both runs and both credits are on 5 April in New Zealand
        assert "Paid 5 April 2026" in text
        assert "up to 5 April 2026" in text
        assert "5 Apr 2026" in text
        assert {row[1] for row in rows[1:] if row[1]} == {"2026-04-05"}


def test_an_invoice_pdf_on_each_side_of_the_change() -> None:
    cluster = money_cluster(slug="kai-autumn-pdf")
    member = money_member(cluster)
    for sequence, issued in ((1, BEFORE_CHANGE), (2, AFTER_CHANGE)):
        invoice = Invoice.objects.create(
            kind=Invoice.Kind.INVOICE,
            series="INV",
            sequence=sequence,
            number=f"AUTUMN-INV-{sequence:06d}",
            cluster=cluster,
            member=member,
            issued_at=issued,
            supplier_name="Autumn Maker",
            gst_registered=False,
            band=Invoice.Band.LOW,
            total_cents=2000,
            gst_cents=0,
        )
        assert "Date: 5 April 2026" in pdf_text(invoice_pdf(invoice)), issued
