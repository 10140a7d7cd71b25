"""The demo's promotion: the Martinborough Fair's free delivery over $80."""

from __future__ import annotations

import pytest

from purei.clusters.seed import seed_load
from purei.promotions.models import Promotion
from purei.promotions.seed import promotion_seed_load

pytestmark = pytest.mark.django_db


def test_the_fair_offers_free_delivery_over_80_paid_by_the_cluster() -> None:
    # given the seed clusters
    seed_load()
    # when
    made = promotion_seed_load()
    # then
    promotion = Promotion.objects.get(cluster__slug="martinborough-fair")
    assert made == 1
    assert (promotion.kind, promotion.min_spend_cents, promotion.code) == (
        Promotion.Kind.FREE_DELIVERY,
        8000,
        None,
    )
    assert promotion.paid_by == Promotion.PaidBy.CLUSTER
    assert promotion.active
    # and loading it again changes nothing
    assert promotion_seed_load() == 0
    assert Promotion.objects.count() == 1
