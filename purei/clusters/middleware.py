"""Clusters on their own domains: a request to a live cluster's ``domain`` is served
that cluster's pages (``/`` its home, ``/members/…`` its members, ``/join/``).

Add after ``CommonMiddleware``. Production lets cluster domains through
``ALLOWED_HOSTS``: list each of them (``ALLOWED_HOSTS=purei.nz,shop.example.nz``), or
set ``ALLOWED_HOSTS=*`` behind a proxy that only forwards known hosts. With ``*``,
this middleware still answers 400 to a host that is neither Pūrei's own (the host
of ``SITE_URL``, or another entry of ``ALLOWED_HOSTS``) nor a live cluster's.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.request import split_domain_port, validate_host
from django.utils.translation import gettext as _

from .brand_domains import platform_hosts
from .manage_selectors import cluster_get_by_domain

DOMAIN_URLCONF = "purei.domain_urls"


class ClusterDomainMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.cluster_from_domain = None  # type: ignore[attr-defined]  # set per request
        # get_host() checks ALLOWED_HOSTS: a host outside it is a 400 (DisallowedHost).
        hostname, _port = split_domain_port(request.get_host())
        hostname = hostname.lower()
        if hostname and hostname not in platform_hosts():
            cluster = cluster_get_by_domain(hostname)
            if cluster is not None:
                request.cluster_from_domain = cluster  # type: ignore[attr-defined]  # read by the domain views
                request.urlconf = DOMAIN_URLCONF  # Django's per-request URLconf
            elif "*" in settings.ALLOWED_HOSTS and not validate_host(
                hostname, [host for host in settings.ALLOWED_HOSTS if host != "*"]
            ):
                return HttpResponseBadRequest(
                    _("This address is not served here."),
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)
