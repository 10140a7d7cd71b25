"""A shopper on a product page (issue 13): adding to the cart stays on the page,
with JavaScript (the cart link updates, no navigation, the focus stays on the
button) and without it (back to the page with a message); refusals in both; the
gallery by keyboard; delivery for the shopper's region; axe on every state."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from tests.e2e.product_data import PRODUCT_PATH, product_page_data

pytestmark = pytest.mark.browser


@pytest.fixture
def product_page(db: Any) -> None:
    product_page_data()


def _mark_document(page: Page) -> None:
    """Mark this document: a page load would lose the mark (a same-document
    history entry, as htmx pushes, keeps it)."""
    page.evaluate("() => { window.stillHere = true; }")


def _same_document(page: Page) -> bool:
    return bool(page.evaluate("() => window.stillHere === true"))


def test_adding_with_javascript_updates_the_cart_without_leaving_the_page(
    page: Page, live_server: Any, product_page: None, axe_check: Any
) -> None:
    # given
    url = live_server.url + PRODUCT_PATH
    page.goto(url)
    _mark_document(page)
    # when the shopper picks the 500 g jar, two of them, and adds
    page.get_by_label("Option", exact=True).select_option(label="500 g — $32.00")
    expect(page.locator("[data-buy-price]")).to_have_text("$32.00")
    page.get_by_label("Quantity").fill("2")
    button = page.get_by_role("button", name="Add to cart")
    button.focus()
    page.keyboard.press("Enter")
    # then the status region says so, with the cart so far
    status = page.locator("#add-to-cart-status")
    expect(status).to_contain_text(
        "Added Raw mānuka honey, cold-extracted (500 g) to your cart."
    )
    expect(status).to_contain_text("Your cart: 2 items, $64.00")
    # the header's cart link counts them, and the page never changed
    expect(page.locator("#cart-link")).to_have_text("Cart (2 items)")
    assert _same_document(page)
    assert page.url == url
    # the focus is still on the button: the shopper can add more, or go on
    expect(button).to_be_focused()
    axe_check(page, "product page after adding")
    # and the link in the confirmation goes to the cart
    status.get_by_role("link", name="View cart").click()
    page.wait_for_url("**/c/kai/cart/")
    expect(
        page.get_by_role("link", name=re.compile("Raw mānuka honey"))
    ).to_be_visible()


def test_a_refusal_with_javascript_is_said_beside_the_button(
    page: Page, live_server: Any, product_page: None
) -> None:
    # given
    page.goto(live_server.url + PRODUCT_PATH)
    # when more than there are (three of each size)
    page.get_by_label("Quantity").fill("5")
    page.get_by_role("button", name="Add to cart").click()
    # then
    expect(page.locator("#add-to-cart-status")).to_contain_text(
        "Only 3 of Raw mānuka honey, cold-extracted (250 g) left."
    )
    expect(page.locator("#cart-link")).to_have_text("Cart")


def test_adding_without_javascript_comes_back_to_the_product_page(
    browser: Browser, live_server: Any, product_page: None
) -> None:
    # given a browser without JavaScript
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    url = live_server.url + PRODUCT_PATH
    page.goto(url)
    # when
    page.get_by_label("Option", exact=True).select_option(label="1 kg — $58.00")
    page.get_by_role("button", name="Add to cart").click()
    # then back on the product page, with a message linking the cart
    page.wait_for_url(url)
    message = page.locator(".messages")
    expect(message).to_contain_text(
        "Added Raw mānuka honey, cold-extracted (1 kg) to your cart."
    )
    expect(page.locator("#cart-link")).to_have_text("Cart (1 item)")
    expect(message.get_by_role("link", name="View your cart")).to_have_attribute(
        "href", "/c/kai/cart/"
    )
    # (axe needs JavaScript: the message is the site's own, checked elsewhere)
    # a refusal comes back the same way
    page.get_by_label("Quantity").fill("9")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url(url)
    expect(page.locator(".messages")).to_contain_text("Only 3 of")
    expect(page.locator("#cart-link")).to_have_text("Cart (1 item)")
    page.locator("#cart-link").click()
    page.wait_for_url("**/c/kai/cart/")
    context.close()


def test_the_gallery_works_by_keyboard(
    page: Page, live_server: Any, product_page: None, axe_check: Any
) -> None:
    # given
    page.goto(live_server.url + PRODUCT_PATH)
    viewport = page.locator(".product-gallery__viewport")
    first = page.get_by_role("link", name="Show photo 1 of 3")
    expect(first).to_have_attribute("aria-current", "true")
    # when the shopper tabs from the first thumbnail to the second and presses Enter
    first.focus()
    page.keyboard.press("Tab")
    second = page.get_by_role("link", name="Show photo 2 of 3")
    expect(second).to_be_focused()
    page.keyboard.press("Enter")
    # then the second photo is the one in view, and its thumbnail says so
    expect(second).to_have_attribute("aria-current", "true")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('.product-gallery__viewport')"
        ".scrollLeft - document.getElementById('photo-2').offsetLeft) < 2"
    )
    expect(first).not_to_have_attribute("aria-current", "true")
    # the photos scroll with the arrow keys too (the strip takes the focus)
    viewport.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.product-gallery__viewport').scrollLeft > "
        "document.getElementById('photo-2').offsetLeft"
    )
    # a photo opens larger in a dialog; Escape closes it, back to the photo
    zoom = page.get_by_role("link", name=re.compile(r"A jar of honey"))
    zoom.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("img", name="A jar of honey")).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    axe_check(page, "product page, a photo larger")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(zoom).to_be_focused()


def test_delivery_is_priced_for_the_region_chosen_with_and_without_javascript(
    page: Page, browser: Browser, live_server: Any, product_page: None, axe_check: Any
) -> None:
    # given: with JavaScript, choosing the region updates the options in place
    page.goto(live_server.url + PRODUCT_PATH)
    _mark_document(page)
    page.get_by_label("Your region").select_option(label="Wellington")
    options = page.locator("#delivery-options")
    expect(options).to_contain_text("Delivery to Wellington from $8.50")
    assert "region=NZ-WGN" in page.url  # kept in the address, to share or reload
    assert _same_document(page)
    axe_check(page, "product page with delivery to Wellington")
    # without JavaScript, the form reloads the page at the delivery options
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(live_server.url + PRODUCT_PATH)
    plain.get_by_label("Your region").select_option(label="Canterbury")
    plain.get_by_role("button", name="Show cost").click()
    plain.wait_for_url("**region=NZ-CAN**")
    expect(plain.locator("#delivery-options")).to_contain_text(
        "Delivery to Canterbury: $14.50"
    )
    expect(plain.locator("#delivery-options")).to_contain_text(
        "Free pickup from 12 Hive Road, Martinborough"
    )
    context.close()


def test_a_kept_page_takes_the_shoppers_own_token_and_shows_their_cart(
    page: Page,
    browser: Browser,
    live_server: Any,
    product_page: None,
    settings: Any,
    axe_check: Any,
) -> None:
    # given: whole pages kept (issue 18), and the product page kept by someone else
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    url = live_server.url + PRODUCT_PATH
    other = browser.new_context()
    first = other.new_page().goto(url)
    assert first is not None
    assert first.headers["x-page-cache"] == "miss"
    other.close()
    # when this shopper is served the kept page and adds with JavaScript (htmx
    # sends the token the page's hx-headers carry)
    served = page.goto(url)
    assert served is not None
    assert served.headers["x-page-cache"] == "hit"
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    # then the token was theirs: the cart took the jars
    expect(page.locator("#add-to-cart-status")).to_contain_text("Your cart: 2 items")
    # and on the kept page read again, the header counts their items
    again = page.goto(url)
    assert again is not None
    assert again.headers["x-page-cache"] == "hit"
    expect(page.locator("#cart-link")).to_have_text("Cart (2 items)")
    axe_check(page, "a kept product page with the shopper's cart")
