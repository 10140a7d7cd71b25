"""Eight members committing the last units of a capped lot at the same moment,
on PostgreSQL, each in its own connection and transaction: the lot is never
over-allocated — exactly as many commitments as fit get in, the others are
refused with what is left, and the counter is the sum of the commitments."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from purei.clusters.tests.factories import ClusterFactory
from purei.cooperation.models import Commitment, GroupBuy
from purei.cooperation.selectors import together_access
from purei.cooperation.services.group_buys import commitment_set
from purei.cooperation.tests.factories import group_buy_for
from purei.core.actor import Actor
from purei.core.errors import ValidationFailed
from purei.members.models import Membership
from purei.members.tests.factories import (
    MemberFactory,
    MemberRoleFactory,
    MembershipFactory,
)

MEMBERS = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database; the race is PostgreSQL's to win",
)
def test_the_last_units_of_a_capped_lot_are_never_over_allocated() -> None:
    # given: a lot of 100 with 70 taken; eight members each want 10 at once
    cluster = ClusterFactory.create()
    group_buy = group_buy_for(cluster, target=50, cap=100, tiers=((1, 40),))
    first = MemberFactory.create()
    MembershipFactory.create(
        member=first, cluster=cluster, status=Membership.Status.APPROVED
    )
    owner = Actor(user=MemberRoleFactory.create(member=first).user)
    commitment_set(
        actor=owner,
        access=together_access(actor=owner, slug=cluster.slug),
        group_buy=group_buy,
        quantity=70,
    )
    actors = []
    for _ in range(MEMBERS):
        member = MemberFactory.create()
        MembershipFactory.create(
            member=member, cluster=cluster, status=Membership.Status.APPROVED
        )
        actors.append(Actor(user=MemberRoleFactory.create(member=member).user))
    start = threading.Barrier(MEMBERS)
    took: list[int] = []
    refused: list[str] = []
    other: list[BaseException] = []
    lock = threading.Lock()

    def commit(index: int) -> None:
        actor = actors[index]
        try:
            access = together_access(actor=actor, slug=cluster.slug)
            start.wait()
            commitment_set(actor=actor, access=access, group_buy=group_buy, quantity=10)
            with lock:
                took.append(index)
        except ValidationFailed as exc:
            with lock:
                refused.append(exc.code)
        except BaseException as exc:  # reported below
            with lock:
                other.append(exc)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=commit, args=(i,)) for i in range(MEMBERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then
    assert not other, other
    assert len(took) == 3
    assert refused == ["group_buy_over_cap"] * (MEMBERS - 3)
    group_buy.refresh_from_db()
    assert group_buy.committed_quantity == 100
    assert sum(Commitment.objects.values_list("quantity", flat=True)) == 100
    assert GroupBuy.objects.get(pk=group_buy.pk).cap == 100
