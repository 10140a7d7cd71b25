"""A trade order's consignment: consolidated at one place, its packages listed, and
the evidence that it left; and what an export needs (an export entry over
NZ$1,000 FOB, leaving within 28 days of supply)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.orders.models import Consignment, Order
from purei.orders.services.consignments import (
    ConsignmentClosed,
    PackageInput,
    consignment_left,
    consignment_open,
    consignment_packages_set,
    export_warnings,
)
from purei.trade.models import TradeOrder
from purei.trade.services import quote_accept
from purei.trade.tests.test_trade_orders import _quoted, _world

pytestmark = pytest.mark.django_db

PALLET = PackageInput(
    kind="pallet",
    contents="4 x 310UB beams, 6 m",
    marks="RIVERBANK BNE 1/2",
    length_mm=6200,
    width_mm=1100,
    height_mm=600,
    net_weight_grams=969_600,
    gross_weight_grams=990_000,
)
CRATE = PackageInput(
    kind="crate",
    contents="20 pipes, 50 bearings",
    length_mm=6600,
    width_mm=800,
    height_mm=500,
    net_weight_grams=700_000,
    gross_weight_grams=720_000,
)


@pytest.fixture
def export():
    world = _world()
    quote = _quoted(world)
    quote_accept(actor=world["accounts"][0][1], quote=quote)
    order = TradeOrder.objects.get(quote=quote).order
    return world, order


def test_the_admin_consolidates_lists_packages_and_records_the_departure(export):
    # given
    world, order = export
    admin = world["admin"]
    # when
    consignment_open(
        actor=admin, order=order, consolidation_point="ETS yard, 12 Neales Rd"
    )
    packages = consignment_packages_set(
        actor=admin, order=order, packages=[PALLET, CRATE]
    )
    left = consignment_left(
        actor=admin,
        order=order,
        carrier="Mainfreight",
        waybill="MFAKL-448812",
        left_on=timezone.localdate(),
    )
    # then
    assert [p.position for p in packages] == [0, 1]
    assert str(packages[0].volume_m3) == "4.092"
    assert left.status == Consignment.Status.LEFT
    assert AuditEntry.objects.filter(verb__startswith="consignment.").count() == 3
    # and once it left, nothing changes
    with pytest.raises(ConsignmentClosed):
        consignment_packages_set(actor=admin, order=order, packages=[PALLET])


@pytest.mark.parametrize(
    ("package", "field"),
    [
        (PackageInput("box", "x", 1, 1, 1, 1, 1), "packages.0.kind"),
        (PackageInput("crate", "", 1, 1, 1, 1, 1), "packages.0.contents"),
        (PackageInput("crate", "x", 0, 1, 1, 1, 1), "packages.0.length_mm"),
        (PackageInput("crate", "x", 1, 1, 1, 5, 4), "packages.0.gross_weight_grams"),
        (PackageInput("crate", "=cmd()", 1, 1, 1, 1, 1), "packages.0.contents"),
    ],
)
def test_packages_are_checked(export, package, field):
    # given
    world, order = export
    consignment_open(actor=world["admin"], order=order, consolidation_point="Depot")
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        consignment_packages_set(actor=world["admin"], order=order, packages=[package])
    assert field in refused.value.errors


def test_leaving_needs_packages_evidence_and_a_date_not_to_come(export):
    # given
    world, order = export
    admin = world["admin"]
    consignment_open(actor=admin, order=order, consolidation_point="Depot")
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        consignment_left(
            actor=admin,
            order=order,
            carrier="",
            waybill="",
            left_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert set(refused.value.errors) == {"carrier", "waybill", "left_on", "packages"}


@pytest.mark.parametrize("who", ["platform_staff", "cluster_x_admin", "customer"])
def test_only_the_orders_cluster_admins_run_its_consignment(export, who, request):
    # given
    _ignored, order = export
    # when / then
    with pytest.raises(NotPermitted):
        consignment_open(
            actor=request.getfixturevalue(who), order=order, consolidation_point="X"
        )


def test_an_export_says_what_it_needs(export):
    # given: paid 30 days ago, worth over NZ$1,000, not left
    _ignored, order = export
    paid = timezone.now() - dt.timedelta(days=30)
    Order.objects.filter(pk=order.pk).update(paid_at=paid)
    order.refresh_from_db()
    # when
    warnings = export_warnings(order)
    # then
    assert any("export entry" in w for w in warnings)
    assert any("not left within 28 days" in w for w in warnings)
    # and within the 28 days it says by when
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now())
    order.refresh_from_db()
    assert any("must leave within 28 days" in w for w in export_warnings(order))


def test_a_new_zealand_trade_order_needs_no_export_papers():
    # given
    world = _world(country="NZ")
    quote = _quoted(world)
    quote_accept(actor=world["accounts"][0][1], quote=quote)
    order = TradeOrder.objects.get(quote=quote).order
    # then
    assert export_warnings(order) == []


def test_the_consignment_on_the_admins_screen_and_the_api(export):
    # given
    world, order = export
    cluster = world["cluster"]
    admin = Client()
    admin.force_login(world["admin"].user)
    page = f"/manage/clusters/{cluster.slug}/trade/orders/{order.number}/"
    # when
    listing = admin.get(f"/manage/clusters/{cluster.slug}/trade/orders/")
    opened = admin.post(
        page, {"action": "point", "point-consolidation_point": "ETS yard"}
    )
    packed = admin.post(
        page,
        {
            "action": "packages",
            "pkg0-kind": "pallet",
            "pkg0-contents": "Beams",
            "pkg0-length_mm": "6200",
            "pkg0-width_mm": "1100",
            "pkg0-height_mm": "600",
            "pkg0-net_weight_grams": "969600",
            "pkg0-gross_weight_grams": "990000",
        },
    )
    refused = admin.post(page, {"action": "left", "left-carrier": "Mainfreight"})
    # then
    assert order.number in listing.content.decode()
    assert (opened.status_code, packed.status_code, refused.status_code) == (
        302,
        302,
        422,
    )
    body = admin.get(page).content.decode()
    assert "export entry" in body
    assert "ETS yard" in body
    # and the buyer reads it through the API
    buyer = Client()
    buyer.force_login(world["accounts"][0][1].user)
    data = buyer.get(f"/api/v1/trade-orders/{order.number}").json()
    assert data["currency"] == "AUD"
    assert data["consignment"]["packages"][0]["contents"] == "Beams"
    assert len(data["parts"]) == 2
    assert json.dumps(data)  # plain JSON
    # nobody else reads it
    assert Client().get(f"/api/v1/trade-orders/{order.number}").status_code == 401


def _packed(world, order) -> int:
    admin = world["admin"]
    consignment = consignment_open(
        actor=admin, order=order, consolidation_point="ETS yard"
    )
    consignment_packages_set(actor=admin, order=order, packages=[PALLET, CRATE])
    return consignment.pk


def test_the_export_papers_come_from_the_order(export):
    # given
    from purei.ledger.tests.test_invoice_pdf import pdf_text

    world, order = export
    consignment_id = _packed(world, order)
    buyer = Client()
    buyer.force_login(world["accounts"][0][1].user)
    base = f"/api/v1/consignments/{consignment_id}"
    # when
    invoice = buyer.get(f"{base}/commercial-invoice.pdf")
    packing = buyer.get(f"{base}/packing-list.pdf")
    origin = buyer.get(f"{base}/declaration-of-origin.pdf")
    # then
    assert invoice["Content-Type"] == "application/pdf"
    text = pdf_text(invoice.content)
    quote = TradeOrder.objects.get(order=order).quote
    assert "Commercial invoice" in text
    assert f"{order.number}-CI" in text
    assert "721633" in text  # each line's HS code
    assert "NZ$1 = 0.9125 AUD" in text
    from purei.trade.money import format_money

    assert format_money(quote.total_cents, "AUD") in text
    assert "Zero-rated: export" in text
    assert "DAP" in text
    listing = pdf_text(packing.content)
    assert "Packing list" in listing
    assert "AUD" not in listing  # no prices on a packing list
    assert "1710.0 kg" in listing  # gross: 990 + 720 kg
    assert "6.732 m³" in listing  # 4.092 + 2.640
    # the net weight of the goods is the same on both papers
    net = "521.0 kg"  # 2 x 242 kg + 2 x 18.5 kg
    assert net in text
    assert net in listing
    assert "ANZCERTA" in pdf_text(origin.content)


def test_only_the_buyer_and_the_clusters_admins_get_the_papers(export, customer_user):
    # given
    world, order = export
    consignment_id = _packed(world, order)
    other = Client()
    other.force_login(customer_user)
    # when / then
    for paper in ("commercial-invoice", "packing-list", "declaration-of-origin"):
        url = f"/api/v1/consignments/{consignment_id}/{paper}.pdf"
        assert other.get(url).status_code == 404
        assert Client().get(url).status_code == 401
