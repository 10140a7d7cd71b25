"""Sitemaps (sitemaps.org protocol 0.9): an index of every live cluster's sitemap,
and each cluster's sitemap — its home, shop and list of members, each approved
member's page, each public product's page, its journal and each published story —
with the address of every page in
each language (``xhtml:link rel="alternate" hreflang``) and when it last changed.

Only what anyone may see: live clusters (``Cluster.Status.LIVE``), members
approved there, and products by the catalogue's own rule of what is public
(``purei.catalogue.selectors.public_listings``: an approved listing past any
cultural review, of a live product, whose member is approved in the cluster).

Bounded: the index is four queries whatever the number of clusters; a sitemap
page at most seven whatever the number of products, read as they are written (the
response streams). A page holds at most ``URLS_PER_FILE`` ``<url>`` elements (the
protocol's limit is 50,000): each page of the site is one ``<url>`` per language,
so a cluster's sitemap has ``LOCATIONS_PER_FILE`` pages of the site per file and
continues at ``?p=2``, ``?p=3``, … (each listed in the index).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.utils.html import escape

from purei.catalogue.models import Variant
from purei.catalogue.selectors import public_listings
from purei.clusters.models import Cluster
from purei.members.models import Membership

from .addresses import (
    MEMBERS,
    SHOP,
    STORIES,
    ClusterSite,
    language_codes,
    maker_rest,
    product_rest,
    story_rest,
)
from .models import Story

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
URLS_PER_FILE = 50_000
# A cluster's home, its shop and its list of members come first in its sitemap.
FIXED_PAGES = ("", SHOP, MEMBERS)
# Written out in pieces of about this many characters (a streamed response).
CHUNK_CHARACTERS = 64 * 1024


def locations_per_file() -> int:
    """How many pages of the site one sitemap file lists (each once per language)."""
    return URLS_PER_FILE // len(language_codes())


# --- What is in a cluster's sitemap ----------------------------------------------


@dataclass
class ClusterStats:
    """How many makers and public products a cluster has, and when the newest of
    each last changed (None when it has none)."""

    cluster: Cluster
    makers: int = 0
    products: int = 0
    makers_changed: datetime.datetime | None = None
    products_changed: datetime.datetime | None = None
    stories: int = 0
    stories_changed: datetime.datetime | None = None

    @property
    def locations(self) -> int:
        # the journal's own page, then each story, once it has published one
        journal = 1 + self.stories if self.stories else 0
        return len(FIXED_PAGES) + self.makers + self.products + journal

    @property
    def pages(self) -> int:
        """How many sitemap files the cluster's sitemap takes (at least one)."""
        per_file = locations_per_file()
        return max(1, -(-self.locations // per_file))

    @property
    def changed(self) -> datetime.datetime:
        """When anything in the cluster's sitemap last changed."""
        return _latest(
            self.cluster.updated_at,
            self.makers_changed,
            self.products_changed,
            self.stories_changed,
        )


def _latest(*times: datetime.datetime | None) -> datetime.datetime:
    return max(time for time in times if time is not None)


def _approved_memberships(clusters: Iterable[int]) -> QuerySet[Membership]:
    return Membership.objects.filter(
        cluster_id__in=list(clusters), status=Membership.Status.APPROVED
    )


def _product_changed() -> Greatest:
    """When a listing's product page last changed: the listing or the product
    (its variants are read apart, see ``_variant_changed``)."""
    return Greatest("updated_at", "product__updated_at")


def _published_stories(clusters: Iterable[int]) -> QuerySet[Story]:
    return Story.objects.filter(
        cluster_id__in=list(clusters), status=Story.Status.PUBLISHED
    )


def cluster_stats(clusters: list[Cluster]) -> list[ClusterStats]:
    """The counts and times of each cluster's sitemap: three queries whatever the
    number of clusters, members, products and stories."""
    stats = {cluster.pk: ClusterStats(cluster) for cluster in clusters}
    if not stats:
        return []
    makers = (
        _approved_memberships(stats)
        .values("cluster_id")
        .annotate(
            n=Count("pk"),
            changed=Max(Greatest("updated_at", "member__updated_at")),
        )
        .order_by()
    )
    for row in makers:
        stats[row["cluster_id"]].makers = row["n"]
        stats[row["cluster_id"]].makers_changed = row["changed"]
    products = (
        public_listings()
        .filter(cluster_id__in=list(stats))
        .values("cluster_id")
        .annotate(
            n=Count("pk", distinct=True),
            changed=Max(_product_changed()),
            variant_changed=Max("product__variants__updated_at"),
        )
        .order_by()
    )
    for row in products:
        found = stats[row["cluster_id"]]
        found.products = row["n"]
        found.products_changed = _latest(row["changed"], row["variant_changed"])
    stories = (
        _published_stories(stats)
        .values("cluster_id")
        .annotate(n=Count("pk"), changed=Max("updated_at"))
        .order_by()
    )
    for row in stories:
        stats[row["cluster_id"]].stories = row["n"]
        stats[row["cluster_id"]].stories_changed = row["changed"]
    return list(stats.values())


def live_clusters(only: Cluster | None = None) -> list[Cluster]:
    """Every live cluster (one query), or just ``only`` when it is live."""
    clusters = Cluster.objects.filter(status=Cluster.Status.LIVE).order_by("slug")
    if only is not None:
        clusters = clusters.filter(pk=only.pk)
    return list(clusters)


@dataclass(frozen=True)
class Location:
    """One page of the site: its path below the cluster's home, and when it last
    changed."""

    rest: str
    changed: datetime.datetime


def _variant_changed() -> Subquery:
    newest = Variant.objects.filter(product_id=OuterRef("product_id")).order_by(
        "-updated_at"
    )
    return Subquery(newest.values("updated_at")[:1])


def _makers(cluster: Cluster, start: int, stop: int) -> Iterator[Location]:
    rows = (
        _approved_memberships([cluster.pk])
        .annotate(changed=Greatest("updated_at", "member__updated_at"))
        .order_by("member__slug")
        .values_list("member__slug", "changed")[start:stop]
    )
    for slug, changed in rows:
        yield Location(maker_rest(slug), changed)


def _products(cluster: Cluster, start: int, stop: int) -> Iterator[Location]:
    rows = (
        public_listings(cluster)
        .annotate(changed=_product_changed(), variant_changed=_variant_changed())
        .order_by("pk")
        .values_list(
            "product__member__slug", "product__slug", "changed", "variant_changed"
        )[start:stop]
    )
    for member_slug, product_slug, changed, variant_changed in rows.iterator(
        chunk_size=2000
    ):
        yield Location(
            product_rest(member_slug, product_slug), _latest(changed, variant_changed)
        )


def _stories(stats: ClusterStats, start: int, stop: int) -> Iterator[Location]:
    """The journal's page first, then each published story, newest first."""
    cluster = stats.cluster
    if start == 0:
        yield Location(STORIES, _latest(cluster.updated_at, stats.stories_changed))
        stop -= 1
    else:
        start, stop = start - 1, stop - 1
    rows = (
        _published_stories([cluster.pk])
        .order_by("-published_at", "-pk")
        .values_list("slug", "updated_at")[start:stop]
    )
    for slug, changed in rows:
        yield Location(story_rest(slug), changed)


def cluster_locations(stats: ClusterStats, page: int) -> Iterator[Location]:
    """The pages of the site on sitemap file ``page`` (from 1) of the cluster:
    at most three queries (its makers, its products, its stories),
    run as they are read."""
    per_file = locations_per_file()
    start, stop = (page - 1) * per_file, page * per_file
    cluster = stats.cluster
    fixed = (
        Location("", stats.changed),
        Location(SHOP, _latest(cluster.updated_at, stats.products_changed)),
        Location(MEMBERS, _latest(cluster.updated_at, stats.makers_changed)),
    )
    yield from fixed[start:stop]
    offset = len(fixed)
    journal = 1 + stats.stories if stats.stories else 0
    for count, rows in (
        (stats.makers, _makers),
        (stats.products, _products),
    ):
        low, high = max(start - offset, 0), min(stop - offset, count)
        if low < high:
            yield from rows(cluster, low, high)
        offset += count
    low, high = max(start - offset, 0), min(stop - offset, journal)
    if low < high:
        yield from _stories(stats, low, high)


# --- Writing them ---------------------------------------------------------------


def w3c_datetime(moment: datetime.datetime) -> str:
    """``2026-02-14T09:30:00+00:00``: a W3C datetime, in UTC, to the second."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def in_chunks(parts: Iterable[str], size: int = CHUNK_CHARACTERS) -> Iterator[str]:
    """``parts`` joined into pieces of about ``size`` characters (fewer, larger
    pieces for a streamed and compressed response)."""
    buffer: list[str] = []
    length = 0
    for part in parts:
        buffer.append(part)
        length += len(part)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


@dataclass(frozen=True)
class IndexEntry:
    loc: str
    changed: datetime.datetime


def sitemap_index_xml(entries: Iterable[IndexEntry]) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<sitemapindex xmlns="{SITEMAP_NS}">\n'
    for entry in entries:
        yield (
            f"<sitemap><loc>{escape(entry.loc)}</loc>"
            f"<lastmod>{w3c_datetime(entry.changed)}</lastmod></sitemap>\n"
        )
    yield "</sitemapindex>\n"


@dataclass(frozen=True)
class UrlSet:
    """A cluster's sitemap file: its pages of the site on one host."""

    site: ClusterSite
    locations: Iterable[Location] = field(default_factory=tuple)

    def xml(self) -> Iterator[str]:
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n'
        for location in self.locations:
            alternates = self.site.alternates(location.rest)
            links = "".join(
                f'<xhtml:link rel="alternate" hreflang="{code}" href="{escape(url)}"/>'
                for code, url in alternates
            )
            changed = w3c_datetime(location.changed)
            # One <url> per language, each naming every language's address.
            for code, url in alternates:
                if code == "x-default":
                    continue
                yield (
                    f"<url><loc>{escape(url)}</loc><lastmod>{changed}</lastmod>"
                    f"{links}</url>\n"
                )
        yield "</urlset>\n"


def stats_for(cluster: Cluster) -> ClusterStats:
    """One cluster's sitemap counts (two queries)."""
    return cluster_stats([cluster])[0]
