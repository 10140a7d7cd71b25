"""Where a cluster's public pages are, for the machines that read them (sitemaps,
product feeds, the widget), on the host being asked.

On Pūrei's own host a cluster's pages are under ``/c/<slug>/`` in English and
``/mi/c/<slug>/`` in te reo Māori; on the cluster's own domain
(``purei.domain_urls``) they are at ``/`` and ``/mi/``. Below a cluster's home,
every page has the same path in both languages and on both hosts (``shop/``,
``members/<member>/``, ``p/<member>/<product>/``): the URL patterns are not
translated. So one ``reverse`` per language and cluster gives every address, and a
catalogue of 10,000 products costs no URL resolving per product.

The languages, and the home of each, are what the pages' own ``hreflang``
alternates say (``purei.web.context_processors``: ``settings.LANGUAGES``,
``translate_url``); ``x-default`` is the default language's address, as there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url

from purei.clusters.models import Cluster

# The other pages of a cluster, as paths below its home.
SHOP = "shop/"
MEMBERS = "members/"
STORIES = "stories/"


def maker_rest(member_slug: str) -> str:
    """A maker's page below its cluster's home (``catalogue:maker``)."""
    return f"members/{member_slug}/"


def story_rest(story_slug: str) -> str:
    """A story's page below its cluster's home (``marketing:story``)."""
    return f"{STORIES}{story_slug}/"


def product_rest(member_slug: str, product_slug: str) -> str:
    """A product's page below its cluster's home (``catalogue:public-product``)."""
    return f"p/{member_slug}/{product_slug}/"


def embed_rest(member_slug: str) -> str:
    """A maker's embeddable list of products (``marketing:embed``)."""
    return f"members/{member_slug}/embed/"


def language_codes() -> list[str]:
    """The languages of the pages, the default first (as ``settings.LANGUAGES``)."""
    codes = [code for code, _name in settings.LANGUAGES]
    codes.sort(key=lambda code: code != settings.LANGUAGE_CODE)
    return codes


def on_own_domain(request: HttpRequest, cluster: Cluster) -> bool:
    """Whether ``request`` came to ``cluster``'s own domain."""
    here = getattr(request, "cluster_from_domain", None)
    return here is not None and here.pk == cluster.pk


@dataclass(frozen=True)
class ClusterSite:
    """A cluster's pages on one host: ``origin`` (``https://host``) and the path of
    the cluster's home in each language (default language first)."""

    origin: str
    homes: tuple[tuple[str, str], ...]  # (language code, path of the home)

    @property
    def default_home(self) -> str:
        return self.homes[0][1]

    def url(self, rest: str = "", language: str | None = None) -> str:
        """The absolute address of ``rest`` (a path below the home) in
        ``language`` (the default language when None)."""
        home = dict(self.homes).get(language or "", self.default_home)
        return f"{self.origin}{home}{rest}"

    def alternates(self, rest: str = "") -> list[tuple[str, str]]:
        """``(hreflang, absolute URL)`` of ``rest`` in every language, then
        ``x-default`` (the default language's)."""
        found = [(code, f"{self.origin}{home}{rest}") for code, home in self.homes]
        return [*found, ("x-default", found[0][1])]


def origin_of(request: HttpRequest) -> str:
    """``scheme://host`` of the request (what a page's canonical address uses)."""
    return request.build_absolute_uri("/").rstrip("/")


def cluster_site(request: HttpRequest, cluster: Cluster) -> ClusterSite:
    """Where ``cluster``'s pages are on the host ``request`` came to."""
    if on_own_domain(request, cluster):
        english = "/"
    else:
        english = reverse("catalogue:cluster-home", kwargs={"slug": cluster.slug})
    homes = tuple(
        (
            code,
            english if code == settings.LANGUAGE_CODE else translate_url(english, code),
        )
        for code in language_codes()
    )
    return ClusterSite(origin=origin_of(request), homes=homes)
