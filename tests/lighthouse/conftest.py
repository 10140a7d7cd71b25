"""Lighthouse on the demo as a newcomer gets it: migrated, seeded, static files
collected and served by gunicorn (``purei serve``), on a free loopback port.

The demo is built once per run in a temporary data directory. A shopper's session
(a cart holding products from two makers) is made over HTTP, as a browser would, so
the cart and checkout pages are measured with something in them.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.live_demo import build_demo, demo_env, free_port, served

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
# The cluster measured: a Local cluster with many makers and painted product pictures.
CLUSTER = "martinborough-fair"


@dataclass(frozen=True)
class Demo:
    base: str
    cookie: str  # the shopper's session cookie, "sessionid=…"
    pages: dict[str, str]  # page type -> path


def _first(pattern: str, html: str, what: str) -> str:
    match = re.search(pattern, html)
    assert match, f"no {what} found"
    return next(group for group in match.groups() if group)


def _shopper(base: str) -> tuple[str, dict[str, str]]:
    """Put products from two makers in a cart; return the session cookie and the
    paths of the pages to measure."""
    http = requests.Session()
    shop = f"/c/{CLUSTER}/shop/"
    html = http.get(base + shop, timeout=30).text
    products = list(
        dict.fromkeys(re.findall(rf'href="(/c/{CLUSTER}/p/[\w-]+/[\w-]+/)"', html))
    )
    assert len(products) >= 2, "the demo shop lists fewer than two products"
    makers_seen: set[str] = set()
    for path in products:
        maker = path.split("/")[4]
        if maker in makers_seen:
            continue
        page = http.get(base + path, timeout=30).text
        token = _first(r'name="csrfmiddlewaretoken" value="([^"]+)"', page, "token")
        # A hidden input for one option, else the select's first option.
        variant = _first(
            r'name="variant"[^>]*value="(\d+)"|name="variant"[^>]*>\s*<option[^>]*value="(\d+)"',
            page,
            "variant",
        )
        added = http.post(
            f"{base}/c/{CLUSTER}/cart/add/",
            data={"csrfmiddlewaretoken": token, "variant": variant, "quantity": "1"},
            headers={"Referer": base + path},
            timeout=30,
        )
        assert added.ok, f"adding {path} to the cart answered {added.status_code}"
        makers_seen.add(maker)
        if len(makers_seen) == 2:
            break
    cookie = http.cookies.get("sessionid")
    assert cookie, "no session cookie after adding to the cart"
    cart = http.get(f"{base}/c/{CLUSTER}/cart/", timeout=30).text
    assert f'href="/c/{CLUSTER}/checkout/"' in cart, "the cart is empty"
    product = products[0]
    pages = {
        "home": "/",
        "finder": "/finder/",
        "shop": shop,
        "product": product,
        "member": f"/c/{CLUSTER}/members/{product.split('/')[4]}/",
        "cart": f"/c/{CLUSTER}/cart/",
        "checkout": f"/c/{CLUSTER}/checkout/",
    }
    return f"sessionid={cookie}", pages


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Generator[Demo]:
    if not LIGHTHOUSE.exists():
        pytest.fail(
            "Lighthouse is not installed: npm ci --prefix tools/lighthouse "
            "(make lighthouse does it)",
            pytrace=False,
        )
    data_dir = tmp_path_factory.mktemp("lighthouse-demo")
    env = demo_env(data_dir, free_port())
    build_demo(env)
    try:
        with served(env) as base:
            cookie, pages = _shopper(base)
            yield Demo(base=base, cookie=cookie, pages=pages)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Out of `make test` (-m "not browser"): these need Chromium, Node and a server.
    for item in items:
        if "tests/lighthouse/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.lighthouse)
