"""Add to cart from the product page (issue 13): the shopper stays on the page.
With htmx the answer is a confirmation and the cart so far, and the header's cart
link out of band; without JavaScript, back to the product page with a message."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.members.tests.factories import MemberFactory
from purei.orders.models import CartLine
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

ADD = "/c/kai/cart/add/"
PAGE = "/c/kai/p/hive-hill/manuka/"


@pytest.fixture
def honey(db: Any) -> Variant:
    cluster = ClusterFactory.create(slug="kai")
    maker = MemberFactory.create(slug="hive-hill", trading_name="Hive Hill")
    product = public_product(
        cluster, member=maker, slug="manuka", title_en="Mānuka honey"
    )
    variant = Variant.objects.get(product=product)
    variant.name, variant.price_cents, variant.stock = "500 g", 3200, 3
    variant.save()
    return variant


def _post(client: Client, variant: Variant, quantity: int, **headers: str) -> Any:
    return client.post(
        ADD,
        {"variant": variant.pk, "quantity": quantity, "next": PAGE},
        headers=headers,
    )


def test_without_javascript_it_comes_back_to_the_product_page_with_a_message(
    client: Client, honey: Variant
) -> None:
    # when
    response = _post(client, honey, 2)
    # then
    assert response.status_code == 302
    assert response["Location"] == PAGE
    page = client.get(PAGE).content.decode()
    assert "Added Mānuka honey (500 g) to your cart." in page
    assert '<a href="/c/kai/cart/">View your cart</a>' in page
    assert "Cart (2 items)" in page
    assert CartLine.objects.get().quantity == 2


def test_without_javascript_a_refusal_comes_back_to_the_product_page_too(
    client: Client, honey: Variant
) -> None:
    # when: more than there are
    response = _post(client, honey, 4)
    # then
    assert response["Location"] == PAGE
    assert "Only 3 of Mānuka honey (500 g) left." in client.get(PAGE).content.decode()
    assert not CartLine.objects.exists()


def test_a_next_elsewhere_is_ignored_for_the_cart(
    client: Client, honey: Variant
) -> None:
    # when
    response = client.post(
        ADD,
        {"variant": honey.pk, "quantity": 1, "next": "https://evil.example/"},
    )
    # then
    assert response["Location"] == "/c/kai/cart/"


def test_with_htmx_it_answers_the_confirmation_and_the_cart_link(
    client: Client, honey: Variant
) -> None:
    # given: one already in the cart
    _post(client, honey, 1, HX_Request="true")
    # when
    response = _post(client, honey, 1, HX_Request="true")
    # then: the confirmation and the cart so far, for the status region
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Added Mānuka honey (500 g) to your cart." in html
    assert "Your cart: 2 items, $64.00" in html
    assert 'href="/c/kai/checkout/"' in html
    # and the header's link, out of band, with the new count
    assert 'id="cart-link" hx-swap-oob="true"' in html
    assert "Cart (2 items)" in html
    # nothing left over for the next page to show
    assert not list(get_messages(response.wsgi_request))


def test_with_htmx_a_refusal_is_said_in_the_status_region(
    client: Client, honey: Variant
) -> None:
    # when
    response = _post(client, honey, 4, HX_Request="true")
    # then: 200, as htmx swaps only successful answers; the cart link unchanged
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only 3 of Mānuka honey (500 g) left." in html
    assert 'class="add-to-cart__errors"' in html
    assert "cart-link" not in html
    assert not CartLine.objects.exists()
    assert not list(get_messages(response.wsgi_request))


def test_with_htmx_a_sold_out_option_is_refused(client: Client, honey: Variant) -> None:
    # given
    Variant.objects.filter(pk=honey.pk).update(stock=0)
    # when
    html = _post(client, honey, 1, HX_Request="true").content.decode()
    # then
    assert "Sorry, Mānuka honey (500 g) is sold out." in html
    assert not CartLine.objects.exists()
