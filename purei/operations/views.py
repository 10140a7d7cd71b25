"""The endpoints of those who run Pūrei: ``/healthz``, ``/readyz``, ``/metrics``.

Outside the languages' addresses, never cached, no login, no rate limit; plain
http is not redirected to https for them (``SECURE_REDIRECT_EXEMPT``), as load
balancers and Prometheus ask over plain http. A probe must still send a ``Host``
that ``ALLOWED_HOSTS`` allows (Django answers 400 otherwise).
"""

from __future__ import annotations

import ipaddress
import secrets

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .health import FAIL, readiness
from .metrics import metrics_render

# Headers a proxy adds: a request that carries one came through a proxy, so its
# REMOTE_ADDR (the proxy's, often this machine) says nothing of who asked.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


@csrf_exempt
@never_cache
@require_safe
def healthz_view(request: HttpRequest) -> JsonResponse:
    """The process answers: nothing else is asked (no database, no cache)."""
    return JsonResponse({"status": "ok"})


@csrf_exempt
@never_cache
@require_safe
def readyz_view(request: HttpRequest) -> JsonResponse:
    """200 when every part answers (or only a replica fails: ``degraded``), else
    503; the report part by part (purei.operations.health)."""
    status, report = readiness()
    return JsonResponse(
        {"status": status, **report}, status=503 if status == FAIL else 200
    )


def metrics_allowed(request: HttpRequest) -> bool:
    """A client on this machine that came through no proxy, or the bearer of
    ``METRICS_TOKEN`` (when it is set)."""
    token = settings.METRICS_TOKEN
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        if secrets.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    if any(request.META.get(header) for header in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@csrf_exempt
@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    """The Prometheus exposition; 404 to anyone else than ``metrics_allowed``."""
    if not metrics_allowed(request):
        raise Http404
    body, content_type = metrics_render(request.headers.get("Accept", ""))
    return HttpResponse(body, content_type=content_type)
