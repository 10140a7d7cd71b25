"""Pūrei's own home (``/``): the live clusters as picture cards and a row of
products from across them, then what Pūrei offers businesses.

In the catalogue (not ``web``) because it shows clusters and products: ``web``
sits below both. Its URL keeps the name ``web:home`` (``purei/urls.py``).

The clusters and products are rendered once per catalogue version, language and
day (``purei.search.cache``): every change to a product, listing, membership or
cluster — its brand too — raises the version, so the home is never stale, and a
cached home costs one query (the version).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from purei.catalogue.paths import product_path
from purei.catalogue.search import ClusterRef, SearchHit
from purei.catalogue.selectors import ShowcaseProduct, product_list_showcase
from purei.clusters.models import Cluster, SellingModel
from purei.clusters.selectors import cluster_cards, cluster_list_live
from purei.core.actor import Actor, actor_from
from purei.core.db_router import replica_reads_view
from purei.core.money import format_nzd
from purei.search.cache import cached_value

from .public import PRODUCT_CARD_SIZES, Card

# Cluster cards on the home (the directory has them all), and how many of them
# load their pictures at once (the first screen of a phone, the first row of a
# laptop).
HOME_CLUSTERS = 6
EAGER_CLUSTERS = 3
# How wide the pictures are in the page, for the browser to choose a size: the
# clusters two to a row on a phone, then as in the directory; the products as in
# the shop.
CLUSTER_SIZES = (
    "(max-width: 40rem) calc(50vw - 1.25rem), (max-width: 64rem) 45vw, 23rem"
)


def _in_turn(clusters: list[Cluster], day: int, count: int) -> list[Cluster]:
    """``count`` of the clusters (by name), the first moving on a place each day:
    with more clusters than the home has room for, each gets its turn."""
    if len(clusters) <= count:
        return clusters
    start = day % len(clusters)
    return (clusters[start:] + clusters[:start])[:count]


def _showcase_card(item: ShowcaseProduct) -> Card:
    product, cluster, member = item.product, item.cluster, item.product.member
    # Sold by a GST-registered (or not) lead organisation in a reseller cluster:
    # its registration decides, not the maker's (as on the shop's cards).
    gst_registered = (
        cluster.lead_org_gst_registered
        if cluster.selling_model == SellingModel.RESELLER
        else member.gst_registered
    )
    hit = SearchHit(
        product_id=product.pk,
        slug=product.slug,
        member_slug=member.slug,
        member_name=member.name,
        score=0.0,
        title_html=conditional_escape(product.title),
        snippet_html=SafeString(""),
        price_cents=item.lowest_price_cents,
        in_stock=True,
        clusters=(ClusterRef(cluster.slug, cluster.name_en, cluster.name_mi),),
    )
    return Card(
        hit=hit,
        price=format_nzd(item.lowest_price_cents),
        image=item.image,
        url=product_path(cluster.slug, member.slug, product.slug),
        lazy=True,  # below the clusters
        restricted=product.is_restricted,
        gst_registered=gst_registered,
        prices_differ=item.prices_differ,
    )


def _storefront(request: HttpRequest, actor: Actor, day: int) -> str:
    """The home's clusters and products, rendered (nine queries at most)."""
    clusters = cluster_list_live(actor=actor)
    context: dict[str, Any] = {
        "cluster_cards": cluster_cards(clusters=_in_turn(clusters, day, HOME_CLUSTERS)),
        "cluster_count": len(clusters),
        "eager_cards": EAGER_CLUSTERS,
        "cluster_sizes": CLUSTER_SIZES,
        "product_sizes": PRODUCT_CARD_SIZES,
        "product_cards": [
            _showcase_card(item) for item in product_list_showcase(day=day)
        ],
    }
    return render_to_string("catalogue/public/_home_storefront.html", context, request)


@require_GET
@replica_reads_view
def platform_home_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    day = timezone.localdate().toordinal()
    storefront = cached_value(
        ("platform-home", day), lambda: _storefront(request, actor, day)
    )
    # Rendered from our own templates (escaped there), cached as text.
    context = {"storefront": mark_safe(storefront)}  # noqa: S308
    return render(request, "catalogue/public/home.html", context)
