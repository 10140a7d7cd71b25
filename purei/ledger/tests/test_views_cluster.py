"""A cluster admin's payouts: what is due, running payouts, runs, bank file,
statements, adjustments; platform staff read; others are refused."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.tests.factories import StaffFactory, UserFactory
from purei.core.money import format_nzd
from purei.ledger.models import Journal, Payout, PayoutRun
from purei.ledger.selectors import member_balance_cents
from purei.ledger.views.cluster import parse_signed_cents

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)

pytestmark = pytest.mark.django_db


def admin_user(cluster: Any) -> Any:
    """A new admin of ``cluster`` (the user, to log in)."""
    user = cluster_admin(cluster).user
    assert user is not None
    return user


@pytest.fixture
def books() -> dict[str, Any]:
    cluster = money_cluster(rate="10", slug="kai-run")
    paid = money_member(cluster, trading_name="Paid Maker")
    unbanked = money_member(cluster, bank=False, trading_name="No Bank Maker")
    order, _payment = paid_order(
        cluster, [(paid, [(11500, 1)]), (unbanked, [(4000, 1)])]
    )
    dispatch(order)
    admin = cluster_admin(cluster)
    return {"cluster": cluster, "paid": paid, "unbanked": unbanked, "admin": admin.user}


def _url(books: dict[str, Any], suffix: str = "") -> str:
    return f"/manage/clusters/{books['cluster'].slug}/{suffix}"


def test_payouts_page_shows_due_and_skipped(books, client: Client):
    # given
    client.force_login(books["admin"])
    owed = member_balance_cents(books["paid"].pk, books["cluster"].pk)
    # when
    response = client.get(_url(books, "payouts/"))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Paid Maker" in body
    assert format_nzd(owed) in body
    assert "No Bank Maker" in body
    assert "No valid bank account for payouts." in body
    assert body.count("<h1") == 1


def test_run_button_pays_once(books, client: Client):
    # given
    client.force_login(books["admin"])
    owed = member_balance_cents(books["paid"].pk, books["cluster"].pk)
    today = timezone.localdate().isoformat()
    # when
    first = client.post(_url(books, "payouts/"), {"action": "run", "until": today})
    second = client.post(_url(books, "payouts/"), {"action": "run", "until": today})
    # then
    runs = list(PayoutRun.objects.filter(cluster=books["cluster"]).order_by("pk"))
    assert len(runs) == 2
    assert first.status_code == 302
    assert first["Location"] == _url(books, f"payouts/{runs[0].pk}/")
    assert runs[0].total_cents == owed
    assert runs[1].total_cents == 0
    assert Payout.objects.filter(cluster=books["cluster"]).count() == 1
    assert second.status_code == 302
    page = client.get(first["Location"])
    body = page.content.decode()
    assert "Payout run done" in body
    assert "No Bank Maker" in body  # skipped, with the reason
    assert books["paid"].bank_account not in body  # masked


def test_run_refuses_a_future_date(books, client: Client):
    client.force_login(books["admin"])
    response = client.post(
        _url(books, "payouts/"), {"action": "run", "until": "2999-01-01"}
    )
    assert response.status_code == 422
    assert PayoutRun.objects.count() == 0


def test_run_page_bank_file_and_statement(books, client: Client):
    # given a run
    client.force_login(books["admin"])
    today = timezone.localdate().isoformat()
    client.post(_url(books, "payouts/"), {"action": "run", "until": today})
    run = PayoutRun.objects.get()
    payout = Payout.objects.get(run=run)
    # when
    bank = client.get(_url(books, f"payouts/{run.pk}/bank-file.csv"))
    statement = client.get(_url(books, f"statements/{payout.number}/"))
    pdf = client.get(_url(books, f"statements/{payout.number}.pdf"))
    sheet = client.get(_url(books, f"statements/{payout.number}.csv"))
    # then
    assert bank["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(bank.content.decode())))
    assert len(rows) == 1
    assert parse_signed_cents(rows[0]["amount"]) == run.total_cents
    assert statement.status_code == 200
    assert format_nzd(payout.amount_cents) in statement.content.decode()
    assert pdf.content.startswith(b"%PDF")
    lines = list(csv.reader(io.StringIO(sheet.content.decode())))
    assert parse_signed_cents(lines[-1][4]) == payout.amount_cents


def test_adjustment_with_a_minus_sign_is_a_debit(books, client: Client):
    # given
    client.force_login(books["admin"])
    member = books["paid"]
    before = member_balance_cents(member.pk, books["cluster"].pk)
    # when
    response = client.post(
        _url(books, "payouts/"),
        {"action": "adjust", "member": member.pk, "amount": "-12.50", "reason": "Box"},
    )
    # then
    assert response.status_code == 302
    assert member_balance_cents(member.pk, books["cluster"].pk) == before - 1250
    assert Journal.objects.filter(kind=Journal.Kind.ADJUSTMENT).count() == 1


@pytest.mark.parametrize(
    ("amount", "reason"), [("abc", "Box"), ("0", "Box"), ("5.00", " ")]
)
def test_adjustment_refusals_change_nothing(books, client: Client, amount, reason):
    client.force_login(books["admin"])
    response = client.post(
        _url(books, "payouts/"),
        {
            "action": "adjust",
            "member": books["paid"].pk,
            "amount": amount,
            "reason": reason,
        },
    )
    assert response.status_code == 422
    assert Journal.objects.filter(kind=Journal.Kind.ADJUSTMENT).count() == 0


def test_platform_staff_read_but_cannot_run(books, client: Client):
    client.force_login(StaffFactory.create())
    assert client.get(_url(books, "payouts/")).status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(_url(books, "payouts/"), {"action": "run", "until": today})
    assert response.status_code == 403
    assert PayoutRun.objects.count() == 0


@pytest.mark.parametrize("who", ["member_owner", "other_admin", "customer"])
def test_others_get_404(books, client: Client, who: str):
    # given a run to look for
    from purei.core.actor import Actor
    from purei.ledger.services.payouts import payout_run

    run = payout_run(
        actor=Actor.system(), cluster=books["cluster"], until=timezone.now()
    )
    payout = Payout.objects.get(run=run)
    if who == "member_owner":
        from purei.accounts.models import MemberRole

        user = UserFactory.create()
        MemberRole.objects.create(
            user=user, member=books["paid"], role=MemberRole.Role.OWNER
        )
    elif who == "other_admin":
        user = admin_user(money_cluster(slug="elsewhere"))
    else:
        user = UserFactory.create()
    client.force_login(user)
    # when / then
    for suffix in (
        "payouts/",
        f"payouts/{run.pk}/",
        f"payouts/{run.pk}/bank-file.csv",
        f"statements/{payout.number}/",
        f"statements/{payout.number}.pdf",
        f"statements/{payout.number}.csv",
        "reports/",
        "reports.csv",
    ):
        assert client.get(_url(books, suffix)).status_code == 404, suffix
    assert client.post(_url(books, "payouts/"), {"action": "run"}).status_code == 404


def test_anonymous_is_sent_to_log_in(books, client: Client):
    response = client.get(_url(books, "payouts/"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_payouts_page_query_count_is_bounded(
    books, client: Client, django_assert_max_num_queries
):
    # given many runs
    from purei.core.actor import Actor
    from purei.ledger.services.payouts import payout_run

    for _n in range(12):
        payout_run(actor=Actor.system(), cluster=books["cluster"], until=timezone.now())
    client.force_login(books["admin"])
    # when / then
    with django_assert_max_num_queries(20):
        response = client.get(_url(books, "payouts/"))
    assert response.status_code == 200


def test_reports_page_and_csv(books, client: Client, django_assert_max_num_queries):
    # given
    client.force_login(books["admin"])
    today = timezone.localdate()
    query = f"?period=week&from={today.replace(day=1).isoformat()}&to={today}"
    # when
    with django_assert_max_num_queries(8):
        page = client.get(_url(books, "reports/" + query))
    sheet = client.get(_url(books, "reports.csv" + query))
    same = client.get(_url(books, "reports/" + query + "&format=csv"))
    # then
    assert page.status_code == 200
    assert format_nzd(11500 + 4000) in page.content.decode()
    assert sheet["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(sheet.content.decode())))
    assert parse_signed_cents(rows[-1][2]) == 11500 + 4000
    assert same.content == sheet.content


def test_reports_open_on_the_month_of_the_first_booking(books, client: Client):
    # given a cluster whose books start this month (the fixture's orders)
    client.force_login(books["admin"])
    today = timezone.localdate()
    # when the report is opened without dates
    page = client.get(_url(books, "reports/"))
    # then its first period is this month, not eleven empty months before it
    report = page.context["report"]
    assert report.rows[0].period.start == today.replace(day=1)
    assert len(report.rows) == 1


@pytest.mark.parametrize("page", ["reports/", "reports.csv"])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?to=9999-12-31", "to"),
        ("?from=9999-12-01", "from"),
        ("?from=0001-01-01&period=week", "from"),
    ],
)
def test_reports_refuse_a_date_out_of_range_on_the_form(
    books, client: Client, page: str, query: str, field: str
):
    # given
    client.force_login(books["admin"])
    # when
    response = client.get(_url(books, page + query))
    # then the page, not a file, with the form's error on the field
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    form = response.context["form"]
    assert field in form.errors
    assert "Choose a date from 1 January 2000 to 31 December 2099." in (
        response.content.decode()
    )


def test_reports_refuse_dates_out_of_order_with_422(books, client: Client):
    client.force_login(books["admin"])
    response = client.get(_url(books, "reports/?from=2025-02-01&to=2025-01-01"))
    assert response.status_code == 422
    assert "to" in response.context["form"].errors
