"""Factories of the promotions app (style.md §5)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from purei.promotions.models import Promotion


class PromotionFactory(DjangoModelFactory[Promotion]):
    """The cluster's automatic 10 % off everything, paid by the cluster; pass
    ``code=`` for a promo code, ``member=`` (with ``paid_by="member"``) for a
    member's own."""

    class Meta:
        model = Promotion

    cluster = factory.SubFactory("purei.clusters.tests.factories.ClusterFactory")
    name = factory.Sequence(lambda n: f"Promotion {n}")
    kind = Promotion.Kind.PERCENT
    percent_bp = 1000
    paid_by = Promotion.PaidBy.CLUSTER
    code = None
