import json

import pytest
from django.core import mail
from django.test import Client

from purei.accounts.models import Invitation
from purei.clusters.models import Cluster, ClusterApplication
from purei.clusters.services import application_approve
from purei.clusters.tests.factories import (
    ClusterApplicationFactory,
    ClusterFactory,
    application_data,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/applications"


def post_json(client: Client, url: str, data: object):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def staff_client(client: Client, staff_user) -> Client:
    client.force_login(staff_user)
    return client


@pytest.fixture
def customer_client(client: Client, customer_user) -> Client:
    client.force_login(customer_user)
    return client


# --- submitting -------------------------------------------------------------------


def test_anyone_can_submit_and_gets_201_with_id_and_status(client: Client):
    # when
    response = post_json(client, BASE, application_data())
    # then
    assert response.status_code == 201
    body = response.json()
    application = ClusterApplication.objects.get()
    assert body == {"id": application.pk, "status": "pending"}
    assert [r.code for r in application.regions.all()] == ["NZ-WKO"]
    assert application.finder_answers == {
        "shared_place": True,
        "shared_specialisation": False,
    }


@pytest.mark.parametrize(
    ("cluster_type", "regions", "specialisation", "field"),
    [
        ("traditional", [], "Oysters", "regions"),
        ("traditional", ["NZ-NTL"], "", "specialisation"),
        ("local", [], "", "regions"),
        ("virtual", [], "", "specialisation"),
    ],
)
def test_type_rule_violations_are_422_naming_the_field(
    client: Client, cluster_type, regions, specialisation, field
):
    # when
    response = post_json(
        client,
        BASE,
        application_data(
            cluster_type=cluster_type, regions=regions, specialisation=specialisation
        ),
    )
    # then
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == field
    assert body["code"] == "invalid_application"
    assert field in body["errors"]
    assert ClusterApplication.objects.exists() is False


def test_unknown_region_codes_are_422(client: Client):
    # when
    response = post_json(client, BASE, application_data(regions=["NZ-ZZZ"]))
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "regions"
    assert "NZ-ZZZ" in response.json()["message"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cluster_type": "regional"}, "cluster_type"),
        ({"lead_org_kind": "guild"}, "lead_org_kind"),
        ({"expected_members": 0}, "expected_members"),
        ({"expected_members": 10_001}, "expected_members"),
        ({"regions": "NZ-WKO"}, "regions"),
        ({"finder_answers": {"shared_place": "maybe"}}, "finder_answers.shared_place"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_values_are_422_naming_the_field(client: Client, overrides, field):
    # when
    response = post_json(client, BASE, application_data(**overrides))
    # then
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert ClusterApplication.objects.exists() is False


def test_a_missing_field_is_422(client: Client):
    # given
    data = application_data()
    del data["proposed_name_en"]
    # when
    response = post_json(client, BASE, data)
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "proposed_name_en"


def test_malformed_json_is_a_4xx_not_a_500(client: Client):
    # when
    response = client.post(BASE, "{not json", content_type="application/json")
    # then
    assert 400 <= response.status_code < 500


# --- staff: reading ---------------------------------------------------------------


def test_listing_needs_a_login(client: Client):
    # when
    response = client.get(BASE)
    # then
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorised"


def test_listing_is_forbidden_to_non_staff(customer_client: Client):
    # when
    response = customer_client.get(BASE)
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "not_platform_staff"


def test_staff_list_pending_first_and_filter_by_status(
    staff_client: Client, platform_staff
):
    # given
    approved = ClusterApplicationFactory.create(proposed_name_en="Approved one")
    application_approve(actor=platform_staff, application=approved)
    ClusterApplicationFactory.create(proposed_name_en="Pending one")
    # when
    everything = staff_client.get(BASE).json()
    pending = staff_client.get(BASE + "?status=pending").json()
    bad = staff_client.get(BASE + "?status=lost")
    # then
    assert [a["proposed_name_en"] for a in everything["items"]] == [
        "Pending one",
        "Approved one",
    ]
    assert everything["count"] == 2
    assert everything["items"][1]["cluster_slug"] == "approved-one"
    assert [a["proposed_name_en"] for a in pending["items"]] == ["Pending one"]
    assert bad.status_code == 422
    assert bad.json()["field"] == "status"


def test_staff_get_one_application_with_region_codes(staff_client: Client):
    # given
    application = ClusterApplicationFactory.create(
        regions=["NZ-WKO", "NZ-BOP"],
        finder_answers={"shared_place": True, "shared_specialisation": False},
    )
    # when
    response = staff_client.get(f"{BASE}/{application.pk}")
    missing = staff_client.get(f"{BASE}/999999")
    # then
    assert response.status_code == 200
    body = response.json()
    assert sorted(body["regions"]) == ["NZ-BOP", "NZ-WKO"]
    assert body["finder_answers"] == {
        "shared_place": True,
        "shared_specialisation": False,
    }
    assert body["status"] == "pending"
    assert missing.status_code == 404


# --- staff: deciding --------------------------------------------------------------


def test_staff_approve_and_get_the_cluster_slug_and_url(
    staff_client: Client, django_capture_on_commit_callbacks
):
    # given
    application = ClusterApplicationFactory.create(proposed_name_en="Tokoroa Makers")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(staff_client, f"{BASE}/{application.pk}/approve", {})
    # then
    assert response.status_code == 200
    assert response.json() == {
        "slug": "tokoroa-makers",
        "url": "http://testserver/c/tokoroa-makers/",
    }
    assert Cluster.objects.get().status == Cluster.Status.LIVE
    assert mail.outbox[0].to == [application.contact_email]


def test_staff_approve_with_a_slug(staff_client: Client):
    # given
    application = ClusterApplicationFactory.create()
    # when
    response = post_json(
        staff_client, f"{BASE}/{application.pk}/approve", {"slug": "tokoroa"}
    )
    # then
    assert response.json()["slug"] == "tokoroa"


def test_approve_with_a_taken_slug_is_422(staff_client: Client):
    # given
    ClusterFactory.create(slug="taken")
    application = ClusterApplicationFactory.create()
    # when
    response = post_json(
        staff_client, f"{BASE}/{application.pk}/approve", {"slug": "taken"}
    )
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "slug"
    assert response.json()["code"] == "slug_taken"


def test_approving_twice_is_409(staff_client: Client):
    # given
    application = ClusterApplicationFactory.create()
    post_json(staff_client, f"{BASE}/{application.pk}/approve", {})
    # when
    response = post_json(staff_client, f"{BASE}/{application.pk}/approve", {})
    # then
    assert response.status_code == 409
    assert response.json()["code"] == "application_not_pending"
    assert Cluster.objects.count() == 1


def test_staff_decline_with_a_reason(
    staff_client: Client, django_capture_on_commit_callbacks
):
    # given
    application = ClusterApplicationFactory.create()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            staff_client, f"{BASE}/{application.pk}/decline", {"reason": "Too small."}
        )
    # then
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["decline_reason"] == "Too small."
    assert "Too small." in mail.outbox[0].body


@pytest.mark.parametrize("payload", [{"reason": "  "}, {}])
def test_decline_without_a_reason_is_422(staff_client: Client, payload):
    # given
    application = ClusterApplicationFactory.create()
    # when
    response = post_json(staff_client, f"{BASE}/{application.pk}/decline", payload)
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "reason"
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING


@pytest.mark.parametrize("action", ["approve", "decline"])
def test_non_staff_cannot_decide_and_nothing_changes(
    customer_client: Client, action, django_capture_on_commit_callbacks
):
    # given
    application = ClusterApplicationFactory.create()
    payload = {"reason": "No."} if action == "decline" else {}
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            customer_client, f"{BASE}/{application.pk}/{action}", payload
        )
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "not_platform_staff"
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING
    assert Cluster.objects.exists() is False
    assert Invitation.objects.exists() is False
    assert mail.outbox == []


@pytest.mark.parametrize("action", ["approve", "decline"])
def test_anonymous_cannot_decide(client: Client, action):
    # given
    application = ClusterApplicationFactory.create()
    payload = {"reason": "No."} if action == "decline" else {}
    # when
    response = post_json(client, f"{BASE}/{application.pk}/{action}", payload)
    # then
    assert response.status_code == 401
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING


def test_approve_needs_no_body(staff_client: Client):
    # given
    application = ClusterApplicationFactory.create(proposed_name_en="No Body")
    # when
    response = staff_client.post(
        f"{BASE}/{application.pk}/approve", "", content_type="application/json"
    )
    # then
    assert response.status_code == 200
    assert response.json()["slug"] == "no-body"


def test_deciding_an_unknown_application_is_404(staff_client: Client):
    # when
    response = post_json(staff_client, f"{BASE}/999999/decline", {"reason": "No."})
    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
