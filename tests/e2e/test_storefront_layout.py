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
from django.core.files.base import ContentFile
from playwright.sync_api import Page, ViewportSize

from purei.catalogue.models import ProductImage
from purei.clusters.tests.factories import ClusterFactory
from purei.core.tests.pictures import picture_bytes
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


# --- Pūrei's home, the directory and search's empty state (issue 13) ----------------

# The layout shift a page accumulates while it loads (Core Web Vitals: good < 0.1).
CLS = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) total += entry.value;
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


@pytest.fixture
def clusters(shop: None) -> None:
    """Besides Kai Collective (no pictures): a cluster with a hero, a logo and its
    colours, and one with only its colour; each with products and their photos."""
    wine = ClusterFactory.create(
        slug="wairau",
        name_en="Wairau Wine",
        tagline="Family wineries of the Wairau valley.",
        colour_primary="#7a1f3d",
        colour_accent="#9a3412",
        hero_image=ContentFile(
            picture_bytes(1600, 900, colour=(122, 31, 61)), name="hero.jpg"
        ),
        hero_alt="Vines in rows",
        logo=ContentFile(picture_bytes(200, 200, colour=(240, 230, 210)), name="l.png"),
    )
    oysters = ClusterFactory.create(
        slug="te-hiku",
        name_en="Te Hiku Oysters",
        tagline="Oysters from the harbours at the top of the North Island.",
        colour_primary="#1f4e5f",
        regions=["NZ-NTL"],
    )
    for cluster, title in ((wine, "Pinot Noir"), (oysters, "Pacific oysters")):
        for k in range(3):
            product = public_product(cluster, title_en=f"{title} {k}")
            ProductImage.objects.create(
                product=product,
                image=ContentFile(picture_bytes(400, 300), name="p.jpg"),
                width=400,
                height=300,
                alt_text=f"A photo of {title}",
            )


def test_the_home_shows_clusters_and_products_at_both_widths(
    page: Page, live_server: Any, clusters: None, axe_check: Any
) -> None:
    for size in (PHONE, LAPTOP):
        # when
        page.set_viewport_size(size)
        page.goto(live_server.url + "/")
        # then the first cluster card starts within the first screen
        first = page.locator(".cluster-card").first.bounding_box()
        assert first is not None
        assert first["y"] < size["height"], first
        # its picture is 16:9 (a hero, or its brand panel), drawn at once
        box = page.locator(".cluster-card__media > *").first.bounding_box()
        assert box is not None
        assert abs(box["width"] / box["height"] - 16 / 9) < 0.05, box
        # two clusters to a row on a phone, three on a laptop; products 2 and 4
        rows = {
            "cluster": [b["y"] for b in _boxes(page, ".cluster-card")],
            "product": [b["y"] for b in _boxes(page, ".product-card")],
        }
        per_row = (2, 2) if size == PHONE else (3, 4)
        assert rows["cluster"].count(rows["cluster"][0]) == per_row[0], rows
        assert rows["product"].count(rows["product"][0]) == per_row[1], rows
        # each product says its maker and cluster
        card = page.locator(".product-card").first
        assert card.locator(".product-card__maker").inner_text().startswith("by ")
        assert card.locator(".product-card__clusters a").count() == 1
        # nothing scrolls sideways, nothing shifts as it loads
        assert _scroll_width(page) <= size["width"]
        assert page.evaluate(CLS) < 0.01
        _shot(page, "home", size)
    axe_check(page, "/ at 1280")
    page.set_viewport_size(PHONE)
    axe_check(page, "/ at 390")


def test_a_cluster_card_leads_to_its_shop_by_a_tap_anywhere_on_it(
    page: Page, live_server: Any, clusters: None
) -> None:
    # given a phone on the home
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    # when the shopper taps a card's picture (the name's link covers the card)
    card = page.locator(".cluster-card", has_text="Wairau Wine")
    picture = card.locator(".cluster-card__media").bounding_box()
    assert picture is not None
    page.mouse.click(
        picture["x"] + picture["width"] / 2, picture["y"] + picture["height"] / 2
    )
    # then
    page.wait_for_url("**/c/wairau/")
    assert "Wairau Wine" in page.locator("h1").inner_text()


def test_a_cluster_with_a_logo_keeps_its_header_to_one_row_on_a_phone(
    page: Page, live_server: Any, clusters: None
) -> None:
    # when
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/c/wairau/")
    # then the logo, the name, the cart and the menu share a row
    logo = page.locator(".site-header .brand__logo").bounding_box()
    menu = page.locator(".site-menu__toggle").bounding_box()
    header = page.locator(".site-header").bounding_box()
    assert logo is not None
    assert menu is not None
    assert header is not None
    assert abs(logo["y"] + logo["height"] / 2 - (menu["y"] + menu["height"] / 2)) < 8
    assert header["height"] <= 130, header


def test_the_directory_shows_each_clusters_pictures_at_both_widths(
    page: Page, live_server: Any, clusters: None, axe_check: Any
) -> None:
    for size in (PHONE, LAPTOP):
        # when
        page.set_viewport_size(size)
        page.goto(live_server.url + "/clusters/")
        # then: a hero and logo for Wairau, brand panels for the others
        wine = page.locator(".cluster-card", has_text="Wairau Wine")
        assert wine.locator("img.cluster-card__hero").is_visible()
        assert wine.locator(".cluster-card__logo img").is_visible()
        panels = page.locator(".cluster-card svg.cluster-card__panel")
        assert panels.count() == 2
        oysters = page.locator(".cluster-card", has_text="Te Hiku Oysters")
        assert "3 products · 3 makers" in oysters.inner_text()
        columns = [b["y"] for b in _boxes(page, ".cluster-card")]
        assert columns.count(columns[0]) == (1 if size == PHONE else 3), columns
        assert _scroll_width(page) <= size["width"]
        assert page.evaluate(CLS) < 0.01
        _shot(page, "directory", size)
        axe_check(page, f"/clusters/ at {size['width']}")


def test_search_that_finds_nothing_offers_categories_on_a_phone(
    page: Page, live_server: Any, clusters: None, axe_check: Any
) -> None:
    # given a phone
    page.set_viewport_size(PHONE)
    # when the shopper searches for something nobody sells
    page.goto(live_server.url + "/search/?q=pottery")
    # then: it says so and offers the popular categories, within the first screen
    heading = page.get_by_role("heading", name="No products match “pottery”")
    assert heading.is_visible()
    _shot(page, "search-empty", PHONE)
    axe_check(page, "/search/?q=pottery at 390")
    assert _scroll_width(page) <= PHONE["width"]
    popular = page.locator(".search-empty__popular a")
    assert popular.count() >= 1
    top = popular.first.bounding_box()
    assert top is not None
    assert top["y"] < PHONE["height"], top
    # and the category leads to its products
    page.locator(".search-empty__popular a", has_text="Honey").click()
    page.wait_for_url("**category=kai-honey**")
    assert page.locator(".product-card").count() == 10


def _boxes(page: Page, selector: str) -> list[Any]:
    boxes = (element.bounding_box() for element in page.locator(selector).all())
    return [box for box in boxes if box]


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
