"""Joining a cluster from its page: /c/<slug>/join/."""

import pytest
from django.core import mail
from django.test import Client

from purei.clusters.models import Cluster
from purei.members.models import Membership
from purei.members.tests.factories import (
    MemberFactory,
    MemberRoleFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def test_cluster_home_invites_businesses_to_join(client: Client, cluster_y):
    body = client.get("/c/cluster-y/").content.decode()
    assert 'href="/c/cluster-y/join/"' in body
    assert "Join this cluster" in body


def test_anonymous_visitor_is_told_how_and_sent_to_log_in(client: Client, cluster_y):
    # when
    response = client.get("/c/cluster-y/join/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Join Cluster Y Oysters</h1>" in body
    assert 'href="/accounts/login/?next=/c/cluster-y/join/"' in body
    assert 'href="/accounts/signup/?next=/c/cluster-y/join/"' in body
    assert "The cluster's admins look at each application" in body


def test_anonymous_post_goes_to_log_in(client: Client, cluster_y):
    response = client.post("/c/cluster-y/join/", {"member": "member-a"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fc%2Fcluster-y%2Fjoin%2F"
    assert not Membership.objects.filter(cluster=cluster_y).exists()


@pytest.mark.parametrize("status", [Cluster.Status.DRAFT, Cluster.Status.PAUSED])
def test_only_live_clusters_can_be_joined(client: Client, cluster_y, status):
    Cluster.objects.filter(pk=cluster_y.pk).update(status=status)
    assert client.get("/c/cluster-y/join/").status_code == 404


def test_owner_applies_and_sees_it_waiting(
    client: Client,
    member_a_owner_user,
    cluster_y,
    cluster_y_admin_user,
    django_capture_on_commit_callbacks,
):
    # given
    client.force_login(member_a_owner_user)
    page = client.get("/c/cluster-y/join/").content.decode()
    assert 'type="radio" name="member" value="member-a"' in page
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/c/cluster-y/join/", {"member": "member-a", "message": "Oysters too!"}
        )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/c/cluster-y/join/member-a/"
    membership = Membership.objects.get(cluster=cluster_y)
    assert membership.status == Membership.Status.APPLIED
    assert membership.reason == "Oysters too!"
    assert [m.to for m in mail.outbox] == [["admin@cluster-y.nz"]]
    status_page = client.get(response["Location"]).content.decode()
    assert "Your application is waiting for approval" in status_page


def test_cluster_admitting_all_says_approved(
    client: Client, member_a_owner_user, cluster_y
):
    # given
    Cluster.objects.filter(pk=cluster_y.pk).update(join_requires_approval=False)
    client.force_login(member_a_owner_user)
    # when
    response = client.post("/c/cluster-y/join/", {"member": "member-a"}, follow=True)
    # then
    body = response.content.decode()
    assert "You're a member of Cluster Y Oysters" in body
    assert "admitted automatically" in body


def test_existing_membership_is_shown_instead_of_the_form(
    client: Client, member_a_owner_user, cluster_x
):
    # given: member A is already approved in cluster X
    client.force_login(member_a_owner_user)
    # when
    body = client.get("/c/cluster-x/join/").content.decode()
    # then
    assert 'href="/c/cluster-x/join/member-a/"' in body
    assert "Approved" in body
    assert 'name="member"' not in body
    assert "All your businesses have already applied here" in body


def test_a_duplicate_post_gets_a_clear_message_and_changes_nothing(
    client: Client, member_a_owner_user, member_a, cluster_y
):
    # given: the form was shown, then the business applied in another tab
    client.force_login(member_a_owner_user)
    MembershipFactory.create(
        member=member_a, cluster=cluster_y, status=Membership.Status.APPLIED
    )
    # when
    response = client.post("/c/cluster-y/join/", {"member": "member-a"})
    # then: the business is no longer a choice, so the form says choose one
    assert response.status_code == 400
    assert Membership.objects.filter(cluster=cluster_y).count() == 1


def test_a_business_not_in_trade_is_told_why(
    client: Client, member_a_owner_user, member_a, cluster_y
):
    # given
    member_a.in_trade = False
    member_a.save(update_fields=["in_trade"])
    client.force_login(member_a_owner_user)
    # when
    response = client.post("/c/cluster-y/join/", {"member": "member-a"})
    # then
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "has not declared that it is in trade" in body
    assert not Membership.objects.filter(cluster=cluster_y).exists()


def test_no_business_leads_to_registering_one(client: Client, customer_user, cluster_y):
    # given
    client.force_login(customer_user)
    # when
    body = client.get("/c/cluster-y/join/").content.decode()
    # then
    assert 'href="/manage/members/new/?next=/c/cluster-y/join/"' in body
    assert 'name="member"' not in body


def test_staff_of_a_business_may_not_apply_for_it(
    client: Client, member_a_staff_user, cluster_y
):
    # given
    client.force_login(member_a_staff_user)
    # when
    page = client.get("/c/cluster-y/join/").content.decode()
    response = client.post("/c/cluster-y/join/", {"member": "member-a"})
    # then
    assert "only its owners can apply" in page
    assert response.status_code == 400
    assert not Membership.objects.filter(cluster=cluster_y).exists()


def test_choosing_a_business_you_do_not_own_is_refused(
    client: Client, member_a_owner_user, cluster_y
):
    # given
    MemberFactory.create(slug="someone-else")
    client.force_login(member_a_owner_user)
    # when
    response = client.post("/c/cluster-y/join/", {"member": "someone-else"})
    # then
    assert response.status_code == 400
    assert not Membership.objects.filter(cluster=cluster_y).exists()


def test_owner_of_two_businesses_chooses(
    client: Client, member_a_owner_user, cluster_y
):
    # given
    second = MemberFactory.create(slug="member-b", trading_name="Member B Oysters")
    MemberRoleFactory.create(user=member_a_owner_user, member=second)
    client.force_login(member_a_owner_user)
    # when
    response = client.post("/c/cluster-y/join/", {"member": "member-b"})
    # then
    assert response["Location"] == "/c/cluster-y/join/member-b/"
    assert Membership.objects.get(cluster=cluster_y).member == second


@pytest.mark.parametrize(
    "user_name", ["customer_user", "cluster_y_admin_user", "staff_user"]
)
def test_status_page_is_for_the_business_team_only(
    client: Client, request, user_name, member_a, cluster_x
):
    # given
    client.force_login(request.getfixturevalue(user_name))
    # when / then
    assert client.get("/c/cluster-x/join/member-a/").status_code == 404


def test_status_page_asks_anonymous_to_log_in(client: Client, member_a, cluster_x):
    response = client.get("/c/cluster-x/join/member-a/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_of_the_business_sees_the_status_but_cannot_leave(
    client: Client, member_a_staff_user, cluster_x
):
    # given
    client.force_login(member_a_staff_user)
    # when
    page = client.get("/c/cluster-x/join/member-a/").content.decode()
    client.post("/c/cluster-x/join/member-a/", {"action": "leave"})
    # then
    assert "Member A Wines" in page
    assert 'value="leave"' not in page
    assert Membership.objects.get(cluster=cluster_x).status == "approved"


def test_owner_leaves_from_the_status_page(
    client: Client, member_a_owner_user, cluster_x
):
    # given
    client.force_login(member_a_owner_user)
    # when
    response = client.post(
        "/c/cluster-x/join/member-a/", {"action": "leave"}, follow=True
    )
    # then
    assert Membership.objects.get(cluster=cluster_x).status == "left"
    body = response.content.decode()
    assert "Member A Wines has left Cluster X Wine." in body
    assert "Apply again" in body
