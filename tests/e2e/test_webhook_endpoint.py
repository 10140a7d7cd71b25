"""A member's owner registers a webhook endpoint for their stock-and-orders tool,
sees its signing secret once, and watches the delivery log: a delivery the tool
answered 500 is sent again from the log and succeeds. axe is clean on each page
(issue 17)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from purei.accounts.tests.factories import UserFactory
from purei.clusters.tests.factories import region
from purei.core.events import DomainEvent
from purei.members.tests.factories import MemberFactory, MemberRoleFactory
from purei.webhooks.models import Delivery, Endpoint
from purei.webhooks.services import event_record
from purei.webhooks.signing import verify
from purei.webhooks.tests.receiver import receiver
from tests.e2e.test_buy_from_three_stallholders import _log_in


def test_an_owner_adds_a_webhook_endpoint_and_sends_a_delivery_again(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    base = live_server.url
    # given: the owner of a vineyard, logged in, and their tool listening (it
    # answers the first delivery with a 500)
    member = MemberFactory.create(
        slug="hook-vines", trading_name="Te Muna Vines", region=region("NZ-WGN")
    )
    MemberRoleFactory.create(
        member=member, user=UserFactory.create(email="owner@hook-vines.nz")
    )
    _log_in(page, base, "owner@hook-vines.nz")
    with receiver(500) as tool:
        # when: the Webhooks tab
        page.goto(base + "/manage/members/hook-vines/")
        page.get_by_role("link", name="Webhooks").click()
        main = page.locator("main")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Webhooks of Te Muna Vines"
        )
        expect(main).to_contain_text("No endpoints yet.")
        axe_check(page, "Webhooks, none yet")
        # and an endpoint for paid orders
        page.get_by_label("Address (URL)").fill(tool.url)
        page.get_by_label("Description (optional)").fill("Stock sync")
        page.get_by_label(re.compile(r"An order is paid")).check()
        page.get_by_role("button", name="Add the endpoint").click()
        page.wait_for_load_state()
        # then: its signing secret, once
        secret = page.get_by_test_id("webhook-secret").input_value()
        assert secret.startswith("whsec_")
        expect(main.get_by_role("table")).to_contain_text(tool.url)
        axe_check(page, "Webhooks, a new endpoint and its secret")
        endpoint = Endpoint.objects.get()
        assert endpoint.events == ["order.paid"]
        # when: an order is paid (the event the endpoint hears)
        event_record(DomainEvent("order.paid", None, member.pk, {"order": "X-0042"}))
        # then: the tool got it, signed, and answered 500
        assert len(tool.received) == 1
        got = tool.received[0]
        assert verify(secret, got.headers["Purei-Signature"], got.body)
        # when: the endpoint's page and its delivery log
        page.goto(base + "/manage/members/hook-vines/")
        page.get_by_role("link", name="Webhooks").click()
        page.get_by_role("link", name=tool.url).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhook endpoint")
        expect(page.get_by_test_id("status-code").first).to_have_text("500")
        axe_check(page, "Webhook endpoint, a failed delivery in the log")
        # and it is sent again from the log
        page.get_by_role("button", name=re.compile(r"^Send again")).first.click()
        page.wait_for_load_state()
        # then: the tool got it again (same event id), answered 200, and the log says so
        assert len(tool.received) == 2
        assert tool.event_ids()[0] == tool.event_ids()[1]
        expect(page.get_by_test_id("status-code").first).to_have_text("200")
        axe_check(page, "Webhook endpoint, sent again")
    assert Delivery.objects.filter(state=Delivery.State.SUCCEEDED).count() == 1
