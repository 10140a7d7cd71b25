"""HTML goes out gzipped to browsers that ask for it (GZipMiddleware, first in
MIDDLEWARE; docs/performance.md "Compression")."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from purei.clusters.tests.factories import ClusterFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def _shop(client: Client, **headers: str) -> tuple[bytes, dict[str, str]]:
    response = client.get("/c/kaipara/shop/", headers=headers)
    assert response.status_code == 200
    return response.content, dict(response.headers)


def test_the_shop_comes_back_gzipped_and_much_smaller(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    for number in range(24):
        public_product(cluster, title_en=f"Kūmara box {number}")
    # when
    raw, raw_headers = _shop(client)
    sent, headers = _shop(client, accept_encoding="gzip, deflate, br")
    # then
    assert "Content-Encoding" not in raw_headers
    assert b"K\xc5\xabmara box 23" in raw
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    html = gzip.decompress(sent)
    assert b"K\xc5\xabmara box 23" in html
    assert int(headers["Content-Length"]) == len(sent)
    # A 24-product shop is over 10 kB of HTML; gzipped it is under a quarter.
    assert len(html) > 10_000
    assert len(sent) < len(html) / 4


def test_a_browser_that_does_not_ask_gets_plain_html(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    public_product(cluster, title_en="Kūmara box")
    # when
    body, headers = _shop(client, accept_encoding="identity")
    # then
    assert "Content-Encoding" not in headers
    assert "Kūmara box".encode() in body
