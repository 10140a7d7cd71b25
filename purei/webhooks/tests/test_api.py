"""The webhooks API: a logged-in owner manages endpoints; an API key, even one
with every scope, is refused (the operations are not in the scope map)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from purei.apikeys.scopes import SCOPES_BY_KIND
from purei.apikeys.tests.helpers import issue
from purei.webhooks.models import Endpoint

pytestmark = pytest.mark.django_db

BASE = "/api/v1/members/{slug}/webhooks"


def test_an_owner_adds_rotates_and_reads_the_log(member_a, member_a_owner_user):
    # given
    client = Client()
    client.force_login(member_a_owner_user)
    base = BASE.format(slug=member_a.slug)
    # when
    made = client.post(
        base,
        json.dumps({"url": "https://hooks.example.nz/p", "events": ["order.paid"]}),
        content_type="application/json",
    )
    endpoint_id = made.json()["id"]
    rotated = client.post(f"{base}/{endpoint_id}/rotate-secret")
    patched = client.patch(
        f"{base}/{endpoint_id}",
        json.dumps({"events": ["stock.low", "order.paid"]}),
        content_type="application/json",
    )
    log = client.get(f"{base}/{endpoint_id}/deliveries")
    listed = client.get(base)
    # then
    assert made.status_code == 201
    assert made.json()["secret"].startswith("whsec_")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != made.json()["secret"]
    assert rotated.json()["previous_secret_until"] is not None
    assert patched.json()["events"] == ["order.paid", "stock.low"]
    assert log.json() == []
    assert "secret" not in listed.json()[0]
    assert Endpoint.objects.get().previous_secret == made.json()["secret"]


def test_an_unknown_event_or_plain_http_is_422(member_a, member_a_owner_user):
    client = Client()
    client.force_login(member_a_owner_user)
    base = BASE.format(slug=member_a.slug)
    for body in (
        {"url": "https://hooks.example.nz/p", "events": ["order.eaten"]},
        {"url": "http://hooks.example.nz/p", "events": ["order.paid"]},
    ):
        response = client.post(base, json.dumps(body), content_type="application/json")
        assert response.status_code == 422
    assert Endpoint.objects.exists() is False


def test_an_api_key_with_every_scope_is_refused(member_a, member_a_owner):
    # given
    every = [scope.value for scope in SCOPES_BY_KIND["member"]]
    key = issue(member_a_owner, member_a, every)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key.secret}")
    # when
    response = client.post(
        BASE.format(slug=member_a.slug),
        json.dumps({"url": "https://evil.example/", "events": ["order.paid"]}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "api_key_not_accepted"
    assert Endpoint.objects.exists() is False
