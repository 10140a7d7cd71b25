"""The product page's stock is live while its static parts are cached (issue 18).

The static parts (photos, text, credentials, related products) are kept by the
catalogue version. A sale does not always raise it: the checkout refreshes a
product's facts (``product_facts_changed``), and the version rises only when the
product's lowest price or its in-stock flag changes, not when one of several
options sells out. So the page reads its options' stock on every request: a
sale shows at once, whether or not the version moved."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Product, Variant
from purei.catalogue.services import stock_set
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory, MemberRoleFactory
from purei.orders.models import Zone
from purei.orders.tests.factories import ShippingPolicyFactory, rate_table
from purei.search.cache import catalogue_version
from purei.search.tests.factories import VariantFactory, public_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(settings: Any) -> Iterator[dict[str, Any]]:
    settings.SEARCH_CACHE_SECONDS = 300
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    cluster = ClusterFactory.create(slug="fair")
    rate_table(
        ShippingPolicyFactory.create(member=None, cluster=cluster),
        [(Zone.NORTH_ISLAND, None, 850)],
    )
    bees = MemberFactory.create(slug="bees", trading_name="Bees")
    product = public_product(cluster, member=bees, slug="honey")
    small = Variant.objects.get(product=product)
    Variant.objects.filter(pk=small.pk).update(name="Small jar", stock=1)
    large = VariantFactory.create(product=product, name="Large jar", stock=5)
    cache.clear()
    yield {"member": bees, "product": product, "small": small, "large": large}
    cache.clear()


def _owner(member: Member) -> Actor:
    user = UserFactory.create()
    MemberRoleFactory.create(member=member, user=user)
    return Actor(user=user)


def _page(client: Client, product: Product) -> str:
    response = client.get(f"/c/fair/p/bees/{product.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, option: str) -> str:
    """The options table's row of ``option``."""
    start = html.index(f'<th scope="row">{option}</th>')
    return html[start : html.index("</tr>", start)]


def _buy(client: Client, variant: Variant, member_id: int) -> None:
    def post(path: str, body: dict[str, Any]) -> Any:
        return client.post(
            f"/api/v1/clusters/fair{path}",
            json.dumps(body),
            content_type="application/json",
        )

    assert post("/cart/lines", {"variant": variant.pk}).status_code == 201
    placed = post(
        "/checkout",
        {
            "email": "aroha@example.nz",
            "name": "Aroha",
            "payment_method": "test",
            "idempotency_key": uuid.uuid4().hex,
            "address": {
                "country": "NZ",
                "line1": "12 Queen Street",
                "town": "Auckland",
                "postcode": "1021",
                "region": "NZ-AUK",
            },
            "choices": {str(member_id): {"method": "delivery"}},
            "payment": {
                "card_number": "4242424242424242",
                "expiry": "12/39",
                "cvc": "123",
            },
        },
    )
    assert placed.status_code == 201, placed.content


def test_selling_an_options_last_unit_shows_at_once_though_the_version_stays(
    client: Client, shop: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given: the page seen, its static parts cached
    before = _page(client, shop["product"])
    assert "In stock" in _row(before, "Small jar")
    version = catalogue_version()
    # when: a shopper buys the small jar's last unit
    with django_capture_on_commit_callbacks(execute=True):
        _buy(Client(), shop["small"], shop["member"].pk)
    # then: the product is still in stock (the large jar), so the version stays;
    # the page shows the small jar sold out all the same
    assert Variant.objects.get(pk=shop["small"].pk).stock == 0
    assert catalogue_version() == version
    after = _page(client, shop["product"])
    assert "Sold out" in _row(after, "Small jar")
    assert "In stock" in _row(after, "Large jar")
    # only the large jar is offered to the cart
    assert f'name="variant" value="{shop["large"].pk}"' in after


def test_selling_the_products_last_unit_raises_the_version(
    client: Client, shop: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given: only the small jar left, one unit
    Variant.objects.filter(pk=shop["large"].pk).update(stock=0)
    _page(client, shop["product"])
    version = catalogue_version()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _buy(Client(), shop["small"], shop["member"].pk)
    # then: the product is sold out: the shop's facts change, the version rises
    assert catalogue_version() > version
    assert "Sold out for now." in _page(client, shop["product"])


def test_a_members_stock_edit_raises_the_version_and_shows_at_once(
    client: Client, shop: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given
    assert "In stock" in _row(_page(client, shop["product"]), "Large jar")
    version = catalogue_version()
    # when: the maker sets the large jar's stock to nothing
    with django_capture_on_commit_callbacks(execute=True):
        stock_set(actor=_owner(shop["member"]), variant=shop["large"], stock=0)
    # then: the product is reindexed (the version rises) and the page shows it
    assert catalogue_version() > version
    assert "Sold out" in _row(_page(client, shop["product"]), "Large jar")
