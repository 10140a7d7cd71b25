"""A shopper buys from three Martinborough Fair stallholders in one checkout: one item
picked up at the fair, two shipped, paid with the test card; each stallholder sees
only their own part. axe is clean on each page."""

import datetime
import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import Locator, Page, Route, expect

from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.catalogue.models import Product, Variant
from purei.clusters.tests.factories import ClusterFactory, region
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory, MemberRoleFactory
from purei.orders.models import (
    Fulfilment,
    Order,
    PickupEvent,
    ShippingPolicy,
    ShippingRate,
    Zone,
)
from purei.search.tests.factories import public_product
from tests.e2e.test_focus_ring import TARGETS


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _stallholder(slug: str, name: str, owner: str) -> Member:
    member = MemberFactory.create(
        slug=slug, trading_name=name, gst_registered=False, region=region("NZ-WGN")
    )
    MemberRoleFactory.create(member=member, user=UserFactory.create(email=owner))
    return member


def _product(cluster: Any, member: Member, slug: str, title: str) -> Product:
    product = public_product(cluster, member=member, slug=slug, title_en=title)
    Variant.objects.filter(product=product).update(
        price_cents=1800, stock=12, weight_grams=400, name=""
    )
    return product


def _fair_with_three_stalls(page: Page, base: str) -> None:
    """The fair, its next fair day, delivery rates and three stallholders, with one
    thing from each stall in the shopper's cart."""
    fair = ClusterFactory.create(
        slug="martinborough-fair", name_en="Martinborough Fair", regions=["NZ-WGN"]
    )
    policy = ShippingPolicy.objects.create(cluster=fair)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=900
    )
    start = timezone.now() + datetime.timedelta(days=9)
    PickupEvent.objects.create(
        cluster=fair,
        name_en="Martinborough Fair day",
        venue="The Square, Martinborough",
        collection_point="Pūrei pickup tent",
        time_zone="Pacific/Auckland",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
        order_cutoff=start - datetime.timedelta(hours=15),
    )
    olives = _stallholder("olive-grove", "Olive Grove", "olives@fair.test")
    soaps = _stallholder("soap-shed", "Soap Shed", "soaps@fair.test")
    preserves = _stallholder("jam-jar", "The Jam Jar", "jams@fair.test")
    _product(fair, olives, "olive-oil", "Extra virgin olive oil")
    _product(fair, soaps, "lavender-soap", "Lavender soap")
    _product(fair, preserves, "plum-jam", "Black Doris plum jam")
    for member, product in (
        ("olive-grove", "olive-oil"),
        ("soap-shed", "lavender-soap"),
        ("jam-jar", "plum-jam"),
    ):
        page.goto(f"{base}/c/martinborough-fair/p/{member}/{product}/")
        page.get_by_role("button", name="Add to cart").click()
        # (the page stays: htmx says so in its status region)
        expect(page.locator("#add-to-cart-status")).to_contain_text("Added")


def _fill_address(page: Page) -> None:
    page.get_by_label(re.compile(r"^Email address")).fill("aroha@example.nz")
    page.get_by_label(re.compile(r"^Name")).fill("Aroha Te Wake")
    page.get_by_label(re.compile(r"^Street address")).fill("12 Cuba Street")
    page.get_by_label(re.compile(r"^Town or city")).fill("Wellington")
    page.get_by_label(re.compile(r"^Postcode")).fill("6011")
    page.get_by_label(re.compile(r"^Region")).select_option(label="Wellington")
    page.get_by_role("button", name="Update delivery prices").click()
    page.wait_for_load_state()


def _choice(page: Page, stall: str, label: str) -> Locator:
    return page.get_by_role("group", name=f"From {stall}").get_by_label(
        re.compile(f"^{label}")
    )


