"""The management screens on a phone (issue 13): a cluster's admin and a member
business's owner go through a representative set of /manage/ pages at 390 by 844,
and none of them scrolls sideways. A data table too wide for a phone scrolls
inside its own labelled, focusable region; the page itself never does. axe stays
clean at that width."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize

from purei.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

# What a long name of a real business looks like; it must wrap, not push.
MEMBER_NAME = "Te Awaroa Kūmara & Heritage Vegetable Growers"
PRODUCT_TITLE = "Heritage kūmara, Owairaka Red, washed and graded (10 kg sack)"


@pytest.fixture
def manage_data(db: Any, settings: Any) -> dict[str, Any]:
    """A cluster with its admin, a member with its owner, products, a paid and
    paid-out order, and an unpaid trade order of an approved trade account."""
    from django.utils import timezone

    from purei.accounts.models import ClusterRole
    from purei.accounts.tests.factories import UserFactory
    from purei.catalogue.models import Variant
    from purei.core.actor import Actor
    from purei.ledger.models import Invoice, Payout
    from purei.ledger.services.payouts import payout_run
    from purei.ledger.tests.factories import (
        dispatch,
        money_cluster,
        money_member,
        paid_order,
        place_order,
    )
    from purei.members.tests.factories import MemberRoleFactory
    from purei.orders.models import ShippingPolicy, ShippingRate, Zone
    from purei.search.tests.factories import public_product
    from purei.trade.tests.factories import TradeAccountFactory, trade_order_of

    settings.PAYMENTS_TEST_GATEWAY = True  # as in the demo
    cluster = money_cluster(slug="kumara", name_en="Northland Kūmara Collective")
    member = money_member(
        cluster,
        slug="te-awaroa",
        trading_name=MEMBER_NAME,
        legal_name=MEMBER_NAME + " Limited",
        town="Dargaville",
        latitude=Decimal("-35.9400"),
        longitude=Decimal("173.8700"),
    )
    owner = MemberRoleFactory.create(
        member=member, user__email="owner.of.te.awaroa.kumara.growers@example.nz"
    )
    admin = UserFactory.create(email="admin.of.the.kumara.collective@example.nz")
    ClusterRole.objects.create(user=admin, cluster=cluster, role="admin")
    product = public_product(
        cluster, member=member, slug="owairaka-red", title_en=PRODUCT_TITLE
    )
    Variant.objects.filter(product=product).update(
        name="10 kg sack", sku="TAW-KUMARA-OWAIRAKA-RED-10KG"
    )
    policy = ShippingPolicy.objects.create(member=member)
    for zone, price in ((Zone.NORTH_ISLAND, 1450), (Zone.SOUTH_ISLAND, 2450)):
        ShippingRate.objects.create(
            policy=policy, zone=zone, max_weight_grams=None, price_cents=price
        )
    order, _payment = paid_order(cluster, [(member, [(4500, 2), (1299, 3)])])
    dispatch(order)
    run = payout_run(actor=Actor.system(), cluster=cluster, until=timezone.now())
    payout = Payout.objects.get(run=run)
    invoice = Invoice.objects.get(order=order, member=member)
    unpaid = place_order(cluster, [(member, [(250_00, 4)])])
    account = TradeAccountFactory.create(
        cluster=cluster, legal_name="Brisbane Fresh Produce Imports", status="approved"
    )
    trade_order_of(unpaid, account)
    return {
        "owner": owner.user.email,
        "admin": admin.email,
        "product": product.slug,
        "order": order.number,
        "trade_order": unpaid.number,
        "account": account.pk,
        "invoice": invoice.pk,
        "run": run.pk,
        "payout": payout.number,
    }


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _overflowing(page: Page) -> list[str]:
    """What sticks out past the viewport (not inside a scrolling box or a closed
    menu): a few elements, to say what made the page too wide."""
    found: list[str] = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const out = [];
          const contained = (el) => {
            for (let up = el.parentElement; up; up = up.parentElement) {
              const s = getComputedStyle(up);
              if (s.overflowX === 'auto' || s.overflowX === 'scroll') return true;
              if (up.tagName === 'DETAILS' && !up.open) return true;
            }
            return false;
          };
          for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 0.5 && !contained(el)) {
              const text = (el.textContent || '').trim().slice(0, 40);
              out.push(`${el.tagName} ${Math.round(box.right)} «${text}»`);
            }
          }
          return out.slice(0, 6);
        }"""
    )
    return found


