"""A cluster admin invites a winery by email; its owner follows the link, signs up,
registers the business and joins approved at once; axe is clean on each page."""

import re
from typing import Any

from django.core import mail
from playwright.sync_api import Page, expect

from purei.accounts.models import ClusterRole, Invitation
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Membership

LINK = re.compile(r"http://127\.0\.0\.1:8000(/accounts/invitations/[^/\s]+/)")


def test_an_invited_winery_joins_without_waiting(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    base = live_server.url
    cluster = ClusterFactory.create(
        slug="marlborough-wine",
        name_en="Marlborough Wine Collective",
        regions=["NZ-MBH"],
    )
    assert cluster.join_requires_approval
    admin = UserFactory.create(
        email="admin@marlborough.test", full_name="Aroha Winemaker"
    )
    ClusterRole.objects.create(user=admin, cluster=cluster, role="admin")

    # The admin invites a business from the members screen.
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill("admin@marlborough.test")
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(base + "/manage/clusters/marlborough-wine/members/")
    page.get_by_label(re.compile("^Email address")).fill("kate@vines.example.nz")
    page.get_by_label(re.compile("^Personal message")).fill(
        "Kia ora Kate, we'd love your sauvignon in the collective."
    )
    page.get_by_role("button", name="Email the invitation").click()
    expect(page.locator(".messages")).to_contain_text("Invitation emailed to")
    expect(page.get_by_role("button", name=re.compile("^Revoke"))).to_have_count(1)
    axe_check(page, "admin: members, with an invitation waiting")
    page.get_by_role("button", name="Log out").click()

    # The owner follows the emailed link and creates an account.
    (email,) = [m for m in mail.outbox if m.to == ["kate@vines.example.nz"]]
    link = LINK.search(str(email.body))
    assert link is not None
    page.goto(base + link.group(1))
    expect(page.locator("main")).to_contain_text("invites your business to join it")
    expect(page.locator("main")).to_contain_text("we'd love your sauvignon")
    axe_check(page, "invitation: sign up")
    page.get_by_label("Full name").fill("Kate Vines")
    page.get_by_label(re.compile(r"^Password \(")).fill("sauvignon-blanc-2025")
    page.get_by_label(re.compile("^Password again")).fill("sauvignon-blanc-2025")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/c/marlborough-wine/join/\?invitation="))
    expect(page.locator("main")).to_contain_text("You're invited")
    axe_check(page, "join with an invitation (no business yet)")

    # No business yet: register it, and come back with the invitation.
    page.get_by_role("link", name="Register a business").click()
    page.get_by_label(re.compile("^Legal name")).fill("Kate's Vines Limited")
    page.get_by_label(re.compile("^Trading name")).fill("Kate's Vines")
    page.get_by_label(re.compile("^NZBN")).fill("9429046393920")
    page.get_by_label(re.compile("^We sell in trade")).check()
    page.get_by_label(re.compile("^Town")).fill("Renwick")
    page.get_by_role("button", name="Add the business").click()
    expect(page).to_have_url(re.compile(r"/c/marlborough-wine/join/\?invitation="))
    page.get_by_role("radio", name=re.compile("Kate's Vines")).check()
    axe_check(page, "join with an invitation (with a business)")
    page.get_by_role("button", name="Join now").click()

    # A member at once, decided by the admin who invited.
    expect(page.locator("main h1")).to_contain_text(
        "You're a member of Marlborough Wine Collective"
    )
    axe_check(page, "joined by invitation")
    membership = Membership.objects.get(member__trading_name="Kate's Vines")
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == admin
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED
