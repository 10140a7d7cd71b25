"""The URLconf of a cluster's own domain (set by ``ClusterDomainMiddleware``).

``/`` is the cluster's home, ``/members/…``, ``/join/…``, ``/shop/``, ``/p/…``,
``/cart/…``, ``/checkout/``, ``/stories/…``, ``/newsletter/…``, ``/notify/…`` and
``/brand.css`` its pages, and ``/feeds/google.xml`` and ``/feeds/meta.csv`` its
product feeds: each is served by the view that serves ``/c/<slug>/…``
on Pūrei's own host, so every cluster page works on the cluster's domain without
knowing about it.
Everything else (static files, accounts, the API, ``/c/…``) is Pūrei's usual
URLconf, so every URL name still reverses. In te reo the same pages are at
``/mi/…`` on the cluster's domain too (``/mi/``, ``/mi/shop/``, …), as on Pūrei's
host (``purei/urls.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path, resolve
from django.utils.translation import get_language

from purei import urls as root_urls


def domain_page_view(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Serve ``/<rest>`` of the cluster's domain as ``/c/<slug>/<rest>`` (and
    ``/mi/<rest>`` as ``/mi/c/<slug>/<rest>``)."""
    cluster = getattr(request, "cluster_from_domain", None)
    if cluster is None:
        raise Http404
    language = get_language()
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    match = resolve(f"{prefix}/c/{cluster.slug}/{rest}", urlconf=settings.ROOT_URLCONF)
    request.resolver_match = match
    response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    return response


urlpatterns: list[URLPattern | URLResolver] = [
    *i18n_patterns(
        re_path(
            r"^(?P<rest>(?:members/.*|join/.*|trade/.*|shop/|p/.*|cart/.*|checkout/|brand\.css"
            r"|stories/.*|newsletter/.*|notify/.*|feeds/.*)?)$",
            domain_page_view,
            name="cluster-domain-page",
        ),
        prefix_default_language=False,
    ),
    # Pūrei's own URLconf.
    *root_urls.urlpatterns,
]
