"""A deprecated operation says so in every answer; a current one says nothing."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import path
from ninja import Router

from purei.api.api import PureiAPI
from purei.api.versioning import install

router = Router()


@router.get(
    "/old",
    deprecated=True,
    openapi_extra={
        "x-deprecation": {
            "since": "2027-01-01",
            "sunset": "2027-07-01",
            "instead": "GET /new",
        }
    },
)
def old(request: HttpRequest) -> dict[str, bool]:
    return {"old": True}


@router.get("/new")
def new(request: HttpRequest) -> dict[str, bool]:
    return {"new": True}


api = PureiAPI(urls_namespace="versioning-test")
api.add_router("/", router)
install(api)
urlpatterns = [path("v/", api.urls)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_deprecated_operation_sends_deprecation_sunset_and_link() -> None:
    response = Client().get("/v/old")
    assert response.status_code == 200
    # RFC 9745: @ and the Unix time of 2027-01-01T00:00:00Z.
    assert response["Deprecation"] == "@1798761600"
    assert response["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"
    assert 'rel="deprecation"' in response["Link"]


@override_settings(ROOT_URLCONF=__name__)
def test_a_current_operation_sends_no_deprecation() -> None:
    response = Client().get("/v/new")
    assert response.status_code == 200
    assert "Deprecation" not in response
    assert "Sunset" not in response


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_the_document_marks_the_operation_deprecated() -> None:
    schema = api.get_openapi_schema()
    assert schema["paths"]["/v/old"]["get"]["deprecated"] is True
    assert "deprecated" not in schema["paths"]["/v/new"]["get"]
