import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from purei.trade.models import ExchangeRate, QuoteRequest
from purei.trade.tests.test_quotes import makers  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def soon() -> str:
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def test_a_quote_through_the_api_from_request_to_acceptance(
    makers,  # noqa: F811
    trade_buyer_user,
    cluster_x,
    cluster_x_admin_user,
):
    # given
    ExchangeRate.objects.create(
        cluster=cluster_x,
        currency="AUD",
        rate=Decimal("0.9125"),
        source="RBNZ",
        as_of=timezone.now(),
    )
    buyer = client_for(trade_buyer_user)
    # when: the buyer asks (the destination is the account's delivery address)
    asked = post(
        buyer,
        "/api/v1/clusters/cluster-x/rfqs",
        {
            "lines": [
                {"quantity": 4, "variant_id": makers["beams"]["variant"].pk},
                {"quantity": 20, "variant_id": makers["pipes"]["variant"].pk},
            ],
            "incoterm": "DAP",
            "named_place": "Brisbane",
        },
    )
    # then
    assert asked.status_code == 201
    rfq = asked.json()
    assert rfq["destination"]["city"] == "Brisbane"
    beams_line, pipes_line = rfq["lines"]
    # when: each member prices its line; the other's is not theirs (404)
    beams = client_for(makers["beams"]["owner"].user)
    refused = post(
        beams,
        f"/api/v1/rfqs/{rfq['id']}/lines/{pipes_line['id']}/price",
        {"unit_price_nzd_cents": 1},
    )
    assert refused.status_code == 404
    for maker, line, cents, grams in (
        (beams, beams_line, 61_500, 242_000),
        (client_for(makers["pipes"]["owner"].user), pipes_line, 8_990, 18_500),
    ):
        priced = post(
            maker,
            f"/api/v1/rfqs/{rfq['id']}/lines/{line['id']}/price",
            {
                "unit_price_nzd_cents": cents,
                "lead_time_days": 10,
                "valid_until": soon(),
                "unit_weight_grams": grams,
                "hs_code": "721633",
            },
        )
        assert priced.status_code == 200, priced.json()
    # and a member reads only its own line
    seen = beams.get(f"/api/v1/rfqs/{rfq['id']}").json()
    assert [line["id"] for line in seen["lines"]] == [beams_line["id"]]
    assert seen["quotes"] == []
    # when: the admin quotes
    admin = client_for(cluster_x_admin_user)
    quoted = post(
        admin,
        f"/api/v1/rfqs/{rfq['id']}/quote",
        {"freight_nzd_cents": 100_000, "valid_until": soon()},
    )
    # then
    assert quoted.status_code == 201, quoted.json()
    quote = quoted.json()
    assert quote["currency"] == "AUD"
    assert quote["fx_rate"] == "0.912500"
    assert quote["gst_cents"] == 0
    assert sum(line["total_cents"] for line in quote["lines"]) == quote["total_cents"]
    # when: the buyer accepts
    accepted = post(buyer, f"/api/v1/quotes/{quote['id']}/accept", {})
    # then
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert QuoteRequest.objects.get().status == QuoteRequest.Status.ACCEPTED
    again = post(buyer, f"/api/v1/quotes/{quote['id']}/accept", {})
    assert again.status_code == 409


def test_asking_without_a_trade_account_is_a_404(customer_user, cluster_x):
    # when
    response = post(
        client_for(customer_user),
        "/api/v1/clusters/cluster-x/rfqs",
        {
            "lines": [{"quantity": 1, "description": "x"}],
            "incoterm": "EXW",
            "named_place": "Blenheim",
        },
    )
    # then
    assert response.status_code == 404


def test_a_bad_request_names_its_fields(trade_buyer_user, cluster_x):
    # when
    response = post(
        client_for(trade_buyer_user),
        "/api/v1/clusters/cluster-x/rfqs",
        {
            "lines": [{"quantity": 1, "variant_id": 999_999}],
            "incoterm": "DAP",
            "named_place": "Brisbane",
        },
    )
    # then
    assert response.status_code == 422
    assert "lines.0.variant_id" in response.json()["errors"]


def test_the_openapi_document_describes_the_quote_endpoints(cluster_x):
    # when
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    # then
    for path in [
        "/api/v1/clusters/{slug}/rfqs",
        "/api/v1/rfqs/{rfq_id}",
        "/api/v1/rfqs/{rfq_id}/lines/{line_id}/price",
        "/api/v1/rfqs/{rfq_id}/lines/{line_id}/assign",
        "/api/v1/rfqs/{rfq_id}/quote",
        "/api/v1/quotes/{quote_id}",
        "/api/v1/quotes/{quote_id}/accept",
        "/api/v1/quotes/{quote_id}/revision",
    ]:
        assert path in paths, path
