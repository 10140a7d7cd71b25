"""What is public, and the shelf that remembers it (``PublicProduct``).

A product is public in a cluster when it is live, its listing there is approved
(and past any cultural review), the cluster is live and the product's member is an
approved member of it. ``shelve`` writes that down for some products; the search
index calls it with every product write, and ``purei.search.apps`` with every
membership and cluster change, so shops and searches read one indexed table.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from purei.catalogue.models import Listing, Product
from purei.clusters.models import Cluster
from purei.members.models import Membership
from purei.search.models import PublicProduct

BATCH = 2000


def public_listings(cluster: Cluster | None = None) -> QuerySet[Listing]:
    """The public listings (the rule itself), in ``cluster`` or every cluster."""
    listings = Listing.objects.filter(
        status=Listing.Status.APPROVED,
        cultural_review__in=[
            Listing.CulturalReview.NOT_NEEDED,
            Listing.CulturalReview.APPROVED,
        ],
        cluster__status=Cluster.Status.LIVE,
    ).filter(
        Exists(
            Membership.objects.filter(
                member_id=OuterRef("product__member_id"),
                cluster_id=OuterRef("cluster_id"),
                status=Membership.Status.APPROVED,
            )
        )
    )
    if cluster is not None:
        listings = listings.filter(cluster_id=cluster.pk)
    return listings


def public_now(cluster: Cluster | None = None) -> QuerySet[Product]:
    """The products public in ``cluster`` by the rule itself, this instant (what
    a cart or a checkout must go by), not by the shelf."""
    return Product.objects.filter(
        status=Product.Status.LIVE,
        pk__in=public_listings(cluster).values("product_id"),
    )


def shelve(product_ids: Iterable[int]) -> None:
    """Write down where these products are public (and nowhere else)."""
    wanted = sorted(set(product_ids))
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        pairs = set(
            public_listings()
            .filter(product_id__in=chunk, product__status=Product.Status.LIVE)
            .values_list("product_id", "cluster_id")
        )
        have = set(
            PublicProduct.objects.filter(product_id__in=chunk).values_list(
                "product_id", "cluster_id"
            )
        )
        gone = have - pairs
        for product_id, cluster_id in gone:
            PublicProduct.objects.filter(
                product_id=product_id, cluster_id=cluster_id
            ).delete()
        PublicProduct.objects.bulk_create(
            [PublicProduct(product_id=p, cluster_id=c) for p, c in pairs - have],
            ignore_conflicts=True,
        )


def shelve_all() -> None:
    """Write the whole shelf again (``purei search_reindex``)."""
    PublicProduct.objects.all().delete()
    shelve(Product.objects.values_list("pk", flat=True))


def shelve_member(member_id: int) -> None:
    shelve(Product.objects.filter(member_id=member_id).values_list("pk", flat=True))


def shelve_cluster(cluster_id: int) -> None:
    shelve(
        Listing.objects.filter(cluster_id=cluster_id).values_list(
            "product_id", flat=True
        )
    )
