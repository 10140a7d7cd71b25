"""Meta descriptions of the product and shop pages: escaped exactly once (issue 11,
defect 12 was found on the member page; these pages are checked for the same)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from purei.clusters.tests.factories import ClusterFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

HOSTILE = 'Tom & Jerry <img src=x onerror=alert(1)> grow kai, 5 < 6 "always".'


def meta(body: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{name}" content="([^"]*)">', body)
    assert match is not None, f"no {name}"
    return match.group(1)


def assert_escaped_once(content: str, text: str) -> None:
    assert html.unescape(content) == text
    assert "&amp;amp;" not in content
    assert "&amp;lt;" not in content
    assert "<" not in content


def test_the_product_page_describes_the_product_escaped_once(client: Client):
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, slug="kai", description_en=HOSTILE)
    # when
    response = client.get(f"/c/kaipara/p/{product.member.slug}/kai/")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert_escaped_once(meta(body, "name", "description"), HOSTILE)
    assert_escaped_once(meta(body, "property", "og:description"), HOSTILE)


def test_the_shop_page_names_its_cluster_escaped_once(client: Client):
    # given
    ClusterFactory.create(slug="kaipara", name_en="Kai & Co <b>")
    # when
    response = client.get("/c/kaipara/shop/")
    # then
    assert response.status_code == 200
    assert_escaped_once(
        meta(response.content.decode(), "name", "description"),
        "Everything the members of Kai & Co <b> make and sell, in one shop.",
    )
