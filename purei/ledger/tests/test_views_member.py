"""A member's money screens: balances, statements (HTML, PDF, CSV), invoices."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.core.actor import Actor
from purei.core.money import format_nzd
from purei.ledger.models import Invoice, Payout
from purei.ledger.reports import member_money
from purei.ledger.selectors import member_balance_cents
from purei.ledger.services.payouts import payout_run
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


def owner_of(member: Member) -> Any:
    user = UserFactory.create()
    MemberRole.objects.create(user=user, member=member, role=MemberRole.Role.OWNER)
    return user


def later() -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=1)


@pytest.fixture
def books() -> dict[str, Any]:
    """A member with one order handed over (eligible) and one still open (held),
    then a payout of the first."""
    cluster = money_cluster(rate="10", gst_registered=True, slug="kai-money")
    member = money_member(cluster, slug="maker-money")
    sent, _p1 = paid_order(cluster, [(member, [(11500, 1)])])
    dispatch(sent)
    run = payout_run(actor=Actor.system(), cluster=cluster, until=later())
    open_order, _p2 = paid_order(cluster, [(member, [(5000, 2)])])
    return {
        "cluster": cluster,
        "member": member,
        "payout": Payout.objects.get(run=run),
        "open_order": open_order,
        "owner": owner_of(member),
    }


def test_money_page_shows_balance_eligible_and_held(books, client: Client):
    # given
    member, cluster = books["member"], books["cluster"]
    client.force_login(books["owner"])
    (money,) = member_money(member, [cluster])
    # when
    response = client.get(f"/manage/members/{member.slug}/money/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert money.balance_cents == member_balance_cents(member.pk, cluster.pk) > 0
    assert money.held_cents == money.balance_cents  # the open order only
    assert money.eligible_cents == 0
    assert format_nzd(money.balance_cents) in body
    assert books["payout"].number in body
    invoice = Invoice.objects.filter(member=member).first()
    assert invoice is not None
    assert invoice.number in body
    assert body.count("<h1") == 1


def test_eligible_counts_parts_handed_over(books):
    # given the open order is handed over too
    dispatch(books["open_order"])
    # when
    (money,) = member_money(books["member"], [books["cluster"]])
    # then it is all eligible, nothing held
    assert money.held_cents == 0
    assert money.eligible_cents == money.balance_cents > 0


def test_statement_page_and_downloads(books, client: Client):
    # given
    member, payout = books["member"], books["payout"]
    client.force_login(books["owner"])
    base = f"/manage/members/{member.slug}/money/statements/{payout.number}"
    # when
    page = client.get(base + "/")
    pdf = client.get(base + ".pdf")
    sheet = client.get(base + ".csv")
    # then
    assert page.status_code == 200
    assert format_nzd(payout.amount_cents) in page.content.decode()
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert f"statement-{payout.number}.pdf" in pdf["Content-Disposition"]
    assert sheet.status_code == 200
    assert sheet["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(sheet.content.decode())))
    assert rows[0][0] == "Section"
    last = rows[-1]
    assert last[2] == payout.number
    assert last[4] == f"{payout.amount_cents // 100}.{payout.amount_cents % 100:02d}"
    sections = [r for r in rows[1:-1] if r[3] == "Total"]
    total = sum(int(r[4].replace(".", "")) for r in sections)
    assert total == payout.amount_cents


def test_invoice_page_and_pdf(books, client: Client):
    # given
    member = books["member"]
    invoice = Invoice.objects.filter(member=member).first()
    assert invoice is not None
    client.force_login(books["owner"])
    base = f"/manage/members/{member.slug}/money/invoices/{invoice.pk}/"
    # when
    page = client.get(base)
    pdf = client.get(base + "pdf/")
    # then
    assert page.status_code == 200
    assert invoice.number in page.content.decode()
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment;")


def test_cluster_admin_sees_the_money_of_its_members(books, client: Client):
    # given
    admin = cluster_admin(books["cluster"])
    assert admin.user is not None
    client.force_login(admin.user)
    member = books["member"]
    # when
    page = client.get(f"/manage/members/{member.slug}/money/")
    statement = client.get(
        f"/manage/members/{member.slug}/money/statements/{books['payout'].number}/"
    )
    # then
    assert page.status_code == 200
    assert statement.status_code == 200


@pytest.mark.parametrize("who", ["other_member", "other_admin", "customer"])
def test_others_get_404(books, client: Client, who: str):
    # given
    if who == "other_member":
        user = owner_of(money_member(books["cluster"]))
    elif who == "other_admin":
        other = cluster_admin(money_cluster(slug="elsewhere"))
        user = other.user
    else:
        user = UserFactory.create()
    client.force_login(user)
    member = books["member"]
    invoice = Invoice.objects.filter(member=member).first()
    assert invoice is not None
    base = f"/manage/members/{member.slug}/money/"
    # when / then
    for url in (
        base,
        base + f"statements/{books['payout'].number}/",
        base + f"statements/{books['payout'].number}.pdf",
        base + f"statements/{books['payout'].number}.csv",
        base + f"invoices/{invoice.pk}/",
        base + f"invoices/{invoice.pk}/pdf/",
    ):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_log_in(books, client: Client):
    response = client.get(f"/manage/members/{books['member'].slug}/money/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_members_invoice_is_404_even_for_the_team(books, client: Client):
    # given another member's invoice in the same cluster
    other = money_member(books["cluster"])
    paid_order(books["cluster"], [(other, [(2000, 1)])])
    foreign = Invoice.objects.get(member=other)
    client.force_login(books["owner"])
    # when
    response = client.get(
        f"/manage/members/{books['member'].slug}/money/invoices/{foreign.pk}/"
    )
    # then
    assert response.status_code == 404


def test_money_page_query_count_does_not_grow_with_documents(
    books, client: Client, django_assert_max_num_queries
):
    # given many more orders (invoices) and payouts
    client.force_login(books["owner"])
    url = f"/manage/members/{books['member'].slug}/money/"
    client.get(url)
    for _n in range(6):
        order, _payment = paid_order(books["cluster"], [(books["member"], [(900, 1)])])
        dispatch(order)
        payout_run(actor=Actor.system(), cluster=books["cluster"], until=later())
    # when / then: a fixed bound, whatever the number of rows
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    assert Payout.objects.filter(member=books["member"]).count() == 7
