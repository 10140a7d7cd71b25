from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.urls import resolve, translate_url
from django.urls.exceptions import Resolver404
from django.utils.translation import get_language, get_language_info


def site(request: HttpRequest) -> dict[str, Any]:
    """Names the current section so the navigation can mark it with aria-current,
    and gives the page's address in each language (``language_versions``: the
    language switch and the ``hreflang`` alternates; empty on a page no URL
    pattern serves, such as a 404). Worked out once per request and language: a
    page renders many templates with the request (a shop's 24 cards), and each
    render runs the context processors (182 µs each for this one, issue 18)."""
    key = (request.path_info, request.META.get("QUERY_STRING", ""), get_language())
    kept = getattr(request, "_purei_site", None)
    if kept is not None and kept[0] == key:
        return dict(kept[1])
    found = _site(request)
    request._purei_site = (key, found)  # type: ignore[attr-defined]
    return dict(found)


def _site(request: HttpRequest) -> dict[str, Any]:
    none: dict[str, Any] = {"language_versions": [], "language_default_url": ""}
    try:
        match = resolve(request.path_info)
        section = f"{match.namespace}:{match.url_name}" if match.namespace else ""
    except Resolver404:
        return {"nav_section": "", **none}
    try:
        versions = _language_versions(request)
    except DisallowedHost:  # the 400 page for a host we do not serve
        return {"nav_section": section, **none}
    default = next(v["url"] for v in versions if v["code"] == settings.LANGUAGE_CODE)
    return {
        "nav_section": section,
        "language_versions": versions,
        "language_default_url": default,
    }


def _language_versions(request: HttpRequest) -> list[dict[str, Any]]:
    """This page in each language: code, name in that language, path and absolute
    URL (the query string kept), and whether it is the one being shown."""
    current = get_language()
    here = request.get_full_path()
    versions = []
    for code, _name in settings.LANGUAGES:
        path = here if code == current else translate_url(here, code)
        versions.append(
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                "path": path,
                "url": request.build_absolute_uri(path),
                "current": code == current,
            }
        )
    return versions
