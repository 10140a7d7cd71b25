"""Platform staff's category screens under /staff/categories/ (issue 11, defect 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from purei.accounts.models import User
from purei.catalogue.models import Category
from purei.catalogue.tests.factories import ProductFactory
from purei.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LIST = "/staff/categories/"
NEW = "/staff/categories/new/"


@pytest.fixture
def staff_client(client: Client, staff_user: User) -> Client:
    client.force_login(staff_user)
    return client


def rows(*attributes: dict[str, Any], initial: int = 0) -> dict[str, Any]:
    """The attribute formset's POST data (two empty rows after the given ones)."""
    data: dict[str, Any] = {
        "attributes-TOTAL_FORMS": str(len(attributes) + 2),
        "attributes-INITIAL_FORMS": str(initial),
        "attributes-MIN_NUM_FORMS": "0",
        "attributes-MAX_NUM_FORMS": "20",
    }
    for index, attribute in enumerate(attributes):
        data.update(
            {f"attributes-{index}-{name}": value for name, value in attribute.items()}
        )
    for index in range(len(attributes), len(attributes) + 2):
        data[f"attributes-{index}-type"] = "text"
    return data


FEIJOA_ROWS = rows(
    {"key": "variety", "label": "Variety", "type": "text", "facet": "on"},
    {"key": "size", "label": "Size", "type": "choice", "choices": "Small\r\nLarge\r\n"},
)


def category_post(
    attributes: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_en": "Feijoas",
        "name_mi": "Hua feihoa",
        "slug": "",
        "parent": "fresh-produce",
        "position": "20",
        **(FEIJOA_ROWS if attributes is None else attributes),
    }
    data.update(fields)
    return data


def test_the_list_shows_each_category_with_its_key_attributes(staff_client: Client):
    # given
    ProductFactory.create(category=Category.objects.get(slug="honey"))
    # when
    response = staff_client.get(LIST)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Product categories" in body
    assert '<a href="/staff/categories/honey/">Honey</a>' in body
    assert 'UMF grade <span class="tag">filter</span>' in body
    assert f'href="{NEW}"' in body


def test_staff_find_the_screen_from_what_they_manage(staff_client: Client):
    assert f'href="{LIST}"' in staff_client.get("/manage/").content.decode()


def test_staff_add_a_category_with_key_attributes(staff_client: Client):
    # when
    response = staff_client.post(NEW, category_post())
    # then
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == LIST
    feijoas = Category.objects.get(slug="feijoas")
    assert feijoas.parent is not None
    assert feijoas.parent.slug == "fresh-produce"
    assert feijoas.position == 20
    assert feijoas.attributes == [
        {"key": "variety", "label": "Variety", "type": "text", "facet": True},
        {
            "key": "size",
            "label": "Size",
            "type": "choice",
            "choices": ["Small", "Large"],
        },
    ]
    assert "Feijoas is added." in staff_client.get(LIST).content.decode()
    assert AuditEntry.objects.filter(verb="category.created").count() == 1


def test_refusals_land_on_their_fields_and_rows(staff_client: Client):
    # when
    response = staff_client.post(
        NEW,
        category_post(
            rows({"key": "Bad Key", "label": "Bad", "type": "text"}), name_en="Honey"
        ),
    )
    # then
    body = response.content.decode()
    assert response.status_code == 400
    assert "The category “Honey” has this name already." in body
    assert "Start the key with a lower-case letter" in body
    assert 'value="Bad Key"' in body  # what was typed stays
    assert not Category.objects.filter(slug="feijoas").exists()


def test_staff_change_a_category_and_drop_an_attribute(staff_client: Client):
    # given
    url = "/staff/categories/honey/"
    form = staff_client.get(url).content.decode()
    assert 'value="umf"' in form
    assert "UMF 10+\nUMF 15+" in form
    # when: keep UMF, remove MGO, add the floral source as a filter
    response = staff_client.post(
        url,
        {
            "action": "save",
            "name_en": "Honey",
            "name_mi": "Mīere",
            "slug": "honey",
            "parent": "",
            "position": "3",
            **rows(
                {
                    "key": "umf",
                    "label": "UMF grade",
                    "type": "choice",
                    "choices": "UMF 5+\nUMF 10+",
                    "facet": "on",
                },
                {"key": "mgo", "label": "MGO", "type": "int", "DELETE": "on"},
                {
                    "key": "source",
                    "label": "Floral source",
                    "type": "text",
                    "facet": "on",
                },
                initial=2,
            ),
        },
    )
    # then
    assert response.status_code == 302, response.content.decode()[:3000]
    honey = Category.objects.get(slug="honey")
    assert [spec["key"] for spec in honey.attributes] == ["umf", "source"]
    assert honey.attributes[0]["choices"] == ["UMF 5+", "UMF 10+"]


def test_staff_remove_only_an_unused_category(staff_client: Client):
    # given
    staff_client.post(NEW, category_post(rows(), name_en="Mead", parent=""))
    ProductFactory.create(category=Category.objects.get(slug="honey"))
    # when
    in_use = staff_client.post("/staff/categories/honey/", {"action": "delete"})
    removed = staff_client.post("/staff/categories/mead/", {"action": "delete"})
    # then
    assert in_use.status_code == 302
    assert (
        "still has 1 products" in staff_client.get(in_use["Location"]).content.decode()
    )
    assert removed.status_code == 302
    assert Category.objects.filter(slug="honey").exists()
    assert not Category.objects.filter(slug="mead").exists()


@pytest.mark.parametrize("user", ["customer_user", "cluster_x_admin_user"])
def test_only_platform_staff_get_in(
    client: Client, request: pytest.FixtureRequest, user: str
):
    # given
    client.force_login(request.getfixturevalue(user))
    # when
    statuses = [
        client.get(LIST).status_code,
        client.get(NEW).status_code,
        client.post(NEW, category_post()).status_code,
        client.post("/staff/categories/honey/", {"action": "delete"}).status_code,
    ]
    # then
    assert statuses == [403] * 4
    assert not Category.objects.filter(slug="feijoas").exists()
    assert Category.objects.filter(slug="honey").exists()


def test_anonymous_is_sent_to_log_in(client: Client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_costs_the_same_queries_for_forty_more_categories(
    staff_client: Client, django_assert_num_queries: Any
):
    # given: forty more categories, each under a parent, each with a product
    parent = Category.objects.get(slug="other")
    for n in range(40):
        category = Category.objects.create(
            slug=f"extra-{n}", name_en=f"Extra {n}", parent=parent
        )
        ProductFactory.create(category=category)
    # when / then: session, user, the categories with their parents and counts
    with django_assert_num_queries(3):
        response = staff_client.get(LIST)
    assert response.status_code == 200
    assert "Extra 39" in response.content.decode()
