"""Consent to share customers (Privacy Act IPP 3A): a shopper who ticks the box
at checkout is recorded with the wording and time; only then do the other makers
of that order see the customer's contact."""

from __future__ import annotations

import uuid

import pytest

from purei.catalogue.models import Variant
from purei.cooperation.selectors import shared_customers, together_access
from purei.core.actor import Actor
from purei.ledger.tests.factories import money_cluster, money_member, place_order
from purei.members.models import Member
from purei.members.tests.factories import MemberRoleFactory
from purei.orders.models import (
    SHARE_CONTACT_WORDING,
    Order,
    ShippingPolicy,
    ShippingRate,
    Zone,
)
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import Address, CheckoutDetails, order_place
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def owner_of(member: Member) -> Actor:
    return Actor(user=MemberRoleFactory.create(member=member).user)


@pytest.mark.parametrize("agreed", [True, False])
def test_checkout_records_the_consent_with_its_wording_and_time(agreed: bool) -> None:
    # given
    cluster = money_cluster()
    member = money_member(cluster)
    variant = Variant.objects.get(product=public_product(cluster, member=member))
    Variant.objects.filter(pk=variant.pk).update(stock=5)
    policy = ShippingPolicy.objects.create(cluster=cluster)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=None, price_cents=850
    )
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    cart_add(cart=cart, variant_id=variant.pk, quantity=1)
    # when
    order = order_place(
        cart=cart,
        details=CheckoutDetails(
            email="shopper@example.nz",
            name="Shopper",
            payment_method="bank_transfer",
            idempotency_key=uuid.uuid4().hex,
            address=Address(
                line1="1 Queen St", town="Auckland", postcode="1010", region="NZ-AUK"
            ),
            share_contact=agreed,
        ),
    )
    # then
    order.refresh_from_db()
    assert order.share_contact_consent is agreed
    assert order.share_contact_wording == (str(SHARE_CONTACT_WORDING) if agreed else "")
    assert (order.share_contact_at is not None) is agreed


def test_only_consenting_customers_of_shared_orders_are_seen() -> None:
    # given: orders of the olive grove with the potter (one consented, one not)
    # and of the potter alone (consented)
    cluster = money_cluster()
    olive, potter = money_member(cluster), money_member(cluster)
    shared_yes = place_order(cluster, [(olive, [(1000, 1)]), (potter, [(2000, 1)])])
    shared_no = place_order(cluster, [(olive, [(1000, 1)]), (potter, [(2000, 1)])])
    alone = place_order(cluster, [(potter, [(2000, 1)])])
    Order.objects.filter(pk__in=[shared_yes.pk, alone.pk]).update(
        share_contact_consent=True,
        share_contact_wording="The other makers may contact me.",
        share_contact_at=shared_yes.created_at,
    )
    Order.objects.filter(pk=shared_no.pk).update(email="no@example.nz")
    # when
    owner = owner_of(olive)
    seen = shared_customers(
        access=together_access(actor=owner, slug=cluster.slug), member=olive
    )
    # then
    assert [c.order_number for c in seen] == [shared_yes.number]
    assert seen[0].makers == (potter.name,)
    assert seen[0].wording == "The other makers may contact me."
    # and the potter's own single-maker order is not "shared" with anyone
    potter_owner = owner_of(potter)
    seen_by_potter = shared_customers(
        access=together_access(actor=potter_owner, slug=cluster.slug), member=potter
    )
    assert [c.order_number for c in seen_by_potter] == [shared_yes.number]
