"""Campaigns sent through a real SMTP server that the test starts (aiosmtpd, or the
small stand-in of ``smtp.py`` when aiosmtpd is not installed)."""

import re

import pytest
from django.test import Client

from purei.catalogue.tests.factories import ProductFactory, VariantFactory
from purei.core.actor import Actor
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.marketing.models import Campaign, CampaignRecipient, Subscriber
from purei.marketing.sending import campaign_batch_deliver, campaigns_due
from purei.marketing.services import (
    CampaignInput,
    campaign_create,
    campaign_delete,
    campaign_send,
)
from purei.marketing.tasks import campaign_batch_send
from purei.marketing.tests.factories import (
    CampaignFactory,
    StoryFactory,
    SubscriberFactory,
)
from purei.orders.models import Order, OrderLine
from purei.search.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def _send(actor, cluster, story, on_commit, **details):
    values = {"subject": "Fair day news", "reply_to": "helen@fair.example.nz"}
    values.update(details)
    campaign = campaign_create(
        actor=actor,
        cluster=cluster,
        details=CampaignInput(story_id=story.pk, **values),
    )
    with on_commit(execute=True):
        campaign_send(actor=actor, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def test_a_campaign_reaches_each_subscriber_through_smtp_with_its_headers(
    cluster_x, cluster_x_admin, smtp_server, django_capture_on_commit_callbacks
):
    # given
    cluster_x.lead_org_address = "1 The Square, Martinborough 5711"
    cluster_x.save()
    story = StoryFactory.create(
        cluster=cluster_x,
        slug="fair-day",
        title_en="Fair day",
        title_mi="Nau mai, haere mai",
        body_en="Come **early**.\n\n<script>alert(1)</script>",
    )
    readers = [
        SubscriberFactory.create(cluster=cluster_x, email=f"r{n}@example.nz")
        for n in range(3)
    ]
    SubscriberFactory.create(cluster=cluster_x, email="p@example.nz", status="pending")
    SubscriberFactory.create(
        cluster=cluster_x, email="u@example.nz", status="unsubscribed"
    )
    # when
    campaign = _send(
        cluster_x_admin, cluster_x, story, django_capture_on_commit_callbacks
    )
    # then
    assert campaign.status == "sent"
    assert (campaign.recipient_count, campaign.sent_count) == (3, 3)
    received = smtp_server.messages
    assert sorted(str(m["To"]) for m in received) == [r.email for r in readers]
    message = smtp_server.to("r0@example.nz")[0]
    assert message["Subject"] == "Fair day news"
    assert message["From"].addresses[0].display_name == "Cluster X Wine via Pūrei"
    assert message["Reply-To"].addresses[0].addr_spec == "helen@fair.example.nz"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(
        r"<(https://purei\.test/\S+)>", message["List-Unsubscribe"]
    )
    assert unsubscribe, message["List-Unsubscribe"]
    assert "cluster-x.newsletter.purei.test" in message["List-Id"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Come **early**." in text
    assert "<strong>early</strong>" in html
    assert "<script>" not in html
    assert 'lang="mi"' in html  # the te reo title under the English one
    for part in (text, html):
        assert "1 The Square, Martinborough 5711" in part  # the sender identified
        assert (
            unsubscribe.group(1) in part
            or unsubscribe.group(1).replace("&", "&amp;") in part
        )
    # and the link in the header unsubscribes in one click, without a cookie
    path = unsubscribe.group(1).removeprefix("https://purei.test")
    response = Client(enforce_csrf_checks=True).post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscriber.objects.get(email="r0@example.nz").status == "unsubscribed"


def test_a_rerun_sends_nothing_twice(
    cluster_x, cluster_x_admin, smtp_server, django_capture_on_commit_callbacks
):
    # given
    story = StoryFactory.create(cluster=cluster_x)
    for n in range(5):
        SubscriberFactory.create(cluster=cluster_x, email=f"r{n}@example.nz")
    campaign = _send(
        cluster_x_admin, cluster_x, story, django_capture_on_commit_callbacks
    )
    assert len(smtp_server.messages) == 5
    # when: the task runs again (a retry of the whole task, a second worker)
    campaign_batch_send.call(campaign_id=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(status="sending")
    campaign_batch_deliver(campaign_id=campaign.pk, batch_size=100)
    # then
    assert len(smtp_server.messages) == 5
    assert (
        CampaignRecipient.objects.filter(campaign=campaign, status="sent").count() == 5
    )


def test_a_campaign_goes_in_batches(
    cluster_x,
    cluster_x_admin,
    smtp_server,
    settings,
    django_capture_on_commit_callbacks,
):
    # given
    settings.NEWSLETTER_BATCH_SIZE = 2
    story = StoryFactory.create(cluster=cluster_x)
    for n in range(5):
        SubscriberFactory.create(cluster=cluster_x, email=f"r{n}@example.nz")
    # when
    campaign = _send(
        cluster_x_admin, cluster_x, story, django_capture_on_commit_callbacks
    )
    # then: three batches, each over one connection
    assert campaign.status == "sent"
    assert campaign.sent_count == 5
    assert len(smtp_server.messages) == 5


def test_a_refused_send_is_tried_again_and_sent_once(
    cluster_x, cluster_x_admin, smtp_server, django_capture_on_commit_callbacks
):
    # given: the server says "try again later" twice for one address
    story = StoryFactory.create(cluster=cluster_x)
    SubscriberFactory.create(cluster=cluster_x, email="busy@example.nz")
    SubscriberFactory.create(cluster=cluster_x, email="fine@example.nz")
    smtp_server.refuse("busy@example.nz", times=2)
    # when (retries at once here: NEWSLETTER_RETRY_SECONDS = [0, 0])
    campaign = _send(
        cluster_x_admin, cluster_x, story, django_capture_on_commit_callbacks
    )
    # then
    assert campaign.status == "sent"
    assert campaign.sent_count == 2
    assert len(smtp_server.to("busy@example.nz")) == 1
    busy = CampaignRecipient.objects.get(email="busy@example.nz")
    assert (busy.status, busy.attempts) == ("sent", 3)


def test_a_send_refused_every_time_fails_after_the_last_retry(
    cluster_x, cluster_x_admin, smtp_server, django_capture_on_commit_callbacks
):
    # given
    story = StoryFactory.create(cluster=cluster_x)
    SubscriberFactory.create(cluster=cluster_x, email="never@example.nz")
    smtp_server.refuse("never@example.nz", times=10)
    # when
    campaign = _send(
        cluster_x_admin, cluster_x, story, django_capture_on_commit_callbacks
    )
    # then
    assert (campaign.status, campaign.sent_count, campaign.failed_count) == (
        "sent",
        0,
        1,
    )
    failed = CampaignRecipient.objects.get()
    assert failed.attempts == 3
    assert "451" in failed.error


def test_a_retry_waits_for_its_time(
    cluster_x,
    cluster_x_admin,
    smtp_server,
    settings,
    django_capture_on_commit_callbacks,
):
    # given: a real delay, and a backend that cannot defer (tests run tasks at once)
    settings.NEWSLETTER_RETRY_SECONDS = [60]
    story = StoryFactory.create(cluster=cluster_x)
    SubscriberFactory.create(cluster=cluster_x, email="busy@example.nz")
    smtp_server.refuse("busy@example.nz", times=1)
    # when
    campaign = _send(
        cluster_x_admin, cluster_x, story, django_capture_on_commit_callbacks
    )
    # then: it waits, and `purei campaigns_resume` finds nothing due yet
    assert campaign.status == "sending"
    assert smtp_server.messages == []
    assert campaigns_due() == []
    # when the time comes
    CampaignRecipient.objects.update(next_attempt_at=None)
    assert campaigns_due() == [campaign.pk]
    from django.core.management import call_command

    call_command("campaigns_resume", stdout=None)
    # then
    campaign.refresh_from_db()
    assert campaign.status == "sent"
    assert len(smtp_server.messages) == 1


def test_an_address_that_unsubscribes_while_queued_is_skipped(
    cluster_x, cluster_x_admin, smtp_server
):
    # given: recipients recorded, then one unsubscribes before its batch
    story = StoryFactory.create(cluster=cluster_x)
    keep = SubscriberFactory.create(cluster=cluster_x, email="keep@example.nz")
    leave = SubscriberFactory.create(cluster=cluster_x, email="leave@example.nz")
    campaign = CampaignFactory.create(
        cluster=cluster_x, story=story, status=Campaign.Status.SENDING
    )
    for subscriber in (keep, leave):
        CampaignRecipient.objects.create(
            campaign=campaign, subscriber=subscriber, email=subscriber.email
        )
    Subscriber.objects.filter(pk=leave.pk).update(status="unsubscribed")
    # when
    outcome = campaign_batch_deliver(campaign_id=campaign.pk, batch_size=10)
    # then
    assert (outcome.sent, outcome.skipped, outcome.finished) == (1, 1, True)
    assert [str(m["To"]) for m in smtp_server.messages] == ["keep@example.nz"]
    campaign.refresh_from_db()
    assert campaign.skipped_count == 1


def _bought(cluster, email, category, *, user=None, status=Order.Status.PAID):
    product = ProductFactory.create(category=category)
    variant = VariantFactory.create(product=product)
    order = Order.objects.create(
        number=f"N{Order.objects.count() + 1:05d}",
        cluster=cluster,
        customer=user,
        email=email,
        name="Buyer",
        payment_method="test",
        idempotency_key=f"seg-{email}-{category.slug}-{status}",
        goods_cents=1000,
        total_cents=1000,
        status=status,
    )
    from purei.orders.models import Fulfilment

    fulfilment = Fulfilment.objects.create(
        order=order,
        member=product.member,
        supplier_name="Maker",
        gst_registered=False,
        method=Fulfilment.Method.DELIVERY,
        goods_cents=1000,
        total_cents=1000,
    )
    OrderLine.objects.create(
        order=order,
        fulfilment=fulfilment,
        variant=variant,
        product=product,
        title=product.title_en,
        sku=variant.sku,
        unit_price_cents=1000,
        quantity=1,
        total_cents=1000,
        gst_cents=0,
    )


def test_segments_narrow_the_subscribed_list(cluster_x, cluster_y, trade_buyer_user):
    # given
    from purei.clusters.models import Region
    from purei.marketing.selectors import segment_subscribers

    wine = CategoryFactory.create(slug="wine")
    red = CategoryFactory.create(slug="red-wine", parent=wine)
    cheese = CategoryFactory.create(slug="cheese")
    wellington = Region.objects.get(code="NZ-WGN")
    local = SubscriberFactory.create(
        cluster=cluster_x, email="local@example.nz", region=wellington
    )
    red_buyer = SubscriberFactory.create(cluster=cluster_x, email="red@example.nz")
    _bought(cluster_x, "RED@example.nz", red)
    _bought(cluster_x, "cheese@example.nz", cheese)
    SubscriberFactory.create(cluster=cluster_x, email="cheese@example.nz")
    # bought wine, but not paid / in another cluster / not subscribed
    SubscriberFactory.create(cluster=cluster_x, email="unpaid@example.nz")
    _bought(cluster_x, "unpaid@example.nz", wine, status=Order.Status.AWAITING_PAYMENT)
    SubscriberFactory.create(cluster=cluster_x, email="elsewhere@example.nz")
    _bought(cluster_y, "elsewhere@example.nz", wine)
    SubscriberFactory.create(
        cluster=cluster_x, email="left@example.nz", status="unsubscribed"
    )
    _bought(cluster_x, "left@example.nz", wine)
    trade = SubscriberFactory.create(cluster=cluster_x, email=trade_buyer_user.email)

    def emails(segment, **kwargs):
        return sorted(
            segment_subscribers(
                cluster=cluster_x, segment=segment, **kwargs
            ).values_list("email", flat=True)
        )

    # then
    assert len(emails("all")) == 6
    assert emails("region", region_id=wellington.pk) == [local.email]
    assert emails("category", category_id=wine.pk) == [red_buyer.email]
    assert emails("category", category_id=cheese.pk) == ["cheese@example.nz"]
    assert emails("trade") == [trade.email]


def test_the_segment_queries_are_bounded(cluster_x, django_assert_max_num_queries):
    from purei.marketing.selectors import segment_subscribers

    wine = CategoryFactory.create(slug="wine")
    for n in range(30):
        SubscriberFactory.create(cluster=cluster_x, email=f"r{n}@example.nz")
        _bought(cluster_x, f"r{n}@example.nz", wine)
    for segment in ("all", "trade"):
        with django_assert_max_num_queries(1):
            list(segment_subscribers(cluster=cluster_x, segment=segment))
    with django_assert_max_num_queries(2):  # the category tree, then the list
        assert (
            len(
                list(
                    segment_subscribers(
                        cluster=cluster_x, segment="category", category_id=wine.pk
                    )
                )
            )
            == 30
        )


def test_only_a_published_story_is_sent(cluster_x, cluster_x_admin):
    # given
    draft = StoryFactory.create(cluster=cluster_x, status="draft")
    # when
    with pytest.raises(ValidationFailed) as refused:
        campaign_create(
            actor=cluster_x_admin,
            cluster=cluster_x,
            details=CampaignInput(story_id=draft.pk, subject="S", reply_to="a@b.nz"),
        )
    # then
    assert refused.value.errors["story"]
    assert Campaign.objects.exists() is False


def test_another_clusters_admin_and_platform_staff_cannot_send(
    cluster_x, cluster_y_admin, platform_staff
):
    # given
    campaign = CampaignFactory.create(cluster=cluster_x)
    # when / then
    for actor in (cluster_y_admin, platform_staff, Actor.anonymous()):
        with pytest.raises(NotPermitted):
            campaign_send(actor=actor, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    assert AuditEntry.objects.exists() is False


def test_a_sent_campaign_is_neither_sent_again_nor_deleted(
    cluster_x, cluster_x_admin, django_capture_on_commit_callbacks
):
    # given
    story = StoryFactory.create(cluster=cluster_x)
    campaign = _send(
        cluster_x_admin, cluster_x, story, django_capture_on_commit_callbacks
    )
    # when / then
    with pytest.raises(DomainError) as again:
        campaign_send(actor=cluster_x_admin, campaign=campaign)
    assert again.value.code == "campaign_wrong_status"
    with pytest.raises(DomainError):
        campaign_delete(actor=cluster_x_admin, campaign=campaign)
    assert Campaign.objects.filter(pk=campaign.pk).exists()


def test_sending_is_audited(
    cluster_x, cluster_x_admin, django_capture_on_commit_callbacks
):
    story = StoryFactory.create(cluster=cluster_x)
    campaign = _send(
        cluster_x_admin, cluster_x, story, django_capture_on_commit_callbacks
    )
    verbs = list(
        AuditEntry.objects.filter(cluster=cluster_x)
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["campaign.created", "campaign.sent"]
    assert AuditEntry.objects.get(verb="campaign.sent").target_id == str(campaign.pk)
