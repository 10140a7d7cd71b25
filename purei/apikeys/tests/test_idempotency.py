"""The Idempotency-Key header on every write (ADR 0019)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from purei.apikeys.idempotency import idempotency_purge
from purei.apikeys.models import IdempotencyRecord
from purei.catalogue.models import Variant
from purei.catalogue.tests.factories import ProductFactory, VariantFactory
from purei.core.actor import Actor
from purei.members.models import Member

from .helpers import call, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(member_a: Member) -> Variant:
    return VariantFactory.create(
        product=ProductFactory.create(member=member_a), sku="HONEY-1", stock=1
    )


def _create_variant(client: Client, key: str, idem: str, sku: str) -> Any:
    product = ProductFactory._meta.model.objects.get()
    return call(
        client,
        "POST",
        f"/members/member-a/products/{product.slug}/variants",
        {"sku": sku, "name": sku, "price": "10.00", "stock": 2},
        key=key,
        HTTP_IDEMPOTENCY_KEY=idem,
    )


def test_the_same_key_and_body_answer_the_same_once(
    client: Client, member_a: Member, member_a_owner: Actor, stocked: Variant
):
    # given
    key = issue(member_a_owner, member_a, ["write_catalogue"]).secret
    # when
    first = _create_variant(client, key, "one-1", "JAR-1")
    again = _create_variant(client, key, "one-1", "JAR-1")
    # then: one variant made, the same answer twice
    assert first.status_code == 201, first.content
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Variant.objects.filter(sku="JAR-1").count() == 1


def test_the_same_key_with_another_body_is_422(
    client: Client, member_a: Member, member_a_owner: Actor, stocked: Variant
):
    # given
    key = issue(member_a_owner, member_a, ["write_catalogue"]).secret
    _create_variant(client, key, "two-2", "JAR-2")
    # when
    other = _create_variant(client, key, "two-2", "JAR-3")
    # then
    assert other.status_code == 422
    body = other.json()
    assert body["code"] == "idempotency_key_reused"
    assert body["field"] == "Idempotency-Key"
    assert set(body) == {"code", "message", "field", "errors"}
    assert not Variant.objects.filter(sku="JAR-3").exists()


def test_keys_are_per_principal(
    client: Client,
    member_a: Member,
    member_a_owner: Actor,
    member_a_owner_user: Any,
    stocked: Variant,
):
    # given: one key's request
    key = issue(member_a_owner, member_a, ["write_catalogue"]).secret
    _create_variant(client, key, "shared", "JAR-4")
    # when: the owner's session sends the same Idempotency-Key, another body
    client.force_login(member_a_owner_user)
    product = stocked.product
    mine = call(
        client,
        "POST",
        f"/members/member-a/products/{product.slug}/variants",
        {"sku": "JAR-5", "name": "JAR-5", "price": "10.00", "stock": 2},
        HTTP_IDEMPOTENCY_KEY="shared",
    )
    # then: its own answer
    assert mine.status_code == 201, mine.content


def test_a_request_still_being_answered_gets_409(
    client: Client, member_a: Member, member_a_owner: Actor, stocked: Variant
):
    # given: a claim on the key that is not answered yet (another request at work)
    issued = issue(member_a_owner, member_a, ["write_catalogue"])
    first = _create_variant(client, issued.secret, "busy", "JAR-6")
    IdempotencyRecord.objects.filter(key="busy").update(status=None)
    # when
    second = _create_variant(client, issued.secret, "busy", "JAR-6")
    # then
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["code"] == "idempotency_in_progress"
    assert second["Retry-After"] == "1"


def test_refusals_that_say_try_again_are_not_kept(
    client: Client, member_a: Member, member_a_owner: Actor, stocked: Variant
):
    # given: the key lacks the scope at first (403 is kept, as Stripe keeps 4xx)…
    key = issue(member_a_owner, member_a, ["write_catalogue"]).secret
    # …but a stock conflict (409) is not
    IdempotencyRecord.objects.create(
        principal="x",
        key="k",
        fingerprint="f",
        method="POST",
        path="/",
        expires_at=timezone.now() - dt.timedelta(seconds=1),
        status=200,
    )
    # when
    purged = idempotency_purge()
    made = _create_variant(client, key, "fresh", "JAR-7")
    # then
    assert purged == 1
    assert made.status_code == 201
    assert IdempotencyRecord.objects.get().expires_at > timezone.now() + dt.timedelta(
        hours=23
    )


def test_a_too_long_key_is_refused(
    client: Client, member_a: Member, member_a_owner: Actor, stocked: Variant
):
    key = issue(member_a_owner, member_a, ["write_catalogue"]).secret
    response = _create_variant(client, key, "x" * 256, "JAR-8")
    assert response.status_code == 422
    assert response.json()["field"] == "Idempotency-Key"
