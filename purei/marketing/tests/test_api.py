import pytest
from django.test import Client

from purei.marketing.models import Subscriber
from purei.marketing.tests.factories import StoryFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def test_anyone_reads_a_clusters_published_stories(cluster_x):
    # given
    StoryFactory.create(cluster=cluster_x, slug="one", title_en="One")
    StoryFactory.create(
        cluster=cluster_x, slug="draft", status="draft", published_at=None
    )
    StoryFactory.create(
        cluster=cluster_x,
        slug="mi",
        title_en="",
        title_mi="Nau mai",
        body_en="",
        body_mi="He kōrero **nui**.",
    )
    # when
    listed = Client().get("/api/v1/clusters/cluster-x/stories").json()
    one = Client().get("/api/v1/clusters/cluster-x/stories/mi").json()
    # then
    assert listed["count"] == 2
    assert {item["slug"] for item in listed["items"]} == {"one", "mi"}
    assert one["language"] == "mi"
    assert one["versions"][0]["body_html"] == "<p>He kōrero <strong>nui</strong>.</p>"
    assert one["url"] == "https://purei.test/c/cluster-x/stories/mi/"
    missing = Client().get("/api/v1/clusters/cluster-x/stories/draft")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_subscribing_through_the_api_is_double_opt_in(
    cluster_x, django_capture_on_commit_callbacks
):
    # given
    wording = Client().get("/api/v1/clusters/cluster-x/newsletter").json()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/api/v1/clusters/cluster-x/newsletter/subscribers",
            {
                "email": "api@example.nz",
                "consent_wording": wording["consent_wording"],
                "language": "mi",
                "region": "NZ-WGN",
            },
            content_type="application/json",
        )
    # then
    assert response.status_code == 202
    subscriber = Subscriber.objects.get()
    assert (subscriber.status, subscriber.language) == ("pending", "mi")
    event = subscriber.events.get()
    assert (event.source, event.wording) == ("api", wording["consent_wording"])


def test_the_api_answers_the_same_for_a_subscribed_address(cluster_x):
    SubscriberFactory.create(cluster=cluster_x, email="api@example.nz")
    response = Client().post(
        "/api/v1/clusters/cluster-x/newsletter/subscribers",
        {"email": "api@example.nz", "consent_wording": "Yes"},
        content_type="application/json",
    )
    assert response.status_code == 202
    assert Subscriber.objects.get().status == "subscribed"


def test_the_api_refuses_a_bad_address_and_a_missing_wording(cluster_x):
    bad = Client().post(
        "/api/v1/clusters/cluster-x/newsletter/subscribers",
        {"email": "nope", "consent_wording": "Yes"},
        content_type="application/json",
    )
    blank = Client().post(
        "/api/v1/clusters/cluster-x/newsletter/subscribers",
        {"email": "a@example.nz", "consent_wording": " "},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "email")
    assert (blank.status_code, blank.json()["field"]) == (422, "consent_wording")
    assert Subscriber.objects.exists() is False
