"""A rural basket from three Martinborough Fair stallholders comes as one parcel
from the fair's hub: one delivery charge at checkout, the order page shows the
parts and the one parcel, each stallholder drops its part at the hub, the admin
sends the parcel and the order page shows its tracking number. axe is clean on
each page (docs/orders.md "Hub delivery")."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from purei.accounts.models import ClusterRole
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory, region
from purei.core.actor import Actor
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory, MemberRoleFactory
from purei.orders.links import order_link
from purei.orders.models import Fulfilment, Order, ShippingPolicy, ShippingRate, Zone
from purei.orders.services.hub import HubSettingsInput, hub_settings_save
from purei.orders.services.shipping import RateRow
from purei.search.tests.factories import public_product


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _stall(cluster: Any, slug: str, name: str, owner: str, thing: str) -> Member:
    member = MemberFactory.create(
        slug=slug, trading_name=name, gst_registered=False, region=region("NZ-WGN")
    )
    MemberRoleFactory.create(member=member, user=UserFactory.create(email=owner))
    product = public_product(
        cluster, member=member, slug=f"{slug}-thing", title_en=thing
    )
    Variant.objects.filter(product=product).update(
        price_cents=1800, stock=12, weight_grams=400, name=""
    )
    own = ShippingPolicy.objects.create(member=member, rural_surcharge_cents=575)
    ShippingRate.objects.create(
        policy=own, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    return member


def test_a_rural_basket_comes_as_one_parcel_from_the_hub(
    page: Page, live_server: Any, axe_check: Any, settings: Any
) -> None:
    base = live_server.url
    settings.PAYMENTS_TEST_GATEWAY = True  # as in the demo
    # given: the fair offers hub delivery from its depot; three stallholders
    fair = ClusterFactory.create(
        slug="martinborough-fair", name_en="Martinborough Fair", regions=["NZ-WGN"]
    )
    admin = UserFactory.create(email="admin@fair.test")
    ClusterRole.objects.create(user=admin, cluster=fair, role=ClusterRole.Role.ADMIN)
    hub_settings_save(
        actor=Actor(user=admin),
        cluster=fair,
        details=HubSettingsInput(
            enabled=True,
            hub_name="The Fair depot",
            hub_address="Memorial Square, Martinborough 5711",
            cutoff_kind="weekly",
            cutoff_weekday=3,
            cutoff_time="12:00",
            split_rule="weight",
            rural_surcharge="5.75",
            rates=(RateRow(zone="north", max_weight="5000", price="12.50"),),
        ),
    )
    stalls = (
        ("olive-grove", "Olive Grove", "olives@fair.test", "Olive oil"),
        ("soap-shed", "Soap Shed", "soaps@fair.test", "Lavender soap"),
        ("jam-jar", "The Jam Jar", "jams@fair.test", "Plum jam"),
    )
    for slug, name, owner, thing in stalls:
        _stall(fair, slug, name, owner, thing)
        page.goto(f"{base}/c/martinborough-fair/p/{slug}/{slug}-thing/")
        page.get_by_role("button", name="Add to cart").click()
        # (the page stays: htmx says so in its status region)
        expect(page.locator("#add-to-cart-status")).to_contain_text("Added")

    # when: checkout to an RD address, one parcel from the hub
    page.goto(base + "/c/martinborough-fair/checkout/")
    page.get_by_label(re.compile(r"^Email address")).fill("aroha@example.nz")
    page.get_by_label(re.compile(r"^Name")).fill("Aroha Te Wake")
    page.get_by_label(re.compile(r"^Street address")).fill("410 Lake Ferry Road")
    page.get_by_label(re.compile(r"^Apartment, unit or RD")).fill("RD 2")
    page.get_by_label(re.compile(r"^Town or city")).fill("Martinborough")
    page.get_by_label(re.compile(r"^Postcode")).fill("5782")
    page.get_by_label(re.compile(r"^Region")).select_option(label="Wellington")
    page.get_by_label("RD address (rural delivery)").check()
    page.get_by_role("button", name="Update delivery prices").click()
    page.wait_for_load_state()
    how = page.get_by_role("group", name="How your order comes")
    expect(how).to_contain_text("$18.25 for the whole order")
    how.get_by_label("One parcel from the hub").check()
    expect(page.locator("#order-summary")).to_contain_text("One parcel from the hub")
    axe_check(page, "checkout with hub delivery")
    page.get_by_label("Test card", exact=True).check()
    page.get_by_label(re.compile(r"^Card number")).fill("4242 4242 4242 4242")
    page.get_by_label(re.compile(r"^Expiry date")).fill("12/30")
    page.get_by_label(re.compile(r"^Security code")).fill("123")
    page.get_by_role("button", name="Place order").click()
    page.wait_for_load_state()

    # then: paid, one charge shared, the order page shows the parcel
    main = page.locator("main")
    expect(main).to_contain_text("Paid on")
    parcel = page.get_by_role("region", name="One parcel from the hub")
    expect(parcel).to_contain_text("Gathering at the hub")
    expect(parcel).to_contain_text("$18.25")
    axe_check(page, "order page with the hub's parcel")
    order = Order.objects.get()
    assert order.shipping_cents == 1825
    shares = sorted(order.fulfilments.values_list("shipping_cents", flat=True))
    assert shares == [608, 608, 609]

    # Each stallholder drops its part at the hub.
    page.context.clear_cookies()
    for slug, _name, owner, _thing in stalls:
        _log_in(page, base, owner)
        page.goto(f"{base}/manage/members/{slug}/orders/{order.number}/")
        expect(page.locator("main")).to_contain_text("Drop at the hub by")
        if slug == "olive-grove":
            axe_check(page, "a stallholder's part to drop at the hub")
        page.get_by_role("button", name="Mark dropped at the hub").click()
        page.wait_for_load_state()
        expect(page.locator("main")).to_contain_text("Dropped at the hub")
        page.context.clear_cookies()

    # The hub sends the one parcel.
    _log_in(page, base, "admin@fair.test")
    page.goto(f"{base}/manage/clusters/martinborough-fair/hub/")
    axe_check(page, "the hub")
    page.get_by_label(re.compile(r"^Carrier")).fill("NZ Post")
    page.get_by_label(re.compile(r"^Tracking number")).fill("NZP123456789")
    page.get_by_role("button", name="Send the parcel").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("NZP123456789")
    assert set(order.fulfilments.values_list("status", flat=True)) == {
        Fulfilment.Status.SHIPPED
    }
    page.goto(f"{base}/manage/clusters/martinborough-fair/hub/settings/")
    axe_check(page, "hub delivery settings")
    page.context.clear_cookies()

    # The shopper's order page (by the signed link of the confirmation email)
    # shows the parcel on its way with its one tracking number.
    page.goto(base + order_link(order.number))
    on_its_way = page.get_by_role("region", name="One parcel from the hub")
    expect(on_its_way).to_contain_text("On its way")
    expect(on_its_way).to_contain_text("NZP123456789")
    axe_check(page, "order page with the parcel sent")
