"""Cart, checkout and the order as shoppers see them, at a laptop's 1280 by 800 and
a phone's 390 by 844 (issue 13): thumbnails; two columns with a sticky summary on
the laptop; stacked on the phone with nothing scrolling sideways; delivery
estimated in the cart for the region picked, the same figure checkout charges. axe
is clean at both widths. Each page's screenshot at both widths is saved under
test-results/screenshots/ (CI keeps them)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import FloatRect, Page, ViewportSize, expect

from purei.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 800}
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
SHOPPER = "aroha.te.wake@example.nz"


def _photo(product: Any, colour: tuple[int, int, int], alt: str) -> None:
    from purei.catalogue.models import ProductImage
    from purei.core.renditions import renditions_create
    from purei.core.tests.pictures import picture_bytes

    photo = ProductImage.objects.create(
        product=product,
        image=ContentFile(picture_bytes(800, 800, colour=colour), name="photo.jpg"),
        alt_text=alt,
    )
    photo.renditions = renditions_create(photo.image.name or "")
    photo.save(update_fields=["renditions"])


@pytest.fixture
def basket(db: Any) -> dict[str, Any]:
    """A shopper's cart in the Kai Collective with five things from three makers
    (one with a long name), each with a photo; delivery to the North Island only
    from one of them."""
    from purei.catalogue.models import Variant
    from purei.clusters.tests.factories import ClusterFactory
    from purei.members.tests.factories import MemberFactory, MembershipFactory
    from purei.orders.models import ShippingPolicy, ShippingRate, Zone
    from purei.orders.services.cart import cart_add, cart_get_or_create
    from purei.search.tests.factories import public_product

    cluster = ClusterFactory.create(slug="kai", name_en="Kai Collective")
    default = ShippingPolicy.objects.create(cluster=cluster)
    for zone, cents in ((Zone.NORTH_ISLAND, 900), (Zone.SOUTH_ISLAND, 1450)):
        ShippingRate.objects.create(
            policy=default, zone=zone, max_weight_grams=None, price_cents=cents
        )
    shopper = UserFactory.create(email=SHOPPER, full_name="Aroha Te Wake")
    cart = cart_get_or_create(cluster=cluster, user=shopper, session_key=None)
    makers = [
        ("hive-hill", "Hive Hill Apiaries", True),
        ("awaroa", "Te Awaroa Kūmara & Heritage Vegetable Growers", False),
        ("bee-bay", "Bee Bay", True),
    ]
    things = [
        ("hive-hill", "Mānuka honey UMF 10+", "500 g", 3450, (160, 110, 20)),
        ("hive-hill", "Rewarewa honey", "250 g", 1600, (190, 130, 40)),
        ("awaroa", "Heritage kūmara, Owairaka Red", "10 kg sack", 4200, (120, 40, 60)),
        ("awaroa", "Yams (oca), mixed colours", "1 kg", 900, (200, 80, 60)),
        ("bee-bay", "Beeswax wraps, set of three", "", 2800, (40, 120, 90)),
    ]
    members = {}
    for slug, name, registered in makers:
        members[slug] = MemberFactory.create(
            slug=slug,
            trading_name=name,
            gst_registered=registered,
            gst_number="49091850" if registered else "",
            town="Whangārei",
            latitude=Decimal("-35.7251"),
            longitude=Decimal("174.3237"),
        )
        MembershipFactory.create(member=members[slug], cluster=cluster)
    own = ShippingPolicy.objects.create(member=members["bee-bay"])
    ShippingRate.objects.create(
        policy=own, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=650
    )
    for n, (slug, title, variant, price, colour) in enumerate(things):
        product = public_product(
            cluster, member=members[slug], slug=f"thing-{n}", title_en=title
        )
        Variant.objects.filter(product=product).update(
            name=variant, price_cents=price, stock=40, weight_grams=800
        )
        _photo(product, colour, title)
        cart_add(
            cart=cart,
            variant_id=Variant.objects.get(product=product).pk,
            quantity=1 + n % 2,
        )
    return {"cluster": cluster, "members": members}


def _log_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(SHOPPER)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _scroll_width(page: Page) -> int:
    width: int = page.evaluate("() => document.documentElement.scrollWidth")
    return width


def _shot(page: Page, name: str, size: ViewportSize) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{size['width']}.png"), full_page=True)


def _fits(page: Page, size: ViewportSize, name: str, axe_check: Any) -> None:
    """Nothing scrolls sideways; axe is clean; the screenshot is kept."""
    assert _scroll_width(page) <= size["width"], (name, _scroll_width(page))
    axe_check(page, f"{name} at {size['width']} px")
    _shot(page, name, size)


def _box(page: Page, selector: str) -> FloatRect:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def _money(text: str) -> str:
    found = re.search(r"\$[\d,]+\.\d\d", text)
    assert found is not None, text
    return found.group(0)


def test_the_cart_fits_a_phone_and_a_laptop_and_estimates_delivery(
    page: Page, live_server: Any, basket: dict[str, Any], axe_check: Any
) -> None:
    base = live_server.url
    _log_in(page, base)
    # given a phone
    page.set_viewport_size(PHONE)
    page.goto(base + "/c/kai/cart/")
    # then every line has its thumbnail, and the cart is one column: the items,
    # then the summary
    expect(page.locator(".cart-line")).to_have_count(5)
    expect(page.locator(".cart-line img.thumb")).to_have_count(5)
    thumb = _box(page, ".cart-line img.thumb")
    assert 60 <= thumb["width"] <= 100, thumb
    assert _box(page, ".buy-summary")["y"] > _box(page, ".cart-part")["y"]
    summary = page.locator(".buy-summary")
    expect(summary).to_contain_text("choose your region")
    _fits(page, PHONE, "cart-empty-region", axe_check)

    # when the shopper picks Wellington for an estimate (htmx swaps the cart)
    page.get_by_label("Your region, for delivery").select_option(label="Wellington")
    expect(page.locator(".cart-part").first).to_contain_text("Delivery to Wellington")
    # then each maker's part says its delivery, and the summary adds them up
    parts = {
        page.locator(".cart-part h2").nth(i).inner_text(): _money(
            page.locator(".cart-part").nth(i).locator(".sums > div").nth(1).inner_text()
        )
        for i in range(3)
    }
    assert parts == {
        "From Bee Bay": "$6.50",
        "From Hive Hill Apiaries": "$9.00",
        "From Te Awaroa Kūmara & Heritage Vegetable Growers": "$9.00",
    }
    expect(summary).to_contain_text("$24.50")
    _fits(page, PHONE, "cart", axe_check)

    # and on a laptop: two columns, the summary on the right, sticky
    page.set_viewport_size(LAPTOP)
    page.goto(base + "/c/kai/cart/")
    main, side = _box(page, ".buy-layout__main"), _box(page, ".buy-summary")
    assert side["x"] >= main["x"] + main["width"]
    assert side["y"] < LAPTOP["height"]
    position = page.eval_on_selector(
        ".buy-summary", "e => getComputedStyle(e).position"
    )
    assert position == "sticky"
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(200)
    assert 0 <= _box(page, ".buy-summary")["y"] < 40
    page.mouse.wheel(0, -2000)
    _fits(page, LAPTOP, "cart", axe_check)


def test_checkout_and_the_order_fit_a_phone_and_a_laptop(
    page: Page, live_server: Any, basket: dict[str, Any], axe_check: Any, settings: Any
) -> None:
    from purei.orders.models import Order

    settings.PAYMENTS_TEST_GATEWAY = True  # as in the demo
    base = live_server.url
    _log_in(page, base)
    # given the region picked in the cart
    page.goto(base + "/c/kai/cart/?region=NZ-WGN")
    estimated = _money(page.locator(".sums__total").inner_text())
    # when the shopper checks out on a phone
    page.set_viewport_size(PHONE)
    page.goto(base + "/c/kai/checkout/")
    # then the region is already chosen; the summary comes first, folded to a bar
    # with the total, and opens to every item with its thumbnail
    expect(page.get_by_label("Region (New Zealand)")).to_have_value("NZ-WGN")
    toggle = page.locator(".summary-fold__toggle")
    assert _box(page, ".summary-fold__toggle")["y"] < _box(page, ".checkout-form")["y"]
    expect(page.locator("#order-summary")).to_be_hidden()
    toggle.click()
    expect(page.locator("#order-summary img.thumb")).to_have_count(5)
    _fits(page, PHONE, "checkout-start", axe_check)
    toggle.click()
    # ... every part delivered (each maker's fieldset, "From …"; not the promo
    # code's): the same figures the cart estimated
    makers = page.locator("#checkout-live fieldset").filter(
        has=page.locator("legend", has_text=re.compile("^From "))
    )
    expect(makers).to_have_count(3)
    for fieldset in makers.all():
        fieldset.get_by_label(re.compile("^Delivery")).check()
    page.get_by_label(re.compile(r"^Street address")).fill("12 Cuba Street")
    page.get_by_label(re.compile(r"^Town or city")).fill("Wellington")
    page.get_by_label(re.compile(r"^Postcode")).fill("6011")
    page.get_by_role("button", name="Update delivery prices").click()
    page.wait_for_load_state()
    expect(page.locator("#summary-fold-total")).to_have_text(estimated)
    expect(page.locator("#checkout-total")).to_contain_text(estimated)
    _fits(page, PHONE, "checkout", axe_check)

    # on a laptop: the summary open in the right column, sticky
    page.set_viewport_size(LAPTOP)
    expect(page.locator("#order-summary")).to_be_visible()
    expect(toggle).to_be_hidden()
    main, side = _box(page, ".checkout-form"), _box(page, ".buy-summary")
    assert side["x"] >= main["x"] + main["width"]
    summary = page.locator("#order-summary")
    expect(
        summary.get_by_role("region", name="From Bee Bay").locator(".sums > div").first
    ).to_contain_text("$6.50")
    _fits(page, LAPTOP, "checkout", axe_check)

    # when the order is placed
    page.get_by_label("Test card", exact=True).check()
    page.get_by_label(re.compile(r"^Card number")).fill("4242 4242 4242 4242")
    page.get_by_label(re.compile(r"^Expiry date")).fill("12/30")
    page.get_by_label(re.compile(r"^Security code")).fill("123")
    page.get_by_role("button", name="Place order").click()
    page.wait_for_load_state()
    # then it is paid, and its total is what the cart estimated
    expect(page.locator("main")).to_contain_text("Paid on")
    order = Order.objects.get()
    assert order.shipping_cents == 2450
    _fits(page, LAPTOP, "order", axe_check)
    page.set_viewport_size(PHONE)
    _fits(page, PHONE, "order", axe_check)
    # the order's items are stacked cards on a phone, each figure labelled
    row = page.locator("table.table-stack tbody tr").first
    assert _box(page, "table.table-stack tbody tr")["width"] <= PHONE["width"]
    labels = row.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert [label.split(" / ")[0] for label in labels] == [
        '"Price each"',
        '"Quantity"',
        '"Total"',
    ], labels
    cells = row.get_by_role("cell")
    expect(cells.nth(1)).to_have_accessible_name("1")
    page.goto(base + "/accounts/orders/")
    expect(page.locator("main")).to_contain_text(order.number)
    _fits(page, PHONE, "order-list", axe_check)
    page.set_viewport_size(LAPTOP)
    _fits(page, LAPTOP, "order-list", axe_check)
