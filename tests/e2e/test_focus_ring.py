"""The focus ring as a keyboard user sees it: measured in Chromium, against the
colour it sits on, on Pūrei's own pages and on a cluster with its own brand
colour (WCAG 1.4.11: at least 3:1). And radio buttons and checkboxes are at
least 24 by 24 px (WCAG 2.5.8)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from purei.clusters.brand_colours import MIN_FOCUS_CONTRAST, contrast_ratio
from purei.clusters.tests.factories import ClusterFactory

pytestmark = pytest.mark.browser

RING = """(selector) => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let node = el.parentElement, bg = 'rgba(0, 0, 0, 0)';
  while (node) {
    bg = getComputedStyle(node).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') break;
    node = node.parentElement;
  }
  return {ring: style.outlineColor, width: style.outlineWidth,
          style: style.outlineStyle, background: bg,
          inHeader: !!el.closest(selector)};
}"""


# Every visible radio button and checkbox on the page, as [width, height] in px.
TARGETS = """() => [...document.querySelectorAll(
    'input[type=radio], input[type=checkbox]')]
  .filter(i => i.offsetParent !== null)
  .map(i => { const r = i.getBoundingClientRect(); return [r.width, r.height]; })"""


def _hex(css: str) -> str:
    numbers = css[css.index("(") + 1 : css.index(")")].split(",")
    r, g, b = (int(float(n)) for n in numbers[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def _tab_to_header_link(page: Page) -> dict[str, Any]:
    for _ in range(12):
        page.keyboard.press("Tab")
        found: dict[str, Any] = page.evaluate(RING, ".site-header")
        if found["inHeader"]:
            return found
    raise AssertionError("no focusable link in the header")


@pytest.mark.parametrize(
    ("path", "brand"),
    [("/", ""), ("/c/ring-kai/", "#3a2c6b"), ("/c/ring-plain/", "")],
)
def test_the_headers_focus_ring_measures_at_least_3_to_1(
    page: Page, live_server: Any, db: Any, path: str, brand: str
) -> None:
    # given a cluster with its own brand colour, and one without
    ClusterFactory.create(slug="ring-kai", colour_primary="#3a2c6b")
    ClusterFactory.create(slug="ring-plain")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + path)
    # when a keyboard user tabs into the header
    found = _tab_to_header_link(page)
    # then the ring is drawn, and stands out from the header's colour
    assert found["style"] == "solid"
    assert float(found["width"].removesuffix("px")) >= 2
    ratio = contrast_ratio(_hex(found["ring"]), _hex(found["background"]))
    assert ratio >= MIN_FOCUS_CONTRAST, found
    if brand:
        assert _hex(found["background"]) == brand


def test_a_focus_ring_in_the_page_measures_at_least_3_to_1(
    page: Page, live_server: Any, db: Any
) -> None:
    # given
    page.goto(live_server.url + "/")
    # when a link in the page's main content has the focus
    page.locator("main a:visible").first.focus()
    found = page.evaluate(RING, ".site-header")
    # then
    assert not found["inHeader"]
    ratio = contrast_ratio(_hex(found["ring"]), _hex(found["background"]))
    assert ratio >= MIN_FOCUS_CONTRAST, found


def test_radio_buttons_and_checkboxes_are_at_least_24_px(
    page: Page, live_server: Any, db: Any
) -> None:
    # given pages with radio buttons (the finder's answers, the directory's type
    # filter); checkout's checkboxes are measured in test_buy_from_three_stallholders
    page.goto(live_server.url + "/finder/")
    sizes = page.evaluate(TARGETS)
    page.goto(live_server.url + "/clusters/")
    sizes += page.evaluate(TARGETS)
    # then
    assert sizes, "no radio button or checkbox found"
    assert all(w >= 24 and h >= 24 for w, h in sizes), sizes
