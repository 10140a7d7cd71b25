"""The webhooks' manage pages: add (the secret shown once), edit events, rotate,
disable, the delivery log with its response codes, and "send again"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from purei.core.events import emit
from purei.webhooks.models import Delivery, Endpoint

from .factories import endpoint_for
from .receiver import receiver

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_owner_adds_an_endpoint_and_sees_its_secret_once(
    member_a, member_a_owner_user
):
    # given
    client = _client(member_a_owner_user)
    url = reverse("webhooks:member-webhooks", kwargs={"slug": member_a.slug})
    # when
    response = client.post(
        url,
        {
            "url": "https://hooks.example.nz/purei",
            "events": ["order.paid", "stock.low"],
        },
    )
    # then
    assert response.status_code == 201
    endpoint = Endpoint.objects.get()
    assert endpoint.member == member_a
    assert endpoint.events == ["order.paid", "stock.low"]
    assert endpoint.secret in response.content.decode()
    assert endpoint.secret not in client.get(url).content.decode()


def test_plain_http_to_another_host_is_refused(member_a, member_a_owner_user):
    client = _client(member_a_owner_user)
    url = reverse("webhooks:member-webhooks", kwargs={"slug": member_a.slug})
    response = client.post(
        url, {"url": "http://hooks.example.nz/", "events": ["order.paid"]}
    )
    assert response.status_code == 422
    assert Endpoint.objects.exists() is False


def test_staff_of_the_business_gets_404(member_a, member_a_staff_user):
    client = _client(member_a_staff_user)
    url = reverse("webhooks:member-webhooks", kwargs={"slug": member_a.slug})
    assert client.get(url).status_code == 404


def test_the_log_shows_codes_and_send_again_replays_with_the_same_event_id(
    cluster_x, cluster_x_admin, cluster_x_admin_user, django_capture_on_commit_callbacks
):
    # given a delivery the receiver refused
    client = _client(cluster_x_admin_user)
    with receiver(503) as hooks:
        endpoint = endpoint_for(cluster_x_admin, cluster_x, hooks.url).endpoint
        with django_capture_on_commit_callbacks(execute=True):
            emit("payout.made", cluster_id=cluster_x.pk, member_id=None, payload={})
        page = reverse(
            "webhooks:cluster-webhook",
            kwargs={"slug": cluster_x.slug, "pk": endpoint.pk},
        )
        response = client.get(page)
        assert response.status_code == 200
        assert (
            '<strong data-testid="status-code">503</strong>'
            in response.content.decode()
        )
        first = Delivery.objects.get()
        # when
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse(
                    "webhooks:cluster-webhook-replay",
                    kwargs={
                        "slug": cluster_x.slug,
                        "pk": endpoint.pk,
                        "delivery_pk": first.pk,
                    },
                )
            )
    # then
    assert response.status_code == 302
    assert len(hooks.received) == 2
    assert len(set(hooks.event_ids())) == 1
    again = Delivery.objects.exclude(pk=first.pk).get()
    assert again.replay_of == first
    assert again.last_status_code == 200
    assert "200" in client.get(page).content.decode()


def test_edit_rotate_and_disable(member_a, member_a_owner, member_a_owner_user):
    # given
    client = _client(member_a_owner_user)
    shown = endpoint_for(member_a_owner, member_a, "https://hooks.example.nz/")
    kwargs = {"slug": member_a.slug, "pk": shown.endpoint.pk}
    # when
    edited = client.post(
        reverse("webhooks:member-webhook", kwargs=kwargs),
        {"url": "https://hooks.example.nz/v2", "events": ["payout.made"]},
    )
    rotated = client.post(reverse("webhooks:member-webhook-rotate", kwargs=kwargs))
    disabled = client.post(reverse("webhooks:member-webhook-disable", kwargs=kwargs))
    # then
    assert edited.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["payout.made"]
    assert endpoint.url == "https://hooks.example.nz/v2"
    assert rotated.status_code == 200
    assert endpoint.secret in rotated.content.decode()
    assert endpoint.previous_secret == shown.secret
    assert disabled.status_code == 302
    assert endpoint.is_active is False
