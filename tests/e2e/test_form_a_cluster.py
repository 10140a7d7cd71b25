"""A newcomer walks the finder to "Local", applies, staff approve, and the new cluster
shows in the public directory; the applicant accepts the emailed invitation."""

import re
from typing import Any

from django.core import mail
from playwright.sync_api import Page, expect

from purei.accounts.models import ClusterRole
from purei.accounts.tests.factories import PASSWORD, StaffFactory
from purei.clusters.models import Cluster


def test_newcomer_finds_local_applies_and_is_approved_into_the_directory(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    base = live_server.url
    StaffFactory.create(email="reviewer@purei.test")

    # The newcomer starts at the home page and follows it to the finder.
    page.goto(base + "/")
    page.get_by_role("link", name="Which type of cluster are we?").click()
    expect(page).to_have_url(re.compile(r"/finder/$"))

    # One question at a time: a shared place — yes; a shared specialisation — no.
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(re.compile(r"shared_place=yes"))
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#finder-heading")).to_contain_text("Local")
    axe_check(page, "finder result: Local")

    # The back button returns to the previous question, then forward to the result.
    page.go_back()
    expect(page.locator("#finder-heading")).not_to_contain_text("Local")
    page.go_forward()
    expect(page.locator("#finder-heading")).to_contain_text("Local")

    # Apply, prefilled from the finder.
    page.get_by_role("link", name=re.compile("Apply to form a Local cluster")).click()
    expect(page).to_have_url(re.compile(r"/apply/\?type=local"))
    expect(page.get_by_role("radio", name=re.compile("^Local"))).to_be_checked()
    page.get_by_label("Your name").fill("Mere Parata")
    page.get_by_label("Email address").fill("mere@taupo-makers.nz")
    page.get_by_label("Kind of lead organisation").select_option("chamber")
    page.get_by_label("Lead organisation", exact=False).last.fill(
        "Taupō Chamber of Commerce"
    )
    page.get_by_label("Proposed name in English").fill("Taupō Makers")
    page.get_by_role("checkbox", name="Waikato", exact=True).check()
    page.get_by_label("Expected number of members").fill("18")
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")

    # Platform staff log in, open the queue and approve.
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email address").fill("reviewer@purei.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(base + "/staff/applications/")
    page.get_by_role("link", name="Taupō Makers").click()
    page.get_by_role("button", name="Approve and invite the admin").click()
    expect(page.get_by_role("status").first).to_be_visible()

    # The cluster is live and listed in the directory, findable without macrons.
    cluster = Cluster.objects.get(name_en="Taupō Makers")
    assert cluster.status == Cluster.Status.LIVE
    assert cluster.type == "local"
    page.goto(base + "/clusters/?q=taupo")
    expect(page.get_by_role("link", name=re.compile("Taupō Makers"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Taupō Makers")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Taupō Makers")
    expect(page.locator("main")).to_contain_text("Waikato")
    axe_check(page, "new cluster home")

    # The applicant got a receipt when she applied, then a signed invitation;
    # following it makes her the admin.
    to_her = [m for m in mail.outbox if "mere@taupo-makers.nz" in m.to]
    assert "received" in to_her[0].subject.lower()
    invitation = next(m for m in to_her if "/accounts/invitations/" in str(m.body))
    link = re.search(r"https?://\S+/accounts/invitations/\S+/", str(invitation.body))
    assert link is not None
    path = "/accounts/invitations/" + link.group(0).split("/accounts/invitations/")[1]
    page.get_by_role("button", name="Log out").click()
    page.goto(base + path)
    axe_check(page, "invitation")
    page.get_by_label("Full name").fill("Mere Parata")
    page.get_by_label(re.compile(r"^Password \(")).fill("kūmara-and-kawakawa-42")
    page.get_by_label(re.compile("^Password again")).fill("kūmara-and-kawakawa-42")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/c/{cluster.slug}/$"))
    assert ClusterRole.objects.filter(
        user__email="mere@taupo-makers.nz", cluster=cluster, role="admin"
    ).exists()
