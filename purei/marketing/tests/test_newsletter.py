import re

import pytest
from django.core import mail
from django.test import Client

from purei.core.actor import Actor
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.marketing.models import Subscriber, SubscriptionEvent
from purei.marketing.services import (
    SubscriptionInput,
    address_undeliverable,
    subscriber_mark,
    subscription_confirm,
    subscription_request,
    subscription_unsubscribe,
)
from purei.marketing.tests.factories import SubscriberFactory
from purei.marketing.tokens import (
    confirm_token_make,
    unsubscribe_token_make,
)

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/c/cluster-x/newsletter/"
LINK = re.compile(r"https://purei\.test(/\S+/newsletter/confirm/\S+/)")


def _request(cluster, email="ana@example.nz", **more):
    return subscription_request(
        actor=Actor.anonymous(),
        cluster=cluster,
        details=SubscriptionInput(
            email=email, source="test form", wording="Yes, email me.", **more
        ),
    )


def _confirm_path(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_a_shopper_subscribes_by_confirming_the_emailed_link(
    cluster_x, django_capture_on_commit_callbacks
):
    client = Client(enforce_csrf_checks=False)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBSCRIBE, {"email": "Ana@Example.nz", "region": "NZ-WGN"}
        )
    # then: nothing sent yet but the confirmation link
    assert response.status_code == 302
    assert response["Location"] == "/c/cluster-x/newsletter/sent/"
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status) == ("ana@example.nz", "pending")
    assert subscriber.region is not None
    assert subscriber.region.code == "NZ-WGN"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.nz"]
    path = _confirm_path(mail.outbox[0])
    # when: the link is opened, nothing changes until the button is pressed
    page = client.get(path)
    assert page.status_code == 200
    assert Subscriber.objects.get().status == "pending"
    confirmed = client.post(path)
    # then
    assert confirmed.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "subscribed"
    assert subscriber.confirmed_at is not None
    kinds = list(subscriber.events.values_list("kind", "source"))
    assert kinds == [
        ("requested", "web: /c/cluster-x/newsletter/"),
        ("confirmed", "confirmation link emailed to the address"),
    ]
    requested = subscriber.events.get(kind="requested")
    assert "Yes, email me the newsletter of Cluster X Wine" in requested.wording
    assert (
        "Yes, email me the newsletter of Cluster X Wine" in subscriber.consent_wording
    )


def test_the_subscribe_page_shows_the_consent_wording_and_privacy_notice(cluster_x):
    # when
    body = Client().get(SUBSCRIBE).content.decode()
    # then
    assert "Yes, email me the newsletter of Cluster X Wine" in body
    assert "Your information" in body
    assert "nothing is sent until you do" in body


def test_an_older_link_confirms_nothing_after_asking_again(cluster_x):
    # given
    first = _request(cluster_x)
    event = first.subscriber.events.get()
    old = confirm_token_make(subscriber_id=first.subscriber.pk, event_id=event.pk)
    _request(cluster_x)
    # when
    with pytest.raises(DomainError) as refused:
        subscription_confirm(cluster=cluster_x, token=old, source="t", wording="w")
    # then
    assert refused.value.code == "link_invalid"
    assert Subscriber.objects.get().status == "pending"


def test_a_damaged_link_is_refused_and_changes_nothing(cluster_x):
    # given
    _request(cluster_x)
    # when
    response = Client().post("/c/cluster-x/newsletter/confirm/not-a-token/")
    # then
    assert response.status_code == 400
    assert Subscriber.objects.get().status == "pending"


def test_a_link_of_another_cluster_is_refused(cluster_x, cluster_y):
    # given
    requested = _request(cluster_x)
    event = requested.subscriber.events.get()
    token = confirm_token_make(subscriber_id=requested.subscriber.pk, event_id=event.pk)
    # when
    with pytest.raises(DomainError):
        subscription_confirm(cluster=cluster_y, token=token, source="t", wording="w")
    # then
    assert Subscriber.objects.get().status == "pending"


def test_asking_again_when_subscribed_sends_nothing_and_reveals_nothing(
    cluster_x, django_capture_on_commit_callbacks
):
    # given
    SubscriberFactory.create(cluster=cluster_x, email="ana@example.nz")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(SUBSCRIBE, {"email": "ana@example.nz"})
    # then
    assert response.status_code == 302
    assert response["Location"].endswith("/newsletter/sent/")
    assert mail.outbox == []
    assert Subscriber.objects.get().status == "subscribed"


def test_a_bad_address_is_refused_on_the_form(cluster_x):
    # when
    response = Client().post(SUBSCRIBE, {"email": "not an address"})
    # then
    assert response.status_code == 422
    assert Subscriber.objects.exists() is False
    assert mail.outbox == []


