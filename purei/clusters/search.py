"""Case- and macron-insensitive matching that works the same on SQLite and PostgreSQL.

Text is *folded* once, in Python: lower-cased, decomposed (NFKD) and stripped of
combining marks, so "Kūmara" and "kumara" both become "kumara" and "Māori" becomes
"maori". Double vowels ("Maaori") are left as they are. Each cluster keeps the folded
text of the fields people search in ``Cluster.search_text``; a query is folded the
same way and every word of it must appear there (a plain ``LIKE``, portable to both
databases, no ``unaccent`` needed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from purei.core.text import MAX_QUERY_LENGTH, fold, query_terms

if TYPE_CHECKING:
    from purei.clusters.models import Cluster

__all__ = [
    "CLUSTER_SEARCH_FIELDS",
    "MAX_QUERY_LENGTH",
    "cluster_search_text",
    "fold",
    "query_terms",
]

# The cluster fields a directory search looks in.
CLUSTER_SEARCH_FIELDS = (
    "name_en",
    "name_mi",
    "specialisation",
    "tagline",
    "lead_org_name",
)


def cluster_search_text(cluster: Cluster) -> str:
    """The folded text a cluster is found by (its names, specialisation, tagline…)."""
    return fold(" ".join(str(getattr(cluster, name)) for name in CLUSTER_SEARCH_FIELDS))


def cluster_search_text_refresh(cluster: Cluster) -> None:
    """Set ``cluster.search_text`` from its fields (the caller saves the cluster).

    Every code path that creates a cluster or changes one of
    ``CLUSTER_SEARCH_FIELDS`` calls this before saving.
    """
    cluster.search_text = cluster_search_text(cluster)
