"""The site context processor is worked out once per request and language (a
shop page renders its 24 cards with the request, issue 18)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import translation

from purei.web import context_processors


def test_site_is_worked_out_once_per_request_and_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    calls: list[str] = []
    real = context_processors._site

    def counted(request: HttpRequest) -> dict[str, Any]:
        calls.append(translation.get_language())
        return real(request)

    monkeypatch.setattr(context_processors, "_site", counted)
    request = RequestFactory().get("/clusters/")
    # when: many renders of one page, then the page in te reo
    with translation.override("en"):
        english = [context_processors.site(request) for _ in range(24)]
    with translation.override("mi"):
        maori = context_processors.site(request)
    # then
    assert calls == ["en", "mi"]
    assert english[0] == english[23]
    assert english[0]["nav_section"] == "clusters:directory"
    assert maori != english[0]
    english[0]["nav_section"] = "changed by a template"  # a copy each time
    assert context_processors.site(request)["nav_section"] != "changed by a template"