def test_one_click_unsubscribe_works_without_csrf_or_login(cluster_x):
    # given
    subscriber = SubscriberFactory.create(cluster=cluster_x)
    token = unsubscribe_token_make(subscriber_id=subscriber.pk, campaign_id=None)
    client = Client(enforce_csrf_checks=True)
    url = f"/c/cluster-x/newsletter/unsubscribe/{token}/"
    # when: what a mail provider sends (RFC 8058)
    response = client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    # then
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert subscriber.left_at is not None
    event = subscriber.events.get(kind="unsubscribed")
    assert "RFC 8058" in event.source
    # and again: fine, nothing more changes
    assert (
        client.post(
            url,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 200
    )
    assert subscriber.events.filter(kind="unsubscribed").count() == 1


def test_opening_the_unsubscribe_link_does_not_unsubscribe(cluster_x):
    # given: link scanners open links in emails
    subscriber = SubscriberFactory.create(cluster=cluster_x)
    token = unsubscribe_token_make(subscriber_id=subscriber.pk, campaign_id=None)
    # when
    response = Client().get(f"/c/cluster-x/newsletter/unsubscribe/{token}/")
    # then
    assert response.status_code == 200
    assert b"Unsubscribe" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == "subscribed"


def test_a_forged_unsubscribe_token_is_refused(cluster_x):
    # given
    subscriber = SubscriberFactory.create(cluster=cluster_x)
    token = unsubscribe_token_make(subscriber_id=subscriber.pk, campaign_id=None)
    forged = token.replace(f'"s":{subscriber.pk}', '"s":1')[:-2] + "xx"
    # when
    response = Client().post(f"/c/cluster-x/newsletter/unsubscribe/{forged}/")
    # then
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == "subscribed"


def test_unsubscribing_records_the_campaign_it_came_from(cluster_x):
    # given
    from purei.marketing.tests.factories import CampaignFactory

    subscriber = SubscriberFactory.create(cluster=cluster_x)
    campaign = CampaignFactory.create(cluster=cluster_x)
    token = unsubscribe_token_make(subscriber_id=subscriber.pk, campaign_id=campaign.pk)
    # when
    subscription_unsubscribe(cluster=cluster_x, token=token, source="unsubscribe page")
    # then
    assert subscriber.events.get(kind="unsubscribed").campaign == campaign


def test_an_admin_marks_an_address_bounced_and_it_is_audited(
    cluster_x, cluster_x_admin
):
    # given
    subscriber = SubscriberFactory.create(cluster=cluster_x, email="gone@example.nz")
    # when
    subscriber_mark(
        actor=cluster_x_admin,
        cluster=cluster_x,
        email="GONE@example.nz",
        status="bounced",
        note="provider report",
    )
    # then
    subscriber.refresh_from_db()
    assert subscriber.status == "bounced"
    event = subscriber.events.get(kind="bounced")
    assert event.source == "admin: admin@cluster-x.nz (provider report)"
    audit = AuditEntry.objects.get(verb="newsletter.address_marked")
    assert audit.cluster_id == cluster_x.pk
    assert audit.after["status"] == "bounced"


def test_another_clusters_admin_cannot_mark_an_address(cluster_x, cluster_y_admin):
    # given
    subscriber = SubscriberFactory.create(cluster=cluster_x, email="gone@example.nz")
    # when
    with pytest.raises(NotPermitted):
        subscriber_mark(
            actor=cluster_y_admin,
            cluster=cluster_x,
            email="gone@example.nz",
            status="bounced",
        )
    # then
    subscriber.refresh_from_db()
    assert subscriber.status == "subscribed"
    assert AuditEntry.objects.exists() is False


def test_marking_an_unknown_address_says_so(cluster_x, cluster_x_admin):
    with pytest.raises(ValidationFailed) as refused:
        subscriber_mark(
            actor=cluster_x_admin,
            cluster=cluster_x,
            email="who@example.nz",
            status="bounced",
        )
    assert refused.value.code == "unknown_subscriber"


def test_a_bounce_stops_mail_to_the_address_in_every_cluster(cluster_x, cluster_y):
    # given
    one = SubscriberFactory.create(cluster=cluster_x, email="gone@example.nz")
    two = SubscriberFactory.create(cluster=cluster_y, email="gone@example.nz")
    other = SubscriberFactory.create(cluster=cluster_x, email="here@example.nz")
    # when
    changed = address_undeliverable(
        email="Gone@Example.nz", status="bounced", source="webhook: bounce"
    )
    again = address_undeliverable(
        email="gone@example.nz", status="bounced", source="webhook: bounce"
    )
    # then
    assert (changed, again) == (2, 0)
    assert {s.status for s in Subscriber.objects.filter(pk__in=[one.pk, two.pk])} == {
        "bounced"
    }
    other.refresh_from_db()
    assert other.status == "subscribed"
    assert SubscriptionEvent.objects.filter(kind="bounced").count() == 2


def test_a_resubscribe_after_unsubscribing_needs_a_new_confirmation(
    cluster_x, django_capture_on_commit_callbacks
):
    # given
    subscriber = SubscriberFactory.create(
        cluster=cluster_x, email="ana@example.nz", status="unsubscribed"
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        requested = _request(cluster_x, email="ana@example.nz")
    # then
    assert requested.emailed is True
    subscriber.refresh_from_db()
    assert subscriber.status == "pending"
    assert len(mail.outbox) == 1
