"""Freight on quote (docs/orders.md): checkout requests a quote instead of
refusing the address, a cluster admin answers, the shopper pays (booked and
invoiced as the part's shipping) or declines, and an unanswered request lapses."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.ledger.models import InvoiceLine
from purei.members.models import Member
from purei.orders.errors import OrderErrorCode
from purei.orders.models import (
    FreightQuote,
    Fulfilment,
    Order,
    ShippingPolicy,
    Zone,
)
from purei.orders.services.cart import cart_add, cart_get_or_create, cart_summary
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    Choice,
    checkout_quote,
    order_place,
    order_release_expired,
)
from purei.orders.services.freight import (
    FreightAnswer,
    FreightQuoteClosed,
    freight_quote_answer,
    freight_quote_decline,
    freight_quotes_expire,
)
from purei.orders.tests.factories import ShippingPolicyFactory, rate_table
from purei.payments.gateways import CardDetails
from purei.payments.models import Payment
from purei.search.tests.factories import public_product
from purei.settlement.services import payment_start

pytestmark = pytest.mark.django_db

HAMILTON = Address(
    country="NZ",
    line1="1 Victoria Street",
    town="Hamilton",
    postcode="3204",
    region="NZ-WKO",
)
SYDNEY = Address(
    country="AU", line1="1 George Street", town="Sydney", postcode="2000", state="NSW"
)
GOOD_CARD = CardDetails(card_number="4242 4242 4242 4242", expiry="12/40", cvc="123")


@pytest.fixture(autouse=True)
def _payments(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def registered_member(member_a: Member) -> Member:
    member_a.gst_registered = True
    member_a.gst_number = "49091850"
    member_a.save()
    return member_a


def _variant(
    cluster: Cluster,
    member: Member,
    *,
    title: str,
    price: int,
    grams: int,
    freight: bool,
    stock: int = 5,
) -> Variant:
    variant = Variant.objects.get(
        product=public_product(cluster, member=member, title_en=title)
    )
    variant.price_cents = price
    variant.weight_grams = grams
    variant.stock = stock
    variant.freight_on_quote = freight
    variant.save()
    return variant


def _rates(member: Member) -> None:
    policy = ShippingPolicyFactory.create(member=member, cluster=None)
    rate_table(policy, [(Zone.NORTH_ISLAND, 25_000, 1500)])


def _beam(cluster: Cluster, member: Member) -> Variant:
    return _variant(
        cluster,
        member,
        title="310UB40 beam, 6 m",
        price=98_000,
        grams=242_000,
        freight=True,
    )


def _cart(cluster: Cluster, variant: Variant, quantity: int = 1) -> Any:
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    return cart


def _details(member: Member, method: str = "freight_quote", **more: Any) -> Any:
    return CheckoutDetails(
        email="rangi@example.nz",
        name="Rangi Builder",
        payment_method="test",
        idempotency_key=uuid.uuid4().hex,
        address=more.pop("address", HAMILTON),
        choices={member.pk: Choice(method)},  # type: ignore[arg-type]
        **more,
    )


def _requested(cluster: Cluster, member: Member) -> tuple[Order, Variant]:
    beam = _beam(cluster, member)
    _rates(member)
    order = order_place(cart=_cart(cluster, beam), details=_details(member))
    return order, beam


# --- Checkout offers a freight quote --------------------------------------------------


def test_freight_goods_offer_a_freight_quote_instead_of_delivery(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given: a beam marked freight on quote, and courier rates up to 25 kg
    beam = _beam(cluster_x, member_a)
    _rates(member_a)
    summary = cart_summary(_cart(cluster_x, beam))
    # when
    quote = checkout_quote(cluster=cluster_x, summary=summary, address=HAMILTON)
    # then: the only way is the freight quote, chosen for the shopper, no charge
    (part,) = quote.parts
    assert [way.method for way in part.options] == ["freight_quote"]
    assert part.choice == Choice("freight_quote")
    assert (part.freight, part.problem, part.shipping_cents) == ("goods", "", 0)
    assert quote.freight_quote_requested is True


def test_with_pickup_offered_too_the_shopper_chooses(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given: the member also hands over at its yard
    beam = _beam(cluster_x, member_a)
    _rates(member_a)
    ShippingPolicy.objects.filter(member=member_a).update(pickup_at_premises=True)
    summary = cart_summary(_cart(cluster_x, beam))
    # when
    quote = checkout_quote(cluster=cluster_x, summary=summary, address=HAMILTON)
    # then: nothing is chosen for the shopper
    (part,) = quote.parts
    assert [way.method for way in part.options] == ["freight_quote", "pickup_premises"]
    assert part.choice is None
    assert quote.freight_quote_requested is False


def test_a_part_too_heavy_for_every_rate_may_ask_for_a_quote(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given: 40 kg of ordinary goods, rates to 25 kg only
    sacks = _variant(
        cluster_x, member_a, title="Cement", price=2000, grams=40_000, freight=False
    )
    _rates(member_a)
    summary = cart_summary(_cart(cluster_x, sacks))
    # when
    priced = checkout_quote(
        cluster=cluster_x,
        summary=summary,
        address=HAMILTON,
        choices={member_a.pk: Choice("delivery")},
    )
    quoted = checkout_quote(
        cluster=cluster_x,
        summary=summary,
        address=HAMILTON,
        choices={member_a.pk: Choice("freight_quote")},
    )
    # then: delivery is refused, pointing to the freight quote, which is fine
    assert "Request a freight quote" in priced.parts[0].problem
    assert (quoted.parts[0].freight, quoted.parts[0].problem) == ("weight", "")


def test_light_goods_are_priced_by_the_rates_not_quoted(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given
    bolts = _variant(
        cluster_x, member_a, title="Bolts", price=1200, grams=2000, freight=False
    )
    _rates(member_a)
    summary = cart_summary(_cart(cluster_x, bolts))
    # when
    quote = checkout_quote(
        cluster=cluster_x,
        summary=summary,
        address=HAMILTON,
        choices={member_a.pk: Choice("freight_quote")},
    )
    # then
    assert quote.parts[0].problem
    assert [way.method for way in quote.parts[0].options] == ["delivery"]


def test_freight_is_quoted_within_new_zealand_only(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given
    beam = _beam(cluster_x, member_a)
    _rates(member_a)
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_place(
            cart=_cart(cluster_x, beam), details=_details(member_a, address=SYDNEY)
        )
    # then
    assert f"choice.{member_a.pk}" in refused.value.errors
    assert not Order.objects.exists()


def test_delivery_of_freight_goods_by_the_rates_is_refused(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given
    beam = _beam(cluster_x, member_a)
    _rates(member_a)
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_place(
            cart=_cart(cluster_x, beam), details=_details(member_a, method="delivery")
        )
    # then
    assert "Request a freight quote" in refused.value.errors[f"choice.{member_a.pk}"][0]
    assert not Order.objects.exists()


# --- The request ----------------------------------------------------------------------


def test_requesting_places_the_order_awaiting_a_quote_with_stock_held_3_days(
    cluster_x: Cluster,
    member_a: Member,
    cluster_x_admin_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    before = timezone.now()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        order, beam = _requested(cluster_x, member_a)
    # then: the order holds the beam for 3 days, delivery to be quoted
    beam.refresh_from_db()
    assert beam.stock == 4
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert (order.goods_cents, order.shipping_cents, order.total_cents) == (
        98_000,
        0,
        98_000,
    )
    assert order.zone == Zone.NORTH_ISLAND
    assert order.town == "Hamilton"
    assert order.hold_until is not None
    assert order.hold_until - before >= datetime.timedelta(days=3)
    (request,) = FreightQuote.objects.all()
    assert request.status == FreightQuote.Status.REQUESTED
    assert request.fulfilment.method == Fulfilment.Method.DELIVERY
    assert request.fulfilment.shipping_cents == 0
    assert request.expires_at == order.hold_until
    # and: the shopper is told, the cluster's admins asked
    by_address = {message.to[0]: message for message in mail.outbox}
    placed = by_address["rangi@example.nz"]
    assert "to be quoted" in placed.body
    assert "Please pay by bank transfer" not in placed.body
    asked = by_address[cluster_x_admin_user.email]
    assert order.number in asked.subject
    assert "/manage/clusters/cluster-x/freight-quotes/" in asked.body


def test_an_order_awaiting_its_quote_cannot_be_paid(
    cluster_x: Cluster, member_a: Member
) -> None:
    # given
    order, _ = _requested(cluster_x, member_a)
    # when
    with pytest.raises(ValidationFailed) as refused:
        payment_start(order=order, gateway_name="test", card=GOOD_CARD)
    # then
    assert refused.value.code == OrderErrorCode.FREIGHT_NOT_QUOTED
    assert not Payment.objects.exists()


# --- The answer -----------------------------------------------------------------------


def test_the_admin_answers_and_the_freight_becomes_the_parts_shipping(
    cluster_x: Cluster,
    registered_member: Member,
    cluster_x_admin: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    order, _ = _requested(cluster_x, registered_member)
    request = FreightQuote.objects.get()
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        freight_quote_answer(
            actor=cluster_x_admin,
            quote=request,
            answer=FreightAnswer(
                price="184.00", carrier="Mainfreight", note="Tail-lift"
            ),
        )
    # then: $184 GST-inclusive on the part and the order
    request.refresh_from_db()
    order.refresh_from_db()
    fulfilment = request.fulfilment
    fulfilment.refresh_from_db()
    assert request.status == FreightQuote.Status.QUOTED
    assert (request.price_cents, request.gst_cents) == (18_400, 2400)
    assert (fulfilment.shipping_cents, fulfilment.total_cents) == (18_400, 116_400)
    assert fulfilment.gst_cents == 12_783 + 2400  # goods' GST + freight's
    assert (order.shipping_cents, order.total_cents) == (18_400, 116_400)
    assert order.gst_cents == fulfilment.gst_cents
    entry = AuditEntry.objects.get(verb="freight_quote.answered")
    assert entry.after["price_cents"] == 18_400
    # and: the shopper is emailed the signed link to pay
    (email,) = mail.outbox
    assert email.to == ["rangi@example.nz"]
    assert "$184.00" in email.body
    assert f"/orders/{order.number}/?key=" in email.body


def test_an_unregistered_supplier_charges_no_gst_on_freight(
    cluster_x: Cluster, member_a: Member, cluster_x_admin: Actor
) -> None:
    # given
    order, _ = _requested(cluster_x, member_a)
    # when
    freight_quote_answer(
        actor=cluster_x_admin,
        quote=FreightQuote.objects.get(),
        answer=FreightAnswer(price="184"),
    )
    # then
    order.refresh_from_db()
    assert (order.shipping_cents, order.gst_cents) == (18_400, 0)


@pytest.mark.parametrize(
    "who", ["cluster_y_admin", "member_a_owner", "customer", "platform_staff"]
)
def test_only_the_clusters_admins_answer(
    who: str, cluster_x: Cluster, member_a: Member, request: pytest.FixtureRequest
) -> None:
    # given
    actor: Actor = request.getfixturevalue(who)
    order, _ = _requested(cluster_x, member_a)
    quote = FreightQuote.objects.get()
    # when
    with pytest.raises(NotPermitted):
        freight_quote_answer(actor=actor, quote=quote, answer=FreightAnswer("100"))
    # then: nothing changed
    quote.refresh_from_db()
    order.refresh_from_db()
    assert quote.status == FreightQuote.Status.REQUESTED
    assert order.total_cents == 98_000
    assert not AuditEntry.objects.filter(verb="freight_quote.answered").exists()


@pytest.mark.parametrize("price", ["", "abc", "-5", "1.234", "100001"])
def test_a_bad_price_is_refused(
    price: str, cluster_x: Cluster, member_a: Member, cluster_x_admin: Actor
) -> None:
    # given
    order, _ = _requested(cluster_x, member_a)
    quote = FreightQuote.objects.get()
    # when
    with pytest.raises(ValidationFailed) as refused:
        freight_quote_answer(
            actor=cluster_x_admin, quote=quote, answer=FreightAnswer(price)
        )
    # then
    assert "price" in refused.value.errors
    quote.refresh_from_db()
    order.refresh_from_db()
    assert quote.status == FreightQuote.Status.REQUESTED
    assert order.total_cents == 98_000


def test_a_quote_is_answered_once(
    cluster_x: Cluster, member_a: Member, cluster_x_admin: Actor
) -> None:
    # given
    order, _ = _requested(cluster_x, member_a)
    quote = FreightQuote.objects.get()
    freight_quote_answer(actor=cluster_x_admin, quote=quote, answer=FreightAnswer("90"))
    # when
    with pytest.raises(FreightQuoteClosed):
        freight_quote_answer(
            actor=cluster_x_admin, quote=quote, answer=FreightAnswer("50")
        )
    # then
    order.refresh_from_db()
    assert order.shipping_cents == 9000


# --- Paying, declining, lapsing -------------------------------------------------------


def test_the_shopper_pays_the_total_with_freight_booked_as_shipping(
    cluster_x: Cluster, registered_member: Member, cluster_x_admin: Actor
) -> None:
    # given: quoted at $184
    order, _ = _requested(cluster_x, registered_member)
    quote = FreightQuote.objects.get()
    freight_quote_answer(
        actor=cluster_x_admin, quote=quote, answer=FreightAnswer("184.00")
    )
    order.refresh_from_db()
    # when
    payment, _result = payment_start(order=order, gateway_name="test", card=GOOD_CARD)
    # then: paid in full, the quote closed as paid
    order.refresh_from_db()
    quote.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.amount_cents == 116_400
    assert order.status == Order.Status.PAID
    assert quote.status == FreightQuote.Status.PAID
    # and: the member's tax invoice carries the freight as its shipping line
    shipping = InvoiceLine.objects.get(
        kind=InvoiceLine.Kind.SHIPPING, fulfilment=quote.fulfilment
    )
    assert (shipping.total_cents, shipping.gst_cents) == (18_400, 2400)


def test_the_shopper_declines_and_the_stock_goes_back(
    cluster_x: Cluster, member_a: Member, cluster_x_admin: Actor
) -> None:
    # given
    order, beam = _requested(cluster_x, member_a)
    quote = FreightQuote.objects.get()
    freight_quote_answer(actor=cluster_x_admin, quote=quote, answer=FreightAnswer("90"))
    # when
    freight_quote_decline(order=order)
    # then
    order.refresh_from_db()
    quote.refresh_from_db()
    beam.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert quote.status == FreightQuote.Status.DECLINED
    assert beam.stock == 5
    assert AuditEntry.objects.filter(verb="freight_quote.declined").exists()
    # and: a second decline is refused
    with pytest.raises(FreightQuoteClosed):
        freight_quote_decline(order=order)


def test_an_unanswered_request_lapses_and_releases_the_stock(
    cluster_x: Cluster, member_a: Member, cluster_x_admin: Actor
) -> None:
    # given
    order, beam = _requested(cluster_x, member_a)
    quote = FreightQuote.objects.get()
    # when: a day later nothing lapses; four days later it does
    assert freight_quotes_expire(now=timezone.now() + datetime.timedelta(days=1)) == 0
    order_release_expired(now=timezone.now() + datetime.timedelta(days=4))
    # then
    order.refresh_from_db()
    quote.refresh_from_db()
    beam.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert quote.status == FreightQuote.Status.EXPIRED
    assert beam.stock == 5
    # and: an admin can no longer answer it
    with pytest.raises(FreightQuoteClosed):
        freight_quote_answer(
            actor=cluster_x_admin, quote=quote, answer=FreightAnswer("90")
        )


def test_an_answered_quote_left_unpaid_lapses_too(
    cluster_x: Cluster, member_a: Member, cluster_x_admin: Actor
) -> None:
    # given: answered a day after the request
    order, beam = _requested(cluster_x, member_a)
    quote = FreightQuote.objects.get()
    answered = timezone.now() + datetime.timedelta(days=1)
    freight_quote_answer(
        actor=cluster_x_admin, quote=quote, answer=FreightAnswer("90"), now=answered
    )
    # when: 2 days after the answer it is still held; 4 days after, not
    assert freight_quotes_expire(now=answered + datetime.timedelta(days=2)) == 0
    assert freight_quotes_expire(now=answered + datetime.timedelta(days=4)) == 1
    # then
    order.refresh_from_db()
    quote.refresh_from_db()
    beam.refresh_from_db()
    assert (order.status, quote.status, beam.stock) == (
        Order.Status.CANCELLED,
        FreightQuote.Status.EXPIRED,
        5,
    )
