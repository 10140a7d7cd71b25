"""The finder at 390 px: the flowchart says it scrolls and can be scrolled from the
keyboard; "Clusters like yours" link to those clusters."""

from typing import Any

from playwright.sync_api import Page, expect

from purei.clusters.tests.factories import ClusterFactory


def test_the_flowchart_shows_it_scrolls_on_a_phone(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    # given
    page.set_viewport_size({"width": 390, "height": 844})
    # when
    page.goto(live_server.url + "/finder/")
    # then: the region is named, focusable and wider inside than out
    region = page.get_by_role("region", name="The flowchart, scrolling sideways")
    expect(region).to_be_visible()
    expect(region).to_have_attribute("tabindex", "0")
    expect(page.locator("#finder-chart-hint")).to_be_visible()
    widths = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] > widths[1]
    # the keyboard scrolls it
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.finder-chart__scroll').scrollLeft > 0"
    )
    axe_check(page, "/finder/ at 390 px")


def test_the_hint_is_hidden_where_the_chart_fits(page: Page, live_server: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/finder/")
    expect(page.locator("#finder-chart-hint")).to_be_hidden()


def test_clusters_like_yours_link_to_them(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    # given
    ClusterFactory.create(slug="marlborough-wine", name_en="Marlborough Wine")
    page.set_viewport_size({"width": 390, "height": 844})
    # when
    page.goto(live_server.url + "/finder/?shared_place=yes&shared_specialisation=yes")
    # then
    link = page.get_by_role("link", name="Marlborough Wine")
    expect(link).to_have_attribute("href", "/c/marlborough-wine/")
    axe_check(page, "finder result at 390 px")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marlborough Wine")


def test_a_filled_compare_table_has_no_axe_violations(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    # given: two products added from their pages
    from purei.search.tests.factories import public_product

    cluster = ClusterFactory.create(slug="steel", name_en="Steel")
    beam = public_product(cluster, slug="beam", title_en="Universal beam")
    plate = public_product(cluster, slug="plate", title_en="Chequer plate")
    for product in (beam, plate):
        page.goto(f"{live_server.url}/c/steel/p/{product.member.slug}/{product.slug}/")
        page.get_by_role("button", name=f"Compare {product.title_en}").click()
        page.wait_for_load_state()
    # when
    page.goto(live_server.url + "/compare/")
    # then
    expect(page.get_by_role("table")).to_contain_text("Universal beam")
    expect(page.get_by_role("table")).to_contain_text("Chequer plate")
    axe_check(page, "/compare/ with two products")
