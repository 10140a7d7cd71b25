"""The public catalogue API: a cluster's products, search, one product's detail."""

from __future__ import annotations

import pytest
from django.test import Client

from purei.catalogue.indexing import product_facts_changed
from purei.catalogue.models import Listing, Product, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.search.tests.factories import CategoryFactory, public_product

pytestmark = pytest.mark.django_db


def test_cluster_products_gives_results_facets_and_paging(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    honey = CategoryFactory.create(slug="honey", name_en="Honey")
    product = public_product(cluster, title_en="Mānuka honey", category=honey)
    public_product(cluster, title_en="Kūmara")
    public_product(ClusterFactory.create(), title_en="Elsewhere")
    # when
    response = client.get(
        "/api/v1/clusters/kaipara/products", {"q": "manuka", "category": "honey"}
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert [hit["slug"] for hit in body["results"]] == [product.slug]
    hit = body["results"][0]
    assert hit["title_html"] == "<mark>Mānuka</mark> honey"
    assert hit["price_cents"] == 2000
    assert hit["currency"] == "NZD"
    assert hit["url"] == f"/c/kaipara/p/{product.member.slug}/{product.slug}/"
    assert body["facets"]["category"][0] == {
        "value": "honey",
        "label": "Honey",
        "count": 1,
        "selected": True,
    }
    assert body["paging"] == {"page": 1, "per_page": 24, "total": 1, "num_pages": 1}


def test_cluster_products_filter_and_count_key_attributes(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="marlborough")
    wine = CategoryFactory.create(
        slug="wine",
        attributes=[{"key": "vintage", "label": "Vintage", "facet": True}],
    )
    old = public_product(cluster, category=wine, attributes={"vintage": 2019})
    public_product(cluster, category=wine, attributes={"vintage": 2023})
    # when
    everything = client.get("/api/v1/clusters/marlborough/products").json()
    filtered = client.get(
        "/api/v1/clusters/marlborough/products", {"attr_vintage": "2019"}
    ).json()
    # then
    assert everything["facets"]["attributes"] == [
        {
            "key": "vintage",
            "label": "Vintage",
            "param": "attr_vintage",
            "values": [
                {"value": "2023", "label": "2023", "count": 1, "selected": False},
                {"value": "2019", "label": "2019", "count": 1, "selected": False},
            ],
        }
    ]
    assert [hit["slug"] for hit in filtered["results"]] == [old.slug]
    assert filtered["facets"]["attributes"][0]["values"][0]["selected"] is True


def test_cluster_products_sorts_and_pages(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    for index, price in enumerate([3000, 1000, 2000]):
        product = public_product(cluster, title_en=f"Jar {index}")
        Variant.objects.filter(product=product).update(price_cents=price)
        product_facts_changed([product.pk])
    # when
    body = client.get(
        "/api/v1/clusters/kaipara/products",
        {"sort": "price_asc", "per_page": "2", "page": "2"},
    ).json()
    # then
    assert [hit["price_cents"] for hit in body["results"]] == [3000]
    assert body["paging"]["num_pages"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "cheapest"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"price_band": "free"}, "price_band"),
        ({"credential": "knighthood"}, "credential"),
        ({"in_stock": "perhaps"}, "in_stock"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_values_are_422_naming_the_field(
    client: Client, params: dict[str, str], field: str
) -> None:
    # given
    ClusterFactory.create(slug="kaipara")
    # when
    for url in ("/api/v1/clusters/kaipara/products", "/api/v1/search"):
        response = client.get(url, params)
        # then
        assert response.status_code == 422, url
        assert response.json()["field"] == field


def test_products_of_unknown_or_unlisted_cluster_are_404(client: Client) -> None:
    # given
    ClusterFactory.create(slug="forming", status=Cluster.Status.DRAFT)
    # then
    assert client.get("/api/v1/clusters/nowhere/products").status_code == 404
    assert client.get("/api/v1/clusters/forming/products").status_code == 404


def test_search_covers_every_cluster(client: Client) -> None:
    # given
    kaipara = ClusterFactory.create(slug="kaipara", name_en="Kaipara Growers")
    waikato = ClusterFactory.create(slug="waikato", name_en="Waikato Makers")
    public_product(kaipara, title_en="Kūmara chips")
    public_product(waikato, title_en="Kūmara bread")
    # when
    body = client.get("/api/v1/search", {"q": "kumara"}).json()
    # then
    clusters = sorted(hit["clusters"][0]["slug"] for hit in body["results"])
    assert clusters == ["kaipara", "waikato"]
    assert body["paging"]["total"] == 2


def test_product_detail(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, title_en="Kūmara", maker="Aroha")
    # when
    response = client.get(
        f"/api/v1/clusters/kaipara/products/{product.member.slug}/{product.slug}"
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["title_en"] == "Kūmara"
    assert body["maker"] == "Aroha"
    assert body["variants"][0]["price_cents"] == 2000
    assert body["variants"][0]["currency"] == "NZD"
    assert body["variants"][0]["availability"] == "in_stock"


def test_product_detail_is_404_unless_public(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster)
    Listing.objects.filter(product=product).update(status=Listing.Status.PENDING)
    draft = public_product(cluster)
    Product.objects.filter(pk=draft.pk).update(status=Product.Status.DRAFT)
    # then
    for item in (product, draft):
        url = f"/api/v1/clusters/kaipara/products/{item.member.slug}/{item.slug}"
        assert client.get(url).status_code == 404
