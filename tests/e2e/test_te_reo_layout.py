"""The te reo pages (/mi/…) on a phone (390 by 844): the header stays one row of brand,
cart and menu, the menu's te reo links (Takiuru, Tō pūkete, Whakahaere, Takiputa) fit,
and no page scrolls sideways. Screenshots under test-results/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize

from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.clusters.tests.factories import ClusterFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture
def kai(db: Any) -> None:
    cluster = ClusterFactory.create(slug="kai", name_en="Kai Collective")
    public_product(cluster, title_en="Mānuka honey")


def _scroll_width(page: Page) -> int:
    width: int = page.evaluate("() => document.documentElement.scrollWidth")
    return width


def _header_height(page: Page) -> float:
    box = page.locator(".site-header").bounding_box()
    assert box is not None
    return box["height"]


@pytest.mark.parametrize(
    "path", ["/mi/", "/mi/c/kai/", "/mi/finder/", "/mi/accounts/login/"]
)
def test_a_te_reo_page_keeps_its_header_on_one_row_on_a_phone(
    page: Page, live_server: Any, kai: None, path: str
) -> None:
    # given a phone
    page.set_viewport_size(PHONE)
    # when the te reo page and its English twin are shown
    page.goto(live_server.url + path)
    maori = _header_height(page)
    assert _scroll_width(page) <= PHONE["width"], path
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-")
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    page.goto(live_server.url + path.removeprefix("/mi"))
    english = _header_height(page)
    # then the te reo header is no taller than the English one
    assert maori <= max(english, 130), (path, maori, english)


def test_the_te_reo_menu_of_someone_logged_in_fits_a_phone(
    page: Page, live_server: Any, kai: None
) -> None:
    # given someone logged in on a phone
    user = UserFactory.create(email="aroha@example.nz")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/mi/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/mi/**")
    # when the menu opens
    page.goto(live_server.url + "/mi/")
    page.locator(".site-menu__toggle").click()
    menu = page.locator(".site-menu .site-nav")
    # then its te reo links are there, marked, and nothing scrolls sideways
    for label in ("Tō pūkete", "Whakahaere", "Takiputa"):
        item = menu.locator(f"[lang=mi]:text-is('{label}')")
        assert item.count() == 1, label
        box = item.bounding_box()
        assert box is not None, label
        assert box["x"] + box["width"] <= PHONE["width"], label
    assert _scroll_width(page) <= PHONE["width"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "mi-menu-390.png"), full_page=True)


def test_the_te_reo_account_pages_have_no_axe_violations(
    page: Page, live_server: Any, kai: None, axe_check: Any
) -> None:
    # given someone with an account, logged out
    user = UserFactory.create(email="aroha@example.nz")
    for path in ("/mi/accounts/login/", "/mi/accounts/signup/", "/mi/no-such-page/"):
        page.goto(live_server.url + path)
        axe_check(page, path)
    # when a login fails, then succeeds
    page.goto(live_server.url + "/mi/accounts/login/")
    page.fill("#id_username", user.email)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page, "/mi/accounts/login/ with errors")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/mi/**")
    # then the account pages in te reo pass too
    for path in ("/mi/accounts/", "/mi/accounts/password/", "/mi/finder/"):
        page.goto(live_server.url + path)
        axe_check(page, path)
