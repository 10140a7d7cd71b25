"""A member's owner makes an API key for the business's accounts software, sees
it once, sees it work, and revokes it: axe is clean on each page (issue 17)."""

import re
from typing import Any

from django.test import Client
from playwright.sync_api import Page, expect

from purei.accounts.tests.factories import UserFactory
from purei.apikeys.models import ApiKey
from purei.clusters.tests.factories import region
from purei.members.tests.factories import MemberFactory, MemberRoleFactory
from tests.e2e.test_buy_from_three_stallholders import _log_in


def test_an_owner_makes_a_key_sees_it_once_and_revokes_it(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    base = live_server.url
    # given: the owner of a vineyard, logged in
    member = MemberFactory.create(
        slug="vines", trading_name="Te Muna Vines", region=region("NZ-WGN")
    )
    MemberRoleFactory.create(
        member=member, user=UserFactory.create(email="owner@vines.nz")
    )
    _log_in(page, base, "owner@vines.nz")
    # when: the API keys tab
    page.goto(base + "/manage/members/vines/")
    page.get_by_role("link", name="API keys").click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "API keys of Te Muna Vines"
    )
    expect(main).to_contain_text("No keys yet.")
    axe_check(page, "API keys, none yet")
    # and a key for reading orders and money
    page.get_by_label("Name").fill("Xero sync")
    page.get_by_label(re.compile(r"Read orders")).check()
    page.get_by_label(re.compile(r"Read balances")).check()
    page.get_by_role("button", name="Make the key").click()
    page.wait_for_load_state()
    # then: the secret, once
    secret = page.get_by_test_id("api-key-secret").input_value()
    assert secret.startswith("pk_live_")
    expect(main).to_contain_text("shown this once")
    expect(main.get_by_role("table")).to_contain_text("Xero sync")
    axe_check(page, "API keys, a new key shown once")
    # and it works on the API
    machine = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert machine.get("/api/v1/members/vines/fulfilments").status_code == 200
    # when: the page again
    page.goto(base + "/manage/members/vines/api-keys/")
    # then: never again the secret
    assert secret not in page.content()
    expect(main.get_by_role("table")).to_contain_text(secret[:16])
    # when: revoked
    page.get_by_role("button", name="Revoke Xero sync").click()
    page.wait_for_load_state()
    # then
    expect(page.locator(".messages")).to_contain_text("is revoked: it no longer works")
    expect(main.get_by_role("table")).to_contain_text("Revoked")
    axe_check(page, "API keys, one revoked")
    assert ApiKey.objects.get().revoked_at is not None
    assert machine.get("/api/v1/members/vines/fulfilments").status_code == 401


def test_the_cluster_and_trade_key_pages_have_no_axe_violations(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    from purei.accounts.models import ClusterRole
    from purei.clusters.tests.factories import ClusterFactory
    from purei.trade.models import TradeAccount, TradeBuyer
    from purei.trade.tests.factories import TradeAccountFactory

    base = live_server.url
    # given: a cluster's admin who also buys for a trade account there
    cluster = ClusterFactory.create(slug="wairarapa", name_en="Wairarapa Wine")
    person = UserFactory.create(email="admin@wairarapa.nz")
    ClusterRole.objects.create(user=person, cluster=cluster, role="admin")
    account = TradeAccountFactory.create(
        cluster=cluster,
        legal_name="Harbour Cellars Ltd",
        status=TradeAccount.Status.APPROVED,
    )
    TradeBuyer.objects.create(user=person, account=account)
    _log_in(page, base, "admin@wairarapa.nz")
    for path, scope in [
        ("/manage/clusters/wairarapa/api-keys/", r"Read balances"),
        ("/c/wairarapa/trade/api-keys/", r"Ask for quotes"),
    ]:
        # when: the page, a refused form, a key made
        page.goto(base + path)
        axe_check(page, path)
        page.get_by_role("button", name="Make the key").click()
        page.wait_for_load_state()
        assert page.get_by_role("alert").first.is_visible()
        axe_check(page, f"{path} with errors")
        page.get_by_label("Name").fill("Warehouse")
        page.get_by_label(re.compile(scope)).check()
        page.get_by_role("button", name="Make the key").click()
        page.wait_for_load_state()
        # then
        assert page.get_by_test_id("api-key-secret").input_value().startswith("pk_")
        axe_check(page, f"{path} with a new key")
