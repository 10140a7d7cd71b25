"""The demo's working together: the Fair's board, the steel freight post."""

from __future__ import annotations

import pytest

from purei.clusters.seed import seed_load
from purei.cooperation.models import GroupBuy, LevyBill, Motion, PartnerPost, Thread
from purei.cooperation.seed import cooperation_seed_load
from purei.ledger.selectors import ledger_unbalanced_journals
from purei.members.seed import member_seed_load

pytestmark = pytest.mark.django_db


def test_the_fair_has_a_board_and_steel_a_freight_post() -> None:
    # given the seed clusters and members
    seed_load()
    member_seed_load()
    # when
    made = cooperation_seed_load()
    # then
    threads = Thread.objects.filter(cluster__slug="martinborough-fair")
    assert threads.count() == 4
    assert threads.filter(pinned=True, author_member=None).count() == 1
    assert sum(t.replies.count() for t in threads) == 3
    post = PartnerPost.objects.get(cluster__slug="nz-steel-fabricators")
    assert "Brisbane" in post.title
    assert post.member.slug == "ets-structural"
    # the Fair's paper bags closed and were split, each share offset
    bags = GroupBuy.objects.get(cluster__slug="martinborough-fair")
    assert bags.status == GroupBuy.Status.ALLOCATED
    assert bags.unit_price_cents == 35
    shares = [c.total_cents for c in bags.commitments.order_by("pk")]
    assert shares == [28000 + 4800, 24500 + 4200, 17500 + 3000]
    assert ledger_unbalanced_journals() == []
    # Te Tauranga Toi votes on its new kaitiaki and bills an annual levy
    motion = Motion.objects.get(cluster__slug="te-tauranga-toi")
    assert "kaitiaki" in motion.title
    assert motion.options.count() == 2
    assert LevyBill.objects.filter(levy__cluster__slug="te-tauranga-toi").exists()
    assert made == 9
    # and loading it again changes nothing
    assert cooperation_seed_load() == 0
