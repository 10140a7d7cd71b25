"""Focus after htmx swaps (issue 13, WCAG 2.4.3): a keyboard user who follows a filter
or "Next page" lands on the new result count, not at the top of the page; a control
that is still there (the sort select) keeps focus; the finder's next question takes
focus."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from purei.clusters.tests.factories import ClusterFactory
from purei.members.tests.factories import MemberFactory
from purei.search.tests.factories import public_product

FOCUSED = "document.activeElement"


def _active(page: Page, expression: str) -> Any:
    return page.evaluate(f"(() => {{ const el = {FOCUSED}; return {expression}; }})()")


def _focus_lands_on_the_count(page: Page) -> None:
    # focus.js moves focus on htmx:afterSettle, a moment after the new count is
    # swapped in: wait for it (up to 5 s) rather than read it at once.
    page.wait_for_function(
        f"() => {FOCUSED} && {FOCUSED}.classList.contains('shop-count')",
        timeout=5000,
    )


def test_keyboard_focus_follows_the_shops_swaps(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    # given: a shop with two makers and more products than fit on a page
    cluster = ClusterFactory.create(slug="focus-fair", name_en="Focus Fair")
    honey = MemberFactory.create(slug="hive", trading_name="Hive Honey")
    wine = MemberFactory.create(slug="vines", trading_name="Vines Wine")
    for n in range(20):
        public_product(cluster, member=honey, slug=f"honey-{n}", title_en=f"Honey {n}")
        public_product(cluster, member=wine, slug=f"wine-{n}", title_en=f"Wine {n}")
    page.goto(f"{live_server.url}/c/focus-fair/shop/")
    count = page.locator(".shop-count")
    expect(count).to_contain_text("40 products")

    # when: a keyboard user opens the filters and follows a maker's filter link
    page.locator(".filter-panel__toggle").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name=re.compile(r"^Hive Honey")).focus()
    page.keyboard.press("Enter")

    # then: the count of the new results has focus, and says what changed
    expect(count).to_contain_text("20 products")
    expect(page).to_have_url(re.compile(r"maker=hive|hive"))
    _focus_lands_on_the_count(page)

    # when: the sort changes (the select is in the new content under the same id)
    page.locator("#shop-sort").focus()
    page.locator("#shop-sort").select_option(index=1)
    expect(page).to_have_url(re.compile(r"sort="))
    # then: focus stays on the select
    assert _active(page, "el.id") == "shop-sort"

    # when: the shopper clears the filter and follows "Next page" by keyboard
    page.goto(f"{live_server.url}/c/focus-fair/shop/")
    page.get_by_role("link", name="Next page").focus()
    page.keyboard.press("Enter")
    expect(count).to_contain_text("page 2 of")
    _focus_lands_on_the_count(page)
    axe_check(page, "shop page 2 after a swap")


def test_the_finders_next_question_takes_focus(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/finder/")
    first = page.locator("#finder-heading")
    question = first.inner_text()
    page.locator("#finder input[type=radio]").first.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#finder-heading")).not_to_have_text(question)
    assert _active(page, "el.id") == "finder-heading"
