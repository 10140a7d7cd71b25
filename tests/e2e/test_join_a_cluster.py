"""A carver applies to join Te Tauranga Toi, the cluster admin approves, the member
edits their story, and the public member page shows it; axe is clean on each page."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from purei.accounts.models import ClusterRole
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.clusters.models import ClusterType, LeadOrganisationKind
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Membership


def _log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_carver_joins_te_tauranga_toi_and_tells_their_story(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    base = live_server.url
    cluster = ClusterFactory.create(
        slug="te-tauranga-toi",
        name_en="Māori Artists of Tauranga Moana",
        name_mi="Te Tauranga Toi",
        type=ClusterType.TRADITIONAL,
        lead_org_kind=LeadOrganisationKind.ARTIST_COLLECTIVE,
        specialisation="Māori art: whakairo, raranga and painting",
        regions=["NZ-BOP"],
        colour_primary="#7a2e12",
    )
    admin = UserFactory.create(email="admin@te-tauranga-toi.test")
    ClusterRole.objects.create(user=admin, cluster=cluster, role="admin")

    # A carver finds the cluster and asks to join; first an account.
    page.goto(base + "/c/te-tauranga-toi/")
    axe_check(page, "cluster home")
    page.get_by_role("link", name=re.compile("Join this cluster")).click()
    axe_check(page, "join (anonymous)")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email address").fill("rawiri@whakairo.example.nz")
    page.get_by_label("Full name").fill("Rāwiri Carver")
    page.get_by_label(re.compile(r"^Password \(")).fill("pounamu-and-tōtara-77")
    page.get_by_label(re.compile("^Password again")).fill("pounamu-and-tōtara-77")
    axe_check(page, "sign up")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/c/te-tauranga-toi/join/$"))

    # No business yet: register one, and come back to the join page.
    page.get_by_role("link", name="Register a business").click()
    page.get_by_label(re.compile("^Legal name")).fill("Rāwiri Whakairo Limited")
    page.get_by_label(re.compile("^Trading name")).fill("Rāwiri Whakairo")
    page.get_by_label(re.compile("^NZBN")).fill("9429046393920")
    page.get_by_label(re.compile("^We sell in trade")).check()
    page.get_by_label(re.compile("^Town")).fill("Tauranga")
    axe_check(page, "register a business")
    page.get_by_role("button", name="Add the business").click()
    expect(page).to_have_url(re.compile(r"/c/te-tauranga-toi/join/$"))
    page.get_by_role("radio", name=re.compile("Rāwiri Whakairo")).check()
    axe_check(page, "join (with a business)")
    page.get_by_role("button", name="Send the application").click()
    expect(page.locator("main")).to_contain_text(re.compile("wait|approv", re.I))
    membership = Membership.objects.get(member__trading_name="Rāwiri Whakairo")
    assert membership.status == Membership.Status.APPLIED

    # The cluster's admin approves.
    page.get_by_role("button", name="Log out").click()
    _log_in(page, base, "admin@te-tauranga-toi.test", PASSWORD)
    page.goto(base + "/manage/clusters/te-tauranga-toi/members/")
    axe_check(page, "admin: members")
    page.get_by_role("link", name=re.compile("Rāwiri Whakairo")).first.click()
    axe_check(page, "admin: one membership")
    page.get_by_role("button", name="Approve and email them").click()
    page.wait_for_load_state()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED

    # The carver edits the story.
    page.get_by_role("button", name="Log out").click()
    _log_in(page, base, "rawiri@whakairo.example.nz", "pounamu-and-tōtara-77")
    page.goto(base + "/manage/")
    axe_check(page, "manage dashboard")
    page.get_by_role("link", name=re.compile("Rāwiri Whakairo")).first.click()
    page.get_by_label(re.compile("^Your story")).fill(
        "I carve **tōtara** and pounamu in Tauranga Moana.\n\n"
        "Each piece starts with a kōrero."
    )
    axe_check(page, "edit profile")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    # The public member page shows it, in the cluster's brand.
    page.goto(base + "/c/te-tauranga-toi/members/")
    axe_check(page, "public members")
    page.get_by_role("link", name=re.compile("Rāwiri Whakairo")).first.click()
    main = page.locator("main")
    expect(main).to_contain_text("I carve tōtara and pounamu in Tauranga Moana.")
    expect(main.locator("strong", has_text="tōtara")).to_be_visible()
    expect(main).to_contain_text(re.compile("in trade", re.I))
    brand = page.locator("link[rel=stylesheet][href*='/c/te-tauranga-toi/brand.css']")
    expect(brand).to_have_count(1)
    axe_check(page, "public member page")
