"""A buyer who received olive oil reviews it from the order page; the maker
replies; the product page shows the review, the reply and its AggregateRating.
axe is clean on the order page, the review form (empty, and refused for want of
stars), the maker's reviews page and the product page with a review."""

import json
import re
from typing import Any

from playwright.sync_api import Page, expect

from purei.accounts.models import ClusterRole
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.clusters.tests.factories import ClusterFactory
from purei.marketing.models import Review, ReviewSettings
from purei.marketing.tests.review_factories import bought
from purei.members.tests.factories import (
    MemberFactory,
    MemberRoleFactory,
    MembershipFactory,
)
from purei.search.tests.factories import public_product


def _log_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_buyer_reviews_what_they_received_and_the_maker_replies(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    base = live_server.url
    # given: the fair shows reviews at once; Aroha received the olive oil
    fair = ClusterFactory.create(slug="fair", name_en="Martinborough Fair")
    ReviewSettings.objects.create(cluster=fair, needs_approval=False)
    olives = MemberFactory.create(slug="olive-grove", trading_name="Olive Grove")
    MembershipFactory.create(member=olives, cluster=fair)
    owner = MemberRoleFactory.create(member=olives, user__email="owner@olives.nz")
    owner.user.set_password(PASSWORD)
    owner.user.save()
    product = public_product(
        fair, member=olives, slug="olive-oil", title_en="Extra virgin olive oil"
    )
    buyer = UserFactory.create(email="aroha@example.nz", password=PASSWORD)
    order = bought(fair, buyer, product)
    curator = UserFactory.create(email="curator@fair.nz", password=PASSWORD)
    ClusterRole.objects.create(user=curator, cluster=fair, role="curator")
    # when: she follows the order page's link to the form
    _log_in(page, base, buyer.email)
    page.goto(f"{base}/orders/{order.number}/")
    axe_check(page, "order page with a review link")
    page.get_by_role("link", name=re.compile(r"^Review Extra virgin olive oil")).click()
    page.wait_for_load_state()
    axe_check(page, "review form")
    page.get_by_label(re.compile(r"^Your review")).fill("Peppery and fresh.")
    page.get_by_role("button", name=re.compile(r"^(Send|Save|Post)")).click()
    page.wait_for_load_state()
    expect(page.locator(".errorlist").first).to_be_visible()
    axe_check(page, "review form refused: no stars")
    page.get_by_role("radio", name=re.compile(r"5 stars")).check()
    page.get_by_role("button", name=re.compile(r"^(Send|Save|Post)")).click()
    page.wait_for_load_state()
    review = Review.objects.get()
    assert (review.stars, review.status) == (5, "approved")
    # then the maker replies once
    _log_in(page, base, owner.user.email)
    page.goto(f"{base}/manage/members/olive-grove/reviews/")
    axe_check(page, "the maker's reviews")
    page.get_by_label(re.compile(r"^Your reply")).fill("Kia ora, thank you!")
    page.get_by_role("button", name=re.compile(r"^Reply")).click()
    page.wait_for_load_state()
    # and anyone sees both, and the rating, on the product page
    page.context.clear_cookies()
    page.goto(f"{base}/c/fair/p/olive-grove/olive-oil/")
    reviews = page.locator("main")
    expect(reviews).to_contain_text("Peppery and fresh.")
    expect(reviews).to_contain_text("Kia ora, thank you!")
    data = [
        json.loads(text)
        for text in page.locator(
            'script[type="application/ld+json"]'
        ).all_text_contents()
    ]
    ratings = [d["aggregateRating"] for d in data if "aggregateRating" in d]
    assert ratings
    assert ratings[0]["reviewCount"] == 1
    assert float(ratings[0]["ratingValue"]) == 5
    axe_check(page, "product page with a review and a reply")
