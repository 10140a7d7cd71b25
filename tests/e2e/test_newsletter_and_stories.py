"""A shopper reads a cluster's stories, subscribes to its newsletter, confirms from
the link in the email that a real SMTP server received, and later unsubscribes;
the cluster's admin sends a story to the list. axe is clean on every page."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from purei.accounts.models import ClusterRole
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.core.tests.pictures import picture_bytes, upload
from purei.marketing.models import Story, Subscriber
from purei.marketing.services import story_image_add
from purei.marketing.tests.smtp import SmtpServer, smtp_server_running

SHOTS = Path("test-results/screenshots")


@pytest.fixture
def smtp_server(settings: Any, live_server: Any) -> Iterator[SmtpServer]:
    with smtp_server_running() as server:
        settings.MAILERS = server.mailers
        settings.SITE_URL = live_server.url
        yield server


def _link(server: SmtpServer, to: str, path: str) -> str:
    """The path of the one link starting with ``path`` in the mail ``to`` got."""
    found = set()
    for message in server.to(to):
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        text = str(body.get_content())
        found.update(re.findall(rf"https?://[^/\s]+({re.escape(path)}\S*)", text))
    assert len(found) == 1, found
    return str(found.pop())


def test_a_shopper_subscribes_confirms_and_reads_a_story(
    page: Page, live_server: Any, smtp_server: SmtpServer, axe_check: Any
) -> None:
    base = live_server.url
    cluster = ClusterFactory.create(
        slug="fair",
        name_en="Martinborough Fair Stallholders",
        lead_org_name="Martinborough Fair Stallholders' Association",
        lead_org_address="The Square, Martinborough 5711",
        regions=["NZ-WGN"],
    )
    admin = UserFactory.create(email="helen@fair.example.nz")
    ClusterRole.objects.create(user=admin, cluster=cluster, role="admin")
    story = Story.objects.create(
        cluster=cluster,
        slug="the-fair-all-year-round",
        title_en="The fair, all year round",
        title_mi="Nau mai, haere mai",
        summary_en="Between the fair days, its stalls are open here.",
        body_en="Each summer the Square fills with stalls.\n\n"
        "![The Square on fair day](image:1)\n\n## One basket\n\n- Many stalls",
        status=Story.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    story_image_add(
        actor=Actor(user=admin),
        story=story,
        image=upload("square.jpg", picture_bytes(800, 500)),
        alt_text="Stalls around the Square",
    )
    Story.objects.create(
        cluster=cluster,
        slug="nga-kaupapa",
        title_mi="Ngā Kaupapa",
        body_mi="He kōrero.",
        status=Story.Status.PUBLISHED,
        published_at=timezone.now(),
    )

    # The shopper finds the stories from the cluster's footer.
    page.goto(base + "/c/fair/stories/")
    expect(page.locator("main h1")).to_have_text(
        "Stories from Martinborough Fair Stallholders"
    )
    axe_check(page, "stories")
    page.get_by_role("link", name="The fair, all year round").click()
    expect(page.locator("main h1")).to_have_text("The fair, all year round")
    expect(page.locator("main .lede[lang=mi]")).to_have_text("Nau mai, haere mai")
    expect(page.get_by_alt_text("Stalls around the Square")).to_be_visible()
    axe_check(page, "a story")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "story.png"), full_page=True)
    page.goto(base + "/mi/c/fair/stories/")
    axe_check(page, "stories, te reo")
    page.goto(base + "/mi/c/fair/stories/nga-kaupapa/")
    expect(page.locator("main h1[lang=mi]")).to_have_text("Ngā Kaupapa")
    axe_check(page, "a te reo story")
    page.goto(base + "/c/fair/stories/the-fair-all-year-round/")

    # Subscribes from the story.
    page.locator("main").get_by_role("link", name="Subscribe").click()
    expect(page.locator("main h1")).to_have_text(
        "The newsletter of Martinborough Fair Stallholders"
    )
    axe_check(page, "subscribe")
    page.screenshot(path=str(SHOTS / "newsletter-subscribe.png"), full_page=True)
    page.get_by_label(re.compile("^Email address")).fill("kiri@example.nz")
    page.get_by_label(re.compile("^Region")).select_option("NZ-WGN")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("main h1")).to_have_text("Check your inbox")
    axe_check(page, "subscribe: sent")
    assert Subscriber.objects.get().status == "pending"

    # Confirms from the email the SMTP server received.
    confirm = _link(smtp_server, "kiri@example.nz", "/c/fair/newsletter/confirm/")
    page.goto(base + confirm)
    expect(page.locator("main h1")).to_have_text("Confirm your subscription")
    axe_check(page, "confirm")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("main h1")).to_have_text("You're subscribed")
    axe_check(page, "confirmed")
    assert Subscriber.objects.get().status == "subscribed"

    # The admin sends the story to the list.
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill("helen@fair.example.nz")
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(base + f"/manage/clusters/fair/stories/{story.pk}/")
    axe_check(page, "admin: a story")
    page.get_by_role("link", name="Send it to the newsletter's subscribers").click()
    axe_check(page, "admin: send a story")
    page.get_by_role("button", name="Next: check it").click()
    expect(page.locator("main")).to_contain_text("Would reach now")
    axe_check(page, "admin: a draft campaign")
    page.screenshot(path=str(SHOTS / "newsletter-campaign-draft.png"), full_page=True)
    page.get_by_role("button", name="Send it to 1 subscriber now").click()
    expect(page.locator(".messages")).to_contain_text("Sending")
    page.goto(base + "/manage/clusters/fair/newsletter/")
    expect(page.locator("main table")).to_contain_text("Sent")
    axe_check(page, "admin: newsletter")
    page.get_by_role("button", name="Log out").click()

    # The newsletter arrived, with its one-click unsubscribe; the shopper leaves.
    (newsletter,) = [
        m for m in smtp_server.to("kiri@example.nz") if "List-Unsubscribe" in m
    ]
    assert newsletter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = _link(
        smtp_server, "kiri@example.nz", "/c/fair/newsletter/unsubscribe/"
    )
    page.goto(base + unsubscribe)
    axe_check(page, "unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("main h1")).to_have_text("You're unsubscribed")
    axe_check(page, "unsubscribed")
    assert Subscriber.objects.get().status == "unsubscribed"