def test_a_shopper_buys_from_three_stallholders_and_each_sees_their_part(
    page: Page, live_server: Any, axe_check: Any, settings: Any
) -> None:
    base = live_server.url
    settings.PAYMENTS_TEST_GATEWAY = True  # as in the demo
    # given: the fair and three stallholders; the shopper adds one thing from each
    # (checking the product page with its add-to-cart form on the way)
    _fair_with_three_stalls(page, base)
    page.goto(f"{base}/c/martinborough-fair/p/olive-grove/olive-oil/")
    axe_check(page, "product page with add to cart")
    page.goto(base + "/c/martinborough-fair/cart/")
    main = page.locator("main")
    for title in ("Extra virgin olive oil", "Lavender soap", "Black Doris plum jam"):
        expect(main).to_contain_text(title)
    axe_check(page, "cart")
    page.get_by_role("link", name="Check out").click()

    # Contact, address, and a price for delivery.
    _fill_address(page)
    axe_check(page, "checkout")
    # Its radio buttons and checkboxes are targets of at least 24 by 24 px.
    sizes = page.evaluate(TARGETS)
    assert sizes
    assert all(w >= 24 and h >= 24 for w, h in sizes), sizes

    # The olive oil is picked up at the fair; the soap and the jam are shipped.
    _choice(page, "Olive Grove", "Pickup at Martinborough Fair day").check()
    for stall in ("Soap Shed", "The Jam Jar"):
        _choice(page, stall, "Delivery").check()
    page.get_by_label("Test card", exact=True).check()
    page.get_by_label(re.compile(r"^Card number")).fill("4242 4242 4242 4242")
    page.get_by_label(re.compile(r"^Expiry date")).fill("12/30")
    page.get_by_label(re.compile(r"^Security code")).fill("123")
    page.get_by_role("button", name="Place order").click()
    page.wait_for_load_state()

    # then: the order is paid, split in three, one pickup with a code
    expect(page.get_by_role("heading", level=1)).to_contain_text("Order")
    expect(page.locator("main")).to_contain_text("Paid on")
    expect(page.locator("main")).to_contain_text("Pickup code")
    axe_check(page, "order page")
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    parts = {f.member.slug: f for f in order.fulfilments.select_related("member")}
    assert parts["olive-grove"].method == Fulfilment.Method.PICKUP_EVENT
    assert parts["olive-grove"].shipping_cents == 0
    assert parts["soap-shed"].method == Fulfilment.Method.DELIVERY
    assert parts["soap-shed"].shipping_cents == 900
    assert parts["jam-jar"].method == Fulfilment.Method.DELIVERY
    assert order.total_cents == 3 * 1800 + 2 * 900

    # Each stallholder sees their own part and nobody else's.
    page.context.clear_cookies()
    for email, slug, mine, others in (
        (
            "soaps@fair.test",
            "soap-shed",
            "Lavender soap",
            ("Extra virgin olive oil", "Black Doris plum jam"),
        ),
        (
            "olives@fair.test",
            "olive-grove",
            "Extra virgin olive oil",
            ("Lavender soap", "Black Doris plum jam"),
        ),
    ):
        _log_in(page, base, email)
        page.goto(f"{base}/manage/members/{slug}/orders/{order.number}/")
        main = page.locator("main")
        expect(main).to_contain_text(mine)
        for other in others:
            expect(main).not_to_contain_text(other)
        axe_check(page, f"{slug}'s part of the order")
        other_slug = "jam-jar"
        response = page.goto(
            f"{base}/manage/members/{other_slug}/orders/{order.number}/"
        )
        assert response is not None
        assert response.status == 404
        page.context.clear_cookies()


def test_a_choice_made_while_the_checkout_is_updating_is_kept(
    page: Page, live_server: Any
) -> None:
    """Each choice sends the form for new prices and the answer replaces the choices.
    An answer that comes back late must not undo a choice made after it was asked for:
    the newer request waits for the older one, whose answer is then set aside."""
    base = live_server.url
    _fair_with_three_stalls(page, base)
    page.goto(base + "/c/martinborough-fair/checkout/")
    _fill_address(page)

    held: list[Route] = []

    def hold_the_first_update(route: Route) -> None:
        if route.request.method == "POST" and not held:
            held.append(route)  # answered below, after the second choice
        else:
            route.continue_()

    page.route("**/c/martinborough-fair/checkout/", hold_the_first_update)
    _choice(page, "Soap Shed", "Delivery").check()
    for _ in range(100):  # route handlers run while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the first choice sent the form"
    # The second choice waits for the first request (nothing is cancelled) ...
    _choice(page, "The Jam Jar", "Delivery").check()
    page.wait_for_timeout(300)
    # ... and is sent once the first is answered; that late answer is not shown.
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/checkout/"),
        timeout=10_000,
    ) as second:
        held[0].continue_()
    second.value.response()
    page.wait_for_timeout(500)
    page.unroute("**/c/martinborough-fair/checkout/")

    expect(_choice(page, "Soap Shed", "Delivery")).to_be_checked()
    expect(_choice(page, "The Jam Jar", "Delivery")).to_be_checked()
    summary = page.locator("#order-summary")
    jam_jar = summary.get_by_role("region", name="From The Jam Jar")
    expect(jam_jar.locator(".sums > div").first).to_contain_text("$9.00")
