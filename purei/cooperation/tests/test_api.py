"""Working together over JSON."""

from __future__ import annotations

import pytest
from django.test import Client

from purei.cooperation.tests.factories import ThreadFactory

pytestmark = pytest.mark.django_db


def test_board_over_json(
    client: Client, cluster_x, member_a_owner_user, cluster_x_admin_user
):
    # given
    client.force_login(member_a_owner_user)
    base = f"/api/v1/clusters/{cluster_x.slug}/board/threads"
    # when
    made = client.post(
        base,
        {"category": "help_wanted", "title": "Labeller", "body": "Need a *hand*"},
        content_type="application/json",
    )
    # then
    assert made.status_code == 201, made.content
    thread_id = made.json()["id"]
    assert made.json()["body_html"] == "<p>Need a <em>hand</em></p>"
    replied = client.post(
        f"{base}/{thread_id}/replies", {"body": "Me"}, content_type="application/json"
    )
    assert replied.status_code == 201
    assert [r["body"] for r in replied.json()["replies"]] == ["Me"]
    refused = client.post(
        f"{base}/{thread_id}/moderate",
        {"action": "pin"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(cluster_x_admin_user)
    pinned = client.post(
        f"{base}/{thread_id}/moderate",
        {"action": "pin"},
        content_type="application/json",
    )
    assert pinned.json()["pinned"] is True


def test_invalid_input_names_the_field(client: Client, cluster_x, member_a_owner_user):
    client.force_login(member_a_owner_user)
    response = client.post(
        f"/api/v1/clusters/{cluster_x.slug}/partner-posts",
        {"kind": "offer", "title": "", "body": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "title"


def test_outsiders_get_404(client: Client, cluster_x, cluster_y_admin_user):
    ThreadFactory.create(cluster=cluster_x)
    client.force_login(cluster_y_admin_user)
    response = client.get(f"/api/v1/clusters/{cluster_x.slug}/board/threads")
    assert response.status_code == 404
