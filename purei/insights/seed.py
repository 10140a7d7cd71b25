"""The demo's insights: wholesale prices for a few members' variants (so "margin
kept by selling direct" shows something) and benchmarking opt-ins in every seed
cluster with at least five approved members (so the medians show). The sales
themselves are the demo's own orders (``settlement.seed``). Safe to run twice;
written directly (a seed, like the others), no audit rows."""

from __future__ import annotations

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.clusters.seed import SEED_CLUSTERS
from purei.members.models import Membership

from .models import BenchmarkOptIn, WholesalePrice
from .selectors import BENCHMARK_MINIMUM

# Members per cluster given wholesale prices, and the share of the retail price
# (less GST) a wholesale buyer would have paid.
PRICED_MEMBERS = 2
WHOLESALE_SHARE_PERCENT = 60


def _wholesale(price_cents: int) -> int:
    """60 % of the retail price less GST (3/23), half up to the cent."""
    ex_gst = price_cents - (price_cents * 3 + 11) // 23
    return max((ex_gst * WHOLESALE_SHARE_PERCENT + 50) // 100, 1)


def insights_seed_load() -> int:
    """Wholesale prices and opt-ins; the number of rows made."""
    made = 0
    slugs = [seed.slug for seed in SEED_CLUSTERS]
    for cluster in Cluster.objects.filter(slug__in=slugs).order_by("pk"):
        approved = list(
            Membership.objects.filter(
                cluster=cluster, status=Membership.Status.APPROVED
            )
            .order_by("member__trading_name", "member_id")
            .values_list("member_id", flat=True)
        )
        for member_id in approved[:PRICED_MEMBERS]:
            for variant in Variant.objects.filter(member_id=member_id).order_by("pk"):
                _price, created = WholesalePrice.objects.get_or_create(
                    variant=variant,
                    defaults={
                        "member_id": member_id,
                        "price_cents": _wholesale(variant.price_cents),
                    },
                )
                made += int(created)
        if len(approved) >= BENCHMARK_MINIMUM:
            for member_id in approved:
                _opt, created = BenchmarkOptIn.objects.get_or_create(
                    member_id=member_id, cluster=cluster
                )
                made += int(created)
    return made
