"""Being found: robots.txt, the sitemaps, the product feeds, the embeddable widget
and a member's screen with its snippets (docs/marketing.md).

Machine-read addresses answer for the host they are asked on: Pūrei's own (every
live cluster) or a cluster's own domain (that cluster only; another cluster's
sitemap or feed there is a 404).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import override
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from purei.clusters.models import Cluster
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import Actor, actor_from
from purei.marketing.addresses import (
    ClusterSite,
    cluster_site,
    embed_rest,
    language_codes,
    origin_of,
)
from purei.marketing.product_feeds import (
    Channel,
    feed_items,
    google_feed_xml,
    meta_feed_csv,
)
from purei.marketing.robots import robots_txt
from purei.marketing.sitemaps import (
    IndexEntry,
    UrlSet,
    cluster_locations,
    cluster_stats,
    in_chunks,
    live_clusters,
    sitemap_index_xml,
    stats_for,
)
from purei.marketing.widget import count_from, embed_for, widget_script_url
from purei.members.selectors import (
    member_get_for_team,
    member_get_public,
    member_team_for,
)
from purei.web.shell import member_manage_context

# Search engines and catalogue services fetch these a few times a day.
MACHINE_MAX_AGE = 60 * 60
EMBED_MAX_AGE = 10 * 60
# The embed page's own policy: framed by any site, no script at all, its styles
# and pictures from here only.
EMBED_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["*"],
}


def _cacheable(response: HttpResponseBase, max_age: int) -> HttpResponseBase:
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def _noindex(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Not a page to find by search: the widget's forms repeat the maker page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def _cluster_here(request: HttpRequest, slug: str) -> Cluster:
    """The live cluster ``slug``; on a cluster's own domain only that cluster."""
    cluster = cluster_get_live(actor=Actor.anonymous(), slug=slug)
    on_domain = getattr(request, "cluster_from_domain", None)
    if on_domain is not None and on_domain.pk != cluster.pk:
        raise Http404
    return cluster


# --- robots.txt and sitemaps -----------------------------------------------------


@require_safe
def robots_view(request: HttpRequest) -> HttpResponseBase:
    sitemap = request.build_absolute_uri(reverse("marketing-feeds:sitemap-index"))
    own_domain = getattr(request, "cluster_from_domain", None) is not None
    text = robots_txt(sitemap_url=sitemap, own_domain=own_domain)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    return _cacheable(response, MACHINE_MAX_AGE)


def _sitemap_url(request: HttpRequest, cluster: Cluster, page: int) -> str:
    path = reverse("marketing-feeds:sitemap", kwargs={"slug": cluster.slug})
    return f"{origin_of(request)}{path}" + (f"?p={page}" if page > 1 else "")


@require_safe
def sitemap_index_view(request: HttpRequest) -> HttpResponseBase:
    """Every live cluster's sitemap files (one cluster's on its own domain)."""
    clusters = live_clusters(only=getattr(request, "cluster_from_domain", None))
    entries = [
        IndexEntry(_sitemap_url(request, stats.cluster, page), stats.changed)
        for stats in cluster_stats(clusters)
        for page in range(1, stats.pages + 1)
    ]
    response = HttpResponse(
        "".join(sitemap_index_xml(entries)),
        content_type="application/xml; charset=utf-8",
    )
    return _cacheable(response, MACHINE_MAX_AGE)


def _page(request: HttpRequest) -> int:
    value = request.GET.get("p", "1")
    if not value.isdigit() or int(value) < 1:
        raise Http404
    return int(value)


def _xml_stream(parts: Iterable[str]) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        in_chunks(parts), content_type="application/xml; charset=utf-8"
    )


@require_safe
def sitemap_view(request: HttpRequest, slug: str) -> HttpResponseBase:
    """One file of a cluster's sitemap (``?p=2`` the second, …)."""
    cluster = _cluster_here(request, slug)
    page = _page(request)
    stats = stats_for(cluster)
    if page > stats.pages:
        raise Http404
    urlset = UrlSet(cluster_site(request, cluster), cluster_locations(stats, page))
    return _cacheable(_xml_stream(urlset.xml()), MACHINE_MAX_AGE)


# --- Product feeds -----------------------------------------------------------------


