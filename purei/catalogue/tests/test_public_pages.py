"""The public storefront: cluster home, shop, product page and search."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from purei.catalogue.indexing import product_facts_changed
from purei.catalogue.models import Listing, Product, ProductImage, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.core.money import format_nzd
from purei.core.tests.pictures import picture_bytes
from purei.members.models import Credential
from purei.members.tests.factories import CredentialFactory
from purei.search.tests.factories import (
    CategoryFactory,
    VariantFactory,
    public_product,
)

pytestmark = pytest.mark.django_db


def _photo(product: Product, alt: str = "A jar of honey") -> ProductImage:
    return ProductImage.objects.create(
        product=product,
        image=ContentFile(picture_bytes(40, 30), name="photo.jpg"),
        width=40,
        height=30,
        alt_text=alt,
    )


def _url(cluster: Cluster, product: Product) -> str:
    return f"/c/{cluster.slug}/p/{product.member.slug}/{product.slug}/"


def _json_ld(html: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_prices_are_formatted_from_cents() -> None:
    # then
    assert format_nzd(2450) == "$24.50"
    assert format_nzd(123456) == "$1,234.56"
    assert format_nzd(5) == "$0.05"
    assert format_nzd(None) == ""


def test_cluster_home_shows_featured_products_and_members(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    plain = public_product(cluster, title_en="Plain kūmara")
    featured = public_product(cluster, title_en="Golden kūmara")
    Listing.objects.filter(product=featured).update(featured=True)
    # when
    response = client.get("/c/kaipara/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Golden kūmara") < html.index("Plain kūmara")
    assert _url(cluster, featured) in html
    assert f"/c/kaipara/members/{plain.member.slug}/" in html
    assert "/c/kaipara/shop/" in html


# The cluster, its regions, the member strip (members, their credentials), the
# featured products (the featured and the newest from the shelf, the products, their
# photos): whatever the number of products.
HOME_QUERIES = 8


@pytest.mark.parametrize("count", [12, 40])
def test_cluster_home_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, count: int
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    for n in range(count):
        product = public_product(cluster)
        _photo(product)
        if n < 3:  # fewer than the home shows: the newest fill the rest
            Listing.objects.filter(product=product).update(featured=True)
    client.get("/c/kaipara/")  # the session and content types, once
    # when / then
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/c/kaipara/")
    assert response.status_code == 200


def test_shop_lists_public_products_with_price_and_photo(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, title_en="Kūmara crisps")
    Variant.objects.filter(product=product).update(price_cents=2450)
    product_facts_changed([product.pk])
    _photo(product, alt="Crisps in a bowl")
    public_product(ClusterFactory.create(), title_en="Elsewhere")
    # when
    response = client.get("/c/kaipara/shop/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kūmara crisps" in html
    assert "Elsewhere" not in html
    assert "$24.50" in html
    assert 'alt="Crisps in a bowl"' in html
    assert 'width="40" height="30"' in html
    assert _url(cluster, product) in html


def test_shop_filters_live_in_the_url(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    honey = CategoryFactory.create(slug="honey", name_en="Honey")
    public_product(cluster, title_en="Mānuka honey", category=honey)
    public_product(cluster, title_en="Kūmara")
    # when
    response = client.get("/c/kaipara/shop/?category=honey&q=manuka&sort=newest")
    # then
    html = response.content.decode()
    assert "Mānuka" in html
    assert "Kūmara</a>" not in html
    # the selected facet links away from the filter, keeping the search and sort
    assert 'aria-current="true"' in html
    assert "?q=manuka&amp;sort=newest" in html
    # every other facet link keeps the current filters
    assert "category=honey" in html


def test_shop_facets_have_counts_in_their_link_text(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    honey = CategoryFactory.create(slug="honey", name_en="Honey")
    public_product(cluster, category=honey)
    public_product(cluster, category=honey)
    # when
    html = client.get("/c/kaipara/shop/").content.decode()
    # then
    # (the count shows as "(2)", and a screen reader hears "(2 products)")
    assert re.search(
        r'Honey <span class="muted">\(2<span class="visually-hidden"> products'
        r"</span>\)</span></a>",
        html,
    )


def test_shop_htmx_request_gets_the_results_only(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    public_product(cluster, title_en="Kūmara")
    # when
    response = client.get("/c/kaipara/shop/?q=kumara", HTTP_HX_REQUEST="true")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Kūmara" in html
    assert "HX-Request" in response["Vary"]


def test_shop_pages_through_results(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    for index in range(30):
        public_product(cluster, title_en=f"Jar {index:02d}")
    # when
    first = client.get("/c/kaipara/shop/?sort=newest").content.decode()
    second = client.get("/c/kaipara/shop/?sort=newest&page=2").content.decode()
    # then
    assert "sort=newest&amp;page=2" in first
    assert "Jar 29" in first
    assert "Jar 00" in second
    assert "page 2 of 2" in second


def test_shop_survives_nonsense_parameters(client: Client) -> None:
    # given
    ClusterFactory.create(slug="kaipara")
    # when
    response = client.get("/c/kaipara/shop/?page=abc&sort=nope&price=x&in_stock=zz")
    # then
    assert response.status_code == 200
    assert "No products match" in response.content.decode()


def test_shop_of_unknown_cluster_is_404(client: Client) -> None:
    # then
    assert client.get("/c/nowhere/shop/").status_code == 404


@pytest.mark.parametrize("count", [10, 40])
def test_shop_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, count: int
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    wine = CategoryFactory.create(
        slug="wine",
        attributes=[
            {"key": "vintage", "label": "Vintage", "type": "int", "facet": True},
            {"key": "varietal", "label": "Varietal", "type": "text", "facet": True},
        ],
    )
    for n in range(count):
        _photo(
            public_product(
                cluster,
                category=wine,
                attributes={"vintage": 2000 + n % 5, "varietal": f"Grape {n}"},
            )
        )
    client.get("/c/kaipara/shop/")  # warm caches (sessions, content types)
    # when / then
    with django_assert_num_queries(SHOP_QUERIES):
        response = client.get("/c/kaipara/shop/")
    assert response.status_code == 200
    assert "attr_vintage=2004" in response.content.decode()


# The cluster; the search (the public products with what the facets count —
# the key attributes too —, the labels of the categories (with their key
# attributes) and makers found — these products have no region of origin —,
# credentials, the page, the hits' clusters); photos and card facts; the session
# and the brand.
SHOP_QUERIES = 9


def test_product_page_shows_everything(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(
        cluster,
        title_en="Kūmara",
        title_mi="Kūmara reka",
        description_en="Sweet & golden </script>",
        maker="Aroha",
        iwi_affiliation="Ngāti Whātua",
        piece_story="Grown in sand.",
    )
    product.member.gst_registered = True
    product.member.save()
    Variant.objects.filter(product=product).update(
        price_cents=2450, name="1 kg", stock=3
    )
    VariantFactory.create(
        product=product,
        name="Box",
        stock_policy=Variant.StockPolicy.MADE_TO_ORDER,
        lead_time_days=5,
    )
    VariantFactory.create(product=product, name="Sack", stock=0)
    _photo(product, alt="Kūmara in a basket")
    # when
    response = client.get(_url(cluster, product))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Kūmara</h1>" in html
    assert '<p class="lede" lang="mi">Kūmara reka</p>' in html
    assert "$24.50" in html
    assert "incl. GST" in html
    assert "In stock" in html
    assert "Made to order — ships in 5 days" in html
    assert "Sold out" in html
    assert "Ngāti Whātua" in html
    assert "Grown in sand." in html
    assert 'alt="Kūmara in a basket"' in html
    assert f'href="/c/kaipara/members/{product.member.slug}/"' in html
    assert '<meta property="og:title" content="Kūmara">' in html
    assert 'property="og:image"' in html
    assert 'property="og:url"' in html


def test_product_page_json_ld_is_a_valid_product(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, title_en="Kūmara </script><b>")
    Variant.objects.filter(product=product).update(price_cents=2450)
    # when
    html = client.get(_url(cluster, product)).content.decode()
    # then
    data = _json_ld(html)
    assert data["@type"] == "Product"
    assert data["name"] == "Kūmara </script><b>"
    offer = data["offers"][0]
    assert offer["price"] == "24.50"
    assert offer["priceCurrency"] == "NZD"
    assert offer["availability"] == "https://schema.org/InStock"
    assert html.count("</script>") == html.count("<script")


def test_product_page_says_no_gst_for_a_member_not_registered(
    client: Client,
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster)
    product.member.gst_registered = False
    product.member.save()
    # when
    html = client.get(_url(cluster, product)).content.decode()
    # then
    assert "no GST" in html


def test_product_page_shows_only_currently_verified_credentials(
    client: Client,
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    current = CredentialFactory.create(
        member=product.member,
        kind=Credential.Kind.TOI_IHO,
        issuer="Toi Iho Charitable Trust",
        verification=Credential.Verification.VERIFIED,
    )
    lapsed = CredentialFactory.create(
        member=product.member,
        kind=Credential.Kind.ORGANIC,
        issuer="BioGro",
        verification=Credential.Verification.VERIFIED,
        expires_on=yesterday,
    )
    product.credentials.set([current, lapsed])
    # when
    html = client.get(_url(cluster, product)).content.decode()
    # then
    assert "Toi Iho Charitable Trust" in html
    assert "BioGro" not in html


def test_restricted_product_shows_the_members_liquor_licence(
    client: Client,
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, restricted_r18=True)
    CredentialFactory.create(
        member=product.member,
        number="51/OFF/777/2025",
        verification=Credential.Verification.VERIFIED,
    )
    # when
    html = client.get(_url(cluster, product)).content.decode()
    # then
    assert "R18" in html
    assert "51/OFF/777/2025" in html


@pytest.mark.parametrize(
    "change",
    ["draft", "listing_pending", "other_cluster", "cultural_pending"],
)
def test_product_page_is_404_unless_public_in_this_cluster(
    client: Client, change: str
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster)
    url = _url(cluster, product)
    if change == "draft":
        Product.objects.filter(pk=product.pk).update(status=Product.Status.DRAFT)
    elif change == "listing_pending":
        Listing.objects.filter(product=product).update(status=Listing.Status.PENDING)
    elif change == "cultural_pending":
        Listing.objects.filter(product=product).update(
            cultural_review=Listing.CulturalReview.PENDING
        )
    else:
        other = ClusterFactory.create(slug="elsewhere")
        url = _url(other, product)
    # when
    response = client.get(url)
    # then
    assert response.status_code == 404


@pytest.mark.parametrize("variants", [1, 10])
def test_product_page_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, variants: int
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster, restricted_r18=True)
    for _ in range(variants):
        VariantFactory.create(product=product)
        _photo(product)
    client.get(_url(cluster, product))
    # when / then
    with django_assert_num_queries(PRODUCT_QUERIES):
        response = client.get(_url(cluster, product))
    assert response.status_code == 200


# The cluster (not its regions, since issue 18); the listing and its variants;
# for the static parts (catalogue.selectors.product_page_static: three), the
# credentials with the maker's liquor licences, the related products from the
# shelf with their makers and categories, the photos; the delivery estimate
# (the regions, the shipping policies, the pickup events, the cluster's
# promotions: a free delivery); the approved reviews with their count and
# average (marketing's product_rating: one query for the section and the
# JSON-LD); the product's sales windows (one, ADR 0016; one more when it is in
# one: its pickup points). See test_product_page.py for a page with everything.
PRODUCT_QUERIES = 12


def test_search_finds_products_in_every_cluster_and_names_them(
    client: Client,
) -> None:
    # given
    kaipara = ClusterFactory.create(slug="kaipara", name_en="Kaipara Growers")
    waikato = ClusterFactory.create(slug="waikato", name_en="Waikato Makers")
    public_product(kaipara, title_en="Kūmara chips")
    public_product(waikato, title_en="Kūmara bread")
    # when
    response = client.get("/search/?q=kumara")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Kūmara</mark> chips" in html
    assert "<mark>Kūmara</mark> bread" in html
    assert "Kaipara Growers" in html
    assert "Waikato Makers" in html
    assert "/c/kaipara/p/" in html
    assert "/c/waikato/p/" in html


def test_search_has_an_empty_state(client: Client) -> None:
    # when
    response = client.get("/search/?q=nothing-at-all")
    # then
    assert response.status_code == 200
    assert "No products match" in response.content.decode()


def test_search_htmx_request_gets_the_results_only(client: Client) -> None:
    # when
    response = client.get("/search/?q=x", HTTP_HX_REQUEST="true")
    # then
    assert "<html" not in response.content.decode()


def test_every_page_has_the_header_search_box(client: Client) -> None:
    # when
    html = client.get("/").content.decode()
    # then
    assert 'action="/search/"' in html
    assert 'id="site-search-q"' in html


def test_shop_cards_note_r18_and_gst(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    wine = public_product(cluster, title_en="Pinot", restricted_r18=True)
    wine.member.gst_registered = True
    wine.member.save()
    public_product(cluster, title_en="Kūmara")
    # when
    html = client.get("/c/kaipara/shop/").content.decode()
    # then
    assert html.count("Buyers must be 18 or over.") == 1
    assert "incl. GST" in html
    assert "no GST" in html


def test_a_card_says_from_only_when_the_variants_differ_in_price(
    client: Client,
) -> None:
    # given one product with a single price and one with two
    cluster = ClusterFactory.create(slug="kaipara")
    single = public_product(cluster, title_en="One jar")
    Variant.objects.filter(product=single).update(price_cents=4200)
    several = public_product(cluster, title_en="Two sizes")
    Variant.objects.filter(product=several).update(price_cents=1500)
    VariantFactory.create(product=several, name="Large", price_cents=2900)
    product_facts_changed([single.pk, several.pk])
    # when
    shop = client.get("/c/kaipara/shop/").content.decode()
    home = client.get("/c/kaipara/").content.decode()
    # then
    for html in (shop, home):
        assert "$42.00 <span" in html
        assert "from $42.00" not in html
        assert "from $15.00" in html
