"""The cast (conftest.py's table), made by plain functions: the actor fixtures call
them for one test; a test module that shares one cast among its tests (the isolation
matrix, which builds a whole world for each of its 1,600 tests otherwise) calls them
once, in a fixture of a wider scope."""

from __future__ import annotations

from purei.accounts.models import ClusterRole, MemberRole, User
from purei.accounts.tests.factories import StaffFactory, UserFactory
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory


def customer_user_create() -> User:
    return UserFactory.create(email="customer@example.nz")


def staff_user_create() -> User:
    return StaffFactory.create(email="staff@purei.test")


def cluster_x_create() -> Cluster:
    return ClusterFactory.create(
        slug="cluster-x", name_en="Cluster X Wine", regions=["NZ-MBH"]
    )


def cluster_y_create() -> Cluster:
    return ClusterFactory.create(
        slug="cluster-y", name_en="Cluster Y Oysters", regions=["NZ-NTL"]
    )


def member_a_create(cluster_x: Cluster) -> Member:
    member = MemberFactory.create(slug="member-a", trading_name="Member A Wines")
    MembershipFactory.create(
        member=member, cluster=cluster_x, status=Membership.Status.APPROVED
    )
    return member


def member_a_owner_user_create(member_a: Member) -> User:
    user = UserFactory.create(email="owner@member-a.nz")
    MemberRole.objects.create(user=user, member=member_a, role=MemberRole.Role.OWNER)
    return user


def member_a_staff_user_create(member_a: Member) -> User:
    user = UserFactory.create(email="staff@member-a.nz")
    MemberRole.objects.create(user=user, member=member_a, role=MemberRole.Role.STAFF)
    return user


def cluster_x_admin_user_create(cluster_x: Cluster) -> User:
    user = UserFactory.create(email="admin@cluster-x.nz")
    ClusterRole.objects.create(
        user=user, cluster=cluster_x, role=ClusterRole.Role.ADMIN
    )
    return user


def cluster_y_admin_user_create(cluster_y: Cluster) -> User:
    user = UserFactory.create(email="admin@cluster-y.nz")
    ClusterRole.objects.create(
        user=user, cluster=cluster_y, role=ClusterRole.Role.ADMIN
    )
    return user


def trade_buyer_user_create(cluster_x: Cluster) -> User:
    from purei.trade.models import TradeAccount
    from purei.trade.tests.factories import TradeAccountFactory, TradeBuyerFactory

    account = TradeAccountFactory.create(
        cluster=cluster_x,
        legal_name="Harbour Steel Distributors Pty Ltd",
        status=TradeAccount.Status.APPROVED,
    )
    return TradeBuyerFactory.create(
        account=account, user__email="buyer@harbour.example.com.au"
    ).user
