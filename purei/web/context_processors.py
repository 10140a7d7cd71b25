from typing import Any

from django.http import HttpRequest
from django.urls import resolve
from django.urls.exceptions import Resolver404


def site(request: HttpRequest) -> dict[str, Any]:
    """Names the current section so the navigation can mark it with aria-current."""
    try:
        match = resolve(request.path_info)
        section = f"{match.namespace}:{match.url_name}" if match.namespace else ""
    except Resolver404:
        section = ""
    return {"nav_section": section}
