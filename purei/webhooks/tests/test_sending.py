"""Deliveries to a real HTTP receiver on this machine: signed, retried with
backoff, never lost when a worker dies mid-delivery, never to the wrong owner."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from purei.accounts.tests.factories import UserFactory
from purei.core.actor import Actor
from purei.core.events import DomainEvent, emit
from purei.members.tests.factories import MemberFactory, MemberRoleFactory
from purei.webhooks.models import Delivery
from purei.webhooks.sending import (
    CLAIM_SECONDS,
    delivery_claim,
    delivery_record,
    next_attempt,
    post,
)
from purei.webhooks.services import endpoint_rotate_secret, event_record
from purei.webhooks.signing import verify

from .factories import endpoint_for, owner_of
from .receiver import receiver

pytestmark = pytest.mark.django_db


def _emit_committed(capture: Any, name: str, **where: Any) -> None:
    with capture(execute=True):
        emit(name, payload={"order": "X-0001", "total_cents": 4500}, **where)


def _expire_claim(delivery: Delivery) -> None:
    """The time a claim lasts passes (the claim was made CLAIM_SECONDS ago)."""
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert CLAIM_SECONDS >= 60


def _resume() -> None:
    call_command("webhooks_resume", stdout=io.StringIO())


def test_a_delivery_is_signed_and_shaped(
    member_a, member_a_owner, django_capture_on_commit_callbacks
):
    # given
    with receiver() as hooks:
        shown = endpoint_for(member_a_owner, member_a, hooks.url)
        # when
        _emit_committed(
            django_capture_on_commit_callbacks,
            "order.paid",
            cluster_id=None,
            member_id=member_a.pk,
        )
    # then
    assert len(hooks.received) == 1
    got = hooks.received[0]
    assert verify(shown.secret, got.headers["Purei-Signature"], got.body)
    assert not verify("whsec_wrong", got.headers["Purei-Signature"], got.body)
    document = json.loads(got.body)
    assert set(document) == {"id", "type", "created", "data"}
    assert document["type"] == "order.paid"
    assert document["data"] == {"order": "X-0001", "total_cents": 4500}
    assert got.headers["Purei-Event-Id"] == document["id"]
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.SUCCEEDED
    assert delivery.last_status_code == 200
    assert delivery.attempts == 1


def test_a_rotated_secret_signs_with_both_for_a_day(
    member_a, member_a_owner, django_capture_on_commit_callbacks
):
    # given
    with receiver() as hooks:
        first = endpoint_for(member_a_owner, member_a, hooks.url)
        second = endpoint_rotate_secret(
            actor=member_a_owner, owner=owner_of(member_a), endpoint=first.endpoint
        )
        # when
        _emit_committed(
            django_capture_on_commit_callbacks,
            "stock.low",
            cluster_id=None,
            member_id=member_a.pk,
        )
    # then
    header = hooks.received[0].headers["Purei-Signature"]
    assert header.count("v1=") == 2
    body = hooks.received[0].body
    assert verify(first.secret, header, body)
    assert verify(second.secret, header, body)
    # a day later only the new one signs
    endpoint = second.endpoint
    later = timezone.now() + dt.timedelta(hours=24, seconds=1)
    assert endpoint.signing_secrets(later) == [second.secret]


def test_a_500_is_tried_again_until_it_succeeds(
    member_a, member_a_owner, django_capture_on_commit_callbacks
):
    # given a receiver that fails the first time
    with receiver(500) as hooks:
        endpoint_for(member_a_owner, member_a, hooks.url)
        _emit_committed(
            django_capture_on_commit_callbacks,
            "order.paid",
            cluster_id=None,
            member_id=member_a.pk,
        )
        delivery = Delivery.objects.get()
        assert delivery.state == Delivery.State.PENDING
        assert delivery.last_status_code == 500
        assert delivery.response_excerpt == "receiver says no"
        assert delivery.next_attempt_at is not None
        assert delivery.last_attempt_at is not None
        wait = delivery.next_attempt_at - delivery.last_attempt_at
        assert dt.timedelta(seconds=59) < wait <= dt.timedelta(seconds=61)
        # when: not yet due, resume sends nothing; once due, it does
        _resume()
        assert len(hooks.received) == 1
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
        )
        _resume()
    # then
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SUCCEEDED
    assert delivery.attempts == 2
    assert delivery.last_status_code == 200
    assert len(set(hooks.event_ids())) == 1
    assert len(hooks.received) == 2


def test_the_backoff_runs_for_24_hours_then_fails():
    # given
    made = timezone.now()
    # when / then: 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, then capped at 24 h
    tries: list[dt.datetime] = []
    at = made
    for attempts in range(1, 20):
        retry = next_attempt(made, attempts, at)
        if retry is None:
            break
        tries.append(retry)
        at = retry
    gaps = [
        int((b - a).total_seconds())
        for a, b in zip([made, *tries], tries, strict=False)
    ]
    assert gaps[:6] == [60, 300, 1800, 7200, 18000, 36000]
    assert tries[-1] == made + dt.timedelta(hours=24)
    assert next_attempt(made, 9, made + dt.timedelta(hours=24)) is None


def test_a_worker_killed_before_sending_loses_nothing(
    member_a, member_a_owner, django_capture_on_commit_callbacks
):
    # given a delivery recorded but not yet sent
    with receiver() as hooks:
        endpoint_for(member_a_owner, member_a, hooks.url)
        with django_capture_on_commit_callbacks(execute=False):  # its task is lost
            event_record(DomainEvent("order.paid", None, member_a.pk, {"order": "X-1"}))
        delivery = Delivery.objects.get()
        # when a worker claims it, then dies before sending or marking it
        assert delivery_claim(delivery.pk)
        _resume()  # while the claim holds, nobody else sends it
        assert hooks.received == []
        _expire_claim(delivery)
        _resume()
        _resume()
    # then the receiver sees it exactly once
    assert len(hooks.received) == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SUCCEEDED
    assert delivery.attempts == 2


def test_a_worker_killed_after_sending_sends_again_with_the_same_event_id(
    member_a, member_a_owner, django_capture_on_commit_callbacks
):
    # given
    with receiver() as hooks:
        endpoint_for(member_a_owner, member_a, hooks.url)
        with django_capture_on_commit_callbacks(execute=False):
            event_record(DomainEvent("order.paid", None, member_a.pk, {"order": "X-2"}))
        delivery = Delivery.objects.select_related("endpoint", "event").get()
        # when a worker claims and posts it, then dies before recording the answer
        assert delivery_claim(delivery.pk)
        post(delivery)
        _expire_claim(delivery)
        _resume()  # the claim has expired
    # then: at least once, with one event id
    assert len(hooks.received) == 2
    assert len(set(hooks.event_ids())) == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SUCCEEDED


def test_a_member_endpoint_hears_only_its_own_events(
    cluster_x,
    member_a,
    member_a_owner,
    cluster_x_admin,
    django_capture_on_commit_callbacks,
):
    # given member A's endpoint, another member's and the cluster's
    other = MemberFactory.create()
    other_owner = Actor(
        user=MemberRoleFactory.create(member=other, user=UserFactory.create()).user
    )
    with receiver() as mine, receiver() as theirs, receiver() as clusters:
        endpoint_for(member_a_owner, member_a, mine.url)
        endpoint_for(other_owner, other, theirs.url)
        endpoint_for(cluster_x_admin, cluster_x, clusters.url)
        # when
        with django_capture_on_commit_callbacks(execute=True):
            emit("order.paid", cluster_id=cluster_x.pk, member_id=other.pk, payload={})
            emit("order.paid", cluster_id=cluster_x.pk, member_id=None, payload={})
            emit(
                "payout.made",
                cluster_id=cluster_x.pk,
                member_id=member_a.pk,
                payload={},
            )
    # then
    assert [json.loads(r.body)["type"] for r in mine.received] == ["payout.made"]
    assert len(theirs.received) == 1
    assert len(clusters.received) == 1


def test_an_endpoint_hears_only_the_events_it_chose(
    member_a, member_a_owner, django_capture_on_commit_callbacks
):
    with receiver() as hooks:
        endpoint_for(member_a_owner, member_a, hooks.url, events=["stock.low"])
        with django_capture_on_commit_callbacks(execute=True):
            emit("order.paid", cluster_id=None, member_id=member_a.pk, payload={})
            emit("stock.low", cluster_id=None, member_id=member_a.pk, payload={})
    assert [json.loads(r.body)["type"] for r in hooks.received] == ["stock.low"]


def test_a_delivery_that_keeps_failing_fails_after_24_hours(
    member_a, member_a_owner, django_capture_on_commit_callbacks
):
    with receiver(500, 500) as hooks:
        endpoint_for(member_a_owner, member_a, hooks.url)
        _emit_committed(
            django_capture_on_commit_callbacks,
            "order.paid",
            cluster_id=None,
            member_id=member_a.pk,
        )
        delivery = Delivery.objects.select_related("endpoint", "event").get()
        Delivery.objects.filter(pk=delivery.pk).update(
            created_at=timezone.now() - dt.timedelta(hours=24),
            next_attempt_at=timezone.now(),
        )
        assert delivery_claim(delivery.pk)
        delivery.refresh_from_db()
        delivery_record(delivery, post(delivery))
    assert delivery.state == Delivery.State.FAILED
    assert delivery.last_status_code == 500
