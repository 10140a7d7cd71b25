"""A shopper at the Martinborough Fair gets its free delivery over $80 (paid by the
cluster) and types a promo code: the cart says what applies, the checkout takes
the code (a wrong one is refused with why), the order says what came off and who
paid, and "where your money goes" shows the cluster's part. axe is clean on each
page."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory, region
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Order, ShippingPolicy, ShippingRate, Zone
from purei.promotions.models import Promotion
from purei.promotions.tests.factories import PromotionFactory
from purei.search.tests.factories import public_product
from tests.e2e.test_buy_from_three_stallholders import _fill_address


def _fair(base: str, page: Page) -> None:
    fair = ClusterFactory.create(
        slug="martinborough-fair",
        name_en="Martinborough Fair",
        regions=["NZ-WGN"],
        show_price_split=True,
    )
    policy = ShippingPolicy.objects.create(cluster=fair)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=900
    )
    PromotionFactory.create(
        cluster=fair,
        name="Free delivery over $80",
        kind=Promotion.Kind.FREE_DELIVERY,
        percent_bp=None,
        min_spend_cents=8000,
        stackable=True,
    )
    PromotionFactory.create(
        cluster=fair, name="Fair ten", code="FAIR10", percent_bp=1000, stackable=True
    )
    olives = MemberFactory.create(
        slug="olive-grove", trading_name="Olive Grove", region=region("NZ-WGN")
    )
    product = public_product(
        fair, member=olives, slug="olive-oil", title_en="Extra virgin olive oil"
    )
    Variant.objects.filter(product=product).update(
        price_cents=4500, stock=12, weight_grams=400, name=""
    )
    page.goto(f"{base}/c/martinborough-fair/p/olive-grove/olive-oil/")
    page.get_by_label(re.compile(r"^Quantity")).fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#add-to-cart-status")).to_contain_text("Added")


def test_a_shopper_gets_free_delivery_and_a_code(
    page: Page, live_server: Any, axe_check: Any, settings: Any
) -> None:
    base = live_server.url
    settings.PAYMENTS_TEST_GATEWAY = True
    # given: $90.00 of olive oil in the cart
    _fair(base, page)
    page.goto(base + "/c/martinborough-fair/cart/")
    main = page.locator("main")
    expect(main).to_contain_text("Free delivery over $80")
    axe_check(page, "cart with a promotion")
    # when: a wrong code first, from the cart
    page.get_by_label("Promo code").fill("nope")
    page.get_by_role("button", name="Check out with this code").click()
    page.wait_for_load_state()
    _fill_address(page)
    expect(main).to_contain_text("NOPE is not a promo code of this shop.")
    axe_check(page, "checkout with a refused code")
    # then the right one
    page.get_by_label("Promo code", exact=True).fill("fair10")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    expect(main).to_contain_text("You save $18.00")
    axe_check(page, "checkout with a code and free delivery")
    page.get_by_label("Test card", exact=True).check()
    page.get_by_label(re.compile(r"^Card number")).fill("4242 4242 4242 4242")
    page.get_by_label(re.compile(r"^Expiry date")).fill("12/30")
    page.get_by_label(re.compile(r"^Security code")).fill("123")
    page.get_by_role("button", name="Place order").click()
    page.wait_for_load_state()
    # the order: $81.00 for the oil, delivery free, both paid by the fair
    order = Order.objects.get()
    assert (order.promo_code, order.total_cents, order.discount_cents) == (
        "FAIR10",
        8100,
        1800,
    )
    assert order.status == Order.Status.PAID
    expect(main).to_contain_text("Fair ten (FAIR10): -$9.00")
    expect(main).to_contain_text("Free delivery over $80: -$9.00")
    page.get_by_text(re.compile(r"^Where your")).click()
    expect(main).to_contain_text("paid to the makers by Martinborough Fair")
    axe_check(page, "order page with promotions")
