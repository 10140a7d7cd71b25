import json
from typing import Any

import pytest
from django.test import Client

from purei.accounts.tests.factories import UserFactory
from purei.trade.models import TradeAccount
from purei.trade.tests.factories import TradeAccountFactory

pytestmark = pytest.mark.django_db

APPLY = "/api/v1/clusters/cluster-x/trade-accounts"
BODY: dict[str, Any] = {
    "kind": "importer",
    "legal_name": "Sydney Cellars Pty Ltd",
    "country": "AU",
    "abn": "53 004 085 616",
    "gst_registered": True,
    "currency": "AUD",
    "contact_name": "Alex",
    "contact_email": "alex@cellars.example.com.au",
    "delivery_address": {
        "line1": "2 Quay St",
        "city": "Sydney",
        "region": "NSW",
        "postcode": "2000",
        "country": "AU",
    },
}


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_business_applies_through_the_api(cluster_x):
    # given
    client = logged_in(UserFactory.create())
    # when
    response = post(client, APPLY, BODY)
    # then
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "applied"
    assert body["abn"] == "53004085616"
    assert body["cluster"] == "cluster-x"
    # and it reads it back
    again = client.get(f"/api/v1/trade-accounts/{body['id']}")
    assert again.json()["legal_name"] == "Sydney Cellars Pty Ltd"


def test_a_wrong_abn_is_a_422_naming_the_field(cluster_x):
    # when
    response = post(logged_in(UserFactory.create()), APPLY, {**BODY, "abn": "1"})
    # then
    assert response.status_code == 422
    assert "abn" in response.json()["errors"]


def test_an_address_problem_names_its_part(cluster_x):
    # given
    address = {**BODY["delivery_address"], "country": "ZZ"}
    # when
    response = post(
        logged_in(UserFactory.create()), APPLY, {**BODY, "delivery_address": address}
    )
    # then
    assert response.status_code == 422
    assert "delivery_address.country" in response.json()["errors"]


def test_applying_needs_a_login(cluster_x):
    # when / then
    assert post(Client(), APPLY, BODY).status_code == 401


def test_the_admin_approves_with_terms_through_the_api(cluster_x, cluster_x_admin_user):
    # given
    account = TradeAccountFactory.create(cluster=cluster_x)
    client = logged_in(cluster_x_admin_user)
    # when
    response = post(
        client,
        f"/api/v1/clusters/cluster-x/trade-accounts/{account.pk}/approve",
        {"payment_terms": "twentieth", "deposit_percent": 25, "credit_limit_cents": 0},
    )
    # then
    assert response.status_code == 200
    assert response.json()["payment_terms"] == "twentieth"
    account.refresh_from_db()
    assert account.status == TradeAccount.Status.APPROVED
    # and listing by status finds it
    listed = client.get("/api/v1/clusters/cluster-x/trade-accounts?status=approved")
    assert [row["id"] for row in listed.json()["items"]] == [account.pk]
    # and approving again is a 409
    again = post(
        client, f"/api/v1/clusters/cluster-x/trade-accounts/{account.pk}/approve", {}
    )
    assert again.status_code == 409


def test_platform_staff_read_but_do_not_decide(cluster_x, staff_user):
    # given
    account = TradeAccountFactory.create(cluster=cluster_x)
    client = logged_in(staff_user)
    # when
    listed = client.get("/api/v1/clusters/cluster-x/trade-accounts")
    declined = post(
        client,
        f"/api/v1/clusters/cluster-x/trade-accounts/{account.pk}/decline",
        {"reason": "No."},
    )
    # then
    assert listed.status_code == 200
    assert declined.status_code == 403


def test_the_openapi_document_describes_the_trade_endpoints(cluster_x):
    # when
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    # then
    for path in [
        "/api/v1/clusters/{slug}/trade-accounts",
        "/api/v1/clusters/{slug}/trade-accounts/{account_id}/approve",
        "/api/v1/clusters/{slug}/trade-accounts/{account_id}/decline",
        "/api/v1/trade-accounts/{account_id}",
    ]:
        assert path in paths, path
