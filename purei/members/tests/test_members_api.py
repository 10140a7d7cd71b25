import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.clusters.models import Cluster
from purei.core.models import AuditEntry
from purei.members.models import Credential, Member, Membership
from purei.members.tests.factories import (
    CredentialFactory,
    MemberFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def patch(client: Client, url: str, body: dict):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def post(client: Client, url: str, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json")


# --- Public -------------------------------------------------------------------


def test_a_clusters_members_are_listed(client, cluster_x, member_a):
    # given
    CredentialFactory.create(
        member=member_a,
        verification=Credential.Verification.VERIFIED,
        expires_on=NEXT_YEAR,
        number="51/OFF/1/2025",
    )
    CredentialFactory.create(member=member_a, kind=Credential.Kind.FOOD_ACT)
    pending = MemberFactory.create(trading_name="Pending")
    MembershipFactory.create(
        member=pending, cluster=cluster_x, status=Membership.Status.APPLIED
    )
    # when
    response = client.get("/api/v1/clusters/cluster-x/members")
    # then
    assert response.status_code == 200
    body = response.json()
    assert [m["slug"] for m in body] == ["member-a"]
    member = body[0]
    assert member["name"] == "Member A Wines"
    assert member["in_trade"] is True
    assert member["region"] == {
        "code": "NZ-MBH",
        "name_en": "Marlborough",
        "name_mi": "",
    }
    assert member["url"] == "http://testserver/c/cluster-x/members/member-a/"
    assert [c["number"] for c in member["verified_credentials"]] == ["51/OFF/1/2025"]
    assert "bank_account_masked" not in member
    assert "nzbn" not in member


def test_the_list_searches_with_q(client, cluster_x, member_a):
    # given
    other = MemberFactory.create(trading_name="Kūmara Kai")
    MembershipFactory.create(member=other, cluster=cluster_x)
    # then
    found = client.get("/api/v1/clusters/cluster-x/members?q=kumara").json()
    assert [m["name"] for m in found] == ["Kūmara Kai"]
    too_long = client.get("/api/v1/clusters/cluster-x/members?q=" + "a" * 101)
    assert too_long.status_code == 422
    assert too_long.json()["field"] == "q"


def test_a_member_detail_is_public_only_in_its_approved_live_cluster(
    client, cluster_x, cluster_y, member_a
):
    # when
    response = client.get("/api/v1/clusters/cluster-x/members/member-a")
    # then
    assert response.status_code == 200
    body = response.json()
    assert (
        body["story_html"] == "<p>We make good things in <strong>Aotearoa</strong>.</p>"
    )
    assert body["photos"] == []
    assert body["email"].endswith("@maker.example.nz")
    assert "bank_account_masked" not in body
    assert client.get("/api/v1/clusters/cluster-y/members/member-a").status_code == 404
    assert client.get("/api/v1/clusters/cluster-x/members/nobody").status_code == 404
    Cluster.objects.filter(pk=cluster_x.pk).update(status=Cluster.Status.PAUSED)
    assert client.get("/api/v1/clusters/cluster-x/members/member-a").status_code == 404
    assert (
        client.get("/api/v1/clusters/cluster-x/members").json()["code"] == "not_found"
    )


# --- Team ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 401),
        ("customer_user", 404),
        ("member_a_staff_user", 200),
        ("member_a_owner_user", 200),
        ("cluster_x_admin_user", 404),
        ("cluster_y_admin_user", 404),
        ("staff_user", 200),
    ],
)
def test_the_full_profile_is_for_the_team(who, status, request, member_a):
    # given
    Member.objects.filter(pk=member_a.pk).update(
        bank_account="01-0902-0068389-000", bank_account_name="Member A"
    )
    user = request.getfixturevalue(who) if who else None
    # when
    response = client_for(user).get("/api/v1/members/member-a")
    # then
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["bank_account_masked"] == "••-••••-•••8389-•••"
        assert "0068389" not in response.content.decode()
    else:
        assert "Member A" not in response.content.decode()


def test_the_team_profile_says_your_role(member_a_staff_user, member_a):
    # then
    body = client_for(member_a_staff_user).get("/api/v1/members/member-a").json()
    assert body["role"] == "staff"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 401),
        ("customer_user", 404),
        ("member_a_staff_user", 403),
        ("member_a_owner_user", 200),
        ("cluster_x_admin_user", 404),
        ("cluster_y_admin_user", 404),
        ("staff_user", 403),
    ],
)
def test_only_owners_patch(who, status, request, member_a):
    # given
    user = request.getfixturevalue(who) if who else None
    # when
    response = patch(client_for(user), "/api/v1/members/member-a", {"town": "Picton"})
    # then
    assert response.status_code == status
    member_a.refresh_from_db()
    assert member_a.town == ("Picton" if status == 200 else "Blenheim")


def test_patch_changes_only_the_fields_sent(member_a_owner_user, member_a):
    # when
    response = patch(
        client_for(member_a_owner_user),
        "/api/v1/members/member-a",
        {
            "gst_registered": True,
            "gst_number": "49-091-850",
            "bank_account": "01 902 0068389 00",
            "bank_account_name": "Member A Ltd",
        },
    )
    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["gst_number"] == "49091850"
    assert body["bank_account_masked"] == "••-••••-•••8389-•••"
    assert body["town"] == "Blenheim"
    member_a.refresh_from_db()
    assert member_a.bank_account == "01-0902-0068389-000"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"nzbn": "9429046393921"}, "nzbn"),
        ({"gst_registered": True, "gst_number": "136410133"}, "gst_number"),
        ({"bank_account": "12-3140-0123456-00"}, "bank_account"),
        ({"region": "NZ-ZZZ"}, "region"),
        ({"legal_name": ""}, "legal_name"),
        ({"in_trade": "yes"}, "in_trade"),
        ({"town": "x" * 81}, "town"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_patches_are_422_naming_the_field(
    member_a_owner_user, member_a, body, field
):
    # when
    response = patch(client_for(member_a_owner_user), "/api/v1/members/member-a", body)
    # then
    assert response.status_code == 422
    error = response.json()
    assert error["field"] == field
    assert error["message"]
    assert field in error["errors"]
    assert not AuditEntry.objects.exists()


def test_anyone_logged_in_creates_a_business(customer_user):
    # when
    response = post(
        client_for(customer_user),
        "/api/v1/members",
        {
            "legal_name": "Havelock Mussels Limited",
            "trading_name": "Havelock Mussels",
            "in_trade": True,
            "region": "NZ-MBH",
        },
    )
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "havelock-mussels"
    assert body["role"] == "owner"
    assert MemberRole.objects.filter(
        user=customer_user, member__slug="havelock-mussels", role="owner"
    ).exists()


def test_creating_needs_a_login_and_valid_fields(customer_user):
    # then
    assert post(Client(), "/api/v1/members", {"legal_name": "X"}).status_code == 401
    response = post(
        client_for(customer_user),
        "/api/v1/members",
        {"legal_name": "X", "nzbn": "123"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "nzbn"
    missing = post(client_for(customer_user), "/api/v1/members", {})
    assert missing.status_code == 422
    assert missing.json()["field"] == "legal_name"
    assert not Member.objects.exists()


def test_the_openapi_document_lists_the_member_endpoints(client):
    # when
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    # then
    assert "/api/v1/clusters/{slug}/members" in paths
    assert "/api/v1/clusters/{slug}/members/{member_slug}" in paths
    assert set(paths["/api/v1/members/{slug}"]) == {"get", "patch"}
    assert "post" in paths["/api/v1/members"]
