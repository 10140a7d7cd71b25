"""A cluster admin opens the cluster's invoices, credit notes and commission
invoices: linked from its order pages and its payout runs, in HTML and PDF; the
admin of another cluster gets a 404 (docs/money.md "Who may see a document")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.tests.factories import StaffFactory
from purei.core.actor import Actor
from purei.ledger.models import Invoice, Payout, PayoutRun
from purei.ledger.services.payouts import payout_run
from purei.members.models import Member
from purei.orders.models import Order
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


def _user(cluster: Any) -> Any:
    user = cluster_admin(cluster).user
    assert user is not None
    return user


def _sold(cluster: Any, members: list[Member]) -> Order:
    order, _payment = paid_order(
        cluster, [(member, [(4000 + 1000 * i, 1)]) for i, member in enumerate(members)]
    )
    return order


@pytest.fixture
def books() -> dict[str, Any]:
    """Cluster X: an order from two makers, part of it refunded (a credit note),
    handed over and paid out (a commission invoice per maker). Cluster Y: its
    own admin."""
    cluster = money_cluster(rate="10", slug="kai-docs")
    makers = [
        money_member(cluster, slug="maker-docs-one"),
        money_member(cluster, slug="maker-docs-two"),
    ]
    admin = cluster_admin(cluster)
    order = _sold(cluster, makers)
    order_refund(actor=admin, order=order, amount_cents=1000, reason="Chipped")
    dispatch(order)
    run = payout_run(
        actor=Actor.system(),
        cluster=cluster,
        until=timezone.now() + dt.timedelta(minutes=1),
    )
    other = money_cluster(slug="kai-docs-y")
    return {
        "cluster": cluster,
        "makers": makers,
        "order": order,
        "run": run,
        "admin": admin.user,
        "admin_y": _user(other),
        "cluster_y": other,
    }


def _links(body: str) -> set[str]:
    return set(re.findall(r'href="(/manage/clusters/[^"]+/invoices/[^"]+)"', body))


def _document_urls(cluster: Any, invoices: list[Invoice]) -> set[str]:
    base = f"/manage/clusters/{cluster.slug}/invoices/"
    return {f"{base}{i.pk}/" for i in invoices} | {
        f"{base}{i.pk}/pdf/" for i in invoices
    }


def test_the_order_page_links_each_invoice_and_credit_note(books, client: Client):
    # given
    client.force_login(books["admin"])
    order = books["order"]
    documents = list(Invoice.objects.filter(order=order))
    kinds = sorted(document.kind for document in documents)
    # the refund of the whole order is shared by its two parts
    assert kinds == ["credit_note", "credit_note", "tax_invoice", "tax_invoice"]
    # when
    page = client.get(f"/manage/clusters/kai-docs/orders/{order.number}/")
    # then each document is linked, as a page and as a PDF…
    assert page.status_code == 200
    body = page.content.decode()
    assert _links(body) == _document_urls(books["cluster"], documents)
    # …and each link opens
    for url in sorted(_links(body)):
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith("/pdf/"):
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF")
        else:
            number = Invoice.objects.get(pk=int(url.split("/")[-2])).number
            assert number in response.content.decode()
            assert f"/manage/clusters/kai-docs/orders/{order.number}/" in (
                response.content.decode()
            )


def test_the_run_page_links_each_commission_invoice(books, client: Client):
    # given
    client.force_login(books["admin"])
    run: PayoutRun = books["run"]
    commission = list(Invoice.objects.filter(payout__run=run, kind="commission"))
    assert len(commission) == Payout.objects.filter(run=run).count() == 2
    # when
    page = client.get(f"/manage/clusters/kai-docs/payouts/{run.pk}/")
    # then
    assert page.status_code == 200
    body = page.content.decode()
    assert _links(body) == _document_urls(books["cluster"], commission)
    for invoice in commission:
        assert invoice.number in body
    for url in sorted(_links(body)):
        response = client.get(url)
        assert response.status_code == 200, url
    one = client.get(f"/manage/clusters/kai-docs/invoices/{commission[0].pk}/")
    assert "Commission invoice" in one.content.decode()
    assert f"/manage/clusters/kai-docs/payouts/{run.pk}/" in one.content.decode()


def test_the_admin_of_another_cluster_gets_404(books, client: Client):
    # given
    client.force_login(books["admin_y"])
    documents = list(Invoice.objects.filter(cluster=books["cluster"]))
    assert len(documents) == 6
    for invoice in documents:
        # when / then: under cluster X's address, and under its own
        for url in (
            f"/manage/clusters/kai-docs/invoices/{invoice.pk}/",
            f"/manage/clusters/kai-docs/invoices/{invoice.pk}/pdf/",
            f"/manage/clusters/kai-docs-y/invoices/{invoice.pk}/",
            f"/manage/clusters/kai-docs-y/invoices/{invoice.pk}/pdf/",
        ):
            assert client.get(url).status_code == 404, url
    # and cluster X's pages that link them are not theirs either
    assert (
        client.get(
            f"/manage/clusters/kai-docs/orders/{books['order'].number}/"
        ).status_code
        == 404
    )
    assert (
        client.get(f"/manage/clusters/kai-docs/payouts/{books['run'].pk}/").status_code
        == 404
    )


def test_platform_staff_read_them(books, client: Client):
    client.force_login(StaffFactory.create())
    invoice = Invoice.objects.filter(cluster=books["cluster"]).first()
    assert invoice is not None
    url = f"/manage/clusters/kai-docs/invoices/{invoice.pk}/"
    assert client.get(url).status_code == 200
    assert client.get(url + "pdf/").status_code == 200


def test_anonymous_is_sent_to_log_in(books, client: Client):
    invoice = Invoice.objects.filter(cluster=books["cluster"]).first()
    assert invoice is not None
    response = client.get(f"/manage/clusters/kai-docs/invoices/{invoice.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- What the pages cost ------------------------------------------------------------

# The cluster's order page, whatever the number of parts and documents.
ORDER_PAGE_QUERIES = 11
# The payout run page, whatever the number of payouts and commission invoices.
RUN_PAGE_QUERIES = 7


def test_the_order_page_costs_the_same_whatever_its_documents(
    books, client: Client, django_assert_num_queries
):
    # given an order of one part, and one of five parts with a credit note
    cluster = books["cluster"]
    makers = [money_member(cluster, slug=f"maker-docs-{n}") for n in range(5)]
    small = _sold(cluster, makers[:1])
    big = _sold(cluster, makers)
    order_refund(actor=cluster_admin(cluster), order=big, amount_cents=500, reason="x")
    assert Invoice.objects.filter(order=big).count() == 10
    client.force_login(books["admin"])
    # when / then
    for order in (small, big):
        with django_assert_num_queries(ORDER_PAGE_QUERIES):
            response = client.get(f"/manage/clusters/kai-docs/orders/{order.number}/")
        assert response.status_code == 200


def test_the_run_page_costs_the_same_whatever_its_payouts(
    books, client: Client, django_assert_num_queries
):
    # given a run of two payouts (the fixture's), and one of six
    cluster = books["cluster"]
    makers = [money_member(cluster, slug=f"maker-run-{n}") for n in range(4)]
    dispatch(_sold(cluster, [*books["makers"], *makers]))
    big = payout_run(
        actor=Actor.system(),
        cluster=cluster,
        until=timezone.now() + dt.timedelta(minutes=1),
    )
    assert Invoice.objects.filter(payout__run=big, kind="commission").count() == 6
    client.force_login(books["admin"])
    # when / then
    for run in (books["run"], big):
        with django_assert_num_queries(RUN_PAGE_QUERIES):
            response = client.get(f"/manage/clusters/kai-docs/payouts/{run.pk}/")
        assert response.status_code == 200
