"""A shopper pre-orders for the next fair day with a promo code and gets the
confirmation email from a real SMTP server (issue 14): the product page says the
fair day's window is open and where to collect; checkout offers only the window's
pickup point and takes the code; the order records the window, the pickup and
the discount; the email names the pickup point, the pickup code and the code.
axe is clean on each page."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory, region
from purei.marketing.tests.smtp import SmtpServer, smtp_server_running
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Fulfilment, Order, SalesWindow
from purei.orders.tests.factories import (
    PickupEventFactory,
    SalesWindowFactory,
    SalesWindowItemFactory,
)
from purei.promotions.tests.factories import PromotionFactory
from purei.search.tests.factories import public_product

SHOPPER = "aroha@example.nz"


@pytest.fixture
def smtp_server(settings: Any, live_server: Any) -> Iterator[SmtpServer]:
    with smtp_server_running() as server:
        settings.MAILERS = server.mailers
        settings.SITE_URL = live_server.url
        yield server


def _fair_day() -> SalesWindow:
    """The Martinborough Fair's next fair day: pre-orders open now, close the
    evening before, collected at the gate; olive oil from one stallholder."""
    fair = ClusterFactory.create(
        slug="martinborough-fair", name_en="Martinborough Fair", regions=["NZ-WGN"]
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
    day = (timezone.now() + dt.timedelta(days=5)).replace(
        hour=20, minute=0, second=0, microsecond=0
    )  # 9 am in Martinborough (UTC+13 in summer)
    window = SalesWindowFactory.create(
        cluster=fair,
        name_en="Fair day pre-order and collect",
        opens_at=timezone.now() - dt.timedelta(hours=2),
        closes_at=day - dt.timedelta(hours=12),
    )
    SalesWindowItemFactory.create(
        window=window, product=product, cap=30, per_customer_limit=4, window_only=True
    )
    PickupEventFactory.create(
        cluster=fair,
        sales_window=window,
        name_en="Fair day",
        venue="Memorial Square",
        collection_point="the gate",
        starts_at=day,
        order_cutoff=day - dt.timedelta(hours=12),
    )
    PromotionFactory.create(
        cluster=fair, name="Fair ten", code="FAIR10", percent_bp=1000, stackable=True
    )
    return window


def test_a_shopper_pre_orders_for_the_fair_day_with_a_code_and_gets_the_email(
    page: Page,
    live_server: Any,
    smtp_server: SmtpServer,
    axe_check: Any,
    settings: Any,
) -> None:
    base = live_server.url
    settings.PAYMENTS_TEST_GATEWAY = True
    window = _fair_day()
    main = page.locator("main")
    # given: the product page says the fair day's orders are open
    page.goto(f"{base}/c/martinborough-fair/p/olive-grove/olive-oil/")
    expect(main).to_contain_text("Fair day pre-order and collect")
    expect(main).to_contain_text("the gate")
    axe_check(page, "product in an open sales window")
    page.get_by_label(re.compile(r"^Quantity")).fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#add-to-cart-status")).to_contain_text("Added")
    # when: checkout with the code from the cart
    page.goto(f"{base}/c/martinborough-fair/cart/")
    page.get_by_label("Promo code").fill("fair10")
    page.get_by_role("button", name="Check out with this code").click()
    page.wait_for_load_state()
    page.get_by_label(re.compile(r"^Email address")).fill(SHOPPER)
    page.get_by_label(re.compile(r"^Name")).fill("Aroha Te Wake")
    stall = page.get_by_role("group", name="From Olive Grove")
    options = stall.get_by_role("radio")
    expect(options).to_have_count(1)  # the window's pickup point, nothing else
    expect(stall).to_contain_text("Fair day")
    options.first.check()
    page.wait_for_load_state("networkidle")
    expect(main).to_contain_text("You save $9.00")
    axe_check(page, "checkout for the fair day with a code")
    page.get_by_label("Test card", exact=True).check()
    page.get_by_label(re.compile(r"^Card number")).fill("4242 4242 4242 4242")
    page.get_by_label(re.compile(r"^Expiry date")).fill("12/30")
    page.get_by_label(re.compile(r"^Security code")).fill("123")
    page.get_by_role("button", name="Place order").click()
    page.wait_for_load_state()
    # then: the order is for the fair day, picked up at the gate, 10 % off
    order = Order.objects.get()
    assert (order.promo_code, order.discount_cents, order.total_cents) == (
        "FAIR10",
        900,
        8100,
    )
    assert order.status == Order.Status.PAID
    line = order.lines.get()
    assert line.window_item is not None
    assert line.window_item.window_id == window.pk
    fulfilment = Fulfilment.objects.get(order=order)
    assert fulfilment.method == "pickup_event"
    assert fulfilment.pickup_event is not None
    assert fulfilment.pickup_event.sales_window_id == window.pk
    expect(main).to_contain_text("Fair ten (FAIR10): -$9.00")
    axe_check(page, "order page of a pre-order")
    # and the confirmation came through the SMTP server
    mails = smtp_server.to(SHOPPER)
    placed = [m for m in mails if str(m["Subject"]).startswith("Your order")]
    assert len(placed) == 1
    body = placed[0].get_body(preferencelist=("plain",))
    assert body is not None
    text = str(body.get_content())
    assert order.number in str(placed[0]["Subject"])
    assert "Pickup at Fair day, the gate" in text
    assert fulfilment.pickup_code in text
    assert "FAIR10" in text
    assert "$9.00" in text
    assert "$81.00" in text
