"""Categories managed by platform staff (issue 11, defect 7): create, change and
remove, each checked, audited, and seen at once by cached shop and search pages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from purei.catalogue.errors import CategoryInUse
from purei.catalogue.models import Category
from purei.catalogue.search import search_products
from purei.catalogue.services import (
    CategoryAttribute,
    CategoryDetails,
    category_create,
    category_delete,
    category_details_of,
    category_update,
)
from purei.catalogue.tests.factories import ProductFactory
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.search.cache import catalogue_version
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

FEIJOA = CategoryDetails(
    name_en="Feijoas",
    name_mi="Hua feihoa",
    parent="fresh-produce",
    attributes=(
        CategoryAttribute(key="variety", label="Variety", facet=True),
        CategoryAttribute(
            key="size", label="Size", type="choice", choices=("Small", "Large")
        ),
        CategoryAttribute(key="brix", label="Sugar (°Brix)", type="decimal"),
    ),
)


def errors_of(raised: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return raised.value.errors


# --- Creating --------------------------------------------------------------------


def test_staff_add_a_category_with_its_key_attributes_and_it_is_audited(
    platform_staff: Actor, django_capture_on_commit_callbacks
):
    # given
    version = catalogue_version()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        category = category_create(actor=platform_staff, details=FEIJOA)
    # then
    category.refresh_from_db()
    assert category.slug == "feijoas"
    assert category.name_mi == "Hua feihoa"
    assert category.parent is not None
    assert category.parent.slug == "fresh-produce"
    assert category.attributes == [
        {"key": "variety", "label": "Variety", "type": "text", "facet": True},
        {
            "key": "size",
            "label": "Size",
            "type": "choice",
            "choices": ["Small", "Large"],
        },
        {"key": "brix", "label": "Sugar (°Brix)", "type": "decimal"},
    ]
    entry = AuditEntry.objects.get(verb="category.created")
    assert entry.actor == platform_staff.user
    assert entry.target_id == str(category.pk)
    assert entry.after["name_en"] == "Feijoas"
    assert catalogue_version() > version


@pytest.mark.parametrize(
    "who", ["anonymous", "customer", "member_a_owner", "cluster_x_admin"]
)
def test_only_platform_staff_add_categories(request: pytest.FixtureRequest, who: str):
    # given
    actor = request.getfixturevalue(who)
    count = Category.objects.count()
    # when
    with pytest.raises(NotPermitted):
        category_create(actor=actor, details=FEIJOA)
    # then
    assert Category.objects.count() == count
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (CategoryDetails(name_en=""), "name_en"),
        (CategoryDetails(name_en="Honey"), "name_en"),  # taken, as a name
        (CategoryDetails(name_en="HONEY"), "name_en"),  # in any case
        (CategoryDetails(name_en="Beer cider"), "name_en"),  # as a web name
        (CategoryDetails(name_en="Mead", slug="honey"), "slug"),
        (CategoryDetails(name_en="Mead", slug="Mead Wine"), "slug"),
        (CategoryDetails(name_en="Mead", name_mi="mīere"), "name_mi"),
        (CategoryDetails(name_en="Mead", parent="no-such"), "parent"),
        (CategoryDetails(name_en="x" * 81), "name_en"),
        (CategoryDetails(name_en="Mead", position=-1), "position"),
    ],
)
def test_names_slugs_and_parents_are_checked(
    platform_staff: Actor, details: CategoryDetails, field: str
):
    # given
    count = Category.objects.count()
    # when
    with pytest.raises(ValidationFailed) as raised:
        category_create(actor=platform_staff, details=details)
    # then
    assert field in errors_of(raised)
    assert Category.objects.count() == count
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("attribute", "field"),
    [
        (CategoryAttribute(key="Vintage", label="Vintage"), "attributes.0.key"),
        (CategoryAttribute(key="2020", label="Year"), "attributes.0.key"),
        (CategoryAttribute(key="a-b", label="A B"), "attributes.0.key"),
        (CategoryAttribute(key="x" * 33, label="Long"), "attributes.0.key"),
        (CategoryAttribute(key="colour", label=""), "attributes.0.label"),
        (CategoryAttribute(key="colour", label="C", type="date"), "attributes.0.type"),
        (
            CategoryAttribute(key="colour", label="Colour", type="choice"),
            "attributes.0.choices",
        ),
        (
            CategoryAttribute(
                key="colour", label="Colour", type="choice", choices=("Red", "Red")
            ),
            "attributes.0.choices",
        ),
        (
            CategoryAttribute(key="colour", label="Colour", choices=("Red",)),
            "attributes.0.choices",
        ),
    ],
)
def test_attributes_are_checked_with_the_key_pattern_search_uses(
    platform_staff: Actor, attribute: CategoryAttribute, field: str
):
    # when
    with pytest.raises(ValidationFailed) as raised:
        category_create(
            actor=platform_staff,
            details=CategoryDetails(name_en="Mead", attributes=(attribute,)),
        )
    # then
    assert field in errors_of(raised)
    assert not Category.objects.filter(name_en="Mead").exists()


def test_an_attribute_key_is_given_once(platform_staff: Actor):
    # when
    with pytest.raises(ValidationFailed) as raised:
        category_create(
            actor=platform_staff,
            details=CategoryDetails(
                name_en="Mead",
                attributes=(
                    CategoryAttribute(key="style", label="Style"),
                    CategoryAttribute(key="style", label="Style again"),
                ),
            ),
        )
    # then
    assert list(errors_of(raised)) == ["attributes.1.key"]


# --- Changing --------------------------------------------------------------------


def test_a_category_cannot_sit_under_itself_or_its_own_children(
    platform_staff: Actor,
):
    # given: fruit > feijoas > pineapple-guava
    fruit = category_create(actor=platform_staff, details=CategoryDetails("Fruit"))
    feijoas = category_create(
        actor=platform_staff, details=CategoryDetails("Feijoas", parent="fruit")
    )
    category_create(
        actor=platform_staff,
        details=CategoryDetails("Pineapple guava", parent="feijoas"),
    )
    AuditEntry.objects.all().delete()
    # when / then
    details = category_details_of(fruit)
    for parent in ("fruit", "pineapple-guava"):
        with pytest.raises(ValidationFailed) as raised:
            category_update(
                actor=platform_staff,
                category=fruit,
                details=replace(details, parent=parent),
            )
        assert "parent" in errors_of(raised)
    fruit.refresh_from_db()
    assert fruit.parent is None
    assert not AuditEntry.objects.exists()
    # a sideways move is fine
    moved = category_update(
        actor=platform_staff,
        category=feijoas,
        details=replace(category_details_of(feijoas), parent="fresh-produce"),
    )
    assert moved.parent is not None
    assert moved.parent.slug == "fresh-produce"


def test_changing_the_key_attributes_refreshes_cached_facets(
    platform_staff: Actor, django_capture_on_commit_callbacks, settings
):
    # given: a cached search whose facets know honey's key attributes
    settings.SEARCH_CACHE_SECONDS = 300
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    honey = Category.objects.get(slug="honey")
    public_product(category=honey, attributes={"umf": "UMF 10+", "source": "Bush"})
    before = search_products(query="")
    assert [facet.key for facet in before.facets.attributes] == ["umf"]
    details = category_details_of(honey)
    # when: the floral source becomes a key attribute with a facet
    with django_capture_on_commit_callbacks(execute=True):
        category_update(
            actor=platform_staff,
            category=honey,
            details=replace(
                details,
                attributes=(
                    *details.attributes,
                    CategoryAttribute(key="source", label="Source", facet=True),
                ),
            ),
        )
    # then
    after = search_products(query="")
    assert [facet.key for facet in after.facets.attributes] == ["umf", "source"]
    entry = AuditEntry.objects.get(verb="category.updated")
    assert list(entry.after) == ["attributes"]


def test_a_new_name_labels_the_category_facet_and_is_not_searched_as_text(
    platform_staff: Actor, django_capture_on_commit_callbacks
):
    # given
    honey = Category.objects.get(slug="honey")
    public_product(category=honey, title_en="Jar of gold")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        category_update(
            actor=platform_staff,
            category=honey,
            details=replace(category_details_of(honey), name_en="Honey nectar"),
        )
    # then: the category is a facet (issue 13), its name no product's text
    results = search_products(query="gold")
    assert [(f.value, f.label) for f in results.facets.category] == [
        ("honey", "Honey nectar")
    ]
    assert search_products(query="nectar").total == 0


def test_an_unchanged_category_records_nothing(platform_staff: Actor):
    # given
    honey = Category.objects.get(slug="honey")
    # when
    category_update(
        actor=platform_staff, category=honey, details=category_details_of(honey)
    )
    # then
    assert not AuditEntry.objects.exists()


def test_only_platform_staff_change_categories(cluster_x_admin: Actor):
    # given
    honey = Category.objects.get(slug="honey")
    # when
    with pytest.raises(NotPermitted):
        category_update(
            actor=cluster_x_admin,
            category=honey,
            details=replace(category_details_of(honey), name_en="Mead"),
        )
    # then
    honey.refresh_from_db()
    assert honey.name_en == "Honey"


# --- Removing --------------------------------------------------------------------


def test_an_unused_category_is_removed_and_audited(platform_staff: Actor):
    # given
    mead = category_create(actor=platform_staff, details=CategoryDetails("Mead"))
    # when
    category_delete(actor=platform_staff, category=mead)
    # then
    assert not Category.objects.filter(slug="mead").exists()
    entry = AuditEntry.objects.get(verb="category.deleted")
    assert entry.before["name_en"] == "Mead"


def test_a_category_in_use_stays(platform_staff: Actor):
    # given
    honey = Category.objects.get(slug="honey")
    ProductFactory.create(category=honey)
    fruit = category_create(actor=platform_staff, details=CategoryDetails("Fruit"))
    category_create(
        actor=platform_staff, details=CategoryDetails("Feijoas", parent="fruit")
    )
    # when / then
    for category in (honey, fruit):
        with pytest.raises(CategoryInUse):
            category_delete(actor=platform_staff, category=category)
    assert Category.objects.filter(slug__in=["honey", "fruit"]).count() == 2
    assert not AuditEntry.objects.filter(verb="category.deleted").exists()