def _visit(page: Page, base: str, paths: list[str], axe_check: Any) -> list[str]:
    wide = []
    for path in paths:
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        width: int = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{path}: {width} px — {_overflowing(page)}")
        try:
            axe_check(page, f"{path} at 390 px")
        except AssertionError as error:
            wide.append(str(error))
    return wide


def test_a_member_owners_manage_pages_fit_a_phone(
    page: Page, live_server: Any, manage_data: dict[str, Any], axe_check: Any
) -> None:
    # given
    data = manage_data
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, data["owner"])
    member = "/manage/members/te-awaroa"
    # when
    wide = _visit(
        page,
        live_server.url,
        [
            "/manage/",
            f"{member}/",
            f"{member}/products/",
            f"{member}/products/new/",
            f"{member}/products/{data['product']}/",
            f"{member}/products/{data['product']}/variants/",
            f"{member}/products/import/",
            f"{member}/photos/",
            f"{member}/staff/",
            f"{member}/credentials/",
            f"{member}/orders/",
            f"{member}/orders/{data['order']}/",
            f"{member}/shipping/",
            f"{member}/money/",
            f"{member}/money/statements/{data['payout']}/",
            f"{member}/money/invoices/{data['invoice']}/",
            f"{member}/trade/rfqs/",
            "/accounts/orders/",
        ],
        axe_check,
    )
    # then
    assert not wide, "\n".join(wide)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_server.url + f"{member}/orders/{data['order']}/")
    page.screenshot(path=str(SHOTS / "manage-member-order-390.png"), full_page=True)


def test_a_cluster_admins_manage_pages_fit_a_phone(
    page: Page, live_server: Any, manage_data: dict[str, Any], axe_check: Any
) -> None:
    # given
    data = manage_data
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, data["admin"])
    cluster = "/manage/clusters/kumara"
    # when
    wide = _visit(
        page,
        live_server.url,
        [
            "/manage/",
            f"{cluster}/",
            f"{cluster}/members/",
            f"{cluster}/people/",
            f"{cluster}/brand/",
            f"{cluster}/money/",
            f"{cluster}/listing-rules/",
            f"{cluster}/listings/",
            f"{cluster}/activity/",
            f"{cluster}/orders/",
            f"{cluster}/orders/{data['order']}/",
            f"{cluster}/invoices/{data['invoice']}/",
            f"{cluster}/shipping/",
            f"{cluster}/pickup-events/",
            f"{cluster}/payouts/",
            f"{cluster}/payouts/{data['run']}/",
            f"{cluster}/reports/",
            f"{cluster}/freight-quotes/",
            f"{cluster}/trade/",
            f"{cluster}/trade/accounts/{data['account']}/",
            f"{cluster}/trade/accounts/{data['account']}/statement/",
            f"{cluster}/trade/orders/",
            f"{cluster}/trade/orders/{data['trade_order']}/",
            f"{cluster}/trade/rfqs/",
            f"{cluster}/trade/settings/",
        ],
        axe_check,
    )
    # then
    assert not wide, "\n".join(wide)
    # a wide table scrolls in a region of its own, named and reached by Tab
    page.goto(live_server.url + f"{cluster}/orders/")
    region = page.get_by_role("region", name="Orders, newest first")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_server.url + f"{cluster}/payouts/{data['run']}/")
    page.screenshot(path=str(SHOTS / "manage-payout-run-390.png"), full_page=True)
