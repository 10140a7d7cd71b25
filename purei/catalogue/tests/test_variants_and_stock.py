import pytest

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.models import Variant
from purei.catalogue.services import (
    VariantInput,
    product_status_set,
    stock_bulk_update,
    stock_set,
    variant_create,
    variant_delete,
    variant_update,
)
from purei.catalogue.tests.factories import ProductFactory, VariantFactory
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.tests.factories import MemberFactory


def test_create_parses_the_price_to_cents(member_a_staff, product):
    # when
    variant = variant_create(
        actor=member_a_staff,
        product=product,
        details=VariantInput(sku="MH-1", price="24.50", options={"size": "500 g"}),
    )
    # then
    assert variant.price_cents == 2450
    assert variant.member_id == product.member_id
    assert variant.options == {"size": "500 g"}
    assert AuditEntry.objects.filter(verb="variant.created").exists()


def test_sku_is_unique_per_member(member_a_owner, product, variant):
    # given: another member may use the same SKU
    VariantFactory.create(product=ProductFactory.create(), sku="OTHER")
    # when
    with pytest.raises(ValidationFailed) as exc:
        variant_create(
            actor=member_a_owner,
            product=product,
            details=VariantInput(sku="MH-500", price="10"),
        )
    # then
    assert "sku" in exc.value.errors
    assert "MH-500" in exc.value.errors["sku"][0]
    ok = variant_create(
        actor=member_a_owner,
        product=product,
        details=VariantInput(sku="OTHER", price="10"),
    )
    assert ok.sku == "OTHER"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sku": "A", "price": "24.505"}, "price"),
        ({"sku": "A", "price": "-1"}, "price"),
        ({"sku": "A", "price": ""}, "price"),
        ({"sku": "", "price": "1"}, "sku"),
        ({"sku": "A", "price": "1", "stock": "-2"}, "stock"),
        ({"sku": "A", "price": "1", "stock_policy": "made_to_order"}, "lead_time_days"),
        ({"sku": "A", "price": "1", "stock_policy": "sometimes"}, "stock_policy"),
    ],
)
def test_variant_rules(member_a_owner, product, data, field):
    with pytest.raises(ValidationFailed) as exc:
        variant_create(
            actor=member_a_owner, product=product, details=VariantInput(**data)
        )
    assert exc.value.code == CatalogueErrorCode.INVALID_VARIANT
    assert field in exc.value.errors
    assert not Variant.objects.exists()


def test_made_to_order_with_lead_time(member_a_owner, product):
    variant = variant_create(
        actor=member_a_owner,
        product=product,
        details=VariantInput(
            sku="WAKA", price="1200", stock_policy="made_to_order", lead_time_days="21"
        ),
    )
    assert variant.lead_time_days == 21
    assert variant.in_stock


def test_update_and_delete(member_a_owner, variant):
    # when
    variant_update(
        actor=member_a_owner, variant=variant, details=VariantInput(price="30")
    )
    # then
    variant.refresh_from_db()
    assert variant.price_cents == 3000
    variant_delete(actor=member_a_owner, variant=variant)
    assert not Variant.objects.exists()


def test_a_live_product_keeps_one_variant(member_a_owner, product, variant):
    # given
    product_status_set(actor=member_a_owner, product=product, status="live")
    # when
    with pytest.raises(ValidationFailed):
        variant_delete(actor=member_a_owner, variant=variant)
    # then
    assert Variant.objects.filter(pk=variant.pk).exists()


def test_bulk_stock_sets_every_row(member_a_owner, member_a, product, variant):
    # given
    other = VariantFactory.create(product=product, sku="MH-1KG", stock=1)
    # when
    stock_bulk_update(
        actor=member_a_owner, member=member_a, changes={"MH-500": 7, "MH-1KG": "0"}
    )
    # then
    variant.refresh_from_db()
    other.refresh_from_db()
    assert (variant.stock, other.stock) == (7, 0)
    assert AuditEntry.objects.filter(verb="variant.stock_set").count() == 2


def test_bulk_stock_is_all_or_nothing(member_a_owner, member_a, product, variant):
    # given
    VariantFactory.create(
        product=product, sku="MTO", stock_policy="made_to_order", lead_time_days=3
    )
    foreign = VariantFactory.create(
        product=ProductFactory.create(member=MemberFactory.create()), sku="THEIRS"
    )
    # when
    with pytest.raises(ValidationFailed) as exc:
        stock_bulk_update(
            actor=member_a_owner,
            member=member_a,
            changes={"MH-500": 9, "NOPE": 1, "MTO": 2, "THEIRS": 3, "X": -1},
        )
    # then: every problem reported, nothing changed
    assert set(exc.value.errors) == {
        "stock.NOPE",
        "stock.MTO",
        "stock.THEIRS",
        "stock.X",
    }
    variant.refresh_from_db()
    foreign.refresh_from_db()
    assert variant.stock == 5
    assert foreign.stock == 10
    assert not AuditEntry.objects.exists()


def test_bad_stock_value_is_reported(member_a_owner, member_a, variant):
    with pytest.raises(ValidationFailed) as exc:
        stock_bulk_update(
            actor=member_a_owner, member=member_a, changes={"MH-500": "lots"}
        )
    assert "stock.MH-500" in exc.value.errors


def test_stock_set_one(member_a_staff, variant):
    stock_set(actor=member_a_staff, variant=variant, stock=2)
    variant.refresh_from_db()
    assert variant.stock == 2


def test_platform_staff_may_not_set_stock(platform_staff, member_a, variant):
    with pytest.raises(NotPermitted):
        stock_bulk_update(actor=platform_staff, member=member_a, changes={"MH-500": 1})
    variant.refresh_from_db()
    assert variant.stock == 5


def test_search_index_is_told_after_commit(
    member_a_owner, product, django_capture_on_commit_callbacks
):
    # given
    before = product.lowest_price_cents
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        variant_create(
            actor=member_a_owner,
            product=product,
            details=VariantInput(sku="S", price="0.01"),
        )
    # then nothing is indexed before the commit, and the product's price facts
    # are after it
    product.refresh_from_db()
    assert product.lowest_price_cents == before
    for callback in callbacks:
        callback()
    product.refresh_from_db()
    assert product.lowest_price_cents == 1
