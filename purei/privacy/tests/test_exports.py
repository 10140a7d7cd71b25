"""Exports of one's own data: a member owner's ZIP (products, its orders and
customers, invoices as PDF, statements) and a shopper's JSON."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.core.actor import Actor
from purei.ledger.models import Invoice, Payout
from purei.ledger.services.payouts import payout_run
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    dispatch,
    money_cluster,
    money_member,
    pay,
    place_order,
)
from purei.members.tests.factories import MemberRoleFactory
from purei.orders.models import Order

pytestmark = pytest.mark.django_db


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def maker_with_money():
    """A member with two paid orders (one paid out), and its owner."""
    cluster = money_cluster()
    maker = money_member(cluster, slug="kai-makers")
    other = money_member(cluster, slug="other-maker")
    orders = [
        place_order(cluster, [(maker, [(2300, 2)]), (other, [(999, 1)])])
        for _ in range(2)
    ]
    for order in orders:
        pay(order)
    dispatch(orders[0])
    payout_run(actor=Actor.system(), cluster=cluster, until=timezone.now())
    owner = UserFactory.create()
    MemberRoleFactory.create(member=maker, user=owner, role=MemberRole.Role.OWNER)
    return maker, owner, orders


def test_an_owner_downloads_the_business_as_a_zip(maker_with_money, client: Client):
    # given
    maker, owner, orders = maker_with_money
    client.force_login(owner)
    # when
    response = client.get("/manage/members/kai-makers/data/export.zip")
    # then a ZIP of its own data only
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    archive = _zip(response)
    names = set(archive.namelist())
    assert {
        "README.txt",
        "products.csv",
        "orders.csv",
        "order_lines.csv",
        "customers.csv",
        "invoices.csv",
    } <= names
    invoices = Invoice.objects.filter(member=maker)
    assert invoices.count() == 2
    for invoice in invoices:
        pdf = archive.read(f"invoices/{invoice.number}.pdf")
        assert pdf.startswith(b"%PDF")
    payout = Payout.objects.get(member=maker)
    assert f"statements/{payout.number}.csv" in names
    orders_csv = archive.read("orders.csv").decode()
    assert all(order.number in orders_csv for order in orders)
    assert orders_csv.count("\n") == 3  # a heading and its two parts
    lines = archive.read("order_lines.csv").decode()
    assert "4600" in lines  # its own line (2 x $23.00)
    assert "999" not in lines  # never the other maker's


def test_staff_of_the_business_cannot_export_it(maker_with_money, client: Client):
    # given a staff member of the business
    maker, _owner, _orders = maker_with_money
    staff = UserFactory.create()
    MemberRoleFactory.create(member=maker, user=staff, role=MemberRole.Role.STAFF)
    client.force_login(staff)
    # when / then
    assert client.get("/manage/members/kai-makers/data/export.zip").status_code == 404
    assert client.get("/manage/members/kai-makers/data/").status_code == 404


def test_the_api_gives_the_owner_the_same_zip(maker_with_money, client: Client):
    _maker, owner, _orders = maker_with_money
    client.force_login(owner)
    response = client.get("/api/v1/members/kai-makers/export")
    assert response.status_code == 200
    assert "products.csv" in _zip(response).namelist()


def test_a_shopper_downloads_their_own_data(client: Client):
    # given a shopper with an order, and someone else's order
    cluster = money_cluster()
    maker = money_member(cluster)
    shopper = UserFactory.create(email="aroha@example.nz", full_name="Aroha Tane")
    mine = place_order(cluster, [(maker, [(1500, 1)])])
    Order.objects.filter(pk=mine.pk).update(customer=shopper, email=shopper.email)
    theirs = place_order(cluster, [(maker, [(1500, 1)])])
    Order.objects.filter(pk=theirs.pk).update(email="someone@example.nz")
    client.force_login(shopper)
    # when
    response = client.get("/accounts/data/download.json")
    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["full_name"] == "Aroha Tane"
    assert [o["number"] for o in data["orders"]] == [mine.number]
    # and the API gives the same
    api = json.loads(client.get("/api/v1/account/export").content)
    assert [o["number"] for o in api["orders"]] == [mine.number]


def test_the_data_page_shows_the_download_and_the_way_out(client: Client):
    client.force_login(UserFactory.create())
    response = client.get("/accounts/data/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/accounts/data/download.json" in body
    assert "/accounts/close/" in body
