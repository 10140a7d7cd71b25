import datetime

import pytest
from django.utils import timezone

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.models import Category, Product, Tag
from purei.catalogue.services import (
    ProductInput,
    product_create,
    product_delete,
    product_status_set,
    product_update,
)
from purei.catalogue.tests.factories import ProductFactory, VariantFactory
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.models import Credential
from purei.members.tests.factories import CredentialFactory, MemberFactory


def _wine(**more):
    return {
        "title_en": "Wairau Sauvignon Blanc 2024",
        "category": "wine",
        "attributes": {"vintage": "2024", "varietal": "Sauvignon Blanc"},
        **more,
    }


def test_categories_are_loaded_with_schemas_and_r18(db):
    # then
    wine = Category.objects.get(slug="wine")
    assert wine.restricted_r18 is True
    assert {a["key"] for a in wine.attributes} >= {"vintage", "varietal"}
    honey = Category.objects.get(slug="honey")
    assert honey.restricted_r18 is False
    assert {a["key"] for a in honey.attributes} == {"umf", "mgo"}
    assert Category.objects.filter(name_en__contains="kūmara").exists()


@pytest.mark.parametrize("who", ["member_a_owner", "member_a_staff"])
def test_team_creates_a_draft_product(request, who, member_a):
    # given
    actor = request.getfixturevalue(who)
    # when
    product = product_create(
        actor=actor,
        member=member_a,
        details=ProductInput(**_wine(tags="Marlborough, gift, gift")),
    )
    # then
    assert product.status == Product.Status.DRAFT
    assert product.slug == "wairau-sauvignon-blanc-2024"
    assert product.attributes == {"vintage": 2024, "varietal": "Sauvignon Blanc"}
    assert product.is_restricted is True
    assert sorted(t.slug for t in product.tags.all()) == ["gift", "marlborough"]
    entry = AuditEntry.objects.get(verb="product.created")
    assert entry.member_id == member_a.pk


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ({"vintage": "last year"}, "attributes.vintage"),
        ({"varietal": "Lemonade"}, "attributes.varietal"),
        ({"umf": "UMF 10+"}, "attributes.umf"),
    ],
)
def test_attributes_are_checked_against_the_category(
    member_a_owner, member_a, attributes, field
):
    # when
    with pytest.raises(ValidationFailed) as exc:
        product_create(
            actor=member_a_owner,
            member=member_a,
            details=ProductInput(**_wine(attributes=attributes)),
        )
    # then
    assert exc.value.code == CatalogueErrorCode.INVALID_PRODUCT
    assert field in exc.value.errors
    assert not Product.objects.exists()
    assert not AuditEntry.objects.exists()


def test_decimal_attributes_are_kept_as_exact_text(member_a_owner, member_a):
    product = product_create(
        actor=member_a_owner,
        member=member_a,
        details=ProductInput(
            title_en="Hop Pale Ale",
            category="beer-cider",
            attributes={"abv": "5.40", "style": "Pale ale"},
        ),
    )
    assert product.attributes == {"abv": "5.40", "style": "Pale ale"}


@pytest.mark.parametrize("who", ["platform_staff", "customer", "cluster_x_admin"])
def test_only_the_team_creates_products(request, who, member_a):
    # when
    with pytest.raises(NotPermitted):
        product_create(
            actor=request.getfixturevalue(who),
            member=member_a,
            details=ProductInput(**_wine()),
        )
    # then
    assert not Product.objects.exists()
    assert not Tag.objects.exists()


def test_slug_is_unique_per_member(member_a_owner, member_a):
    # given
    ProductFactory.create(member=member_a, slug="wairau-sauvignon-blanc-2024")
    ProductFactory.create(member=MemberFactory.create(), slug="taken-elsewhere")
    # when
    with pytest.raises(ValidationFailed) as exc:
        product_create(
            actor=member_a_owner, member=member_a, details=ProductInput(**_wine())
        )
    # then
    assert "slug" in exc.value.errors
    # another member's slug is free to use
    product = product_create(
        actor=member_a_owner,
        member=member_a,
        details=ProductInput(**_wine(slug="taken-elsewhere")),
    )
    assert product.slug == "taken-elsewhere"


def test_credentials_only_from_the_members_own(member_a_owner, member_a):
    # given
    own = CredentialFactory.create(member=member_a)
    other = CredentialFactory.create()
    # when
    with pytest.raises(ValidationFailed) as exc:
        product_create(
            actor=member_a_owner,
            member=member_a,
            details=ProductInput(**_wine(credentials=[own.pk, other.pk])),
        )
    # then
    assert "credentials" in exc.value.errors
    assert not Product.objects.exists()


def test_a_lapsed_credential_may_be_linked_but_stops_showing_verified(
    member_a_owner, member_a
):
    # given
    lapsed = CredentialFactory.create(
        member=member_a,
        verification=Credential.Verification.VERIFIED,
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    # when
    product = product_create(
        actor=member_a_owner,
        member=member_a,
        details=ProductInput(**_wine(credentials=[lapsed.pk])),
    )
    # then
    linked = product.credentials.get()
    assert linked == lapsed
    assert linked.is_verified is False


def test_update_changes_only_what_is_sent(member_a_owner, product):
    # given
    product.maker = "Hine"
    product.save()
    # when
    updated = product_update(
        actor=member_a_owner,
        product=product,
        details=ProductInput(attributes={"mgo": "263"}, tags="raw"),
    )
    # then
    assert updated.maker == "Hine"
    assert updated.attributes == {"mgo": 263}
    assert [t.slug for t in updated.tags.all()] == ["raw"]
    entry = AuditEntry.objects.get(verb="product.updated")
    assert entry.after == {"attributes": {"mgo": 263}}


def test_refused_update_leaves_the_product_as_it_was(member_a_owner, product):
    # when
    with pytest.raises(ValidationFailed):
        product_update(
            actor=member_a_owner,
            product=product,
            details=ProductInput(title_en="New title", attributes={"mgo": "lots"}),
        )
    # then
    product.refresh_from_db()
    assert product.title_en == "Mānuka"
    assert not AuditEntry.objects.exists()


def test_platform_staff_may_not_change_products(platform_staff, product):
    with pytest.raises(NotPermitted):
        product_update(
            actor=platform_staff, product=product, details=ProductInput(maker="X")
        )
    product.refresh_from_db()
    assert product.maker == ""


def test_status_moves(member_a_owner, product):
    # given
    VariantFactory.create(product=product)
    # when / then
    product = product_status_set(actor=member_a_owner, product=product, status="live")
    assert product.status == "live"
    product = product_status_set(
        actor=member_a_owner, product=product, status="archived"
    )
    assert product.status == "archived"
    with pytest.raises(DomainError) as exc:
        product_status_set(actor=member_a_owner, product=product, status="live")
    assert exc.value.code == CatalogueErrorCode.STATUS_MOVE
    product = product_status_set(actor=member_a_owner, product=product, status="draft")
    assert product.status == "draft"


def test_a_product_needs_a_variant_to_go_live(member_a_owner, product):
    with pytest.raises(ValidationFailed) as exc:
        product_status_set(actor=member_a_owner, product=product, status="live")
    assert "status" in exc.value.errors
    product.refresh_from_db()
    assert product.status == "draft"


def test_only_drafts_are_deleted(member_a_owner, product):
    # given
    live = ProductFactory.create(member=product.member, status="live")
    # when
    product_delete(actor=member_a_owner, product=product)
    with pytest.raises(DomainError):
        product_delete(actor=member_a_owner, product=live)
    # then
    assert list(Product.objects.all()) == [live]
