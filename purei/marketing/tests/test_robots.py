"""robots.txt: the storefront open, private screens, cart, checkout and search
variations closed, and the sitemap's absolute address."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from purei.clusters.tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db

DOMAIN = "shop.marlboroughwine.nz"


def _rules(text: str) -> list[tuple[str, str]]:
    rules = []
    for line in text.splitlines():
        field, _colon, value = line.partition(":")
        if field.strip().lower() in {"allow", "disallow"}:
            rules.append((field.strip().lower(), value.strip()))
    return rules


def _matches(pattern: str, path: str) -> bool:
    """RFC 9309 §2.2.3: ``*`` any characters, ``$`` the end."""
    regex = "".join(
        ".*" if char == "*" else "$" if char == "$" else re.escape(char)
        for char in pattern
    )
    return re.match(regex, path) is not None


def allowed(text: str, path: str) -> bool:
    """Whether a crawler may fetch ``path``: the longest matching rule decides,
    ``allow`` winning a tie (RFC 9309 §2.2.2)."""
    best: tuple[int, bool] = (-1, True)
    for verb, pattern in _rules(text):
        if pattern and _matches(pattern, path):
            candidate = (len(pattern), verb == "allow")
            best = max(best, candidate)
    return best[1]


OPEN = [
    "/",
    "/mi/",
    "/clusters/",
    "/c/wine/",
    "/mi/c/wine/",
    "/c/wine/shop/",
    "/c/wine/members/",
    "/c/wine/members/vines/",
    "/c/wine/p/vines/pinot/",
    "/mi/c/wine/p/vines/pinot/",
    "/c/wine/join/",
    "/c/wine/trade/",
    "/search/",
    "/media/catalogue/products/a.jpg",
    "/sitemap.xml",
    "/c/wine/feeds/google.xml",
]
CLOSED = [
    "/manage/",
    "/manage/members/vines/",
    "/mi/manage/",
    "/accounts/login/",
    "/mi/accounts/orders/",
    "/api/v1/search",
    "/admin/",
    "/staff/applications/",
    "/orders/P-1234/",
    "/c/wine/cart/",
    "/mi/c/wine/cart/",
    "/c/wine/checkout/",
    "/c/wine/shop/?q=pinot",
    "/c/wine/shop/?page=2",
    "/c/wine/members/?q=vines",
    "/search/?q=pinot",
    "/mi/search/?q=pinot",
    "/c/wine/join/vines/",
    "/c/wine/trade/rfqs/",
    "/payments/stripe/webhook/",
]


def test_robots_txt_opens_the_storefront_and_closes_the_rest(client: Client):
    # when
    response = client.get("/robots.txt")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("User-agent: *\n")
    for path in OPEN:
        assert allowed(text, path), path
    for path in CLOSED:
        assert not allowed(text, path), path


def test_robots_txt_names_the_absolute_sitemap_index(client: Client):
    text = client.get("/robots.txt").content.decode()
    assert "\nSitemap: http://testserver/sitemap.xml\n" in text
    secure = client.get("/robots.txt", secure=True).content.decode()
    assert "\nSitemap: https://testserver/sitemap.xml\n" in secure


@override_settings(ALLOWED_HOSTS=[DOMAIN, "testserver"])
def test_on_a_clusters_domain_its_root_pages_are_ruled_too(client: Client):
    # given
    ClusterFactory.create(slug="wine", domain=DOMAIN)
    # when
    text = client.get("/robots.txt", HTTP_HOST=DOMAIN).content.decode()
    # then
    assert f"\nSitemap: http://{DOMAIN}/sitemap.xml\n" in text
    for path in ["/", "/shop/", "/p/vines/pinot/", "/members/vines/", "/mi/shop/"]:
        assert allowed(text, path), path
    for path in ["/cart/", "/checkout/", "/mi/cart/", "/shop/?q=x", "/manage/"]:
        assert not allowed(text, path), path
