"""A cluster's public member pages: ``/c/<slug>/members/`` and each member's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.text import MAX_QUERY_LENGTH
from purei.members.selectors import member_list_public


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
