"""The demo's stories and newsletter (``purei.marketing.seed``), loaded by
``purei seed_demo`` through the services."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from purei.core.models import AuditEntry
from purei.marketing.models import Campaign, Story, StoryImage, Subscriber
from purei.marketing.seed import marketing_seed_load

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_fair_has_two_stories_and_a_newsletter_sent_to_its_subscribers():
    # when
    out = StringIO()
    call_command("seed_demo", "--no-history", stdout=out)
    # then
    assert "Stories: two published by the Martinborough Fair" in out.getvalue()
    stories = Story.objects.filter(cluster__slug="martinborough-fair")
    assert sorted(stories.values_list("slug", "status")) == [
        ("order-ahead-collect-at-the-gate", "published"),
        ("the-fair-all-year-round", "published"),
    ]
    assert StoryImage.objects.filter(story__in=stories).count() == 2
    subscribers = Subscriber.objects.filter(cluster__slug="martinborough-fair")
    assert set(subscribers.values_list("status", flat=True)) == {"subscribed"}
    assert subscribers.count() == 3
    for subscriber in subscribers:
        assert [e.kind for e in subscriber.events.all()] == ["requested", "confirmed"]
    campaign = Campaign.objects.get()
    assert (campaign.status, campaign.sent_count) == ("sent", 3)
    newsletters = [m for m in mail.outbox if m.subject == campaign.subject]
    assert sorted(m.to[0] for m in newsletters) == sorted(
        subscribers.values_list("email", flat=True)
    )
    assert AuditEntry.objects.filter(verb="campaign.sent").count() == 1
    page = Client().get("/c/martinborough-fair/stories/the-fair-all-year-round/")
    assert page.status_code == 200
    assert '<p class="lede" lang="mi">Nau mai, haere mai</p>' in page.content.decode()
    # when: loaded again, nothing is made or sent twice
    sent = len(mail.outbox)
    assert marketing_seed_load() == 0
    assert len(mail.outbox) == sent
    assert Campaign.objects.count() == 1
