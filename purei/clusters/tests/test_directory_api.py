import re

import pytest
from django.test import Client

from purei.clusters.models import Cluster, ClusterType, LeadOrganisationKind
from purei.clusters.tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kumara() -> Cluster:
    return ClusterFactory.create(
        slug="kaipara-kumara",
        name_en="Kaipara Kūmara",
        type=ClusterType.TRADITIONAL,
        lead_org_kind=LeadOrganisationKind.BUSINESS_NETWORK,
        lead_org_name="Northern Wairoa Kūmara Growers",
        specialisation="Kūmara (sweet potato)",
        tagline="Red, gold and orange kūmara.",
        story="One.\n\nTwo.",
        regions=["NZ-NTL"],
    )


@pytest.fixture
def steel() -> Cluster:
    return ClusterFactory.create(
        slug="nz-steel-fabricators",
        name_en="NZ Steel Fabricators",
        type=ClusterType.VIRTUAL,
        specialisation="Structural steel for Australia",
        regions=["NZ-AUK", "NZ-CAN"],
    )


def test_lists_live_clusters_with_every_field(client: Client, kumara, steel):
    # given
    ClusterFactory.create(slug="draft", status=Cluster.Status.DRAFT)
    # when
    response = client.get("/api/v1/clusters")
    # then
    assert response.status_code == 200
    data = response.json()
    assert [c["slug"] for c in data] == ["kaipara-kumara", "nz-steel-fabricators"]
    assert data[0] == {
        "slug": "kaipara-kumara",
        "name_en": "Kaipara Kūmara",
        "name_mi": "",
        "type": "traditional",
        "lead_organisation": {
            "kind": "business_network",
            "kind_label": "Business network",
            "name": "Northern Wairoa Kūmara Growers",
        },
        "regions": [
            {"code": "NZ-NTL", "name_en": "Northland", "name_mi": "Te Tai Tokerau"}
        ],
        "specialisation": "Kūmara (sweet potato)",
        "tagline": "Red, gold and orange kūmara.",
        "story": "One.\n\nTwo.",
        "url": "http://testserver/c/kaipara-kumara/",
    }
    assert [r["code"] for r in data[1]["regions"]] == ["NZ-AUK", "NZ-CAN"]


@pytest.mark.parametrize(
    "query",
    ["", "?type=virtual", "?region=NZ-NTL", "?q=kumara", "?q=steel&type=traditional"],
)
def test_returns_the_same_clusters_as_the_directory_page(
    client: Client, kumara, steel, query
):
    # when
    api = client.get(f"/api/v1/clusters{query}").json()
    page = client.get(f"/clusters/{query}").content.decode()
    # then
    on_page = re.findall(r'<h2 class="cluster-name"><a href="/c/([^/]+)/">', page)
    assert [c["slug"] for c in api] == on_page
    for cluster in api:
        assert cluster["name_en"] in page
        assert cluster["specialisation"] in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=traditional", ["kaipara-kumara"]),
        ("type=virtual", ["nz-steel-fabricators"]),
        ("type=local", []),
        ("region=NZ-CAN", ["nz-steel-fabricators"]),
        ("region=nz-ntl", ["kaipara-kumara"]),
        ("q=KUMARA", ["kaipara-kumara"]),
        ("q=k%C5%ABmara", ["kaipara-kumara"]),
        ("q=sweet+potato&region=NZ-NTL&type=traditional", ["kaipara-kumara"]),
        ("q=", ["kaipara-kumara", "nz-steel-fabricators"]),
    ],
)
def test_filters(client: Client, kumara, steel, query, expected):
    # when
    response = client.get(f"/api/v1/clusters?{query}")
    # then
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()] == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("type=co-operative", "type"),
        ("type=Traditional", "type"),
        ("region=NZ-XXX", "region"),
        ("region=Marlborough", "region"),
        ("q=" + "x" * 101, "q"),
    ],
)
def test_bad_filters_are_422_naming_the_field(client: Client, query, field):
    # when
    response = client.get(f"/api/v1/clusters?{query}")
    # then
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == field
    assert body["code"]
    assert body["message"]
    assert field in body["errors"]


def test_gets_one_live_cluster(client: Client, kumara):
    # when
    response = client.get("/api/v1/clusters/kaipara-kumara")
    listed = client.get("/api/v1/clusters").json()
    # then
    assert response.status_code == 200
    assert response.json() == listed[0]


@pytest.mark.parametrize("status", [Cluster.Status.DRAFT, Cluster.Status.PAUSED])
def test_a_cluster_that_is_not_live_is_404_json(client: Client, status):
    # given
    ClusterFactory.create(slug="hidden", status=status)
    # when
    response = client.get("/api/v1/clusters/hidden")
    # then
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Not found.",
        "field": None,
    }


def test_a_missing_cluster_is_404_json(client: Client):
    # when
    response = client.get("/api/v1/clusters/nowhere")
    # then
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_listing_costs_two_queries(client: Client, django_assert_num_queries):
    # given
    for _ in range(40):
        ClusterFactory.create(regions=["NZ-MBH", "NZ-CAN"])
    # when
    with django_assert_num_queries(2):
        response = client.get("/api/v1/clusters")
    # then
    assert len(response.json()) == 40


def test_openapi_document_lists_the_directory_operations(client: Client):
    # when
    response = client.get("/api/v1/openapi.json")
    # then
    assert response.status_code == 200
    paths = response.json()["paths"]
    listing = paths["/api/v1/clusters"]["get"]
    detail = paths["/api/v1/clusters/{slug}"]["get"]
    assert listing["operationId"] == "cluster_list_api"
    assert detail["operationId"] == "cluster_get_api"
    assert {p["name"] for p in listing["parameters"]} == {"type", "region", "q"}


def test_docs_page_uses_only_local_assets(client: Client):
    # when
    response = client.get("/api/v1/docs")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert assets
    assert all(asset.startswith("/static/") for asset in assets)
    assert "cdn" not in body.lower()
    assert "/api/v1/openapi.json" in body
