"""The demo's dashboards: every cluster's show the demo's weeks of orders; a few
members have wholesale prices; benchmarks where five members opted in."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from purei.clusters.models import Cluster
from purei.clusters.seed import SEED_CLUSTERS
from purei.insights.models import BenchmarkOptIn, WholesalePrice
from purei.insights.ranges import default_range
from purei.insights.seed import insights_seed_load
from purei.insights.selectors import cluster_dashboard, member_margin
from purei.settlement.seed import CLUSTER_MONEY

pytestmark = pytest.mark.django_db


def test_every_cluster_dashboard_shows_the_demo_orders() -> None:
    # given / when: the demo's seed (as `purei demo` loads it)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    # then each seeded cluster's dashboard, in its default dates, has its orders
    rng = default_range()
    for money in CLUSTER_MONEY:
        board = cluster_dashboard(Cluster.objects.get(slug=money.slug), rng)
        assert board.orders == money.orders, money.slug
        assert board.sales_cents > 0
        assert board.by_member
        assert board.top_products
    assert "Insights:" in out.getvalue()
    assert WholesalePrice.objects.exists()
    priced = set(WholesalePrice.objects.values_list("member", flat=True))
    assert len(priced) <= 2 * len(SEED_CLUSTERS)
    # and some priced member's margin has figures from the ledger
    margins = [
        member_margin(p.member, rng).totals
        for p in WholesalePrice.objects.select_related("member")[:50]
    ]
    assert any(m.wholesale_cents > 0 for m in margins)
    # and loading it again changes nothing
    count = BenchmarkOptIn.objects.count()
    assert insights_seed_load() == 0
    assert BenchmarkOptIn.objects.count() == count
