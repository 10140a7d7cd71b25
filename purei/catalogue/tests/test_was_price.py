"""A variant's "was" price: shown struck through ("was $X, now $Y" to screen
readers) on the shop's cards, the product page and its buy box only while it is
higher than the price, in the JSON-LD as a StrikethroughPrice, and set by the
team in the variant form and the API. Also the product page's SEO title and
description, and an imported HTML description."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from purei.catalogue.indexing import product_facts_changed
from purei.catalogue.models import Product, Variant
from purei.catalogue.services.products import ProductInput, product_update
from purei.catalogue.services.variants import VariantInput, variant_update
from purei.core.errors import ValidationFailed
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

WAS = re.compile(
    r'<del class="price-was"><span class="visually-hidden">was </span>'
    r"(?:<span data-buy-was-amount>)?\$(?P<was>[\d.,]+)"
)


@pytest.fixture
def honey(cluster_x, member_a) -> Product:
    product = public_product(
        cluster_x, member=member_a, slug="manuka", title_en="Mānuka honey"
    )
    product.variants.update(price_cents=2450, compare_at_cents=3000)
    product_facts_changed([product.pk])
    return product


def _page(client: Client, product: Product) -> str:
    cluster = product.listings.get().cluster
    url = f"/c/{cluster.slug}/p/{product.member.slug}/{product.slug}/"
    return client.get(url).content.decode()


def _shop(client: Client, product: Product) -> str:
    cluster = product.listings.get().cluster
    return client.get(f"/c/{cluster.slug}/shop/").content.decode()


def test_product_page_and_card_show_was_while_higher(client: Client, honey):
    # when
    page, shop = _page(client, honey), _shop(client, honey)
    # then: struck through, "was … now" for screen readers, on card, table and box
    assert [m["was"] for m in WAS.finditer(page)] == ["30.00", "30.00"]
    assert "<span data-buy-was>" in page  # shown (not hidden)
    assert '<span class="visually-hidden">, now</span> $24.50' in page
    assert [m["was"] for m in WAS.finditer(shop)] == ["30.00"]


def test_no_was_when_it_is_not_higher(client: Client, honey):
    # given
    honey.variants.update(compare_at_cents=2450)
    # when
    page, shop = _page(client, honey), _shop(client, honey)
    # then
    assert not WAS.search(page)
    assert "<span data-buy-was hidden>" in page
    assert not WAS.search(shop)


def test_json_ld_offer_carries_a_strikethrough_price(client: Client, honey):
    # when
    page = _page(client, honey)
    # then
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert raw is not None
    offer = json.loads(raw.group(1))["offers"][0]
    assert offer["price"] == "24.50"
    assert offer["priceSpecification"] == [
        {"@type": "UnitPriceSpecification", "price": "24.50", "priceCurrency": "NZD"},
        {
            "@type": "UnitPriceSpecification",
            "priceType": "https://schema.org/StrikethroughPrice",
            "price": "30.00",
            "priceCurrency": "NZD",
        },
    ]


def test_cached_card_changes_when_the_was_price_does(
    client: Client,
    honey,
    member_a_owner,
    settings: Any,
    django_capture_on_commit_callbacks,
):
    # given: the shop rendered once with caches on
    settings.SEARCH_CACHE_SECONDS = 300
    cache.clear()
    assert "30.00" in _shop(client, honey)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        variant_update(
            actor=member_a_owner,
            variant=honey.variants.get(),
            details=VariantInput(was_price="35.00"),
        )
    # then: the catalogue version moved on, so the card is rendered again
    assert [m["was"] for m in WAS.finditer(_shop(client, honey))] == ["35.00"]


def test_was_price_is_checked_and_can_be_cleared(member_a_owner, honey):
    variant = honey.variants.get()
    for bad in ("abc", "-1.00", "12.345"):
        with pytest.raises(ValidationFailed) as caught:
            variant_update(
                actor=member_a_owner,
                variant=variant,
                details=VariantInput(was_price=bad),
            )
        assert "was_price" in caught.value.errors
    variant_update(
        actor=member_a_owner, variant=variant, details=VariantInput(was_price="")
    )
    assert Variant.objects.get(pk=variant.pk).compare_at_cents is None


def test_variant_form_sets_the_was_price(member_a_owner_user, honey):
    # given
    client = Client()
    client.force_login(member_a_owner_user)
    variant = honey.variants.get()
    url = f"/manage/members/{honey.member.slug}/products/{honey.slug}/variants/"
    form = client.get(f"{url}?edit={variant.pk}").content.decode()
    assert 'name="edit-was_price"' in form
    assert 'value="30.00"' in form
    data = {
        "action": "update",
        "variant": variant.pk,
        "edit-sku": variant.sku,
        "edit-price": "24.50",
        "edit-was_price": "32.00",
        "edit-stock_policy": "tracked",
        "edit-stock": "3",
        "edit-cold_chain": "none",
    }
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 302
    assert Variant.objects.get(pk=variant.pk).compare_at_cents == 3200
    bad = client.post(url, {**data, "edit-was_price": "lots"})
    assert bad.status_code == 422


def test_api_reads_and_sets_the_was_price(member_a_owner_user, honey):
    # given
    client = Client()
    client.force_login(member_a_owner_user)
    variant = honey.variants.get()
    url = (
        f"/api/v1/members/{honey.member.slug}/products/{honey.slug}"
        f"/variants/{variant.sku}"
    )
    # when
    changed = client.patch(
        url, {"was_price_cents": 2999}, content_type="application/json"
    )
    negative = client.patch(
        url, {"was_price_cents": -1}, content_type="application/json"
    )
    cleared = client.patch(url, {"was_price": None}, content_type="application/json")
    # then
    assert changed.status_code == 200, changed.content
    assert (changed.json()["was_price"], changed.json()["was_price_cents"]) == (
        "29.99",
        2999,
    )
    assert negative.status_code == 422
    assert cleared.json()["was_price_cents"] is None


def test_product_page_uses_seo_title_description_and_html(client: Client, honey):
    # given
    honey.seo_title = "Mānuka honey from the Kaipara hills"
    honey.seo_description = "Dark, rich mānuka honey."
    honey.description_en = "Plain text"
    honey.description_html = "<h3>Dark</h3><p>Rich <em>honey</em></p>"
    honey.save()
    # when
    page = _page(client, honey)
    # then
    assert "<title>Mānuka honey from the Kaipara hills</title>" in page
    assert '<meta name="description" content="Dark, rich mānuka honey.">' in page
    assert "<h3>Dark</h3><p>Rich <em>honey</em></p>" in page


def test_editing_the_description_drops_the_imported_html(member_a_owner, honey):
    # given
    honey.description_en = "Dark"
    honey.description_html = "<p>Dark</p>"
    honey.save()
    # when: the SEO title changes, then the description
    product_update(
        actor=member_a_owner, product=honey, details=ProductInput(seo_title="Honey")
    )
    kept = Product.objects.get(pk=honey.pk)
    product_update(
        actor=member_a_owner,
        product=kept,
        details=ProductInput(description_en="Dark and rich"),
    )
    # then
    assert kept.seo_title == "Honey"
    assert kept.description_html == "<p>Dark</p>"
    assert Product.objects.get(pk=honey.pk).description_html == ""
