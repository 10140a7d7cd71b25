"""Who sees which memberships: the cluster's admins, the business's team, staff."""

import pytest
from django.http import Http404

from purei.core.errors import ValidationFailed
from purei.members.membership_selectors import (
    member_get_for_team,
    member_list_for_team,
    member_list_owned_by,
    membership_counts_for_cluster,
    membership_get_for,
    membership_get_for_admin,
    membership_get_for_team,
    membership_list_for_actor,
    membership_list_for_cluster,
    membership_list_for_member,
)
from purei.members.models import Membership
from purei.members.tests.factories import (
    CredentialFactory,
    MemberFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

Status = Membership.Status
ALL = [
    "anonymous",
    "customer",
    "member_a_staff",
    "member_a_owner",
    "cluster_x_admin",
    "cluster_y_admin",
    "platform_staff",
]


@pytest.fixture
def membership_in_x(cluster_x, member_a):
    return Membership.objects.get(member=member_a, cluster=cluster_x)


@pytest.mark.parametrize("actor_name", ALL)
def test_a_clusters_memberships_are_for_its_admins(
    request, actor_name, cluster_x, membership_in_x
):
    # given
    actor = request.getfixturevalue(actor_name)
    allowed = actor_name in {"cluster_x_admin", "platform_staff"}
    # when / then
    if allowed:
        found = list(membership_list_for_cluster(actor=actor, cluster=cluster_x))
        assert found == [membership_in_x]
        assert (
            membership_counts_for_cluster(actor=actor, cluster=cluster_x)["approved"]
            == 1
        )
    else:
        with pytest.raises(Http404):
            membership_list_for_cluster(actor=actor, cluster=cluster_x)
        with pytest.raises(Http404):
            membership_counts_for_cluster(actor=actor, cluster=cluster_x)


def test_cluster_list_filters_by_status_and_brings_credentials(
    cluster_x_admin, cluster_x, member_a, django_assert_num_queries
):
    # given
    for _ in range(5):
        member = MemberFactory.create()
        CredentialFactory.create(member=member)
        MembershipFactory.create(
            member=member, cluster=cluster_x, status=Status.APPLIED
        )
    CredentialFactory.create(member=member_a)
    cluster_x_admin.admin_cluster_ids  # roles loaded before counting  # noqa: B018
    # when
    with django_assert_num_queries(2):
        applied = list(
            membership_list_for_cluster(
                actor=cluster_x_admin, cluster=cluster_x, status="applied"
            )
        )
        credentials = [list(m.member.credentials.all()) for m in applied]
    # then
    assert len(applied) == 5
    assert all(len(c) == 1 for c in credentials)


def test_cluster_list_refuses_an_unknown_status(cluster_x_admin, cluster_x):
    # when
    with pytest.raises(ValidationFailed) as caught:
        membership_list_for_cluster(
            actor=cluster_x_admin, cluster=cluster_x, status="x"
        )
    # then
    assert caught.value.field == "status"


def test_counts_list_every_status(cluster_x_admin, cluster_x, member_a):
    # when
    counts = membership_counts_for_cluster(actor=cluster_x_admin, cluster=cluster_x)
    # then
    assert counts == {
        "applied": 0,
        "approved": 1,
        "declined": 0,
        "suspended": 0,
        "left": 0,
    }


@pytest.mark.parametrize("actor_name", ALL)
def test_a_business_memberships_are_for_its_team(
    request, actor_name, member_a, membership_in_x
):
    # given
    actor = request.getfixturevalue(actor_name)
    allowed = actor_name in {"member_a_staff", "member_a_owner", "platform_staff"}
    # when / then
    if allowed:
        assert list(membership_list_for_member(actor=actor, member=member_a)) == [
            membership_in_x
        ]
    else:
        with pytest.raises(Http404):
            membership_list_for_member(actor=actor, member=member_a)


@pytest.mark.parametrize("actor_name", ALL)
def test_one_membership_for_admins(request, actor_name, membership_in_x):
    # given
    actor = request.getfixturevalue(actor_name)
    allowed = actor_name in {"cluster_x_admin", "platform_staff"}
    # when / then
    if allowed:
        found = membership_get_for_admin(actor=actor, membership_id=membership_in_x.pk)
        assert found == membership_in_x
    else:
        with pytest.raises(Http404):
            membership_get_for_admin(actor=actor, membership_id=membership_in_x.pk)


@pytest.mark.parametrize("actor_name", ALL)
def test_one_membership_for_those_who_may_see_it(request, actor_name, membership_in_x):
    # given
    actor = request.getfixturevalue(actor_name)
    allowed = actor_name in {
        "cluster_x_admin",
        "platform_staff",
        "member_a_owner",
        "member_a_staff",
    }
    # when / then
    if allowed:
        assert membership_get_for(actor=actor, membership_id=membership_in_x.pk)
    else:
        with pytest.raises(Http404):
            membership_get_for(actor=actor, membership_id=membership_in_x.pk)


def test_missing_membership_is_404(platform_staff):
    with pytest.raises(Http404):
        membership_get_for(actor=platform_staff, membership_id=999_999)


@pytest.mark.parametrize("actor_name", ALL)
def test_membership_by_business_is_for_its_team(
    request, actor_name, cluster_x, membership_in_x
):
    # given
    actor = request.getfixturevalue(actor_name)
    allowed = actor_name in {"member_a_owner", "member_a_staff"}
    # when / then
    if allowed:
        found = membership_get_for_team(
            actor=actor, cluster=cluster_x, member_slug="member-a"
        )
        assert found == membership_in_x
        assert member_get_for_team(actor=actor, slug="member-a").slug == "member-a"
    else:
        with pytest.raises(Http404):
            membership_get_for_team(
                actor=actor, cluster=cluster_x, member_slug="member-a"
            )
        with pytest.raises(Http404):
            member_get_for_team(actor=actor, slug="member-a")


def test_an_actors_own_businesses_and_memberships(
    member_a_owner, member_a_staff, member_a, cluster_x, cluster_y, membership_in_x
):
    # given
    MembershipFactory.create(member=member_a, cluster=cluster_y, status=Status.APPLIED)
    MembershipFactory.create(cluster=cluster_y)  # somebody else's
    # then
    assert member_list_owned_by(actor=member_a_owner) == [member_a]
    assert member_list_owned_by(actor=member_a_staff) == []
    assert member_list_for_team(actor=member_a_staff) == [(member_a, "staff")]
    assert member_list_for_team(actor=member_a_owner) == [(member_a, "owner")]
    mine = list(membership_list_for_actor(actor=member_a_staff))
    assert {(m.cluster.slug, m.status) for m in mine} == {
        ("cluster-x", "approved"),
        ("cluster-y", "applied"),
    }
    in_y = list(membership_list_for_actor(actor=member_a_owner, cluster=cluster_y))
    assert [m.status for m in in_y] == ["applied"]


def test_nobody_has_businesses_when_anonymous(anonymous, member_a):
    assert member_list_owned_by(actor=anonymous) == []
    assert member_list_for_team(actor=anonymous) == []
    assert list(membership_list_for_actor(actor=anonymous)) == []
