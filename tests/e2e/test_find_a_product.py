"""A shopper searches "kumara", sees Kūmara products from Kaipara, filters by region,
opens a product and reaches the maker's page; axe is clean on each page."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from purei.clusters.models import Region
from purei.clusters.tests.factories import ClusterFactory
from purei.members.tests.factories import MemberFactory
from purei.search.tests.factories import public_product


def test_shopper_finds_kumara_without_macrons_and_reaches_the_maker(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    # given: Kaipara's kūmara growers, and an avocado grower elsewhere
    kaipara = ClusterFactory.create(
        slug="kaipara-kumara", name_en="Kaipara Kūmara", regions=["NZ-NTL"]
    )
    bay = ClusterFactory.create(
        slug="bay-avocados", name_en="Bay of Plenty Avocados", regions=["NZ-BOP"]
    )
    northland = Region.objects.get(code="NZ-NTL")
    auckland = Region.objects.get(code="NZ-AUK")
    grower = MemberFactory.create(
        slug="tokatoka-flats", trading_name="Tokatoka Flats Kūmara", region=northland
    )
    public_product(
        kaipara,
        member=grower,
        slug="red-kumara-5kg",
        title_en="Red Kūmara, 5 kg box",
        origin_region=northland,
    )
    public_product(
        kaipara,
        member=MemberFactory.create(slug="helensville-kumara", region=auckland),
        slug="gold-kumara-5kg",
        title_en="Gold Kūmara, 5 kg box",
        origin_region=auckland,
    )
    public_product(bay, slug="hass-avocados", title_en="Hass Avocados, tray")

    # when: the shopper searches without macrons
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox").first.fill("kumara")
    page.get_by_role("searchbox").first.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?.*q=kumara"))

    # then: both Kūmara products, from Kaipara, and no avocados
    results = page.locator("main")
    expect(results).to_contain_text("Red Kūmara, 5 kg box")
    expect(results).to_contain_text("Gold Kūmara, 5 kg box")
    expect(results).to_contain_text("Kaipara Kūmara")
    expect(results).not_to_contain_text("Hass Avocados")
    axe_check(page, "search results")

    # Filter by region of origin: only Northland's box remains.
    page.get_by_role("link", name=re.compile(r"^Northland")).first.click()
    expect(results).to_contain_text("Red Kūmara, 5 kg box")
    expect(results).not_to_contain_text("Gold Kūmara, 5 kg box")
    axe_check(page, "search filtered by region")

    # Open the product, then the maker's page.
    page.get_by_role("link", name=re.compile("Red Kūmara, 5 kg box")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Red Kūmara")
    axe_check(page, "product page")
    page.get_by_role("link", name=re.compile("Tokatoka Flats Kūmara")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Tokatoka Flats Kūmara"
    )
    axe_check(page, "maker's page")
