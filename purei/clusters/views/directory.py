"""The public directory of live clusters, and each cluster's home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from purei.clusters.models import ClusterType, Region
from purei.clusters.selectors import (
    cluster_cards,
    cluster_list_live,
    directory_filter_errors,
    region_list,
)
from purei.core.actor import actor_from
from purei.core.text import MAX_QUERY_LENGTH, fold

# Cards whose pictures load at once (the first row on a laptop); the rest lazily.
EAGER_CARDS = 3

IGNORED_FILTER_NOTES: dict[str, Promise] = {
    "type": _(
        "The cluster type in the address was not recognised, so clusters of every "
        "type are shown."
    ),
    "region": _(
        "The region in the address was not recognised, so clusters in every region "
        "are shown."
    ),
}


def _region_label(region: Region) -> str:
    """English name, then the te reo name where it is more than a spelling variant."""
    variant = fold(region.name_en).replace("-", " ")
    if region.name_mi and fold(region.name_mi) != variant:
        return f"{region.name_en} — {region.name_mi}"
    return region.name_en


@require_GET
def directory_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    type_ = request.GET.get("type", "").strip()
    region = request.GET.get("region", "").strip().upper()
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    # Filters that name nothing we know are dropped, with a visible note.
    ignored = directory_filter_errors(type=type_, region=region)
    if "type" in ignored:
        type_ = ""
    if "region" in ignored:
        region = ""
    clusters = cluster_list_live(
        actor=actor, type=type_ or None, region=region or None, q=q
    )
    context: dict[str, Any] = {
        "cards": cluster_cards(clusters=clusters),
        "eager_cards": EAGER_CARDS,
        "count": len(clusters),
        "notes": [IGNORED_FILTER_NOTES[name] for name in ignored],
        "filtered": bool(type_ or region or q),
        "selected_type": type_,
        "selected_region": region,
        "q": q,
        "max_query_length": MAX_QUERY_LENGTH,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, "clusters/directory/_results.html", context)
    else:
        context["types"] = ClusterType.choices
        context["regions"] = [
            (region.code, _region_label(region)) for region in region_list(actor=actor)
        ]
        response = render(request, "clusters/directory/directory.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response
