"""A variant marked freight on quote (docs/orders.md "Freight on quote"): set by
the member's team on its screens, through the API and in the spreadsheet."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from purei.accounts.models import User
from purei.catalogue.models import Product, Variant
from purei.catalogue.services import VariantInput, variant_update
from purei.catalogue.spreadsheets import products_export, products_import
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.models import Member

pytestmark = pytest.mark.django_db

HEADER = "product_slug,title_en,category,status,sku,price,stock_policy,stock"


def test_the_team_marks_a_variant_freight_on_quote(
    member_a_staff: Actor, variant: Variant
) -> None:
    # when
    variant_update(
        actor=member_a_staff,
        variant=variant,
        details=VariantInput(freight_on_quote=True),
    )
    # then
    variant.refresh_from_db()
    assert variant.freight_on_quote is True
    entry = AuditEntry.objects.get(verb="variant.updated")
    assert entry.after == {"freight_on_quote": True}


def test_a_wrong_value_is_refused(member_a_owner: Actor, variant: Variant) -> None:
    # when
    with pytest.raises(ValidationFailed) as caught:
        variant_update(
            actor=member_a_owner,
            variant=variant,
            details=VariantInput(freight_on_quote="sometimes"),
        )
    # then
    assert "freight_on_quote" in caught.value.errors
    variant.refresh_from_db()
    assert variant.freight_on_quote is False


@pytest.mark.parametrize("who", ["cluster_x_admin", "customer", "platform_staff"])
def test_no_one_outside_the_team_marks_it(
    who: str, variant: Variant, request: pytest.FixtureRequest
) -> None:
    # given
    actor: Actor = request.getfixturevalue(who)
    # when
    with pytest.raises(NotPermitted):
        variant_update(
            actor=actor, variant=variant, details=VariantInput(freight_on_quote=True)
        )
    # then
    variant.refresh_from_db()
    assert variant.freight_on_quote is False


def test_the_variants_screen_has_the_checkbox(
    client: Client, member_a_owner_user: User, variant: Variant, product: Product
) -> None:
    # given
    client.force_login(member_a_owner_user)
    url = f"/manage/members/member-a/products/{product.slug}/variants/"
    # when
    page = client.get(f"{url}?edit={variant.pk}").content.decode()
    response = client.post(
        url,
        {
            "action": "update",
            "variant": variant.pk,
            "edit-sku": variant.sku,
            "edit-price": "980.00",
            "edit-stock_policy": "tracked",
            "edit-stock": "5",
            "edit-freight_on_quote": "on",
        },
    )
    # then
    assert 'name="edit-freight_on_quote"' in page
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.freight_on_quote is True


def test_the_member_api_sets_and_shows_it(
    client: Client, member_a_owner_user: User, product: Product, variant: Variant
) -> None:
    # given
    client.force_login(member_a_owner_user)
    url = f"/api/v1/members/member-a/products/{product.slug}/variants/{variant.sku}"
    # when
    response = client.patch(
        url, json.dumps({"freight_on_quote": True}), content_type="application/json"
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["freight_on_quote"] is True
    variant.refresh_from_db()
    assert variant.freight_on_quote is True


def test_the_spreadsheet_reads_and_writes_it(
    member_a_owner: Actor, member_a: Member
) -> None:
    # given
    data = (
        HEADER
        + ",freight_on_quote\r\n"
        + "beam,Universal beam,wine,draft,UB-6M,980.00,tracked,8,yes\r\n"
    ).encode()
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=data)
    # then
    assert result.ok, result.problems
    assert Variant.objects.get(sku="UB-6M").freight_on_quote is True
    exported = products_export(actor=member_a_owner, member=member_a, fmt="purei")
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert [row["freight_on_quote"] for row in rows] == ["yes"]


def test_a_file_without_the_column_leaves_it_as_it_is(
    member_a_owner: Actor, member_a: Member
) -> None:
    # given: marked, then a file without the column
    first = (
        HEADER
        + ",freight_on_quote\r\nbeam,Beam,wine,draft,UB-6M,980.00,tracked,8,yes\r\n"
    )
    products_import(actor=member_a_owner, member=member_a, data=first.encode())
    later = HEADER + "\r\nbeam,Beam,wine,draft,UB-6M,990.00,tracked,8\r\n"
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=later.encode())
    # then
    assert result.ok, result.problems
    variant = Variant.objects.get(sku="UB-6M")
    assert (variant.price_cents, variant.freight_on_quote) == (99_000, True)


def test_a_wrong_value_in_the_spreadsheet_is_named(
    member_a_owner: Actor, member_a: Member
) -> None:
    # given
    data = (
        HEADER
        + ",freight_on_quote\r\n"
        + "beam,Universal beam,wine,draft,UB-6M,980.00,tracked,8,maybe\r\n"
    ).encode()
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=data)
    # then
    assert not result.ok
    assert [p.column for p in result.problems] == ["freight_on_quote"]
    assert not Product.objects.exists()
