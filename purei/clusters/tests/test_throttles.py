"""Applying to form a cluster (/apply/ and its API) and applying to join one
(/c/<slug>/join/ and its API) are rate-limited per client address and per
applicant (purei.core.ratelimit; limits in settings.RATE_LIMITS). A refused attempt
is 429 with a Retry-After header, and records and sends nothing."""

import json
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from purei.clusters.models import ClusterApplication
from purei.clusters.tests.factories import application_data, region
from purei.members.models import Membership

pytestmark = pytest.mark.django_db


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "contact_name": "Aroha Ngata",
        "contact_email": "aroha@tokoroa.example.nz",
        "contact_phone": "",
        "lead_org_kind": "chamber",
        "lead_org_name": "Tokoroa Chamber of Commerce",
        "proposed_name_en": "Tokoroa Makers",
        "proposed_name_mi": "",
        "cluster_type": "local",
        "regions": [str(region("NZ-WKO").pk)],
        "specialisation": "",
        "expected_members": "24",
        "about": "",
        "finder_shared_place": "yes",
        "finder_shared_specialisation": "no",
    }
    data.update(overrides)
    return data


def _apply(email: str, ip: str = "10.0.0.1"):
    return Client().post("/apply/", _form(contact_email=email), REMOTE_ADDR=ip)


def _apply_api(email: str, ip: str = "10.0.0.1"):
    return Client().post(
        "/api/v1/applications",
        json.dumps(application_data(contact_email=email)),
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def _assert_api_refusal(response) -> None:
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited"
    assert body["field"] is None
    assert body["retry_after"] == int(response["Retry-After"]) > 0
    assert "Try again in" in body["message"]


# --- forming a cluster ---------------------------------------------------------------


def test_applications_from_one_address_stop_at_the_limit(
    rate_limits: Callable[..., None],
):
    # when: the shipped limit is 5 an hour per address
    responses = [_apply(f"lead{n}@example.nz") for n in range(6)]
    # then
    assert [r.status_code for r in responses] == [302] * 5 + [429]
    body = responses[5].content.decode()
    assert "<h1>Too many attempts</h1>" in body
    assert int(responses[5]["Retry-After"]) > 0
    assert ClusterApplication.objects.count() == 5


def test_applications_for_one_email_are_limited_from_every_address(
    rate_limits: Callable[..., None],
):
    # given: the shipped limit is 3 a day per contact email
    for n in range(3):
        assert _apply("Aroha@Tokoroa.example.nz", ip=f"10.0.1.{n}").status_code == 302
    # when
    response = _apply("aroha@tokoroa.example.nz", ip="10.0.2.1")
    # then
    assert response.status_code == 429
    assert ClusterApplication.objects.count() == 3


def test_the_api_answers_429_with_the_code_and_retry_after(
    rate_limits: Callable[..., None],
):
    # given
    rate_limits("cluster_application", address="1/h")
    assert _apply_api("a@example.nz").status_code == 201
    # when
    response = _apply_api("b@example.nz")
    # then
    _assert_api_refusal(response)
    assert ClusterApplication.objects.count() == 1


def test_the_web_form_and_the_api_share_one_count(rate_limits: Callable[..., None]):
    # given
    rate_limits("cluster_application", address="1/h")
    assert _apply("a@example.nz").status_code == 302
    # when
    response = _apply_api("b@example.nz")
    # then
    assert response.status_code == 429


# --- joining a cluster ---------------------------------------------------------------


@pytest.fixture
def owner_client(member_a_owner_user) -> Client:
    client = Client(REMOTE_ADDR="10.0.0.1")
    client.force_login(member_a_owner_user)
    return client


def test_join_applications_of_one_account_are_limited(
    rate_limits: Callable[..., None], owner_client: Client, cluster_y
):
    # given
    rate_limits("membership_application", account="1/h")
    first = owner_client.post("/c/cluster-y/join/", {"member": "member-a"})
    assert first.status_code == 302
    Membership.objects.filter(cluster=cluster_y).delete()
    mail.outbox.clear()
    # when
    response = owner_client.post("/c/cluster-y/join/", {"member": "member-a"})
    # then
    assert response.status_code == 429
    assert "<h1>Too many attempts</h1>" in response.content.decode()
    assert Membership.objects.filter(cluster=cluster_y).exists() is False
    assert mail.outbox == []


def test_join_applications_from_one_address_are_limited(
    rate_limits: Callable[..., None], owner_client: Client, customer_user, cluster_y
):
    # given
    rate_limits("membership_application", address="1/h")
    other = Client(REMOTE_ADDR="10.0.0.1")
    other.force_login(customer_user)
    other.post("/c/cluster-y/join/", {"member": "nothing"})
    # when
    response = owner_client.post("/c/cluster-y/join/", {"member": "member-a"})
    # then
    assert response.status_code == 429


def test_join_api_answers_429_with_the_code_and_retry_after(
    rate_limits: Callable[..., None], owner_client: Client, cluster_y
):
    # given
    rate_limits("membership_application", account="1/h")
    owner_client.post("/c/cluster-y/join/", {"member": "member-a"})
    Membership.objects.filter(cluster=cluster_y).delete()
    # when
    response = owner_client.post(
        "/api/v1/clusters/cluster-y/memberships",
        json.dumps({"member": "member-a"}),
        content_type="application/json",
    )
    # then
    _assert_api_refusal(response)
    assert Membership.objects.filter(cluster=cluster_y).exists() is False


def test_reading_the_join_page_is_never_limited(
    rate_limits: Callable[..., None], owner_client: Client, cluster_y
):
    # given
    rate_limits("membership_application", account="1/h", address="1/h")
    owner_client.post("/c/cluster-y/join/", {"member": "member-a"})
    # when
    response = owner_client.get("/c/cluster-y/join/")
    # then
    assert response.status_code == 200
