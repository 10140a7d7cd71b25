"""A cluster's brand colours as a stylesheet: ``/c/<slug>/brand.css``.

Cluster pages link it (``clusters/_brand_head.html``) instead of inline styles,
which the Content-Security-Policy forbids. Its ETag and Last-Modified come from the
cluster's ``updated_at``; links carry ``?v=<updated_at>`` (seconds since 1970), and
a request whose ``v`` is the cluster's current version is cached for a year as
``immutable`` (a change to the brand changes the link). Without ``v``, or with an old
one, the copy is cached for five minutes and then checked against the ETag.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from purei.clusters.brand_colours import brand_css
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from

BRAND_CSS_MAX_AGE = 5 * 60
BRAND_CSS_VERSIONED_MAX_AGE = 365 * 24 * 60 * 60


def brand_css_version(changed: float) -> str:
    """The ``v`` a link to the stylesheet carries (``updated_at|date:'U'``)."""
    return str(int(changed))


@require_safe
def brand_css_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    changed = cluster.updated_at.timestamp()
    etag = quote_etag(f"brand-{cluster.pk}-{int(changed * 1000)}")
    response = HttpResponse(brand_css(cluster), content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed)
    if request.GET.get("v") == brand_css_version(changed):
        patch_cache_control(
            response, public=True, max_age=BRAND_CSS_VERSIONED_MAX_AGE, immutable=True
        )
    else:
        patch_cache_control(response, public=True, max_age=BRAND_CSS_MAX_AGE)
    conditional = get_conditional_response(
        request, etag=etag, last_modified=int(changed), response=response
    )
    return conditional if conditional is not None else response
