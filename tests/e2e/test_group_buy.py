"""A group buy from proposal to payout offset (issue 15): the cluster's admin
proposes printed paper bags with price tiers and a shared freight cost, two
stallholders commit (offset against their next payout), the admin closes it —
the target met, the lower tier fixed and the freight split by largest remainder —
and the payout run pays each stallholder what it was owed less its share. axe is
clean on every page."""

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from purei.accounts.models import ClusterRole
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.cooperation.models import Commitment, GroupBuy
from purei.ledger.models import Payout
from purei.ledger.selectors import member_balance_cents
from purei.ledger.tests.factories import (
    dispatch,
    money_cluster,
    money_member,
    paid_order,
)
from purei.members.tests.factories import MemberRoleFactory

TIERS = "1 0.55\n500 0.42"


def _log_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()  # whoever was logged in before
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _fair() -> dict[str, Any]:
    """The fair, its admin, two stallholders with owners, each owed for a
    dispatched order."""
    fair = money_cluster(slug="fair", name_en="Martinborough Fair")
    admin = UserFactory.create(email="admin@fair.example.nz", password=PASSWORD)
    ClusterRole.objects.create(user=admin, cluster=fair, role="admin")
    people = {"admin": admin.email}
    for slug, name in (
        ("olive-grove", "Olive Grove"),
        ("te-wai-honey", "Te Wai Honey"),
    ):
        member = money_member(fair, slug=slug, trading_name=name)
        owner = MemberRoleFactory.create(
            member=member, user__email=f"owner@{slug}.example.nz"
        )
        owner.user.set_password(PASSWORD)
        owner.user.save()
        order, _payment = paid_order(fair, [(member, [(50_000, 1)])])
        dispatch(order)
        people[slug] = owner.user.email
    return {"cluster": fair, **people}


def test_a_group_buy_from_proposal_to_payout_offset(
    page: Page, live_server: Any, axe_check: Any, settings: Any
) -> None:
    base = live_server.url
    settings.PAYMENTS_TEST_GATEWAY = True  # the stallholders' past sales
    fair = _fair()
    cluster = fair["cluster"]
    together = f"{base}/manage/together/fair"
    # given: the admin proposes the bags
    _log_in(page, base, fair["admin"])
    page.goto(f"{together}/group-buys/new/")
    axe_check(page, "propose a group buy")
    page.get_by_label("What is bought").select_option("packaging")
    page.get_by_label("Title").fill("Printed paper bags")
    page.get_by_label("Supplier").fill("Kraft Bags Ltd, Petone")
    page.get_by_label("Unit", exact=True).fill("bags")
    page.get_by_label("Price tiers").fill(TIERS)
    page.get_by_label("Target quantity").fill("500")
    deadline = timezone.localtime() + dt.timedelta(days=7)
    page.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(re.compile(r"^Shared cost")).fill("19.00")
    page.get_by_label("Delivery or collection").select_option(index=0)
    page.get_by_role("button", name="Open it for commitments").click()
    page.wait_for_load_state()
    group_buy = GroupBuy.objects.get()
    assert group_buy.status == "open"
    # when: two stallholders commit, each to be offset against its payout
    for slug, quantity in (("olive-grove", "300"), ("te-wai-honey", "250")):
        _log_in(page, base, fair[slug])
        page.goto(f"{together}/group-buys/{group_buy.pk}/")
        page.get_by_label(re.compile(r"^Quantity")).fill(quantity)
        page.get_by_label("Offset against my next payout").check()
        page.get_by_role("button", name="Save my commitment").click()
        page.wait_for_load_state()
        expect(page.locator("main")).to_contain_text(quantity)
        axe_check(page, f"a group buy, committed by {slug}")
    owed = {
        c.member.slug: member_balance_cents(c.member_id, cluster.pk)
        for c in Commitment.objects.select_related("member")
    }
    # ... and the admin closes it
    _log_in(page, base, fair["admin"])
    page.goto(f"{together}/group-buys/{group_buy.pk}/")
    page.get_by_role("button", name="Close the group buy").click()
    page.wait_for_load_state()
    axe_check(page, "a group buy closed and split")
    # then: 550 bags reach the 500 tier ($0.42); the $19.00 freight split by
    # quantity, largest remainder (1036.36 and 863.64 cents: 1036 and 864)
    shares = {
        c.member.slug: (c.goods_cents, c.shared_cost_cents, c.total_cents)
        for c in Commitment.objects.select_related("member")
    }
    assert shares == {
        "olive-grove": (12600, 1036, 13636),
        "te-wai-honey": (10500, 864, 11364),
    }
    # and the payout run pays each what it was owed less its share
    page.goto(f"{base}/manage/clusters/fair/payouts/")
    axe_check(page, "payouts with group-buy offsets")
    page.get_by_role("button", name="Run payouts").click()
    page.wait_for_load_state()
    paid = {
        p.member.slug: p.amount_cents for p in Payout.objects.select_related("member")
    }
    assert paid == {
        "olive-grove": owed["olive-grove"] - 13636,
        "te-wai-honey": owed["te-wai-honey"] - 11364,
    }
    axe_check(page, "the payout run")
