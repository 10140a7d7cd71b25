"""Reads of the clusters app: the public directory and each cluster's home.

Only live clusters are public. Draft and paused clusters are never shown here, whoever
asks (platform staff will see them on their own screens).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.errors import ValidationFailed
from purei.search.engine import shelf_counts

from .errors import DirectoryErrorCode
from .models import Cluster, ClusterType, Region
from .regions import REGIONS
from .search import fold, query_terms

REGION_CODES = frozenset(data.code for data in REGIONS)


def region_list(*, actor: Actor) -> list[Region]:
    """All of New Zealand's regions, in their usual order (north to south)."""
    return regions_in_order()


REGIONS_CACHE_KEY = "clusters:regions-in-order"


def regions_in_order() -> list[Region]:
    """All of New Zealand's regions, north to south: the delivery estimate's and
    the cart's choice of region. Kept in the cache for ``SEARCH_CACHE_SECONDS``
    (none when 0), as the catalogue's results are: the list is the same for every
    page, and a region saved or deleted (the admin) empties it at once
    (``ClustersConfig.ready``)."""
    seconds = int(getattr(settings, "SEARCH_CACHE_SECONDS", 300))
    if seconds <= 0:
        return list(Region.objects.order_by("position", "name_en"))
    found = cache.get(REGIONS_CACHE_KEY)
    if found is None:
        found = list(Region.objects.order_by("position", "name_en"))
        cache.set(REGIONS_CACHE_KEY, found, seconds)
    return list(found)


def regions_changed(**_: object) -> None:
    """A region saved or deleted: the next ``regions_in_order`` reads them again."""
    cache.delete(REGIONS_CACHE_KEY)


def directory_filter_errors(
    *, type: str | None = None, region: str | None = None
) -> dict[str, list[str]]:
    """Field → messages for directory filters that name no known type or region."""
    errors: dict[str, list[str]] = {}
    if type and type not in ClusterType.values:
        errors["type"] = [
            _("Unknown cluster type: choose traditional, virtual or local.")
        ]
    if region and region.upper() not in REGION_CODES:
        errors["region"] = [
            _("Unknown region: use an ISO 3166-2:NZ code such as NZ-MBH.")
        ]
    return errors


def _live_clusters() -> QuerySet[Cluster]:
    return Cluster.objects.filter(status=Cluster.Status.LIVE).prefetch_related(
        "regions"
    )


def cluster_list_of_type(*, type: str, limit: int = 6) -> tuple[list[Cluster], int]:
    """Up to ``limit`` live clusters of ``type`` (by English name), and how many
    there are: the finder's "Clusters like yours". Two queries."""
    clusters = Cluster.objects.filter(status=Cluster.Status.LIVE, type=type)
    return list(clusters.order_by("name_en")[:limit]), clusters.count()


def cluster_list_live(
    *,
    actor: Actor,
    type: str | None = None,
    region: str | None = None,
    q: str | None = None,
) -> list[Cluster]:
    """Live clusters, filtered by type, region (ISO code) and a text search.

    The search looks in the names (English and te reo), specialisation, tagline and
    lead organisation, ignoring case and macrons; every word must match. Sorted by
    English name. Regions are prefetched: two queries whatever the number of clusters.
    Raises ``ValidationFailed`` (fields ``type`` / ``region``) for unknown values.
    """
    errors = directory_filter_errors(type=type, region=region)
    if errors:
        code = (
            DirectoryErrorCode.UNKNOWN_TYPE
            if "type" in errors
            else DirectoryErrorCode.UNKNOWN_REGION
        )
        raise ValidationFailed(code, errors)
    clusters = _live_clusters()
    if type:
        clusters = clusters.filter(type=type)
    if region:
        clusters = clusters.filter(regions__code=region.upper())
    for term in query_terms(q or ""):
        clusters = clusters.filter(search_text__contains=term)
    # Sorted in Python by the folded English name: databases collate "Māori" and
    # "Martinborough" differently (SQLite by bytes), and the order must not depend
    # on the database.
    return sorted(clusters, key=lambda cluster: (fold(cluster.name_en), cluster.pk))


def cluster_get_live(*, actor: Actor, slug: str) -> Cluster:
    """The live cluster with this slug; ``Http404`` if there is none (or not live).
    One query: its regions are read only by the pages that show them (the home),
    not by every page of the cluster."""
    try:
        return Cluster.objects.get(status=Cluster.Status.LIVE, slug=slug)
    except Cluster.DoesNotExist:
        raise Http404(_("No cluster lives at this address.")) from None


@dataclass(frozen=True)
class ClusterCard:
    """A live cluster as a card shows it (the directory, Pūrei's home): the
    cluster (its pictures and colours are on its row) and what its shop holds."""

    cluster: Cluster
    products: int = 0
    makers: int = 0


def cluster_cards(*, clusters: Sequence[Cluster]) -> list[ClusterCard]:
    """The cards of these (live) clusters, in their order, each with how many
    public products its shop holds and from how many makers: one query, on the
    search app's shelf of public products."""
    if not clusters:
        return []
    counts = shelf_counts([cluster.pk for cluster in clusters])
    return [
        ClusterCard(cluster, *counts.get(cluster.pk, (0, 0))) for cluster in clusters
    ]
