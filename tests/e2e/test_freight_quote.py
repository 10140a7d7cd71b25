"""Freight on quote, end to end: a builder asks for a freight quote for a 242 kg
beam to Hamilton, the cluster's admin prices the freight, and the builder follows
the emailed link and pays the total with it. axe is clean on each page."""

import re
from typing import Any

from django.core import mail
from playwright.sync_api import Page, expect

from purei.accounts.models import ClusterRole
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory, region
from purei.members.tests.factories import MemberFactory
from purei.orders.models import FreightQuote, Order, ShippingPolicy, ShippingRate, Zone
from purei.search.tests.factories import public_product


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _steel_cluster() -> None:
    cluster = ClusterFactory.create(
        slug="nz-steel-fabricators",
        name_en="NZ Steel Fabricators",
        regions=["NZ-AUK", "NZ-WKO"],
    )
    workshop = MemberFactory.create(
        slug="ets-structural",
        trading_name="ETS Structural",
        gst_registered=True,
        gst_number="49091850",
        region=region("NZ-AUK"),
    )
    product = public_product(
        cluster, member=workshop, slug="universal-beam", title_en="Universal beam"
    )
    Variant.objects.filter(product=product).update(
        name="6 m length",
        price_cents=98_000,
        stock=8,
        weight_grams=242_400,
        freight_on_quote=True,
    )
    # Courier rates that stop at 25 kg: no rate carries a beam.
    policy = ShippingPolicy.objects.create(cluster=cluster)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=25_000, price_cents=1500
    )
    admin = UserFactory.create(email="admin@steel.test")
    ClusterRole.objects.create(user=admin, cluster=cluster, role=ClusterRole.Role.ADMIN)


def test_a_builder_requests_freight_the_admin_quotes_and_the_builder_pays(
    page: Page, live_server: Any, axe_check: Any, settings: Any
) -> None:
    base = live_server.url
    settings.PAYMENTS_TEST_GATEWAY = True  # as in the demo
    _steel_cluster()
    # given: the beam in the builder's cart
    page.goto(f"{base}/c/nz-steel-fabricators/p/ets-structural/universal-beam/")
    page.get_by_role("button", name="Add to cart").click()
    # (the page stays: htmx says so in its status region)
    expect(page.locator("#add-to-cart-status")).to_contain_text("Added")
    page.goto(base + "/c/nz-steel-fabricators/checkout/")

    # when: the builder gives a Hamilton address and asks for a freight quote
    page.get_by_label(re.compile(r"^Email address")).fill("rangi@example.nz")
    page.get_by_label(re.compile(r"^Name")).fill("Rangi Builder")
    page.get_by_label(re.compile(r"^Street address")).fill("1 Victoria Street")
    page.get_by_label(re.compile(r"^Town or city")).fill("Hamilton")
    page.get_by_label(re.compile(r"^Postcode")).fill("3204")
    page.get_by_label(re.compile(r"^Region")).select_option(label="Waikato")
    page.get_by_role("button", name="Update delivery prices").click()
    page.wait_for_load_state()
    part = page.get_by_role("group", name="From ETS Structural")
    expect(part.get_by_label("Request a freight quote")).to_be_checked()
    expect(page.locator("main")).not_to_contain_text("does not deliver")
    axe_check(page, "checkout with a freight quote")
    page.get_by_role("button", name="Request a freight quote").click()
    page.wait_for_load_state()

    # then: the order waits for its quote, with nothing to pay yet
    main = page.locator("main")
    expect(main).to_contain_text("Waiting for a freight quote.")
    expect(main).to_contain_text("to be quoted")
    expect(page.get_by_role("button", name=re.compile(r"^Pay "))).to_have_count(0)
    axe_check(page, "order waiting for its freight quote")
    order = Order.objects.get()

    # when: the cluster's admin answers with a price
    page.context.clear_cookies()
    _log_in(page, base, "admin@steel.test")
    page.goto(base + "/manage/clusters/nz-steel-fabricators/freight-quotes/")
    axe_check(page, "the admin's freight quotes")
    page.get_by_role("link", name=f"Quote for {order.number}").click()
    page.wait_for_load_state()
    axe_check(page, "one freight quote request")
    page.get_by_label(re.compile(r"^Freight \(NZD\)")).fill("184.00")
    page.get_by_label(re.compile(r"^Carrier")).fill("Mainfreight")
    page.get_by_role("button", name="Send the quote").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Quoted: waiting for payment")
    assert FreightQuote.objects.get().price_cents == 18_400

    # then: the builder follows the emailed link and pays the total with freight
    page.context.clear_cookies()
    (email,) = [m for m in mail.outbox if "Your freight quote" in m.subject]
    link = re.search(r"(/orders/[A-Z0-9]+/\?key=\S+)", str(email.body))
    assert link is not None
    page.goto(base + link.group(1))
    main = page.locator("main")
    expect(main).to_contain_text("Freight from ETS Structural: $184.00")
    axe_check(page, "order with its freight quoted")
    page.get_by_label("Test card", exact=True).check()
    page.get_by_label(re.compile(r"^Card number")).fill("4242 4242 4242 4242")
    page.get_by_label(re.compile(r"^Expiry date")).fill("12/30")
    page.get_by_label(re.compile(r"^Security code")).fill("123")
    page.get_by_role("button", name="Pay $1,164.00").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Paid on")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.total_cents == 98_000 + 18_400
