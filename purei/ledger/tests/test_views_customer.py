"""A customer's invoices and credit notes on their order."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from purei.accounts.tests.factories import UserFactory
from purei.ledger.models import Invoice
from purei.orders.models import Order
from purei.settlement.services import order_refund

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
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
def sale() -> dict[str, Any]:
    cluster = money_cluster(slug="kai-shop")
    member = money_member(cluster)
    order, _payment = paid_order(cluster, [(member, [(25000, 1)])])
    customer = UserFactory.create()
    Order.objects.filter(pk=order.pk).update(customer=customer)
    order_refund(
        actor=cluster_admin(cluster), order=order, amount_cents=2000, reason="Dent"
    )
    invoice = Invoice.objects.get(order=order, kind=Invoice.Kind.TAX_INVOICE)
    credit = Invoice.objects.get(order=order, kind=Invoice.Kind.CREDIT_NOTE)
    return {
        "cluster": cluster,
        "order": order,
        "customer": customer,
        "invoice": invoice,
        "credit": credit,
    }


def _url(sale: dict[str, Any], doc: str, suffix: str = "") -> str:
    return f"/orders/{sale['order'].number}/invoices/{sale[doc].pk}/{suffix}"


def test_customer_sees_invoice_and_credit_note(sale, client: Client):
    client.force_login(sale["customer"])
    order_page = client.get(f"/orders/{sale['order'].number}/")
    page = client.get(_url(sale, "invoice"))
    credit = client.get(_url(sale, "credit"))
    pdf = client.get(_url(sale, "credit", "pdf/"))
    assert sale["invoice"].number in order_page.content.decode()
    assert _url(sale, "credit", "pdf/") in order_page.content.decode()
    assert page.status_code == 200
    assert sale["invoice"].number in page.content.decode()
    assert page.content.decode().count("<h1") == 1
    assert credit.status_code == 200
    assert "Dent" in credit.content.decode()
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment;")


def test_the_session_that_placed_a_guest_order_sees_its_invoice(sale, client: Client):
    # given a guest order placed in this session
    Order.objects.filter(pk=sale["order"].pk).update(customer=None)
    from purei.orders.shopper import PLACED_ORDERS

    session = client.session
    session[PLACED_ORDERS] = [sale["order"].number]
    session.save()
    # when / then
    assert client.get(_url(sale, "invoice")).status_code == 200


def test_the_signed_link_opens_the_invoice(sale, client: Client):
    from purei.orders.links import order_link_key

    Order.objects.filter(pk=sale["order"].pk).update(customer=None)
    key = order_link_key(sale["order"].number)
    assert client.get(_url(sale, "invoice") + f"?key={key}").status_code == 200


def test_cluster_admin_may_download(sale, client: Client):
    client.force_login(admin_user(sale["cluster"]))
    assert client.get(_url(sale, "invoice", "pdf/")).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "other_customer", "other_admin"])
def test_others_get_404(sale, client: Client, who: str):
    if who == "other_customer":
        client.force_login(UserFactory.create())
    elif who == "other_admin":
        client.force_login(admin_user(money_cluster(slug="elsewhere")))
    for suffix in ("", "pdf/"):
        assert client.get(_url(sale, "invoice", suffix)).status_code == 404


def test_an_invoice_of_another_order_is_404(sale, client: Client):
    other, _p = paid_order(
        sale["cluster"], [(money_member(sale["cluster"]), [(900, 1)])]
    )
    foreign = Invoice.objects.get(order=other)
    client.force_login(sale["customer"])
    url = f"/orders/{sale['order'].number}/invoices/{foreign.pk}/"
    assert client.get(url).status_code == 404
