"""The demo's working together: the Fair's board, the steel freight post."""

from __future__ import annotations

import pytest

from purei.clusters.seed import seed_load
from purei.cooperation.models import PartnerPost, Thread
from purei.cooperation.seed import cooperation_seed_load
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
    assert made == 6
    # and loading it again changes nothing
    assert cooperation_seed_load() == 0
