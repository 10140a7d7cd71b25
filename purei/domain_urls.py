"""The URLconf of a cluster's own domain (set by ``ClusterDomainMiddleware``).

``/`` is the cluster's home, ``/members/…``, ``/join/…``, ``/shop/``, ``/p/…``,
``/cart/…``, ``/checkout/`` and
``/brand.css`` its pages: each is served by the view that serves ``/c/<slug>/…``
on Pūrei's own host, so every cluster page works on the cluster's domain without
knowing about it.
Everything else (static files, accounts, the API, ``/c/…``) is Pūrei's usual
URLconf, so every URL name still reverses.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path, resolve

from purei import urls as root_urls


def domain_page_view(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Serve ``/<rest>`` of the cluster's domain as ``/c/<slug>/<rest>``."""
    cluster = getattr(request, "cluster_from_domain", None)
    if cluster is None:
        raise Http404
    match = resolve(f"/c/{cluster.slug}/{rest}", urlconf=settings.ROOT_URLCONF)
    request.resolver_match = match
    response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    return response


urlpatterns: list[URLPattern | URLResolver] = [
    re_path(
        r"^(?P<rest>(?:members/.*|join/.*|trade/.*|shop/|p/.*|cart/.*|checkout/|brand\.css)?)$",
        domain_page_view,
        name="cluster-domain-page",
    ),
    # Pūrei's own URLconf (its list holds the API's include tuple, hence the cast).
    *cast(list[URLPattern | URLResolver], root_urls.urlpatterns),
]
