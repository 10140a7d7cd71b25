"""/manage/: what each person can manage."""

import re

import pytest
from django.test import Client

from purei.accounts.models import ClusterRole
from purei.members.models import Membership
from purei.members.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def page(client: Client, user) -> str:
    client.force_login(user)
    response = client.get("/manage/")
    assert response.status_code == 200
    body = response.content.decode()
    assert len(re.findall(r"<h1[ >]", body)) == 1
    assert not re.search(r"\sstyle\s*=", body)
    return body


def test_anonymous_is_sent_to_log_in(client: Client):
    response = client.get("/manage/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/manage/"


def test_header_links_to_it_when_logged_in(client: Client, customer_user):
    # when
    anonymous = client.get("/").content.decode()
    client.force_login(customer_user)
    logged_in = client.get("/").content.decode()
    # then
    assert 'href="/manage/"' not in anonymous
    assert 'href="/manage/"' in logged_in


def test_a_customer_is_offered_to_register_a_business(client: Client, customer_user):
    # when
    body = page(client, customer_user)
    # then
    assert 'href="/manage/members/new/"' in body
    assert "You don't run a cluster." in body
    assert "/staff/applications/" not in body


def test_cluster_admin_sees_their_cluster(
    client: Client, cluster_x_admin_user, cluster_y
):
    # when
    body = page(client, cluster_x_admin_user)
    # then
    assert 'href="/manage/clusters/cluster-x/"' in body
    assert "Cluster admin" in body
    assert "cluster-y" not in body


def test_curator_sees_the_cluster_without_the_admin_link(
    client: Client, customer_user, cluster_y
):
    # given
    ClusterRole.objects.create(user=customer_user, cluster=cluster_y, role="curator")
    # when
    body = page(client, customer_user)
    # then
    assert "Cluster Y Oysters" in body
    assert "Curator" in body
    assert 'href="/manage/clusters/cluster-y/"' not in body
    assert 'href="/manage/clusters/cluster-y/listings/"' in body


def test_kaitiaki_is_led_to_the_cultural_review_queue(
    client: Client, customer_user, cluster_y
):
    # given
    ClusterRole.objects.create(user=customer_user, cluster=cluster_y, role="kaitiaki")
    # when
    body = page(client, customer_user)
    # then
    assert "Cluster Y Oysters" in body
    assert 'href="/manage/clusters/cluster-y/cultural-review/"' in body
    assert 'href="/manage/clusters/cluster-y/listings/"' not in body
    assert 'href="/manage/clusters/cluster-y/"' not in body


def test_owner_sees_the_business_and_its_memberships(
    client: Client, member_a_owner_user, member_a, cluster_y
):
    # given
    MembershipFactory.create(
        member=member_a, cluster=cluster_y, status=Membership.Status.APPLIED
    )
    # when
    body = page(client, member_a_owner_user)
    # then
    assert 'href="/manage/members/member-a/"' in body
    assert "Owner" in body
    assert 'href="/c/cluster-x/join/member-a/"' in body
    assert 'href="/c/cluster-y/join/member-a/"' in body
    assert "Applied" in body
    assert "Approved" in body


def test_staff_of_a_business_sees_it_as_staff(client: Client, member_a_staff_user):
    body = page(client, member_a_staff_user)
    assert "Member A Wines" in body
    assert ">Staff<" in body


def test_platform_staff_see_the_review_queue(client: Client, staff_user):
    body = page(client, staff_user)
    assert 'href="/staff/applications/"' in body


def test_nobody_sees_anothers_things(
    client: Client, customer_user, member_a, cluster_x_admin_user
):
    body = page(client, customer_user)
    assert "Member A Wines" not in body
    assert "Cluster X Wine" not in body


def test_te_reo_manage_pages_link_to_te_reo_manage_pages(
    client: Client, member_a, member_a_owner_user, cluster_x, cluster_x_admin_user
):
    # given: a credential of member A, a member of cluster X
    from purei.members.tests.factories import CredentialFactory

    credential = CredentialFactory.create(member=member_a)
    # when: its owner and the cluster's admin open their pages in te reo
    client.force_login(member_a_owner_user)
    dashboard = client.get("/mi/manage/").content.decode()
    client.force_login(cluster_x_admin_user)
    members = client.get(f"/mi/manage/clusters/{cluster_x.slug}/members/")
    # then: the links keep the /mi/ prefix
    assert f'href="/mi/manage/members/{member_a.slug}/"' in dashboard
    verify = f"/mi/manage/clusters/{cluster_x.slug}/credentials/{credential.pk}/verify/"
    assert f'href="{verify}"' in members.content.decode()


def test_no_template_writes_a_manage_address_by_hand():
    # given
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    # when
    by_hand = [
        str(template.relative_to(root))
        for template in root.glob("*/templates/**/*.html")
        if 'href="/manage' in template.read_text()
    ]
    # then: {% url %} keeps the language's prefix (/mi/…)
    assert by_hand == []