def _english_site(request: HttpRequest, cluster: Cluster) -> ClusterSite:
    with override(language_codes()[0]):
        return cluster_site(request, cluster)


@require_safe
def google_feed_view(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Google Merchant Center's feed: RSS 2.0 with the g: namespace."""
    cluster = _cluster_here(request, slug)
    site = _english_site(request, cluster)
    channel = Channel(
        title=cluster.name_en,
        link=site.url(),
        description=cluster.tagline or cluster.specialisation or cluster.name_en,
        items=feed_items(cluster, site),
    )
    return _cacheable(_xml_stream(google_feed_xml(channel)), MACHINE_MAX_AGE)


@require_safe
def meta_feed_view(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Meta's catalogue as CSV (every cell made safe for spreadsheets)."""
    cluster = _cluster_here(request, slug)
    site = _english_site(request, cluster)
    response = StreamingHttpResponse(
        meta_feed_csv(feed_items(cluster, site)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{cluster.slug}-meta.csv"'
    return _cacheable(response, MACHINE_MAX_AGE)


# --- The embeddable widget -----------------------------------------------------------


@require_safe
@xframe_options_exempt
@csp_override(EMBED_CSP)
@_noindex
def embed_view(request: HttpRequest, slug: str, member_slug: str) -> HttpResponseBase:
    """A member's products as a small page another website may frame."""
    cluster = cluster_get_live(actor=Actor.anonymous(), slug=slug)
    member = member_get_public(cluster=cluster, slug=member_slug)
    embed = embed_for(
        cluster=cluster,
        member=member,
        site=cluster_site(request, cluster),
        count=count_from(request.GET.get("count", "")),
    )
    response = render(request, "marketing/found/embed.html", {"embed": embed})
    return _cacheable(response, EMBED_MAX_AGE)


@require_safe
@_noindex
def embed_json_view(
    request: HttpRequest, slug: str, member_slug: str
) -> HttpResponseBase:
    """The same as JSON for ``widget.js`` on any site (CORS: any origin may read
    it; no cookies are read or set). ``?lang=mi`` for te reo Māori titles and
    addresses, ``?count=`` for how many (1 to 24)."""
    cluster = cluster_get_live(actor=Actor.anonymous(), slug=slug)
    member = member_get_public(cluster=cluster, slug=member_slug)
    language = request.GET.get("lang", "")
    if language not in language_codes():
        language = language_codes()[0]
    with override(language):
        embed = embed_for(
            cluster=cluster,
            member=member,
            site=cluster_site(request, cluster),
            count=count_from(request.GET.get("count", "")),
        )
        response = JsonResponse(
            embed.as_json(), json_dumps_params={"ensure_ascii": False}
        )
    response["Access-Control-Allow-Origin"] = "*"
    return _cacheable(response, EMBED_MAX_AGE)


# --- A member's screen: its snippets ------------------------------------------------

# (name in the page, template): the three ways to embed.
SNIPPETS = (
    ("frame", "snippet_frame.html"),
    ("script", "snippet_script.html"),
    ("html", "snippet.html"),
)


@login_required
@require_safe
def member_embed_view(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Embed your products": the snippets for each live cluster the member is
    approved in, with a preview (its owners and staff; platform staff)."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    team = member_team_for(actor=actor, member=member)
    origin = origin_of(request)
    snippets = []
    for cluster in team.approved_clusters:
        if cluster.status != Cluster.Status.LIVE:
            continue
        site = cluster_site(request, cluster)
        embed = embed_for(cluster=cluster, member=member, site=site)
        values = {
            "embed": embed,
            "frame_url": site.url(embed_rest(member.slug)),
            "json_url": origin
            + reverse(
                "marketing-feeds:embed-json",
                kwargs={"slug": cluster.slug, "member_slug": member.slug},
            ),
            "script_url": widget_script_url(origin),
        }
        snippets.append(
            {
                "cluster": cluster,
                "embed": embed,
                "frame_url": values["frame_url"],
                **{
                    name: render_to_string(
                        f"marketing/found/{template}", values
                    ).strip()
                    for name, template in SNIPPETS
                },
            }
        )
    context = member_manage_context(
        member=member, section="embed", team=team, snippets=snippets
    )
    return render(request, "marketing/found/manage_embed.html", context)
