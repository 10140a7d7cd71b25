"""Being found, in the pages other apps own: schema.org JSON-LD for a cluster's
home and a maker's page, and share links for a product page.

Each is used through an include of ours, so the page's template needs one line
and no ``{% load %}``:

- ``{% include "marketing/found/_cluster_json_ld.html" %}`` (needs ``cluster``;
  uses ``regions`` when the view gives them);
- ``{% include "marketing/found/_maker_json_ld.html" %}`` (``cluster``,
  ``member``);
- ``{% include "marketing/found/_share.html" %}`` (``canonical_url``,
  ``product``, and ``og_image`` when there is a photo).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString

from purei.clusters.models import Cluster
from purei.core.links import absolute_url
from purei.marketing.addresses import cluster_site, on_own_domain
from purei.marketing.schema import cluster_organization, json_ld, member_business
from purei.marketing.share import share_links as build_share_links
from purei.members.models import Member

register = template.Library()


def _request(context: template.Context) -> HttpRequest | None:
    request = context.get("request")
    return request if isinstance(request, HttpRequest) else None


def _other_home(request: HttpRequest, cluster: Cluster) -> list[str]:
    """The cluster's home at its other address: its own domain's from Pūrei's
    host, Pūrei's from its own domain."""
    if on_own_domain(request, cluster):
        return [absolute_url(reverse("catalogue:cluster-home", args=[cluster.slug]))]
    if cluster.domain:
        scheme = "https" if request.is_secure() else "http"
        return [f"{scheme}://{cluster.domain}/"]
    return []


@register.simple_tag(takes_context=True)
def cluster_json_ld(context: template.Context, cluster: Cluster) -> SafeString:
    """The cluster's ``Organization`` (the text of a JSON-LD script)."""
    request = _request(context)
    if request is None:
        return SafeString("")
    regions = context.get("regions")
    if regions is None:
        regions = list(cluster.regions.all())
    data = cluster_organization(
        cluster,
        cluster_site(request, cluster),
        regions=regions,
        same_as=_other_home(request, cluster),
    )
    return json_ld(data)


@register.simple_tag(takes_context=True)
def maker_json_ld(
    context: template.Context, cluster: Cluster, member: Member
) -> SafeString:
    """The member's ``LocalBusiness`` (or ``Organization``) as JSON-LD text."""
    request = _request(context)
    if request is None:
        return SafeString("")
    return json_ld(member_business(member, cluster, cluster_site(request, cluster)))


@register.inclusion_tag("marketing/found/_share_links.html")
def share_links(url: str, title: str, image: str = "") -> dict[str, Any]:
    """Links sharing ``url`` (absolute) with no script and no tracker."""
    return {"links": build_share_links(url=url, title=title, image=image or "")}
