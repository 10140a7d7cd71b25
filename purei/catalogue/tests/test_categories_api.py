"""``/api/v1/categories``: anyone reads the categories; platform staff add, change
and remove them (issue 11, defect 7)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from purei.accounts.models import User
from purei.catalogue.models import Category
from purei.core.models import AuditEntry

pytestmark = pytest.mark.django_db

API = "/api/v1/categories"
FEIJOAS = {
    "name_en": "Feijoas",
    "name_mi": "Hua feihoa",
    "parent": "fresh-produce",
    "attributes": [
        {"key": "variety", "label": "Variety", "facet": True},
        {"key": "size", "label": "Size", "type": "choice", "choices": ["S", "L"]},
    ],
}


def send(client: Client, method: str, url: str, data: Any) -> Any:
    return client.generic(
        method, url, json.dumps(data), content_type="application/json"
    )


@pytest.fixture
def staff_client(client: Client, staff_user: User) -> Client:
    client.force_login(staff_user)
    return client


def test_anyone_reads_the_categories_and_their_key_attributes(client: Client):
    # when
    listed = client.get(API)
    honey = client.get(f"{API}/honey")
    # then
    assert listed.status_code == 200
    slugs = [category["slug"] for category in listed.json()]
    assert "honey" in slugs
    assert "fresh-produce" in slugs
    assert honey.status_code == 200
    assert honey.json() == {
        "slug": "honey",
        "name_en": "Honey",
        "name_mi": "Mīere",
        "parent": None,
        "restricted_r18": False,
        "position": honey.json()["position"],
        "attributes": [
            {
                "key": "umf",
                "label": "UMF grade",
                "type": "choice",
                "choices": ["UMF 5+", "UMF 10+", "UMF 15+", "UMF 20+", "UMF 24+"],
                "facet": True,
            },
            {
                "key": "mgo",
                "label": "MGO (mg/kg)",
                "type": "int",
                "choices": [],
                "facet": False,
            },
        ],
    }
    assert client.get(f"{API}/no-such").status_code == 404


def test_staff_add_a_category(staff_client: Client):
    # when
    response = send(staff_client, "POST", API, FEIJOAS)
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "feijoas"
    assert body["parent"] == "fresh-produce"
    assert body["attributes"][0] == {
        "key": "variety",
        "label": "Variety",
        "type": "text",
        "choices": [],
        "facet": True,
    }
    assert Category.objects.filter(slug="feijoas").exists()
    assert AuditEntry.objects.filter(verb="category.created").count() == 1


def test_staff_change_only_what_they_send(staff_client: Client):
    # when
    response = send(
        staff_client, "PATCH", f"{API}/honey", {"name_mi": "Te mīere", "position": 30}
    )
    # then
    assert response.status_code == 200, response.json()
    honey = Category.objects.get(slug="honey")
    assert (honey.name_en, honey.name_mi, honey.position) == ("Honey", "Te mīere", 30)
    assert [spec["key"] for spec in honey.attributes] == ["umf", "mgo"]
    entry = AuditEntry.objects.get(verb="category.updated")
    assert entry.after == {"name_mi": "Te mīere", "position": 30}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name_en": "Wine"}, "name_en"),
        ({"parent": "honey"}, "parent"),  # honey under itself
        ({"attributes": [{"key": "UMF", "label": "UMF"}]}, "attributes.0.key"),
        ({"position": 99999999999999999999}, "position"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_refusals_name_the_field_and_change_nothing(
    staff_client: Client, payload: dict[str, Any], field: str
):
    # when
    response = send(staff_client, "PATCH", f"{API}/honey", payload)
    # then
    assert response.status_code == 422
    assert response.json()["field"] == field
    honey = Category.objects.get(slug="honey")
    assert (honey.name_en, honey.parent_id) == ("Honey", None)
    assert not AuditEntry.objects.exists()


def test_staff_remove_an_unused_category_but_not_one_in_use(staff_client: Client):
    # given
    send(staff_client, "POST", API, {"name_en": "Mead"})
    send(staff_client, "POST", API, {"name_en": "Dry mead", "parent": "mead"})
    # when
    in_use = staff_client.delete(f"{API}/mead")
    removed = staff_client.delete(f"{API}/dry-mead")
    # then
    assert in_use.status_code == 409
    assert in_use.json()["code"] == "category_in_use"
    assert removed.status_code == 204
    assert list(
        Category.objects.filter(slug__in=["mead", "dry-mead"]).values_list(
            "slug", flat=True
        )
    ) == ["mead"]


@pytest.mark.parametrize(
    ("user", "status"),
    [(None, 401), ("customer_user", 403), ("cluster_x_admin_user", 403)],
)
def test_only_staff_write(
    client: Client, request: pytest.FixtureRequest, user: str | None, status: int
):
    # given
    if user:
        client.force_login(request.getfixturevalue(user))
    count = Category.objects.count()
    # when
    created = send(client, "POST", API, FEIJOAS)
    changed = send(client, "PATCH", f"{API}/honey", {"name_en": "Mead"})
    removed = client.delete(f"{API}/other")
    # then
    assert [created.status_code, changed.status_code, removed.status_code] == [
        status
    ] * 3
    assert Category.objects.count() == count
    assert Category.objects.get(slug="honey").name_en == "Honey"
