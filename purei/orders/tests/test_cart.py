"""The cart: one per cluster storefront, for guests and accounts, checked against
stock and what is for sale."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Listing, Product, Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.core.errors import ValidationFailed
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Cart
from purei.orders.services.cart import (
    MAX_LINE_QUANTITY,
    cart_add,
    cart_find,
    cart_get_or_create,
    cart_merge,
    cart_remove,
    cart_set_quantity,
    cart_summary,
)
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster() -> Any:
    return ClusterFactory.create(slug="te-hiku")


def _variant(cluster: Any, *, stock: int = 5, **fields: Any) -> Variant:
    variant = Variant.objects.get(product=public_product(cluster, **fields))
    Variant.objects.filter(pk=variant.pk).update(stock=stock, price_cents=1200)
    variant.refresh_from_db()
    return variant


def _guest_cart(cluster: Any, session: str | None = None) -> Cart:
    return cart_get_or_create(
        cluster=cluster, user=None, session_key=session or uuid.uuid4().hex
    )


def test_adding_the_same_item_again_adds_to_its_line(cluster: Any) -> None:
    # given
    cart = _guest_cart(cluster)
    oysters = _variant(cluster, title_en="Oysters")
    # when
    cart_add(cart=cart, variant_id=oysters.pk, quantity=2)
    line = cart_add(cart=cart, variant_id=oysters.pk, quantity="1")
    # then
    assert line.quantity == 3
    assert cart.lines.count() == 1


def test_more_than_the_stock_is_refused_with_what_is_left(cluster: Any) -> None:
    cart = _guest_cart(cluster)
    oysters = _variant(cluster, stock=2, title_en="Oysters")
    with pytest.raises(ValidationFailed) as refused:
        cart_add(cart=cart, variant_id=oysters.pk, quantity=3)
    assert refused.value.code == "sold_out"
    assert "Only 2 of Oysters" in refused.value.message


def test_made_to_order_items_have_no_stock_limit(cluster: Any) -> None:
    cart = _guest_cart(cluster)
    kete = _variant(cluster, stock=0, title_en="Kete")
    Variant.objects.filter(pk=kete.pk).update(
        stock_policy=Variant.StockPolicy.MADE_TO_ORDER, lead_time_days=14
    )
    assert cart_add(cart=cart, variant_id=kete.pk, quantity=4).quantity == 4


@pytest.mark.parametrize("quantity", [0, -1, MAX_LINE_QUANTITY + 1, "two", ""])
def test_bad_quantities_are_refused(cluster: Any, quantity: object) -> None:
    cart = _guest_cart(cluster)
    oysters = _variant(cluster, stock=500)
    with pytest.raises(ValidationFailed) as refused:
        cart_add(cart=cart, variant_id=oysters.pk, quantity=quantity)
    assert refused.value.field == "quantity"


def test_only_what_is_for_sale_in_this_cluster_can_be_added(cluster: Any) -> None:
    # given
    cart = _guest_cart(cluster)
    elsewhere = _variant(ClusterFactory.create(), title_en="Elsewhere")
    draft = _variant(cluster, title_en="Draft")
    Product.objects.filter(pk=draft.product_id).update(status=Product.Status.DRAFT)
    # then
    for variant_id in (elsewhere.pk, draft.pk, 999_999, "x"):
        with pytest.raises(ValidationFailed) as refused:
            cart_add(cart=cart, variant_id=variant_id)
        assert refused.value.code == "not_for_sale"


def test_quantities_change_and_zero_removes(cluster: Any) -> None:
    cart = _guest_cart(cluster)
    line = cart_add(cart=cart, variant_id=_variant(cluster).pk, quantity=1)
    assert cart_set_quantity(cart=cart, line_id=line.pk, quantity=4) is not None
    with pytest.raises(ValidationFailed):
        cart_set_quantity(cart=cart, line_id=line.pk, quantity=6)
    cart_remove(cart=cart, line_id=line.pk)
    assert not cart.lines.exists()


def test_another_carts_line_cannot_be_changed(cluster: Any) -> None:
    mine = _guest_cart(cluster)
    theirs = _guest_cart(cluster)
    line = cart_add(cart=theirs, variant_id=_variant(cluster).pk, quantity=1)
    assert cart_set_quantity(cart=mine, line_id=line.pk, quantity=0) is None
    assert theirs.lines.count() == 1


def test_a_guests_cart_merges_into_the_account_on_login(cluster: Any) -> None:
    # given
    user = UserFactory.create()
    honey = _variant(cluster, stock=50, title_en="Honey")
    soap = _variant(cluster, stock=50, title_en="Soap")
    account = cart_get_or_create(cluster=cluster, user=user, session_key=None)
    cart_add(cart=account, variant_id=honey.pk, quantity=2)
    guest = _guest_cart(cluster, session="guest-session")
    cart_add(cart=guest, variant_id=honey.pk, quantity=3)
    cart_add(cart=guest, variant_id=soap.pk, quantity=1)
    other_cluster = ClusterFactory.create()
    other = _guest_cart(other_cluster, session="guest-session")
    cart_add(
        cart=other, variant_id=_variant(other_cluster, title_en="Pāua").pk, quantity=1
    )
    # when
    cart_merge(user=user, session_key="guest-session")
    # then
    assert not Cart.objects.filter(session_key="guest-session").exists()
    lines = {
        line.variant_id: line.quantity
        for line in cart_find(cluster=cluster, user=user, session_key=None).lines.all()  # type: ignore[union-attr]
    }
    assert lines == {honey.pk: 5, soap.pk: 1}
    moved = cart_find(cluster=other_cluster, user=user, session_key=None)
    assert moved is not None
    assert moved.lines.count() == 1


def test_the_summary_groups_by_member_and_says_what_no_longer_fits(
    cluster: Any,
) -> None:
    # given
    cart = _guest_cart(cluster)
    bees = MemberFactory.create(trading_name="Bees", gst_registered=True)
    honey = _variant(cluster, member=bees, stock=5, title_en="Honey")
    comb = _variant(cluster, member=bees, stock=5, title_en="Comb")
    pots = _variant(cluster, stock=5, title_en="Pot")
    cart_add(cart=cart, variant_id=honey.pk, quantity=3)
    cart_add(cart=cart, variant_id=comb.pk, quantity=1)
    cart_add(cart=cart, variant_id=pots.pk, quantity=2)
    Variant.objects.filter(pk=honey.pk).update(stock=1)
    Listing.objects.filter(product_id=comb.product_id).update(
        status=Listing.Status.WITHDRAWN
    )
    # when
    summary = cart_summary(cart)
    # then
    assert summary.count == 6
    assert summary.goods_cents == 6 * 1200
    groups = {group.member_name: group for group in summary.groups}
    assert [item.title for item in groups["Bees"].items] == ["Honey", "Comb"]
    assert groups["Bees"].gst_registered
    problems = summary.problems
    assert any("Only 1 of Honey" in problem for problem in problems)
    assert any(
        "Comb" in problem and "no longer for sale" in problem for problem in problems
    )


@pytest.mark.parametrize("lines", [2, 12])
def test_the_summary_costs_two_queries_whatever_its_size(
    cluster: Any, lines: int
) -> None:
    cart = _guest_cart(cluster)
    for _ in range(lines):
        cart_add(cart=cart, variant_id=_variant(cluster).pk, quantity=1)
    with CaptureQueriesContext(connection) as captured:
        summary = cart_summary(cart)
    assert summary.count == lines
    assert len(captured.captured_queries) == 2
