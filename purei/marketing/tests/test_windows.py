"""Sales windows seen by marketing (issue 14): the calendar and a window's page
with schema.org ``Event``, the ``.ics`` feed (parsed with icalendar), the product
page's "Opens …" with "Tell me when it opens", and its one email."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from purei.marketing.models import NotifyRequest
from purei.marketing.window_tasks import window_opens_notify
from purei.orders.models import SalesWindow
from purei.orders.tests.factories import (
    PickupEventFactory,
    SalesWindowFactory,
    SalesWindowItemFactory,
)
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

CONFIRM = re.compile(r"https://purei\.test(/\S+/notify/confirm/\S+/)")


@pytest.fixture
def release(cluster_x, member_a):
    """A vintage release opening tomorrow, with a gate pickup point, and a
    market day event of its own."""
    product = public_product(
        cluster_x, member=member_a, slug="pinot", title_en="Pinot noir"
    )
    opens = timezone.now() + dt.timedelta(days=1)
    window = SalesWindowFactory.create(
        cluster=cluster_x,
        kind=SalesWindow.Kind.RELEASE,
        name_en="Vintage release",
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=3),
    )
    SalesWindowItemFactory.create(window=window, product=product, per_customer_limit=6)
    PickupEventFactory.create(
        cluster=cluster_x,
        sales_window=window,
        name_en="Release day",
        starts_at=opens + dt.timedelta(days=4),
        order_cutoff=opens + dt.timedelta(days=3),
    )
    PickupEventFactory.create(
        cluster=cluster_x,
        name_en="Saturday market",
        starts_at=timezone.now() + dt.timedelta(days=8),
    )
    return {"window": window, "product": product}


def test_the_calendar_lists_windows_and_events_with_event_markup(client, release):
    # when
    response = client.get("/c/cluster-x/calendar/")
    # then
    assert response.status_code == 200
    text = response.content.decode()
    assert "Vintage release" in text
    assert "Saturday market" in text
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert found is not None
    graph = json.loads(found.group(1))["@graph"]
    assert {item["@type"] for item in graph} == {"Event"}
    assert {item["name"] for item in graph} == {"Vintage release", "Saturday market"}


def test_the_ics_feed_parses_with_icalendar(client, release):
    # when
    response = client.get("/c/cluster-x/events.ics")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Vintage release (orders open)",
        "Release day",
        "Saturday market",
    }
    window = events["Vintage release (orders open)"]
    assert window.decoded("dtstart") == release["window"].opens_at.replace(
        microsecond=0
    )
    assert str(window["uid"]) == f"window-{release['window'].pk}@purei.nz"


def test_a_windows_page_has_its_event_and_notify_me(client, release):
    response = client.get(f"/c/cluster-x/windows/{release['window'].pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Pinot noir" in text
    assert '"@type": "Event"' in text
    assert "Opens" in text
    assert 'name="window"' in text


def test_another_clusters_window_is_not_found(client, release, cluster_y):
    other = SalesWindowFactory.create(cluster=cluster_y)
    assert client.get(f"/c/cluster-x/windows/{other.pk}/").status_code == 404


def test_the_product_page_says_when_it_opens_instead_of_add_to_cart(client, release):
    # when
    response = client.get("/c/cluster-x/p/member-a/pinot/")
    # then
    text = response.content.decode()
    assert response.status_code == 200
    assert "Opens " in text
    assert "Release day" in text
    assert "Add to cart" not in text
    assert 'action="/c/cluster-x/notify/window/"' in text


def test_the_product_page_refuses_after_the_cutoff(client, release):
    SalesWindow.objects.filter(pk=release["window"].pk).update(
        opens_at=timezone.now() - dt.timedelta(days=3),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    text = client.get("/c/cluster-x/p/member-a/pinot/").content.decode()
    assert "Orders closed" in text
    assert "Add to cart" not in text


def test_window_opens_is_confirmed_then_emailed_once_when_it_opens(
    release, django_capture_on_commit_callbacks
):
    client = Client()
    window = release["window"]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/c/cluster-x/notify/window/",
            {"window": window.pk, "email": "kiri@example.nz", "next": "/c/cluster-x/"},
        )
    # then
    assert response.status_code == 302
    request = NotifyRequest.objects.get()
    assert (request.kind, request.target_id, request.status) == (
        "window_opens",
        window.pk,
        "pending",
    )
    path = CONFIRM.search(str(mail.outbox[0].body)).group(1)  # type: ignore[union-attr]
    assert client.post(path).status_code == 200
    assert window_opens_notify.call() == 0  # not open yet
    # when it opens
    SalesWindow.objects.filter(pk=window.pk).update(
        opens_at=timezone.now() - dt.timedelta(minutes=1)
    )
    mail.outbox.clear()
    call_command("notify_windows_open")
    # then
    assert len(mail.outbox) == 1
    assert "Vintage release is open for orders" in mail.outbox[0].subject
    assert f"/c/cluster-x/windows/{window.pk}/" in mail.outbox[0].body
    assert window_opens_notify.call() == 0


def test_notify_me_is_refused_once_open(client, release):
    SalesWindow.objects.filter(pk=release["window"].pk).update(
        opens_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client.post(
        "/c/cluster-x/notify/window/",
        {"window": release["window"].pk, "email": "kiri@example.nz"},
    )
    assert not NotifyRequest.objects.exists()


def test_window_opens_confirmation_says_when_orders_open_for_the_window(
    release, django_capture_on_commit_callbacks
):
    # given an anonymous "tell me when it opens" and its emailed link
    client = Client()
    window = release["window"]
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            "/c/cluster-x/notify/window/",
            {"window": window.pk, "email": "kiri@example.nz", "next": "/c/cluster-x/"},
            follow=True,
        )
    email = mail.outbox[0]
    path = CONFIRM.search(str(email.body)).group(1)  # type: ignore[union-attr]
    # when
    page = client.get(path).content.decode()
    confirmed = client.post(path).content.decode()
    # then the email, the page and the confirmation name the window, not stock
    assert "when orders open for Vintage release" in asked.content.decode()
    assert email.subject == "Confirm: tell me when orders open for Vintage release"
    assert "when orders open for Vintage release" in email.body
    for text in (page, confirmed):
        assert "when orders open for Vintage release" in text
        assert "back in stock" not in text
    assert f'href="/c/cluster-x/windows/{window.pk}/"' in confirmed


def test_back_in_stock_confirmation_keeps_its_wording(client, cluster_x):
    # given a link that doesn't work, as for any "back in stock" request
    # when
    page = client.get("/c/cluster-x/notify/confirm/not-a-token/").content.decode()
    # then
    assert "back in stock" in page
