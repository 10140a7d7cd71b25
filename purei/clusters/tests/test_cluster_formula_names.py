"""A cluster's names (and its lead organisation's) refuse a leading formula
character (=, +, -, @): code ``formula_start`` (docs/spreadsheets.md "Formulas in
cells")."""

import json
from typing import Any

import pytest
from django.test import Client

from purei.clusters.brand import BrandChanges, cluster_brand_update
from purei.clusters.models import Cluster, ClusterApplication
from purei.clusters.services import application_submit, cluster_create
from purei.clusters.tests.factories import application_input
from purei.core.errors import ValidationFailed
from purei.core.models import AuditEntry

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/","Kai")'


@pytest.mark.parametrize(
    "field", ["lead_org_name", "proposed_name_en", "proposed_name_mi"]
)
def test_an_application_refuses_names_starting_like_a_formula(anonymous, field):
    # when
    with pytest.raises(ValidationFailed) as caught:
        application_submit(
            actor=anonymous, details=application_input(**{field: FORMULA})
        )
    # then
    assert (caught.value.code, caught.value.field) == ("formula_start", field)
    assert not ClusterApplication.objects.exists()


@pytest.mark.parametrize("field", ["name_en", "name_mi", "lead_org_name"])
def test_staff_cannot_create_a_cluster_named_like_a_formula(platform_staff, field):
    fields = {
        "name_en": "Aotearoa Craft Beer",
        "type": "virtual",
        "lead_org_kind": "industry_body",
        "lead_org_name": "Brewers Guild",
        "specialisation": "Craft beer",
    }
    # when
    with pytest.raises(ValidationFailed) as caught:
        cluster_create(actor=platform_staff, **{**fields, field: "+Beer"})
    # then
    assert (caught.value.code, caught.value.field) == ("formula_start", field)
    assert not Cluster.objects.filter(specialisation="Craft beer").exists()


@pytest.mark.parametrize("field", ["name_en", "name_mi"])
def test_the_brand_refuses_a_name_starting_like_a_formula(
    cluster_x_admin, cluster_x, field
):
    # given
    name: dict[str, Any] = {field: "@Wine"}
    # when
    with pytest.raises(ValidationFailed) as caught:
        cluster_brand_update(
            actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(**name)
        )
    # then
    assert (caught.value.code, caught.value.field) == ("formula_start", field)
    cluster_x.refresh_from_db()
    assert not getattr(cluster_x, field).startswith("@")
    assert not AuditEntry.objects.exists()


def test_the_brand_api_answers_422_with_the_code(cluster_x_admin_user, cluster_x):
    client = Client()
    client.force_login(cluster_x_admin_user)
    # when
    response = client.patch(
        "/api/v1/clusters/cluster-x/brand",
        data=json.dumps({"name_en": "-Wine"}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == (
        "formula_start",
        "name_en",
    )


def test_the_cluster_admin_refuses_a_name_starting_like_a_formula(
    staff_user, cluster_x
):
    from purei.clusters.admin import ClusterAdminForm

    # when
    form = ClusterAdminForm(instance=cluster_x, data={"name_en": "=1+1"})
    # then
    assert not form.is_valid()
    assert form.errors.as_data()["name_en"][0].code == "formula_start"


def test_the_brand_screen_shows_the_refusal_on_the_field(
    cluster_x_admin_user, cluster_x
):
    from purei.clusters.tests.test_manage_views import brand_post

    client = Client()
    client.force_login(cluster_x_admin_user)
    # when
    response = client.post(
        "/manage/clusters/cluster-x/brand/", brand_post(name_en="@Cluster X")
    )
    # then
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_name_en_error"' in body
    assert "spreadsheet programs run text" in body
    cluster_x.refresh_from_db()
    assert cluster_x.name_en == "Cluster X Wine"
