"""The demo's promotions (issue 14's demo): the Martinborough Fair's "Free
delivery over $80", automatic and paid by the cluster. Safe to run twice."""

from __future__ import annotations

from dataclasses import dataclass

from purei.clusters.models import Cluster

from .models import Promotion


@dataclass(frozen=True)
class SeedPromotion:
    cluster: str
    name: str
    kind: str
    min_spend_cents: int = 0
    stackable: bool = True


SEED_PROMOTIONS: tuple[SeedPromotion, ...] = (
    SeedPromotion(
        cluster="martinborough-fair",
        name="Free delivery over $80",
        kind=Promotion.Kind.FREE_DELIVERY,
        min_spend_cents=8000,
    ),
)


def promotion_seed_load() -> int:
    """Load the demo's promotions (after the cluster seed); return how many were
    made (0 when they are there)."""
    made = 0
    clusters = {
        c.slug: c
        for c in Cluster.objects.filter(slug__in=[s.cluster for s in SEED_PROMOTIONS])
    }
    for seed in SEED_PROMOTIONS:
        cluster = clusters.get(seed.cluster)
        if cluster is None:
            continue
        _promotion, created = Promotion.objects.get_or_create(
            cluster=cluster,
            name=seed.name,
            defaults={
                "kind": seed.kind,
                "min_spend_cents": seed.min_spend_cents,
                "stackable": seed.stackable,
                "paid_by": Promotion.PaidBy.CLUSTER,
            },
        )
        made += int(created)
    return made
