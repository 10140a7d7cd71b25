"""Reads behind a cluster's management screens: the cluster, its audit log, and
the clusters a person manages.

A cluster's management data is for its admins and platform staff only: anyone
else gets ``Http404`` (they are not told the screen exists).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.models import AuditEntry

from .models import Cluster


def cluster_get_for_admin(*, actor: Actor, slug: str) -> Cluster:
    """The cluster with this slug, whatever its status, for its admins and platform
    staff; ``Http404`` for everyone else."""
    cluster = Cluster.objects.filter(slug=slug).first()
    if cluster is None or not (
        actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)
    ):
        raise Http404(_("No cluster you manage lives at this address."))
    return cluster


def cluster_list_managed_by(*, actor: Actor) -> list[tuple[Cluster, str]]:
    """The clusters ``actor`` runs, curates or gives cultural review for, each with
    the role: "admin", "curator" or "kaitiaki" (listed once, by the widest role)."""
    if not actor.is_authenticated:
        return []
    ids = actor.curator_cluster_ids | actor.kaitiaki_cluster_ids
    clusters = Cluster.objects.filter(pk__in=ids).order_by("name_en", "pk")

    def role(cluster: Cluster) -> str:
        if actor.is_cluster_admin(cluster.pk):
            return "admin"
        if cluster.pk in actor.curator_cluster_ids:
            return "curator"
        return "kaitiaki"

    return [(cluster, role(cluster)) for cluster in clusters]


def audit_list_for_cluster(*, actor: Actor, cluster: Cluster) -> QuerySet[AuditEntry]:
    """The cluster's audit log, newest first (admins of it and platform staff)."""
    if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
        raise Http404(_("No cluster you manage lives at this address."))
    return (
        AuditEntry.objects.filter(cluster=cluster)
        .select_related("actor", "member")
        .order_by("-created_at", "-pk")
    )


def cluster_get_by_domain(host: str) -> Cluster | None:
    """The live cluster whose own domain is ``host`` (lower-case, no port)."""
    if not host:
        return None
    return Cluster.objects.filter(domain=host, status=Cluster.Status.LIVE).first()
