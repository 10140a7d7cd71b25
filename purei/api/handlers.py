"""Django's own refusals (no URL matched, a request it could not read, a crash)
under ``/api/`` answer in the API's error shape, as JSON; elsewhere they are the
site's pages, as before. Wired as ``handler400``/``handler404``/``handler500`` in
``purei/urls.py``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"code": code, "message": message, "field": None}, status=status
    )


def bad_request(
    request: HttpRequest, exception: Exception, **kwargs: Any
) -> HttpResponse:
    if _is_api(request):
        return _error("invalid", "The request could not be read.", 400)
    return defaults.bad_request(request, exception, **kwargs)


def page_not_found(
    request: HttpRequest, exception: Exception, **kwargs: Any
) -> HttpResponse:
    if _is_api(request):
        return _error("not_found", "Not found.", 404)
    return defaults.page_not_found(request, exception, **kwargs)


def server_error(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    if _is_api(request):
        return _error("error", "Something went wrong on our side.", 500)
    return defaults.server_error(request, **kwargs)
