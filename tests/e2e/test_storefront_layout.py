"""The storefront as shoppers see it, at a laptop's 1280 by 800 and a phone's
390 by 844 (issue 13): products within the first screen of the shop and search on a
phone, a dense grid (4 columns from 1200 px, 2 on a phone), the filters folded on a
phone and open beside the products on a laptop, a product page's Add to cart in the
first screen (the buy box right after the first photo on a phone, beside the
gallery on a laptop), and no page scrolling sideways. Each page's screenshot at
both widths is saved under test-results/screenshots/ (CI keeps them)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize

from purei.clusters.tests.factories import ClusterFactory
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.search.tests.factories import CategoryFactory, public_product
from tests.e2e.product_data import PRODUCT_PATH, product_page_data

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 800}
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture
def shop(db: Any) -> None:
    cluster = ClusterFactory.create(slug="kai", name_en="Kai Collective")
    category = CategoryFactory.create(slug="kai-honey", name_en="Honey")
    for n, name in enumerate(("Hive Hill", "Bee Bay")):
        member = MemberFactory.create(
            slug=f"maker-{n}",
            trading_name=name,
            town="Martinborough",
            latitude=Decimal("-41.2184"),
            longitude=Decimal("175.4587"),
        )
        MembershipFactory.create(member=member, cluster=cluster)
        for k in range(5):
            public_product(
                cluster,
                member=member,
                slug=f"honey-{n}-{k}",
                title_en=f"Mānuka honey {n}{k}",
                category=category,
            )


def _shot(page: Page, name: str, size: ViewportSize) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{size['width']}.png"), full_page=True)


def _cards(page: Page) -> list[Any]:
    """Where each product card is on the page."""
    boxes = (card.bounding_box() for card in page.locator(".product-card").all())
    return [box for box in boxes if box]


def _scroll_width(page: Page) -> int:
    width: int = page.evaluate("() => document.documentElement.scrollWidth")
    return width


@pytest.mark.parametrize(
    "path", ["/c/kai/shop/", "/search/?q=honey", "/c/kai/members/maker-0/"]
)
def test_a_phone_shows_products_in_its_first_screen(
    page: Page, live_server: Any, shop: None, path: str
) -> None:
    # given a phone
    page.set_viewport_size(PHONE)
    # when
    page.goto(live_server.url + path)
    # then the first product card starts within the first screen
    top = page.locator(".product-card").first.bounding_box()
    assert top is not None
    assert top["y"] < PHONE["height"], top
    # two cards side by side
    boxes = [
        b
        for b in (c.bounding_box() for c in page.locator(".product-card").all()[:2])
        if b
    ]
    assert boxes[0]["y"] == boxes[1]["y"]
    # the filters are folded away, and nothing scrolls sideways
    if path != "/c/kai/members/maker-0/":
        assert not page.locator(".shop-facets").first.is_visible()
        assert page.locator(".filter-panel__toggle").is_visible()
    assert _scroll_width(page) <= PHONE["width"]
    _shot(page, path.strip("/").replace("/", "-").replace("?q=", "-") or "home", PHONE)


def test_a_laptop_shows_four_columns_and_the_filters_beside_them(
    page: Page, live_server: Any, shop: None
) -> None:
    # given
    page.set_viewport_size(LAPTOP)
    # when
    page.goto(live_server.url + "/c/kai/shop/?category=kai-honey")
    # then
    cards = [
        b for b in (c.bounding_box() for c in page.locator(".product-card").all()) if b
    ]
    first_row = [b for b in cards if b["y"] == cards[0]["y"]]
    assert len(first_row) == 4
    assert page.locator(".shop-facets").is_visible()
    assert not page.locator(".filter-panel__toggle").is_visible()
    # the active filter is a chip that removes it
    chip = page.locator(".filter-chip")
    assert "Category: Honey" in chip.inner_text()
    chip.click()
    page.wait_for_url("**/c/kai/shop/")
    assert page.locator(".filter-chip").count() == 0
    _shot(page, "c-kai-shop", LAPTOP)


def test_on_a_phone_the_filter_panel_opens_and_filters(
    page: Page, live_server: Any, shop: None
) -> None:
    # given
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/c/kai/shop/")
    # when the shopper opens the panel and picks a maker
    page.locator(".filter-panel__toggle").click()
    page.get_by_role("link", name="Bee Bay").click()
    # then
    page.wait_for_url("**member=maker-1**")
    assert page.locator(".product-card").count() == 5
    assert "Maker: Bee Bay" in page.locator(".filter-chip").inner_text()


@pytest.mark.parametrize(
    "path", ["/", "/c/kai/", "/c/kai/p/maker-0/honey-0-0/", "/c/kai/cart/"]
)
def test_no_page_scrolls_sideways_on_a_phone(
    page: Page, live_server: Any, shop: None, path: str
) -> None:
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        page.goto(live_server.url + path)
        assert _scroll_width(page) <= size["width"], (path, size)
        _shot(page, path.strip("/").replace("/", "-") or "home", size)


def test_a_clusters_header_is_its_shop_and_pureis_own_links_are_in_its_footer(
    page: Page, live_server: Any, shop: None
) -> None:
    # given a phone on the cluster's home
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/c/kai/")
    # then the header is one row of brand, cart and menu, and the search
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] <= 130, header
    # the first thing to do is shop; joining is for businesses, further down
    first = page.locator("main .button").first
    assert first.inner_text().startswith("Shop")
    join = page.get_by_role("link", name="Join this cluster").bounding_box()
    assert join is not None
    assert join["y"] > PHONE["height"]
    # the menu opens to the cluster's own links
    page.locator(".site-menu__toggle").click()
    menu = page.locator(".site-menu .site-nav")
    assert menu.get_by_role("link", name="Shop").is_visible()
    assert menu.get_by_role("link", name="Apply").count() == 0
    # and Pūrei's own links are in the footer
    footer = page.locator(".site-footer")
    assert footer.get_by_role("link", name="Apply to form a cluster").count() == 1
    assert footer.get_by_role("link", name="Which type are we?").count() == 1
    _shot(page, "c-kai-menu", PHONE)


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_product_pages_add_to_cart_is_in_the_first_screen(
    page: Page, live_server: Any, db: Any, size: ViewportSize
) -> None:
    # given a product with three photos, three sizes, delivery and related products
    product_page_data()
    page.set_viewport_size(size)
    # when
    page.goto(live_server.url + PRODUCT_PATH)
    # then Add to cart is wholly within the first screen
    button = page.get_by_role("button", name="Add to cart").bounding_box()
    assert button is not None
    assert button["y"] + button["height"] <= size["height"], button
    title = page.locator("h1").bounding_box()
    photo = page.locator(".product-gallery__viewport").bounding_box()
    assert title is not None
    assert photo is not None
    if size == PHONE:
        # the buy box comes right after the first photo (and its thumbnails)
        assert title["y"] >= photo["y"] + photo["height"]
        assert title["y"] - (photo["y"] + photo["height"]) < 100
    else:
        # two columns: the gallery, and the buy box beside it
        assert title["x"] >= photo["x"] + photo["width"]
        assert abs(title["y"] - photo["y"]) < 40
    # related products below, and nothing scrolls sideways
    assert page.locator(".product-page__related .product-card").count() == 4
    assert _scroll_width(page) <= size["width"]
    _shot(page, "product", size)
