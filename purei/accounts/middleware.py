"""Remember the language a logged-in person switches to, for the emails Pūrei
sends them.

The language switch is a pair of links (each page's address in the other
language), so there is no form to catch: a switch is a page in one language
opened from a page of this site in another (the ``Referer``, which this site's
``same-origin`` policy sends). Only then is anything written (one UPDATE, through
``user_language_set``); every other request costs nothing.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

from .services import user_language_set


class LanguageRememberMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        referer = request.headers.get("referer", "")
        if (
            not referer
            or request.method != "GET"
            or response.status_code != 200
            or request.headers.get("hx-request")
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        came_from = urlsplit(referer)
        if came_from.netloc != request.get_host():
            return response
        now = translation.get_language_from_path(request.path_info)
        before = translation.get_language_from_path(came_from.path)
        if (now or settings.LANGUAGE_CODE) == (before or settings.LANGUAGE_CODE):
            return response  # no switch: nothing is read or written
        if now is None and before is not None and not _is_page(request, before):
            return response  # not a page in a language (an API call, the admin…)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_language_set(user=user, language=now or settings.LANGUAGE_CODE)
        return response


def _is_page(request: HttpRequest, other: str) -> bool:
    """Whether this unprefixed path is a page in the default language: one that
    also exists under the ``other`` language's prefix."""
    with translation.override(other):
        try:
            resolve(f"/{other}{request.path_info}")
        except Resolver404:
            return False
    return True
