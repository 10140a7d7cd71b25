import hashlib
import hmac
import json
import time

import pytest
from django.test import Client

from purei.core.models import AuditEntry
from purei.core.tests.pictures import upload
from purei.marketing.models import Campaign, Story, Subscriber
from purei.marketing.tests.factories import StoryFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

STORIES = "/manage/clusters/cluster-x/stories/"
NEWSLETTER = "/manage/clusters/cluster-x/newsletter/"


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_an_admin_writes_pictures_and_publishes_a_story_on_the_web(
    cluster_x, cluster_x_admin_user
):
    client = client_for(cluster_x_admin_user)
    # when
    created = client.post(
        STORIES + "new/",
        {"title_en": "Fair day", "body_en": "Hello.\n\n![The square](image:1)"},
    )
    story = Story.objects.get()
    assert created["Location"] == f"{STORIES}{story.pk}/"
    added = client.post(
        f"{STORIES}{story.pk}/images/",
        {"image": upload(), "alt_text": "The Square on fair day"},
    )
    published = client.post(f"{STORIES}{story.pk}/", {"action": "publish"})
    page = client.get(f"{STORIES}{story.pk}/").content.decode()
    # then
    assert (added.status_code, published.status_code) == (302, 302)
    story.refresh_from_db()
    assert story.status == "published"
    assert 'aria-current="page">Stories</a>' in page  # the manage shell's tab
    assert "The Square on fair day" in page  # the preview
    assert client.get(STORIES).status_code == 200


def test_platform_staff_look_but_do_not_write(cluster_x, staff_user):
    story = StoryFactory.create(cluster=cluster_x)
    client = client_for(staff_user)
    assert client.get(STORIES).status_code == 200
    assert client.get(f"{STORIES}{story.pk}/").status_code == 200
    assert client.get(STORIES + "new/").status_code == 403
    assert (
        client.post(f"{STORIES}{story.pk}/", {"action": "unpublish"}).status_code == 403
    )
    story.refresh_from_db()
    assert story.status == "published"


def test_the_newsletter_screen_counts_and_sends(
    cluster_x, cluster_x_admin_user, django_capture_on_commit_callbacks
):
    # given
    story = StoryFactory.create(cluster=cluster_x, title_en="Fair day")
    SubscriberFactory.create(cluster=cluster_x)
    SubscriberFactory.create(cluster=cluster_x, status="pending")
    client = client_for(cluster_x_admin_user)
    # when
    page = client.get(NEWSLETTER).content.decode()
    form = client.get(f"{NEWSLETTER}campaigns/new/?story={story.pk}").content.decode()
    created = client.post(
        f"{NEWSLETTER}campaigns/new/",
        {
            "story": story.pk,
            "subject": "Fair day",
            "segment": "all",
            "reply_to": "helen@example.nz",
        },
    )
    campaign = Campaign.objects.get()
    draft = client.get(created["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(created["Location"], {"action": "send"})
    # then
    assert "1 subscriber gets the newsletter." in page
    assert 'value="Fair day"' in form
    assert "Send it to 1 subscriber now" in draft
    assert "Unsubscribe in one click" in draft  # the preview of the email
    campaign.refresh_from_db()
    assert (campaign.status, campaign.sent_count) == ("sent", 1)
    listed = client.get(NEWSLETTER).content.decode()
    assert "Fair day" in listed
    assert "Sent" in listed


def test_the_export_is_csv_safe_admins_only_and_audited(
    cluster_x, cluster_x_admin_user, staff_user
):
    # given: a consent wording that starts like a formula
    SubscriberFactory.create(
        cluster=cluster_x, email="a@example.nz", consent_wording="=HYPERLINK(1)"
    )
    # when
    response = client_for(cluster_x_admin_user).get(NEWSLETTER + "subscribers.csv")
    refused = client_for(staff_user).get(NEWSLETTER + "subscribers.csv")
    # then
    assert response.status_code == 200
    text = b"".join(response).decode()
    assert text.splitlines()[0].startswith('"email","status"')
    assert '"a@example.nz","subscribed"' in text
    assert '"\'=HYPERLINK(1)"' in text
    assert refused.status_code == 403
    assert AuditEntry.objects.get(verb="newsletter.subscribers_exported").after == {
        "rows": 1
    }


def test_an_admin_marks_an_address_on_the_screen(cluster_x, cluster_x_admin_user):
    SubscriberFactory.create(cluster=cluster_x, email="gone@example.nz")
    response = client_for(cluster_x_admin_user).post(
        NEWSLETTER + "addresses/", {"email": "gone@example.nz", "status": "complained"}
    )
    unknown = client_for(cluster_x_admin_user).post(
        NEWSLETTER + "addresses/", {"email": "who@example.nz", "status": "bounced"}
    )
    assert response.status_code == 302
    assert Subscriber.objects.get().status == "complained"
    assert unknown.status_code == 422


def _signed(body: bytes, secret: str, at: int | None = None) -> dict[str, str]:
    at = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256)
    return {"X-Purei-Signature": f"t={at},v1={digest.hexdigest()}"}


def test_the_webhook_marks_a_bounce_when_signed(cluster_x, settings):
    # given
    settings.NEWSLETTER_WEBHOOK_SECRET = "whsec-test"
    SubscriberFactory.create(cluster=cluster_x, email="gone@example.nz")
    body = json.dumps({"event": "bounce", "email": "gone@example.nz"}).encode()
    client = Client(enforce_csrf_checks=True)
    url = "/newsletter/webhooks/bounces/"
    # when
    forged = client.post(
        url, body, content_type="application/json", headers=_signed(body, "wrong")
    )
    stale = client.post(
        url,
        body,
        content_type="application/json",
        headers=_signed(body, "whsec-test", at=int(time.time()) - 3600),
    )
    assert Subscriber.objects.get().status == "subscribed"
    good = client.post(
        url, body, content_type="application/json", headers=_signed(body, "whsec-test")
    )
    # then
    assert (forged.status_code, stale.status_code, good.status_code) == (400, 400, 200)
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "bounced"
    assert subscriber.events.get(kind="bounced").source == "webhook: bounce"


def test_the_webhook_is_off_without_a_secret(db, settings):
    settings.NEWSLETTER_WEBHOOK_SECRET = ""
    response = Client().post(
        "/newsletter/webhooks/bounces/", "{}", content_type="application/json"
    )
    assert response.status_code == 404


def test_the_newsletter_screen_takes_a_bounded_number_of_queries(
    cluster_x, cluster_x_admin_user, django_assert_max_num_queries
):
    from purei.marketing.tests.factories import CampaignFactory

    story = StoryFactory.create(cluster=cluster_x)
    for n in range(30):
        CampaignFactory.create(cluster=cluster_x, story=story, subject=f"News {n}")
        SubscriberFactory.create(cluster=cluster_x)
    client = client_for(cluster_x_admin_user)
    with django_assert_max_num_queries(12):
        response = client.get(NEWSLETTER)
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(STORIES).status_code == 200
