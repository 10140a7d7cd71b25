"""Checkout asks the server once per change, and a change made while a request is on
its way waits for it instead of cancelling it (no ``htmx:sendAbort`` in the console:
the shared page fixture fails the test on any console error)."""

import re
from typing import Any

from playwright.sync_api import Page, Request, expect

from tests.e2e.test_promo_code import _fair

CHECKOUT = re.compile(r"/checkout/$")


def test_one_request_per_change_and_none_cancelled(
    page: Page, live_server: Any
) -> None:
    # given: a cart, at the checkout
    base = live_server.url
    _fair(base, page)
    page.goto(base + "/c/martinborough-fair/checkout/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    sent: list[Request] = []
    page.on(
        "request",
        lambda r: (
            sent.append(r) if r.method == "POST" and CHECKOUT.search(r.url) else None
        ),
    )
    # when: the region changes
    with page.expect_response(CHECKOUT):
        page.get_by_label(re.compile(r"^Region")).select_option(label="Wellington")
    page.wait_for_timeout(500)
    # then: one request
    assert len(sent) == 1
    # when: a text field changes (on leaving it)
    sent.clear()
    with page.expect_response(CHECKOUT):
        page.get_by_label(re.compile(r"^Town or city")).fill("Wellington")
        page.get_by_label(re.compile(r"^Postcode")).focus()
    page.wait_for_timeout(500)
    # then: one request
    assert len(sent) == 1
    # when: several fields change quickly, one after another
    page.get_by_label(re.compile(r"^Street address")).fill("12 Cuba Street")
    page.get_by_label(re.compile(r"^Postcode")).fill("6011")
    page.get_by_label(re.compile(r"^Region")).select_option(label="Auckland")
    page.get_by_label(re.compile(r"^Region")).select_option(label="Wellington")
    page.wait_for_load_state("networkidle")
    # then: the page shows the last state (and nothing was cancelled)
    expect(page.locator("#checkout-total")).to_contain_text("$")
