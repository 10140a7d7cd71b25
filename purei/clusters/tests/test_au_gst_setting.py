"""A cluster's Australian GST registration (domain-nz.md §2): an ABN or ARN and
the date, on the money screen and its API; its admins set it, platform staff only
see it, nobody else reaches it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from purei.clusters.au_gst import au_gst_number_normalise, au_gst_registered
from purei.clusters.brand import BrandChanges, cluster_brand_update
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.core.validators import FormatError

pytestmark = pytest.mark.django_db

ABN = "51 824 753 556"
ARN = "1234 5678 9012"
URL = "/manage/clusters/cluster-x/money/"


def _post(**overrides: str) -> dict[str, str]:
    data = {"selling_model": "agent", "commission_rate": "0"}
    data.update(overrides)
    return data


def _patch(client: Client, data: object):
    return client.patch(
        "/api/v1/clusters/cluster-x/brand",
        json.dumps(data),
        content_type="application/json",
    )


# --- The rule ---------------------------------------------------------------------


def test_an_abn_or_an_arn_is_accepted_as_its_digits():
    assert au_gst_number_normalise(ABN) == "51824753556"
    assert au_gst_number_normalise(ARN) == "123456789012"
    for wrong in ("51 824 753 557", "1234", "12345678901x", "1234567890123"):
        with pytest.raises(FormatError):
            au_gst_number_normalise(wrong)


# --- The service ------------------------------------------------------------------


def test_admin_records_the_registration_and_it_is_audited(cluster_x_admin, cluster_x):
    # when
    cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(
            au_gst_number=ARN, au_gst_registered_on=dt.date(2026, 7, 1)
        ),
    )
    # then
    cluster_x.refresh_from_db()
    assert cluster_x.au_gst_number == "123456789012"
    assert cluster_x.au_gst_registered_on == dt.date(2026, 7, 1)
    assert au_gst_registered(cluster_x, dt.date(2026, 7, 1))
    assert not au_gst_registered(cluster_x, dt.date(2026, 6, 30))
    entry = AuditEntry.objects.get(verb="cluster.money_updated")
    assert entry.after["au_gst_number"] == "123456789012"
    assert entry.after["au_gst_registered_on"] == "2026-07-01"


def test_clearing_the_number_clears_the_date(cluster_x_admin, cluster_x):
    # given
    cluster_x.au_gst_number = "51824753556"
    cluster_x.au_gst_registered_on = dt.date(2026, 7, 1)
    cluster_x.save()
    # when
    cluster_brand_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(au_gst_number="")
    )
    # then
    cluster_x.refresh_from_db()
    assert (cluster_x.au_gst_number, cluster_x.au_gst_registered_on) == ("", None)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"au_gst_number": "51 824 753 557"}, "au_gst_number"),  # check digits
        ({"au_gst_number": "12345"}, "au_gst_number"),
        ({"au_gst_number": ABN}, "au_gst_registered_on"),  # no date
        (
            {"au_gst_number": ABN, "au_gst_registered_on": "1 July"},
            "au_gst_registered_on",
        ),
    ],
)
def test_refuses_a_wrong_registration_and_changes_nothing(
    cluster_x_admin, cluster_x, changes, field
):
    # when
    with pytest.raises(ValidationFailed) as raised:
        cluster_brand_update(
            actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(**changes)
        )
    # then
    assert field in raised.value.errors
    cluster_x.refresh_from_db()
    assert cluster_x.au_gst_number == ""
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "actor_name", ["platform_staff", "cluster_y_admin", "member_a_owner"]
)
def test_only_the_clusters_admins_record_it(request, cluster_x, actor_name):
    # when
    with pytest.raises(NotPermitted):
        cluster_brand_update(
            actor=request.getfixturevalue(actor_name),
            cluster=cluster_x,
            changes=BrandChanges(
                au_gst_number=ABN, au_gst_registered_on=dt.date(2026, 7, 1)
            ),
        )
    # then
    cluster_x.refresh_from_db()
    assert cluster_x.au_gst_number == ""
    assert not AuditEntry.objects.exists()


# --- The money screen -------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_name", "shown", "saved"),
    [
        ("cluster_x_admin_user", 200, True),
        ("staff_user", 200, False),  # sees it; may not change it
        ("cluster_y_admin_user", 404, False),
        ("member_a_owner_user", 404, False),
        ("customer_user", 404, False),
    ],
)
def test_the_money_screen_sets_it_for_the_clusters_admins_only(
    client: Client, request, member_a, cluster_x, user_name, shown, saved
):
    # given
    client.force_login(request.getfixturevalue(user_name))
    # when
    page = client.get(URL)
    posted = client.post(
        URL, _post(au_gst_number=ABN, au_gst_registered_on="2026-07-01")
    )
    # then
    assert page.status_code == shown
    if shown == 200:
        assert 'name="au_gst_number"' in page.content.decode()
    assert posted.status_code == (302 if saved else 403 if shown == 200 else 404)
    cluster_x.refresh_from_db()
    assert (cluster_x.au_gst_number == "51824753556") is saved


def test_the_screen_shows_the_number_as_people_write_it(
    client: Client, cluster_x_admin_user, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    client.post(
        URL, _post(au_gst_number="51824753556", au_gst_registered_on="2026-07-01")
    )
    # when
    body = client.get(URL).content.decode()
    # then
    assert 'value="51 824 753 556"' in body
    assert 'value="2026-07-01"' in body


def test_a_wrong_abn_is_explained_on_its_field(
    client: Client, cluster_x_admin_user, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = client.post(
        URL, _post(au_gst_number="51 824 753 557", au_gst_registered_on="2026-07-01")
    )
    # then
    assert response.status_code == 400
    assert "check digits do not match" in response.content.decode()


def test_platform_staff_still_save_the_other_money_settings(
    client: Client, staff_user, cluster_x
):
    # given
    client.force_login(staff_user)
    # when nothing about Australian GST changes
    response = client.post(URL, _post(commission_rate="5"))
    # then
    assert response.status_code == 302


# --- The API ----------------------------------------------------------------------


def test_api_sets_the_registration(client: Client, cluster_x_admin_user, cluster_x):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = _patch(
        client, {"au_gst_number": ARN, "au_gst_registered_on": "2026-07-01"}
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["au_gst_number"] == "123456789012"
    assert body["au_gst_registered_on"] == "2026-07-01"


@pytest.mark.parametrize(
    ("user_name", "status"),
    [("staff_user", 403), ("cluster_y_admin_user", 404), ("member_a_owner_user", 404)],
)
def test_api_refuses_everyone_but_the_clusters_admins(
    client: Client, request, member_a, cluster_x, user_name, status
):
    # given
    client.force_login(request.getfixturevalue(user_name))
    # when
    response = _patch(
        client, {"au_gst_number": ABN, "au_gst_registered_on": "2026-07-01"}
    )
    # then
    assert response.status_code == status
    cluster_x.refresh_from_db()
    assert cluster_x.au_gst_number == ""


def test_api_names_the_field_of_a_wrong_number(
    client: Client, cluster_x_admin_user, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = _patch(client, {"au_gst_number": "12345", "au_gst_registered_on": None})
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "au_gst_number"
