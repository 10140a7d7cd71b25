"""Webhooks never go into the machine's own network: an internal address is
refused when an endpoint is registered, and a name that resolves inside is not
sent to (the receiver on loopback hears nothing)."""

from __future__ import annotations

import socket

import pytest
from django.test import override_settings

from purei.core.errors import ValidationFailed
from purei.core.events import DomainEvent
from purei.webhooks.addresses import resolved_internal, written_internal
from purei.webhooks.models import Delivery, Endpoint
from purei.webhooks.sending import delivery_attempt
from purei.webhooks.services import event_record

from .factories import endpoint_for
from .receiver import receiver

pytestmark = pytest.mark.django_db

INSIDE = [
    "https://10.1.2.3/hook",
    "https://172.16.0.9/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data",  # a cloud's metadata service
    "https://[fd00::1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://0.0.0.0/hook",
    "https://printer.local/hook",
    "https://db.internal/hook",
]


@override_settings(WEBHOOKS_ALLOW_LOCAL_HTTP=False, DEBUG=False)
@pytest.mark.parametrize("url", [*INSIDE, "https://127.0.0.1/x", "https://localhost/x"])
def test_an_internal_address_is_refused_at_registration(member_a, member_a_owner, url):
    with pytest.raises(ValidationFailed) as refused:
        endpoint_for(member_a_owner, member_a, url)
    assert (
        "internal" in refused.value.errors["url"][0]
        or "local" in (refused.value.errors["url"][0])
    )
    assert not Endpoint.objects.exists()


@override_settings(WEBHOOKS_ALLOW_LOCAL_HTTP=False, DEBUG=False)
def test_a_public_address_is_accepted(member_a, member_a_owner):
    shown = endpoint_for(member_a_owner, member_a, "https://hooks.example.com/purei")
    assert shown.endpoint.url == "https://hooks.example.com/purei"


def test_the_checks_read_addresses_as_written_and_as_resolved():
    with override_settings(WEBHOOKS_ALLOW_LOCAL_HTTP=False, DEBUG=False):
        assert written_internal("8.8.8.8") is None
        assert written_internal("10.0.0.1")
        assert resolved_internal("localhost", 443)  # a local name
        assert resolved_internal("no-such-host.invalid", 443) is None  # fails alone
    with override_settings(WEBHOOKS_ALLOW_LOCAL_HTTP=True):
        assert resolved_internal("127.0.0.1", 443) is None  # the tests' own receiver


def test_a_name_resolving_inside_is_not_sent_to(
    member_a, member_a_owner, django_capture_on_commit_callbacks
):
    # given an endpoint registered while local addresses were allowed (as in
    # development), on a receiver listening on this machine
    with receiver() as hooks:
        endpoint_for(
            member_a_owner, member_a, hooks.url.replace("127.0.0.1", "localhost")
        )
        with django_capture_on_commit_callbacks(execute=False):
            event_record(DomainEvent("order.paid", None, member_a.pk, {"order": "X-1"}))
        delivery = Delivery.objects.get()
        # when the platform runs without that allowance
        with override_settings(WEBHOOKS_ALLOW_LOCAL_HTTP=False, DEBUG=False):
            delivery_attempt(delivery.pk)
    # then nothing reached the receiver, and the log says why
    assert hooks.received == []
    delivery.refresh_from_db()
    assert delivery.state != Delivery.State.SUCCEEDED
    assert delivery.attempts == 1
    assert delivery.error == "Not sent: localhost is a name on a local network."


def test_a_public_name_that_resolves_inside_is_caught(monkeypatch):
    # DNS is the world's, not ours: here a public-looking name answers 10.0.0.7.
    def answer(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", answer)
    with override_settings(WEBHOOKS_ALLOW_LOCAL_HTTP=False, DEBUG=False):
        reason = resolved_internal("hooks.example.com", 443)
    assert reason == ("hooks.example.com resolves to an internal address (10.0.0.7).")
