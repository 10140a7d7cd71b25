from __future__ import annotations

import pytest

from purei.accounts.models import MemberRole, User
from purei.accounts.tests.factories import UserFactory
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory


@pytest.fixture
def member_c(cluster_x: Cluster) -> Member:
    """Another business approved in cluster X."""
    member = MemberFactory.create(
        slug="member-c", trading_name="Member C Cheese", email="hello@member-c.nz"
    )
    MembershipFactory.create(
        member=member, cluster=cluster_x, status=Membership.Status.APPROVED
    )
    return member


@pytest.fixture
def member_c_owner_user(member_c: Member) -> User:
    user = UserFactory.create(email="owner@member-c.nz")
    MemberRole.objects.create(user=user, member=member_c, role=MemberRole.Role.OWNER)
    return user


@pytest.fixture
def member_c_owner(member_c_owner_user: User) -> Actor:
    return Actor(user=member_c_owner_user)
