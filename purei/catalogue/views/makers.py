"""A maker's page in a cluster, ``/c/<slug>/members/<member>/``: its shop front —
logo, story, photos, its products as the shop shows them (the same card), its
verified credentials, and where it is, as a pin on our own outline of Aotearoa.

It lives in the catalogue, not in members, because it shows products (members
sits below the catalogue: docs/architecture.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from purei.catalogue.page_cache import page_cached
from purei.catalogue.search import search_products
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.db_router import replica_reads_view
from purei.members.nz_map import HEIGHT, WIDTH, coordinates_text, pin_for
from purei.members.selectors import member_get_public
from purei.search.cache import cached_fragment
from purei.search.filters import ProductFilters

from .public import _cards_html

# How many of the maker's products its page shows; the rest are a link away, in
# the cluster's shop filtered to the maker.
MAKER_CARDS = 12


@require_GET
@replica_reads_view
@page_cached
def maker_view(request: HttpRequest, slug: str, member_slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    member = member_get_public(actor=actor, cluster=cluster, slug=member_slug)
    shop = reverse("catalogue:shop", kwargs={"slug": cluster.slug})

    def products_html() -> str:
        results = search_products(
            query="",
            cluster=cluster,
            filters=ProductFilters(member=member.slug),
            sort="newest",
            per_page=MAKER_CARDS,
            # The grid shows no facets, and its cards not the other clusters.
            with_facets=False,
            with_clusters=False,
        )
        context = {
            "cluster": cluster,
            "member": member,
            "cards_html": _cards_html(request, results, cluster, show_clusters=False),
            "product_count": results.total,
            "maker_shop_url": f"{shop}?member={member.slug}",
        }
        return render_to_string(
            "catalogue/public/_maker_products.html", context, request
        )

    # The grid: from the cache while the catalogue version is the same (a change
    # to any product, listing, membership or member raises it), the version read
    # once for the grid, its search and its cards.
    grid = cached_fragment(
        ("maker-products", cluster.pk, member.pk, request.get_host()),
        products_html,
    )
    pin = pin_for(member.latitude, member.longitude)
    context = {
        "cluster": cluster,
        "member": member,
        "photos": list(member.photos.all()),
        "credentials": member.verified_credentials,  # type: ignore[attr-defined]  # prefetched
        "pin": pin,
        # In words, where the map cannot show it (the Chathams).
        "coordinates": ""
        if pin
        else coordinates_text(member.latitude, member.longitude),
        "map_width": WIDTH,
        "map_height": HEIGHT,
        # Rendered from our own templates (escaped there), cached as text.
        "products_html": mark_safe(grid),  # noqa: S308
    }
    return render(request, "catalogue/public/maker.html", context)
