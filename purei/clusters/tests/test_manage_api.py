"""Memberships, brand and audit log over JSON, scoped like the web screens."""

import json

import pytest
from django.test import Client

from purei.clusters.brand import BrandChanges, cluster_brand_update
from purei.clusters.models import Cluster
from purei.core.models import AuditEntry
from purei.members.models import Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db

USERS = [
    "customer_user",
    "member_a_staff_user",
    "member_a_owner_user",
    "cluster_x_admin_user",
    "cluster_y_admin_user",
    "staff_user",
]


def send(client: Client, method: str, url: str, data: object | None = None):
    return getattr(client, method)(
        url,
        json.dumps(data) if data is not None else "",
        content_type="application/json",
    )


def as_user(client: Client, request, user_name: str | None) -> Client:
    if user_name:
        client.force_login(request.getfixturevalue(user_name))
    return client


@pytest.fixture
def applicant(cluster_x) -> Membership:
    return MembershipFactory.create(
        member=MemberFactory.create(slug="kauri-carvers"),
        cluster=cluster_x,
        status=Membership.Status.APPLIED,
    )


# --- Applying -----------------------------------------------------------------------


def test_owner_applies(client: Client, member_a_owner_user, cluster_y):
    # given
    client.force_login(member_a_owner_user)
    # when
    response = send(
        client,
        "post",
        "/api/v1/clusters/cluster-y/memberships",
        {"member": "member-a", "message": "Kia ora"},
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert body["member"] == "member-a"
    assert body["cluster"] == "cluster-y"
    assert body["status"] == "applied"
    assert body["reason"] == "Kia ora"
    assert body["in_trade"] is True


def test_applying_twice_is_a_409(client: Client, member_a_owner_user, cluster_x):
    # given: member A is already approved in cluster X
    client.force_login(member_a_owner_user)
    # when
    response = send(
        client, "post", "/api/v1/clusters/cluster-x/memberships", {"member": "member-a"}
    )
    # then
    assert response.status_code == 409
    assert response.json()["code"] == "membership_exists"
    assert response.json()["field"] == "member"


@pytest.mark.parametrize(
    ("user_name", "status"),
    [
        (None, 401),
        ("customer_user", 404),
        ("member_a_staff_user", 403),
        ("cluster_y_admin_user", 404),
        ("staff_user", 404),
    ],
)
def test_only_an_owner_applies(
    client: Client, request, member_a, cluster_y, user_name, status
):
    # given
    as_user(client, request, user_name)
    # when
    response = send(
        client, "post", "/api/v1/clusters/cluster-y/memberships", {"member": "member-a"}
    )
    # then
    assert response.status_code == status
    assert not Membership.objects.filter(cluster=cluster_y).exists()


def test_apply_to_a_cluster_that_is_not_live_is_404(
    client: Client, member_a_owner_user, cluster_y
):
    Cluster.objects.filter(pk=cluster_y.pk).update(status=Cluster.Status.DRAFT)
    client.force_login(member_a_owner_user)
    response = send(
        client, "post", "/api/v1/clusters/cluster-y/memberships", {"member": "member-a"}
    )
    assert response.status_code == 404


def test_apply_rejects_unknown_fields(client: Client, member_a_owner_user, cluster_y):
    client.force_login(member_a_owner_user)
    response = send(
        client,
        "post",
        "/api/v1/clusters/cluster-y/memberships",
        {"member": "member-a", "status": "approved"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "status"


# --- Listing ------------------------------------------------------------------------


@pytest.mark.parametrize("user_name", [None, *USERS])
def test_list_is_for_the_clusters_admins(
    client: Client, request, member_a, applicant, user_name
):
    # given
    as_user(client, request, user_name)
    # when
    response = client.get("/api/v1/clusters/cluster-x/memberships")
    # then
    expected = {
        None: 401,
        "cluster_x_admin_user": 200,
        "staff_user": 200,
    }.get(user_name, 404)
    assert response.status_code == expected
    if expected == 200:
        members = {item["member"] for item in response.json()["items"]}
        assert members == {"member-a", "kauri-carvers"}
    else:
        assert "kauri-carvers" not in response.content.decode()


def test_list_filters_by_status(
    client: Client, cluster_x_admin_user, member_a, applicant
):
    client.force_login(cluster_x_admin_user)
    response = client.get("/api/v1/clusters/cluster-x/memberships?status=applied")
    assert [i["member"] for i in response.json()["items"]] == ["kauri-carvers"]


def test_list_refuses_an_unknown_status(
    client: Client, cluster_x_admin_user, cluster_x
):
    client.force_login(cluster_x_admin_user)
    response = client.get("/api/v1/clusters/cluster-x/memberships?status=nope")
    assert response.status_code == 422
    assert response.json()["field"] == "status"


# --- Deciding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_name", "status"),
    [
        (None, 401),
        ("customer_user", 404),
        ("member_a_staff_user", 404),
        ("member_a_owner_user", 404),
        ("cluster_y_admin_user", 404),
        ("cluster_x_admin_user", 200),
        ("staff_user", 200),
    ],
)
def test_approve_scope(client: Client, request, member_a, applicant, user_name, status):
    # given
    as_user(client, request, user_name)
    # when
    response = send(client, "post", f"/api/v1/memberships/{applicant.pk}/approve")
    # then
    assert response.status_code == status
    applicant.refresh_from_db()
    expected = "approved" if status == 200 else "applied"
    assert applicant.status == expected


def test_the_businesss_own_owner_may_see_but_not_approve_it(
    client: Client, member_a_owner_user, member_a, cluster_y
):
    # given: member A applied to cluster Y
    membership = MembershipFactory.create(
        member=member_a, cluster=cluster_y, status=Membership.Status.APPLIED
    )
    client.force_login(member_a_owner_user)
    # when
    response = send(client, "post", f"/api/v1/memberships/{membership.pk}/approve")
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "not_cluster_admin"
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPLIED


def test_decline_needs_a_reason(client: Client, cluster_x_admin_user, applicant):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    missing = send(client, "post", f"/api/v1/memberships/{applicant.pk}/decline", {})
    blank = send(
        client, "post", f"/api/v1/memberships/{applicant.pk}/decline", {"reason": " "}
    )
    # then
    assert missing.status_code == 422
    assert missing.json()["field"] == "reason"
    assert blank.status_code == 422
    assert blank.json()["code"] == "reason_required"
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.APPLIED


def test_decline_suspend_reinstate_and_refused_moves(
    client: Client, cluster_x_admin_user, applicant, member_a, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    approved = Membership.objects.get(member=member_a, cluster=cluster_x)
    # when
    declined = send(
        client,
        "post",
        f"/api/v1/memberships/{applicant.pk}/decline",
        {"reason": "Not local."},
    )
    again = send(
        client,
        "post",
        f"/api/v1/memberships/{applicant.pk}/suspend",
        {"reason": "Not local."},
    )
    suspended = send(
        client,
        "post",
        f"/api/v1/memberships/{approved.pk}/suspend",
        {"reason": "Fees unpaid."},
    )
    reinstated = send(client, "post", f"/api/v1/memberships/{approved.pk}/reinstate")
    # then
    assert declined.json()["status"] == "declined"
    assert declined.json()["reason"] == "Not local."
    assert declined.json()["decided_by"] == "admin@cluster-x.nz"
    assert again.status_code == 409
    assert again.json()["code"] == "membership_move_not_allowed"
    assert suspended.json()["status"] == "suspended"
    assert reinstated.json()["status"] == "approved"


def test_owner_leaves(client: Client, member_a_owner_user, member_a, cluster_x):
    # given
    membership = Membership.objects.get(member=member_a, cluster=cluster_x)
    client.force_login(member_a_owner_user)
    # when
    response = send(client, "post", f"/api/v1/memberships/{membership.pk}/leave")
    # then
    assert response.status_code == 200
    assert response.json()["status"] == "left"


@pytest.mark.parametrize(
    ("user_name", "status"),
    [
        ("member_a_staff_user", 403),
        ("cluster_x_admin_user", 403),
        ("cluster_y_admin_user", 404),
        ("customer_user", 404),
    ],
)
def test_only_the_owner_leaves(
    client: Client, request, member_a, cluster_x, user_name, status
):
    membership = Membership.objects.get(member=member_a, cluster=cluster_x)
    as_user(client, request, user_name)
    response = send(client, "post", f"/api/v1/memberships/{membership.pk}/leave")
    assert response.status_code == status
    membership.refresh_from_db()
    assert membership.status == "approved"


# --- Brand --------------------------------------------------------------------------


@pytest.mark.parametrize("user_name", [None, *USERS])
def test_brand_scope(client: Client, request, member_a, cluster_x, user_name):
    # given
    as_user(client, request, user_name)
    # when
    response = send(
        client, "patch", "/api/v1/clusters/cluster-x/brand", {"tagline": "Changed"}
    )
    # then
    expected = {
        None: 401,
        "cluster_x_admin_user": 200,
        "staff_user": 200,
    }.get(user_name, 404)
    assert response.status_code == expected
    cluster_x.refresh_from_db()
    assert (cluster_x.tagline == "Changed") is (expected == 200)


def test_brand_patch_changes_what_is_sent(
    client: Client, cluster_x_admin_user, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = send(
        client,
        "patch",
        "/api/v1/clusters/cluster-x/brand",
        {
            "name_mi": "Te Pūrei Wāina",
            "colour_primary": "#5b2333",
            "commission_rate": 12.5,
            "join_requires_approval": False,
            "domain": "shop.example.nz",
        },
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["name_mi"] == "Te Pūrei Wāina"
    assert body["name_en"] == "Cluster X Wine"
    assert body["colour_primary"] == "#5b2333"
    assert body["commission_rate"] == "12.50"
    assert body["join_requires_approval"] is False
    assert body["domain"] == "shop.example.nz"


def test_low_contrast_is_a_422_naming_the_field(
    client: Client, cluster_x_admin_user, cluster_x
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = send(
        client,
        "patch",
        "/api/v1/clusters/cluster-x/brand",
        {"colour_accent": "#88ccff", "tagline": "Changed"},
    )
    # then
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_brand"
    assert body["field"] == "colour_accent"
    assert "contrast of" in body["message"]
    assert "at least 4.5:1" in body["message"]
    cluster_x.refresh_from_db()
    assert cluster_x.tagline == "Made together"


def test_brand_rejects_a_non_boolean_approval_flag(
    client: Client, cluster_x_admin_user, cluster_x
):
    client.force_login(cluster_x_admin_user)
    response = send(
        client,
        "patch",
        "/api/v1/clusters/cluster-x/brand",
        {"join_requires_approval": "yes"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "join_requires_approval"


# --- Audit --------------------------------------------------------------------------


@pytest.mark.parametrize("user_name", [None, *USERS])
def test_audit_is_for_the_clusters_admins(
    client: Client, request, cluster_x_admin, cluster_x, cluster_y, user_name
):
    # given
    cluster_brand_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(tagline="X")
    )
    as_user(client, request, user_name)
    # when
    response = client.get("/api/v1/clusters/cluster-x/audit")
    # then
    expected = {
        None: 401,
        "cluster_x_admin_user": 200,
        "staff_user": 200,
    }.get(user_name, 404)
    assert response.status_code == expected
    if expected == 200:
        (item,) = response.json()["items"]
        assert item["verb"] == "cluster.brand_updated"
        assert item["actor"] == "admin@cluster-x.nz"
        assert item["before"] == {"tagline": "Made together"}
        assert item["after"] == {"tagline": "X"}


def test_audit_holds_only_this_clusters_entries_newest_first(
    client: Client, cluster_x_admin, cluster_y_admin, cluster_x, cluster_y
):
    # given
    cluster_brand_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(tagline="1")
    )
    cluster_brand_update(
        actor=cluster_y_admin, cluster=cluster_y, changes=BrandChanges(tagline="y")
    )
    cluster_brand_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(tagline="2")
    )
    client.force_login(cluster_x_admin.user)
    # when
    items = client.get("/api/v1/clusters/cluster-x/audit").json()["items"]
    # then
    assert [item["after"]["tagline"] for item in items] == ["2", "1"]
    assert AuditEntry.objects.count() == 3


def test_openapi_lists_the_operations(client: Client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/clusters/{slug}/memberships"]
    assert "get" in paths["/api/v1/clusters/{slug}/memberships"]
    for action in ("approve", "decline", "suspend", "reinstate", "leave"):
        assert f"/api/v1/memberships/{{membership_id}}/{action}" in paths
    assert "patch" in paths["/api/v1/clusters/{slug}/brand"]
    assert "get" in paths["/api/v1/clusters/{slug}/audit"]
