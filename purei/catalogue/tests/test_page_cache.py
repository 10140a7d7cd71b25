"""Whole storefront pages kept for anonymous shoppers (issue 18,
``purei/catalogue/page_cache.py``): kept and served without the view's queries,
with each visitor's own CSRF token and cart link, never for someone logged in,
and never showing stock older than 5 seconds — a sale shows at once."""

from __future__ import annotations

import datetime
import json
import re
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from purei.accounts.tests.factories import UserFactory
from purei.catalogue import page_cache
from purei.catalogue.models import Product, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Zone
from purei.orders.tests.factories import ShippingPolicyFactory, rate_table
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

ADDRESS = {
    "country": "NZ",
    "line1": "12 Queen Street",
    "town": "Auckland",
    "postcode": "1021",
    "region": "NZ-AUK",
}
CARD = {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def shop(settings: Any) -> dict[str, Any]:
    """A cluster selling one jar of honey, the last one in stock, with the page
    cache on (the test settings turn it off) and empty."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    cache.clear()
    cluster = ClusterFactory.create(slug="fair")
    rate_table(
        ShippingPolicyFactory.create(member=None, cluster=cluster),
        [(Zone.NORTH_ISLAND, None, 850)],
    )
    bees = MemberFactory.create(
        slug="bees", trading_name="Bees", gst_registered=True, gst_number="49091850"
    )
    product = public_product(cluster, member=bees, title_en="Mānuka honey")
    variant = Variant.objects.get(product=product)
    Variant.objects.filter(pk=variant.pk).update(
        price_cents=2450, stock=1, weight_grams=400
    )
    return {"cluster": cluster, "member": bees, "product": product, "variant": variant}


def _product_url(cluster: Cluster, product: Product) -> str:
    return f"/c/{cluster.slug}/p/{product.member.slug}/{product.slug}/"


def _token(html: str) -> str:
    found = TOKEN.search(html)
    assert found is not None
    return found[1]


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _buy(client: Client, variant: Variant, member_id: int) -> Any:
    def post(path: str, body: dict[str, Any]) -> Any:
        return client.post(
            f"/api/v1/clusters/fair{path}",
            json.dumps(body),
            content_type="application/json",
        )

    assert post("/cart/lines", {"variant": variant.pk}).status_code == 201
    return post(
        "/checkout",
        {
            "email": "aroha@example.nz",
            "name": "Aroha",
            "payment_method": "test",
            "idempotency_key": uuid.uuid4().hex,
            "address": ADDRESS,
            "choices": {str(member_id): {"method": "delivery"}},
            "payment": CARD,
        },
    )


def test_a_kept_page_is_served_without_the_views_queries(
    shop: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # given: the page rendered once
    url = _product_url(shop["cluster"], shop["product"])
    first = _page(Client(), url)
    # when: another visitor reads it
    with django_assert_max_num_queries(1):  # the catalogue version
        again = _page(Client(), url)
    # then: the same page, but for the visitor's own CSRF token
    token = TOKEN.search(again)
    assert token is not None
    assert again.replace(token[1], "T") == first.replace(_token(first), "T")
    assert "Mānuka honey" in again
    assert page_cache.CSRF_MARK not in again
    assert "purei-hole" not in again


def test_each_visitor_gets_a_csrf_token_that_works(shop: dict[str, Any]) -> None:
    # given: the page kept by a first visitor
    url = _product_url(shop["cluster"], shop["product"])
    _page(Client(), url)
    visitor = Client(enforce_csrf_checks=True)
    # when: a second visitor is served the kept page and posts its form
    html = _page(visitor, url)
    token = TOKEN.search(html)
    assert token is not None
    assert f'"X-CSRFToken": "{token[1]}"' in html
    compared = visitor.post(
        "/compare/add/",
        {
            "product": shop["product"].pk,
            "next": url,
            "csrfmiddlewaretoken": token[1],
        },
    )
    # then: the form's token matches the cookie set with the page
    assert compared.status_code == 302


def test_the_cart_link_is_each_visitors_own(shop: dict[str, Any]) -> None:
    # given: a kept page, and a shopper with two jars in the cart
    url = _product_url(shop["cluster"], shop["product"])
    assert ">Cart</a>" in _page(Client(), url)
    shopper = Client()
    added = shopper.post(
        "/c/fair/cart/add/", {"variant": shop["variant"].pk, "quantity": "1"}
    )
    assert added.status_code == 302
    # when
    theirs = _page(shopper, url)
    someone_elses = _page(Client(), url)
    # then
    assert "Cart (1 item)" in theirs
    assert "Cart (1 item)" not in someone_elses
    assert ">Cart</a>" in someone_elses


def test_selling_the_last_unit_shows_at_once(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given: the page kept while the last jar is in stock
    url = _product_url(shop["cluster"], shop["product"])
    assert "In stock" in _page(Client(), url)
    # when: someone buys it (with what runs after commit: the shop's facts)
    with django_capture_on_commit_callbacks(execute=True):
        placed = _buy(Client(), shop["variant"], shop["member"].pk)
    assert placed.status_code == 201, placed.content
    assert Variant.objects.get(pk=shop["variant"].pk).stock == 0
    # then: the next reader sees it sold out, not the kept page
    html = _page(Client(), url)
    assert "Sold out" in html
    assert "In stock" not in html


def test_stock_changed_behind_pureis_back_shows_within_5_seconds(
    shop: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the page kept, then the stock set by hand (no catalogue version
    # raised: SQL, or a replica that had not caught up when the page was kept)
    url = _product_url(shop["cluster"], shop["product"])
    monkeypatch.setattr(page_cache, "_now", lambda: 1_000.0)
    assert "In stock" in _page(Client(), url)
    Variant.objects.filter(pk=shop["variant"].pk).update(stock=0)
    # when: more than 5 seconds later
    monkeypatch.setattr(
        page_cache, "_now", lambda: 1_000.0 + page_cache.STOCK_FRESH_SECONDS + 0.1
    )
    html = _page(Client(), url)
    # then
    assert "Sold out" in html
    assert "In stock" not in html


def test_unchanged_stock_keeps_the_page_after_its_check(
    shop: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    django_assert_max_num_queries: Any,
) -> None:
    # given: a kept page older than 5 s whose stock is as it was
    url = _product_url(shop["cluster"], shop["product"])
    monkeypatch.setattr(page_cache, "_now", lambda: 1_000.0)
    _page(Client(), url)
    monkeypatch.setattr(page_cache, "_now", lambda: 1_010.0)
    # when / then: the version and the stock read, nothing rendered
    with django_assert_max_num_queries(2):
        assert "In stock" in _page(Client(), url)
    with django_assert_max_num_queries(1):  # checked again: fresh for 5 s
        _page(Client(), url)


def test_nothing_is_kept_for_someone_logged_in(
    shop: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # given: a kept page
    url = _product_url(shop["cluster"], shop["product"])
    _page(Client(), url)
    member = Client()
    member.force_login(UserFactory.create(full_name="Hemi"))
    # when
    html = _page(member, url)
    # then: rendered for them (their menu), and not kept for others
    assert "Log out" in html
    assert "Log out" not in _page(Client(), url)


def test_each_language_and_htmx_request_has_its_own_page(
    shop: dict[str, Any],
) -> None:
    # given
    shop_url = "/c/fair/shop/"
    english = _page(Client(), shop_url)
    # when
    maori = _page(Client(), "/mi" + shop_url)
    partial = Client().get(shop_url, headers={"HX-Request": "true"})
    # then
    assert english != maori
    assert 'lang="mi"' in maori
    assert partial.status_code == 200
    assert "<html" in english
    assert partial.content.decode() != english


def test_a_catalogue_change_is_seen_by_the_next_request(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given: the shop kept with one product
    assert "Mānuka honey" in _page(Client(), "/c/fair/shop/")
    # when: a new product is listed (indexing raises the catalogue version)
    with django_capture_on_commit_callbacks(execute=True):
        public_product(shop["cluster"], member=shop["member"], title_en="Beeswax")
    # then
    assert "Beeswax" in _page(Client(), "/c/fair/shop/")


def test_the_empty_cart_is_kept_only_for_a_first_visit(
    shop: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # given: a first visitor's empty cart kept
    _page(Client(), "/c/fair/cart/")
    with django_assert_max_num_queries(1):
        _page(Client(), "/c/fair/cart/")
    # when: a shopper with a jar in the cart opens it
    shopper = Client()
    shopper.post("/c/fair/cart/add/", {"variant": shop["variant"].pk})
    html = _page(shopper, "/c/fair/cart/")
    # then: their own cart
    assert "Mānuka honey" in html


def test_turned_off_nothing_is_kept(shop: dict[str, Any], settings: Any) -> None:
    # given
    settings.PAGE_CACHE_SECONDS = 0
    url = _product_url(shop["cluster"], shop["product"])
    _page(Client(), url)
    # when
    with CaptureQueriesContext(connection) as queries:
        _page(Client(), url)
    # then: rendered again
    assert len(queries) >= 5


def test_a_sales_window_opening_shows_at_once_on_a_kept_page(
    shop: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the honey sold only in a window that opens in an hour, its page kept
    # while the window is upcoming
    from django.utils import timezone

    from purei.orders.tests.factories import SalesWindowFactory, SalesWindowItemFactory

    opens = timezone.now() + datetime.timedelta(hours=1)
    window = SalesWindowFactory.create(
        cluster=shop["cluster"],
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=1),
    )
    SalesWindowItemFactory.create(
        window=window, product=shop["product"], window_only=True
    )
    url = _product_url(shop["cluster"], shop["product"])
    before = Client().get(url)
    assert 'class="sales-window__opens"' in before.content.decode()
    assert 'class="add-to-cart"' not in before.content.decode()
    assert Client().get(url)["X-Page-Cache"] == "hit"
    # when: the clock passes the opening (nothing written: no version raised)
    later = opens + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(page_cache, "_now", later.timestamp)
    after = Client().get(url)
    # then: rendered anew, open for orders; and kept again until it closes
    html = after.content.decode()
    assert after["X-Page-Cache"] == "miss"
    assert 'class="add-to-cart"' in html
    assert 'class="sales-window__opens"' not in html
    assert Client().get(url)["X-Page-Cache"] == "hit"


def test_a_page_with_no_window_is_kept_whatever_the_clock(
    shop: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _product_url(shop["cluster"], shop["product"])
    monkeypatch.setattr(page_cache, "_now", lambda: 1_000.0)
    Client().get(url)
    monkeypatch.setattr(page_cache, "_now", lambda: 1_000.0 + 3)
    assert Client().get(url)["X-Page-Cache"] == "hit"


def _review(shop: dict[str, Any]) -> Any:
    from purei.marketing.tests.review_factories import review_of

    return review_of(shop["product"], shop["cluster"], UserFactory.create())


def _policy(shop: dict[str, Any]) -> Any:
    return ShippingPolicyFactory.create(member=shop["member"], cluster=None)


def _pickup(shop: dict[str, Any]) -> Any:
    from purei.orders.tests.factories import PickupEventFactory

    return PickupEventFactory.create(cluster=shop["cluster"])


def _window(shop: dict[str, Any]) -> Any:
    from purei.orders.tests.factories import SalesWindowFactory

    return SalesWindowFactory.create(cluster=shop["cluster"])


def _promotion(shop: dict[str, Any]) -> Any:
    from purei.promotions.tests.factories import PromotionFactory

    return PromotionFactory.create(cluster=shop["cluster"])


@pytest.mark.parametrize("make", [_review, _policy, _pickup, _window, _promotion])
def test_what_a_product_page_shows_is_seen_by_the_next_request_once_changed(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any, make: Any
) -> None:
    # given: a review, delivery settings, a pickup, a window or a promotion, which
    # the product page shows (none of them a catalogue row)
    from purei.search.cache import catalogue_version

    with django_capture_on_commit_callbacks(execute=True):
        row = make(shop)
    version = catalogue_version()
    # when: it is changed, then deleted, however written (here: the ORM)
    with django_capture_on_commit_callbacks(execute=True):
        row.save()
    changed = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        row.delete()
    # then: each raised the version kept pages are keyed by
    assert version < changed < catalogue_version()


def test_a_sale_in_a_window_does_not_count_as_a_change(shop: dict[str, Any]) -> None:
    # given
    from purei.orders.models import SalesWindowItem
    from purei.orders.tests.factories import SalesWindowItemFactory
    from purei.search.cache import catalogue_version

    item = SalesWindowItemFactory.create(product=shop["product"])
    version = catalogue_version()
    # when: sold as checkout sells (one conditional UPDATE)
    SalesWindowItem.objects.filter(pk=item.pk).update(sold=1)
    # then
    assert catalogue_version() == version
