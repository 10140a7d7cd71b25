"""The product page as a shop (issue 13): the gallery, the buy box (price,
options, Add to cart, delivery and pickup for the shopper's region, the maker and
the credentials) and related products from the same maker and category."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from purei.catalogue.indexing import product_facts_changed
from purei.catalogue.models import Product, ProductImage, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.core.tests.pictures import picture_bytes
from purei.members.models import Credential
from purei.members.tests.factories import CredentialFactory, MemberFactory
from purei.orders.models import Zone
from purei.orders.tests.factories import (
    PickupEventFactory,
    ShippingPolicyFactory,
    rate_table,
)
from purei.search.tests.factories import (
    CategoryFactory,
    VariantFactory,
    public_product,
)

pytestmark = pytest.mark.django_db


def _photo(product: Product, alt: str, position: int = 0) -> ProductImage:
    return ProductImage.objects.create(
        product=product,
        image=ContentFile(picture_bytes(40, 30), name="photo.jpg"),
        width=40,
        height=30,
        alt_text=alt,
        position=position,
    )


def _url(cluster: Cluster, product: Product, query: str = "") -> str:
    return f"/c/{cluster.slug}/p/{product.member.slug}/{product.slug}/{query}"


def _sizes(product: Product, *prices: int) -> None:
    """Give ``product`` one option per price (grams = cents / 10), in stock."""
    Variant.objects.filter(product=product).delete()
    for n, price in enumerate(prices):
        VariantFactory.create(
            product=product,
            name=f"Size {n}",
            price_cents=price,
            weight_grams=price // 10,
            position=n,
        )
    product_facts_changed([product.pk])


@pytest.fixture
def honey(db: Any) -> dict[str, Any]:
    cluster = ClusterFactory.create(slug="kai")
    maker = MemberFactory.create(slug="hive-hill", trading_name="Hive Hill")
    product = public_product(
        cluster, member=maker, slug="manuka", title_en="Mānuka honey"
    )
    return {"cluster": cluster, "maker": maker, "product": product}


# --- The buy box ---------------------------------------------------------------------


def test_the_buy_box_says_from_only_when_the_options_differ_in_price(
    client: Client, honey: dict[str, Any]
) -> None:
    # given
    cluster, product = honey["cluster"], honey["product"]
    _sizes(product, 1850, 1850)
    # when
    same = client.get(_url(cluster, product)).content.decode()
    _sizes(product, 1850, 3200)
    differ = client.get(_url(cluster, product)).content.decode()
    # then
    assert re.search(r"<span data-buy-price>\$18\.50</span>", same)
    assert re.search(r"<span data-buy-price>from \$18\.50</span>", differ)
    # each option says its own price (and product.js shows it when chosen)
    assert 'data-price="$32.00"' in differ


def test_the_buy_box_has_the_maker_the_credentials_and_add_to_cart(
    client: Client, honey: dict[str, Any]
) -> None:
    # given
    cluster, product = honey["cluster"], honey["product"]
    credential = CredentialFactory.create(
        member=honey["maker"],
        kind=Credential.Kind.ORGANIC,
        issuer="BioGro",
        verification=Credential.Verification.VERIFIED,
    )
    product.credentials.set([credential])
    # when
    html = client.get(_url(cluster, product)).content.decode()
    # then: in the buy box, in this order
    box = html[html.index('class="buy-box"') : html.index("product-page__details")]
    assert box.index("<h1>Mānuka honey</h1>") < box.index("Add to cart")
    assert 'href="/c/kai/members/hive-hill/">Hive Hill</a>' in box
    assert "BioGro" in box
    # Add to cart posts with htmx into a status region, and without it as a form
    assert 'hx-post="/c/kai/cart/add/"' in box
    assert 'method="post" action="/c/kai/cart/add/"' in box
    assert 'role="status"' in box


def test_the_gallery_has_thumbnails_linking_to_each_photo_and_a_larger_view(
    client: Client, honey: dict[str, Any]
) -> None:
    # given
    cluster, product = honey["cluster"], honey["product"]
    for n in range(3):
        _photo(product, f"Jar {n}", position=n)
    # when
    html = client.get(_url(cluster, product)).content.decode()
    # then: each photo has its slide and a thumbnail link to it (no script needed)
    for n in (1, 2, 3):
        assert f'id="photo-{n}"' in html
        assert f'href="#photo-{n}"' in html
        assert f"Show photo {n} of 3" in html
    # the first photo is the page's largest paint: eager and first; the others lazy
    start = html.index("product-gallery__slides")
    slides = html[start : html.index("</ul>", start)]
    first, *others = slides.split('id="photo-')[1:]
    assert 'fetchpriority="high"' in first
    assert "loading=" not in first
    assert all('loading="lazy"' in other for other in others)
    # a larger view of each photo, and its description
    assert 'alt="Jar 0"' in html
    assert html.count("data-zoom") == 3


def test_a_single_photo_has_no_thumbnails(
    client: Client, honey: dict[str, Any]
) -> None:
    # given
    _photo(honey["product"], "Jar")
    # when
    html = client.get(_url(honey["cluster"], honey["product"])).content.decode()
    # then
    assert "product-gallery__thumbs" not in html
    assert 'id="photo-1"' in html


# --- Delivery and pickup -----------------------------------------------------------


def test_delivery_to_the_region_in_the_address_is_priced_as_checkout_does(
    client: Client, honey: dict[str, Any]
) -> None:
    # given: the maker ships within the North Island, by weight
    cluster, product = honey["cluster"], honey["product"]
    _sizes(product, 1850, 3200)  # 185 g and 320 g
    policy = ShippingPolicyFactory.create(member=honey["maker"])
    rate_table(policy, [(Zone.NORTH_ISLAND, 200, 650), (Zone.NORTH_ISLAND, 1000, 850)])
    # when
    asked = client.get(_url(cluster, product)).content.decode()
    wellington = client.get(_url(cluster, product, "?region=nz-wgn")).content.decode()
    canterbury = client.get(_url(cluster, product, "?region=NZ-CAN")).content.decode()
    # then
    assert "choose your region to see the cost" in asked
    assert '<option value="NZ-WGN" selected>' in wellington
    assert "Delivery to Wellington from $6.50" in wellington
    assert "Hive Hill does not deliver to Canterbury." in canterbury
    # the form works without JavaScript: a GET to this page
    assert 'action="/c/kai/p/hive-hill/manuka/#delivery"' in asked


def test_pickups_are_offered_whatever_the_region(
    client: Client, honey: dict[str, Any]
) -> None:
    # given
    cluster, product = honey["cluster"], honey["product"]
    ShippingPolicyFactory.create(
        member=honey["maker"],
        pickup_at_premises=True,
        pickup_address="12 Hive Road, Martinborough",
        pickup_instructions="Ring the bell.",
    )
    PickupEventFactory.create(
        cluster=cluster, name_en="Martinborough Fair", members=[honey["maker"]]
    )
    # when
    html = client.get(_url(cluster, product)).content.decode()
    # then
    assert "from 12 Hive Road, Martinborough" in html
    assert "Ring the bell." in html
    assert "Pickup at Martinborough Fair" in html
    assert "Saturday 2 February, 9 am" in html


def test_a_sold_out_product_offers_no_add_to_cart(
    client: Client, honey: dict[str, Any]
) -> None:
    # given
    Variant.objects.filter(product=honey["product"]).update(stock=0)
    # when
    html = client.get(_url(honey["cluster"], honey["product"])).content.decode()
    # then: nothing to add, nor to deliver
    assert "Sold out for now." in html
    assert "/cart/add/" not in html
    assert "Delivery and pickup" not in html


# --- Related products --------------------------------------------------------------


def test_related_products_are_the_makers_and_the_categorys_public_and_in_stock(
    client: Client, honey: dict[str, Any]
) -> None:
    # given
    cluster, maker, product = honey["cluster"], honey["maker"], honey["product"]
    other = MemberFactory.create(slug="bee-bay", trading_name="Bee Bay")
    candles = public_product(
        cluster, member=maker, title_en="Beeswax candles", category=CategoryFactory()
    )
    comb = public_product(
        cluster, member=other, title_en="Honeycomb", category=product.category
    )
    sold_out = public_product(
        cluster, member=maker, title_en="Sold-out mead", category=product.category
    )
    Variant.objects.filter(product=sold_out).update(stock=0)
    product_facts_changed([sold_out.pk])
    elsewhere = public_product(
        ClusterFactory.create(), member=other, category=product.category
    )
    unrelated = public_product(cluster, title_en="Kūmara")
    # when
    html = client.get(_url(cluster, product)).content.decode()
    # then
    maker_part = html[html.index("More from Hive Hill") :]
    assert "Beeswax candles" in maker_part
    assert "Honeycomb" in html[html.index(f"More in {product.category.name}") :]
    assert "Sold-out mead" not in html
    assert elsewhere.title_en not in html
    assert unrelated.title_en not in html
    # itself is not related to itself; each card links to its product
    assert html.count('class="card product-card"') == 2
    assert f'href="{_url(cluster, candles)}"' in html
    assert f'href="{_url(cluster, comb)}"' in html
    # under their section's heading, the cards' titles are h3
    assert '<h3 class="product-card__title">' in html


# Everything: the PRODUCT_QUERIES of test_public_pages.py (related products and
# photos are in its three static queries), with the shipping policy's rates and
# chilled rates (two more), who takes part in the pickup events (one more) and
# the region asked about (one more).
FULL_PRODUCT_QUERIES = 16


@pytest.mark.parametrize("count", [1, 6])
def test_a_full_product_page_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, count: int
) -> None:
    # given: options, photos, related products, shipping and pickups
    cluster = ClusterFactory.create(slug="kai")
    maker = MemberFactory.create(slug="hive-hill")
    other = MemberFactory.create(slug="bee-bay")
    product = public_product(cluster, member=maker, slug="manuka")
    _sizes(product, *(1000 + n for n in range(count)))
    policy = ShippingPolicyFactory.create(member=maker, pickup_at_premises=True)
    rate_table(policy, [(Zone.NORTH_ISLAND, None, 850)])
    PickupEventFactory.create(cluster=cluster, members=[maker])
    for n in range(count):
        _photo(product, f"Jar {n}", position=n)
        for member in (maker, other):
            related = public_product(cluster, member=member, category=product.category)
            _photo(related, "Related")
    url = _url(cluster, product, "?region=NZ-WGN")
    client.get(url)
    # when / then
    with django_assert_num_queries(FULL_PRODUCT_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert "Delivery to Wellington" in response.content.decode()
