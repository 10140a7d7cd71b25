"""The product flag "alcohol or tobacco" (never charged Australian GST at
checkout, domain-nz.md §2): set by the member's team on the product form, the API
and the spreadsheet; audited with the product."""

import csv
import io
import json

from django.test import Client

from purei.catalogue.models import Product
from purei.catalogue.services.products import ProductInput, product_update
from purei.catalogue.spreadsheets import products_export, products_import
from purei.catalogue.tests.factories import ProductFactory, VariantFactory
from purei.core.models import AuditEntry

HEADER = (
    "product_slug,title_en,category,status,alcohol_or_tobacco,sku,price,"
    "stock_policy,stock"
)


def test_the_team_marks_a_product_and_it_is_audited(member_a_owner, member_a):
    # given
    product = ProductFactory.create(member=member_a)
    # when
    product_update(
        actor=member_a_owner,
        product=product,
        details=ProductInput(alcohol_or_tobacco=True),
    )
    # then
    product.refresh_from_db()
    assert product.alcohol_or_tobacco is True
    entry = AuditEntry.objects.filter(verb__startswith="product.").latest("pk")
    assert entry.after["alcohol_or_tobacco"] is True


def test_the_api_sets_and_shows_it(client: Client, member_a_owner_user, member_a):
    # given
    client.force_login(member_a_owner_user)
    # when
    created = client.post(
        "/api/v1/members/member-a/products",
        json.dumps(
            {"title_en": "Pinot noir", "category": "wine", "alcohol_or_tobacco": True}
        ),
        content_type="application/json",
    )
    # then
    assert created.status_code == 201, created.content
    assert created.json()["alcohol_or_tobacco"] is True
    assert Product.objects.get().alcohol_or_tobacco is True


def test_the_api_refuses_a_staff_member_of_another_business(
    client: Client, cluster_y_admin_user, member_a
):
    # given
    product = ProductFactory.create(member=member_a, slug="pinot")
    client.force_login(cluster_y_admin_user)
    # when
    response = client.patch(
        "/api/v1/members/member-a/products/pinot",
        json.dumps({"alcohol_or_tobacco": True}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 404
    product.refresh_from_db()
    assert product.alcohol_or_tobacco is False


def test_the_spreadsheet_reads_and_writes_it(member_a_owner, member_a, cluster_x):
    # given
    data = (
        HEADER + "\r\n" + "pinot,Pinot noir,wine,draft,yes,PN-1,32.00,tracked,12\r\n"
    ).encode()
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=data)
    # then
    assert result.ok, result.problems
    assert Product.objects.get(slug="pinot").alcohol_or_tobacco is True
    exported = products_export(actor=member_a_owner, member=member_a, fmt="purei")
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert [row["alcohol_or_tobacco"] for row in rows] == ["yes"]


def test_a_wrong_value_in_the_spreadsheet_is_named(member_a_owner, member_a):
    # given
    data = (
        HEADER + "\r\n" + "pinot,Pinot noir,wine,draft,maybe,PN-1,32.00,tracked,12\r\n"
    ).encode()
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=data)
    # then
    assert not result.ok
    assert [p.column for p in result.problems] == ["alcohol_or_tobacco"]
    assert not Product.objects.exists()


def test_the_product_form_has_the_box(client: Client, member_a_owner_user, member_a):
    # given
    product = ProductFactory.create(member=member_a, slug="pinot")
    VariantFactory.create(product=product)
    client.force_login(member_a_owner_user)
    # when
    body = client.get("/manage/members/member-a/products/pinot/").content.decode()
    # then
    assert 'name="alcohol_or_tobacco"' in body
