"""A cluster's public member pages: ``/c/<slug>/members/`` and each member's page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.text import MAX_QUERY_LENGTH
from purei.members.selectors import member_get_public, member_list_public


def coordinates_text(latitude: Decimal | None, longitude: Decimal | None) -> str:
    """``41.5139° S, 173.9612° E``: a place as words, without a map service."""
    if latitude is None or longitude is None:
        return ""
    north_south = _("N") if latitude >= 0 else _("S")
    east_west = _("E") if longitude >= 0 else _("W")
    return _("%(lat)s° %(ns)s, %(lon)s° %(ew)s") % {
        "lat": f"{abs(latitude).normalize():f}",
        "ns": north_south,
        "lon": f"{abs(longitude).normalize():f}",
        "ew": east_west,
    }


@require_GET
def member_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    listing = member_list_public(actor=actor, cluster=cluster, q=q)
    context: dict[str, Any] = {
        "cluster": cluster,
        "listing": listing,
        "count": listing.count,
        "q": q,
        "max_query_length": MAX_QUERY_LENGTH,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, "members/public/_results.html", context)
    else:
        response = render(request, "members/public/list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def member_detail_view(
    request: HttpRequest, slug: str, member_slug: str
) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    member = member_get_public(actor=actor, cluster=cluster, slug=member_slug)
    context = {
        "cluster": cluster,
        "member": member,
        "photos": list(member.photos.all()),
        "credentials": member.verified_credentials,  # type: ignore[attr-defined]  # prefetched
        "coordinates": coordinates_text(member.latitude, member.longitude),
    }
    return render(request, "members/public/detail.html", context)
