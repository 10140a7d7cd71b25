"""Links that work on Pūrei's host and on a cluster's own domain.

``{% cluster_path cluster "members/" %}`` is ``/members/`` on the cluster's own
domain and ``/c/<slug>/members/`` elsewhere; ``{% platform_url %}`` is Pūrei's home
page (absolute on a cluster's domain, where ``/`` is the cluster's home).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from purei.clusters.models import Cluster
from purei.core.links import absolute_url

register = template.Library()


def _on_own_domain(context: template.Context, cluster: Cluster) -> bool:
    request = context.get("request")
    on_domain = getattr(request, "cluster_from_domain", None)
    return on_domain is not None and on_domain.pk == cluster.pk


@register.simple_tag(takes_context=True)
def cluster_path(context: template.Context, cluster: Cluster, suffix: str = "") -> str:
    suffix = suffix.lstrip("/")
    if _on_own_domain(context, cluster):
        return f"/{suffix}"
    return reverse("catalogue:cluster-home", kwargs={"slug": cluster.slug}) + suffix


@register.simple_tag(takes_context=True)
def platform_url(context: template.Context) -> str:
    request: Any = context.get("request")
    if getattr(request, "cluster_from_domain", None) is not None:
        return absolute_url("/")
    return reverse("web:home")
