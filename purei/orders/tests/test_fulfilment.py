"""Fulfilment services: the moves a member's team makes, cancelling lines or a
whole part before it leaves (stock back, totals and GST again, the money back
through the gateway that took it), and a cluster admin's goodwill refunds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import Fulfilment, Order, OrderLine, ShippingPolicy
from purei.orders.money import gst_in
from purei.orders.services.fulfilment import (
    FulfilmentMoveRefused,
    fulfilment_advance,
)
from purei.orders.tests.factories import (
    PickupEventFactory,
    order_with_parts,
    variant_of,
)
from purei.payments.models import Payment, Refund
from purei.settlement.services import (
    fulfilment_cancel,
    order_lines_cancel,
    order_refund,
)

pytestmark = pytest.mark.django_db

S = Fulfilment.Status


# --- The cast of this module --------------------------------------------------------


@pytest.fixture
def gst_member_a(member_a: Member) -> Member:
    member_a.gst_registered = True
    member_a.gst_number = "49091850"
    member_a.save()
    return member_a


@pytest.fixture
def member_b(cluster_x: Cluster) -> Member:
    member = MemberFactory.create(slug="member-b", trading_name="Member B Cheese")
    MembershipFactory.create(
        member=member, cluster=cluster_x, status=Membership.Status.APPROVED
    )
    return member


@pytest.fixture
def member_b_owner(member_b: Member) -> Actor:
    user = UserFactory.create(email="owner@member-b.nz")
    MemberRole.objects.create(user=user, member=member_b, role=MemberRole.Role.OWNER)
    return Actor(user=user)


@pytest.fixture
def wine(gst_member_a: Member) -> Variant:
    """Tracked stock: 10 before the order."""
    return variant_of(gst_member_a, sku="PINOT-750", price_cents=2999, stock=10)


@pytest.fixture
def glasses(gst_member_a: Member) -> Variant:
    """Made to order: no stock counted."""
    return variant_of(
        gst_member_a,
        sku="GLASS-2",
        price_cents=1250,
        stock=0,
        stock_policy=Variant.StockPolicy.MADE_TO_ORDER,
    )


@pytest.fixture
def cheese(member_b: Member) -> Variant:
    return variant_of(member_b, sku="BRIE-200", price_cents=1800, stock=5)


@pytest.fixture
def order(
    cluster_x: Cluster, gst_member_a: Member, member_b: Member, wine, glasses, cheese
) -> Order:
    """Paid by test card: A's 3 wines and 2 glasses + $5 shipping; B's 1 cheese
    + $5 shipping."""
    return order_with_parts(
        cluster_x,
        [(gst_member_a, [(wine, 3), (glasses, 2)]), (member_b, [(cheese, 1)])],
    )


def part(order: Order, member: Member) -> Fulfilment:
    return Fulfilment.objects.get(order=order, member=member)


def line(order: Order, sku: str) -> OrderLine:
    return OrderLine.objects.get(order=order, sku=sku)


def pickup_order(
    cluster: Cluster, member: Member, variant: Variant, **kw: Any
) -> Order:
    event = PickupEventFactory.create(
        cluster=cluster,
        name_en="Martinborough Fair",
        venue="Martinborough Square",
        collection_point="Pūrei tent by the rotunda",
        starts_at=dt.datetime(2030, 2, 1, 20, 0, tzinfo=dt.UTC),
    )
    return order_with_parts(
        cluster,
        [(member, [(variant, 1)])],
        method="pickup_event",
        pickup_event=event,
        **kw,
    )


# --- Moving along -------------------------------------------------------------------


def test_the_team_packs_ships_and_marks_delivered(
    order: Order,
    gst_member_a: Member,
    member_a_owner: Actor,
    member_a_staff: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    fulfilment = part(order, gst_member_a)
    # when
    fulfilment_advance(actor=member_a_staff, fulfilment=fulfilment, to=S.PACKED)
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment_advance(
            actor=member_a_owner,
            fulfilment=fulfilment,
            to=S.SHIPPED,
            carrier=" NZ Post ",
            tracking_number="LX123456789NZ",
        )
    fulfilment_advance(actor=member_a_staff, fulfilment=fulfilment, to=S.DELIVERED)
    # then
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.DELIVERED
    assert fulfilment.carrier == "NZ Post"
    assert fulfilment.tracking_number == "LX123456789NZ"
    assert fulfilment.packed_at
    assert fulfilment.dispatched_at
    assert fulfilment.completed_at
    assert list(AuditEntry.objects.order_by("pk").values_list("verb", flat=True)) == [
        "fulfilment.packed",
        "fulfilment.shipped",
        "fulfilment.delivered",
    ]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["customer@example.nz"]
    assert order.number in email.subject
    assert "NZ Post" in email.body
    assert "LX123456789NZ" in email.body


def test_shipping_straight_from_new_without_tracking_is_allowed(
    order: Order, gst_member_a: Member, member_a_owner: Actor
) -> None:
    fulfilment = fulfilment_advance(
        actor=member_a_owner,
        fulfilment=part(order, gst_member_a),
        to=S.SHIPPED,
        carrier="Aramex",
    )
    assert fulfilment.status == S.SHIPPED
    assert fulfilment.tracking_number == ""


def test_a_pickup_is_ready_then_collected_and_the_customer_gets_the_code(
    cluster_x: Cluster,
    gst_member_a: Member,
    wine: Variant,
    member_a_owner: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    order = pickup_order(cluster_x, gst_member_a, wine)
    fulfilment = part(order, gst_member_a)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment_advance(actor=member_a_owner, fulfilment=fulfilment, to=S.READY)
    fulfilment_advance(actor=member_a_owner, fulfilment=fulfilment, to=S.COLLECTED)
    # then
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.COLLECTED
    body = mail.outbox[0].body
    assert "K7M2QX" in body
    assert "Martinborough Fair" in body
    assert "Pūrei tent by the rotunda" in body
    assert "Saturday 2 February, 9 am" in body


@pytest.mark.parametrize(
    ("method", "start", "to"),
    [
        ("delivery", S.NEW, S.READY),
        ("delivery", S.NEW, S.DELIVERED),
        ("delivery", S.PACKED, S.COLLECTED),
        ("delivery", S.SHIPPED, S.PACKED),
        ("delivery", S.DELIVERED, S.SHIPPED),
        ("delivery", S.CANCELLED, S.PACKED),
        ("delivery", S.NEW, "lost"),
        ("pickup_premises", S.NEW, S.SHIPPED),
        ("pickup_premises", S.PACKED, S.DELIVERED),
        ("pickup_premises", S.READY, S.PACKED),
        ("pickup_premises", S.COLLECTED, S.READY),
    ],
)
def test_refuses_a_move_the_rules_do_not_allow(
    cluster_x: Cluster,
    gst_member_a: Member,
    wine: Variant,
    member_a_owner: Actor,
    method: str,
    start: str,
    to: str,
) -> None:
    # given
    order = order_with_parts(cluster_x, [(gst_member_a, [(wine, 1)])], method=method)
    Fulfilment.objects.filter(order=order).update(status=start)
    fulfilment = part(order, gst_member_a)
    # when
    with pytest.raises(FulfilmentMoveRefused) as refused:
        fulfilment_advance(
            actor=member_a_owner, fulfilment=fulfilment, to=to, carrier="NZ Post"
        )
    # then
    assert refused.value.code == "invalid_transition"
    fulfilment.refresh_from_db()
    assert fulfilment.status == start
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("paid_with", [None, "bank_transfer"])
def test_an_unpaid_order_cannot_be_packed_or_shipped(
    cluster_x: Cluster,
    gst_member_a: Member,
    wine: Variant,
    member_a_owner: Actor,
    paid_with: str | None,
) -> None:
    # given
    order = order_with_parts(
        cluster_x, [(gst_member_a, [(wine, 1)])], paid_with=paid_with
    )
    fulfilment = part(order, gst_member_a)
    for to in (S.PACKED, S.SHIPPED):
        # when
        with pytest.raises(FulfilmentMoveRefused) as refused:
            fulfilment_advance(
                actor=member_a_owner, fulfilment=fulfilment, to=to, carrier="NZ Post"
            )
        # then
        assert refused.value.code == "order_not_paid"
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.NEW
    assert not mail.outbox


def test_shipping_needs_the_carrier(
    order: Order, gst_member_a: Member, member_a_owner: Actor
) -> None:
    fulfilment = part(order, gst_member_a)
    with pytest.raises(ValidationFailed) as refused:
        fulfilment_advance(
            actor=member_a_owner, fulfilment=fulfilment, to=S.SHIPPED, carrier="  "
        )
    assert set(refused.value.errors) == {"carrier"}
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.NEW


@pytest.mark.parametrize(
    "who",
    [
        "member_b_owner",
        "cluster_x_admin",
        "cluster_y_admin",
        "customer",
        "anonymous",
        "platform_staff",
    ],
)
def test_only_the_members_team_moves_its_part(
    order: Order, gst_member_a: Member, who: str, request: pytest.FixtureRequest
) -> None:
    # given
    actor: Actor = request.getfixturevalue(who)
    fulfilment = part(order, gst_member_a)
    # when
    with pytest.raises(NotPermitted):
        fulfilment_advance(actor=actor, fulfilment=fulfilment, to=S.PACKED)
    # then
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.NEW
    assert not AuditEntry.objects.exists()


# --- Cancelling lines --------------------------------------------------------------


def test_cancelling_lines_puts_tracked_stock_back_retotals_and_refunds_exactly(
    order: Order,
    gst_member_a: Member,
    member_b: Member,
    wine: Variant,
    glasses: Variant,
    member_a_staff: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given: 10 wines, 3 sold; glasses made to order
    fulfilment = part(order, gst_member_a)
    wine_line, glass_line = line(order, "PINOT-750"), line(order, "GLASS-2")
    assert Variant.objects.get(pk=wine.pk).stock == 7
    paid_total = order.total_cents
    # when: one wine and one glass pair go
    with django_capture_on_commit_callbacks(execute=True):
        outcome = order_lines_cancel(
            actor=member_a_staff,
            fulfilment=fulfilment,
            quantities={wine_line.pk: 1, glass_line.pk: 1},
            reason="One bottle corked; a glass broke in the shop",
        )
    # then: stock back for the tracked wine only
    assert Variant.objects.get(pk=wine.pk).stock == 8
    assert Variant.objects.get(pk=glasses.pk).stock == 0
    # the lines, the part and the order add up again, GST per line
    wine_line.refresh_from_db()
    glass_line.refresh_from_db()
    assert (wine_line.cancelled_quantity, wine_line.total_cents) == (1, 2 * 2999)
    assert wine_line.gst_cents == gst_in(2 * 2999)
    assert (glass_line.cancelled_quantity, glass_line.total_cents) == (1, 1250)
    assert glass_line.gst_cents == gst_in(1250)
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.NEW
    assert fulfilment.goods_cents == 2 * 2999 + 1250
    assert fulfilment.shipping_cents == 500
    assert fulfilment.total_cents == 2 * 2999 + 1250 + 500
    assert fulfilment.gst_cents == gst_in(5998) + gst_in(1250) + gst_in(500)
    order.refresh_from_db()
    cheese_part = part(order, member_b)
    assert order.goods_cents == fulfilment.goods_cents + cheese_part.goods_cents
    assert order.shipping_cents == 1000
    assert order.gst_cents == fulfilment.gst_cents + cheese_part.gst_cents
    assert order.total_cents == paid_total - 2999 - 1250
    assert order.status == Order.Status.PAID
    assert order.payment_state == Order.PaymentState.PARTLY_REFUNDED
    # exactly the cancelled amount went back through the test gateway
    assert outcome.cancelled_cents == 2999 + 1250
    refund = Refund.objects.get()
    assert outcome.refund == refund
    assert refund.amount_cents == 2999 + 1250
    assert refund.fulfilment_id == fulfilment.pk
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.reference.startswith("test_re_")
    assert Payment.objects.get(order=order).refunded_cents == 4249
    # audited, and the customer told
    assert list(AuditEntry.objects.order_by("pk").values_list("verb", flat=True)) == [
        "fulfilment.lines_cancelled",
        "refund.made",
    ]
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == sorted(
        [
            f"Order {order.number}: some items are cancelled",
            f"Refund for order {order.number}",
        ]
    )
    cancelled_mail = next(m for m in mail.outbox if "cancelled" in m.subject)
    assert "1 \N{MULTIPLICATION SIGN} Product PINOT-750" in cancelled_mail.body
    assert "One bottle corked" in cancelled_mail.body
    assert "$42.49" in cancelled_mail.body


def test_two_partial_cancellations_are_each_refunded_in_full(
    order: Order, gst_member_a: Member, member_a_owner: Actor
) -> None:
    # given
    fulfilment = part(order, gst_member_a)
    wine_line = line(order, "PINOT-750")
    # when
    first = order_lines_cancel(
        actor=member_a_owner,
        fulfilment=fulfilment,
        quantities={wine_line.pk: 2},
        reason="Short",
    )
    second = order_lines_cancel(
        actor=member_a_owner,
        fulfilment=part(order, gst_member_a),
        quantities={line(order, "GLASS-2").pk: 2},
        reason="Out",
    )
    # then
    assert first.refund is not None
    assert first.refund.amount_cents == 2 * 2999
    assert second.refund is not None
    assert second.refund.amount_cents == 2 * 1250
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.NEW
    assert fulfilment.total_cents == 2999 + 500


def test_cancelling_every_line_cancels_the_part_and_refunds_its_shipping(
    order: Order, gst_member_a: Member, member_a_owner: Actor
) -> None:
    fulfilment = part(order, gst_member_a)
    outcome = order_lines_cancel(
        actor=member_a_owner,
        fulfilment=fulfilment,
        quantities={line(order, "PINOT-750").pk: 3, line(order, "GLASS-2").pk: 2},
        reason="Sold out at the cellar door",
    )
    assert outcome.fulfilment.status == S.CANCELLED
    assert outcome.refund is not None
    assert outcome.refund.amount_cents == 3 * 2999 + 2 * 1250 + 500


# --- Cancelling a whole part -------------------------------------------------------


def test_cancelling_a_part_refunds_its_total_and_leaves_the_others(
    order: Order,
    gst_member_a: Member,
    member_b: Member,
    wine: Variant,
    cluster_x_admin: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    fulfilment = part(order, gst_member_a)
    part_total = fulfilment.total_cents
    cheese_part = part(order, member_b)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        outcome = fulfilment_cancel(
            actor=cluster_x_admin, fulfilment=fulfilment, reason="Flooded cellar"
        )
    # then
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.CANCELLED
    assert fulfilment.cancelled_at is not None
    assert (fulfilment.goods_cents, fulfilment.shipping_cents) == (0, 0)
    assert (fulfilment.total_cents, fulfilment.gst_cents) == (0, 0)
    assert Variant.objects.get(pk=wine.pk).stock == 10
    assert outcome.refund is not None
    assert outcome.refund.amount_cents == part_total
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.total_cents == cheese_part.total_cents
    assert order.shipping_cents == 500
    assert part(order, member_b).status == S.NEW
    assert AuditEntry.objects.filter(verb="fulfilment.cancelled").count() == 1
    cancelled_mail = next(m for m in mail.outbox if "cancelled" in m.subject)
    assert "(shipping included)" in cancelled_mail.body


def test_when_every_part_is_cancelled_the_order_is(
    order: Order,
    gst_member_a: Member,
    member_b: Member,
    member_a_owner: Actor,
    member_b_owner: Actor,
) -> None:
    # when
    fulfilment_cancel(
        actor=member_a_owner, fulfilment=part(order, gst_member_a), reason="Gone"
    )
    fulfilment_cancel(
        actor=member_b_owner, fulfilment=part(order, member_b), reason="Gone too"
    )
    # then
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.cancelled_at is not None
    assert order.total_cents == 0
    assert order.payment_state == Order.PaymentState.REFUNDED
    payment = Payment.objects.get(order=order)
    assert payment.refunded_cents == payment.amount_cents


def test_a_bank_transfer_is_refunded_by_hand(
    cluster_x: Cluster, gst_member_a: Member, wine: Variant, member_a_owner: Actor
) -> None:
    # given
    order = order_with_parts(
        cluster_x, [(gst_member_a, [(wine, 2)])], paid_with="bank_transfer_paid"
    )
    # when
    outcome = order_lines_cancel(
        actor=member_a_owner,
        fulfilment=part(order, gst_member_a),
        quantities={line(order, "PINOT-750").pk: 1},
        reason="Broken",
    )
    # then
    assert outcome.refund is not None
    assert outcome.refund.amount_cents == 2999
    assert outcome.refund.reference == "manual"
    assert outcome.refund.payment.gateway == "bank_transfer"


def test_an_unpaid_order_loses_the_items_and_nothing_is_refunded(
    cluster_x: Cluster,
    gst_member_a: Member,
    wine: Variant,
    member_a_owner: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    order = order_with_parts(
        cluster_x, [(gst_member_a, [(wine, 2)])], paid_with="bank_transfer"
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        outcome = order_lines_cancel(
            actor=member_a_owner,
            fulfilment=part(order, gst_member_a),
            quantities={line(order, "PINOT-750").pk: 1},
            reason="Broken",
        )
    # then
    assert outcome.refund is None
    assert outcome.refund_error == ""
    assert not Refund.objects.exists()
    assert Variant.objects.get(pk=wine.pk).stock == 9
    order.refresh_from_db()
    assert order.total_cents == 2999 + 500
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert "nothing was charged" in mail.outbox[0].body


def test_a_failed_gateway_leaves_the_cancellation_and_says_so(
    cluster_x: Cluster,
    gst_member_a: Member,
    wine: Variant,
    member_a_owner: Actor,
    settings: Any,
) -> None:
    # given: Stripe took the payment but does not answer now
    settings.STRIPE_SECRET_KEY = "sk_test_purei_offline"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    order = order_with_parts(
        cluster_x, [(gst_member_a, [(wine, 1)])], paid_with="stripe"
    )
    # when
    outcome = fulfilment_cancel(
        actor=member_a_owner, fulfilment=part(order, gst_member_a), reason="Gone"
    )
    # then
    assert outcome.fulfilment.status == S.CANCELLED
    assert outcome.refund is None
    assert outcome.refund_error
    assert Refund.objects.get().status == Refund.Status.FAILED


@pytest.mark.parametrize("status", [S.SHIPPED, S.DELIVERED, S.COLLECTED, S.CANCELLED])
def test_cannot_cancel_once_it_has_left(
    order: Order,
    gst_member_a: Member,
    wine: Variant,
    member_a_owner: Actor,
    status: str,
) -> None:
    # given
    Fulfilment.objects.filter(order=order, member=gst_member_a).update(status=status)
    fulfilment = part(order, gst_member_a)
    # when
    with pytest.raises(FulfilmentMoveRefused):
        fulfilment_cancel(actor=member_a_owner, fulfilment=fulfilment, reason="Late")
    with pytest.raises(FulfilmentMoveRefused):
        order_lines_cancel(
            actor=member_a_owner,
            fulfilment=fulfilment,
            quantities={line(order, "PINOT-750").pk: 1},
            reason="Late",
        )
    # then
    assert Variant.objects.get(pk=wine.pk).stock == 7
    assert not Refund.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_pickup_ready_but_not_collected_can_be_cancelled(
    cluster_x: Cluster, gst_member_a: Member, wine: Variant, member_a_owner: Actor
) -> None:
    order = pickup_order(cluster_x, gst_member_a, wine)
    fulfilment = fulfilment_advance(
        actor=member_a_owner, fulfilment=part(order, gst_member_a), to=S.READY
    )
    outcome = fulfilment_cancel(
        actor=member_a_owner, fulfilment=fulfilment, reason="Never came"
    )
    assert outcome.fulfilment.status == S.CANCELLED
    assert outcome.refund is not None
    assert outcome.refund.amount_cents == 2999


@pytest.mark.parametrize(
    ("quantities", "field"),
    [
        ({"wine": 4}, "lines.wine"),
        ({"wine": -1}, "lines.wine"),
        ({999_999: 1}, "lines.999999"),
        ({"wine": 0}, "lines"),
        ({}, "lines"),
    ],
)
def test_refuses_quantities_that_do_not_fit(
    order: Order,
    gst_member_a: Member,
    wine: Variant,
    member_a_owner: Actor,
    quantities: dict[Any, int],
    field: str,
) -> None:
    # given
    wine_line = line(order, "PINOT-750")
    asked = {wine_line.pk if k == "wine" else k: n for k, n in quantities.items()}
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_lines_cancel(
            actor=member_a_owner,
            fulfilment=part(order, gst_member_a),
            quantities=asked,
            reason="Why not",
        )
    # then
    assert list(refused.value.errors) == [field.replace("wine", str(wine_line.pk))]
    wine_line.refresh_from_db()
    assert wine_line.cancelled_quantity == 0
    assert Variant.objects.get(pk=wine.pk).stock == 7


def test_cancelling_needs_a_reason(
    order: Order, gst_member_a: Member, member_a_owner: Actor
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        fulfilment_cancel(
            actor=member_a_owner, fulfilment=part(order, gst_member_a), reason=" "
        )
    assert list(refused.value.errors) == ["reason"]
    assert part(order, gst_member_a).status == S.NEW


@pytest.mark.parametrize(
    "who",
    ["member_b_owner", "cluster_y_admin", "customer", "anonymous", "platform_staff"],
)
def test_only_the_team_or_the_clusters_admins_cancel(
    order: Order,
    gst_member_a: Member,
    wine: Variant,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    # given
    actor: Actor = request.getfixturevalue(who)
    fulfilment = part(order, gst_member_a)
    # when
    with pytest.raises(NotPermitted):
        fulfilment_cancel(actor=actor, fulfilment=fulfilment, reason="Mine now")
    with pytest.raises(NotPermitted):
        order_lines_cancel(
            actor=actor,
            fulfilment=fulfilment,
            quantities={line(order, "PINOT-750").pk: 1},
            reason="Mine now",
        )
    # then
    assert part(order, gst_member_a).status == S.NEW
    assert Variant.objects.get(pk=wine.pk).stock == 7
    assert not Refund.objects.exists()


# --- Goodwill refunds ------------------------------------------------------------


def test_a_cluster_admin_refunds_part_of_a_paid_order(
    order: Order, cluster_x_admin: Actor
) -> None:
    # when
    refund = order_refund(
        actor=cluster_x_admin, order=order, amount_cents=1000, reason="Late delivery"
    )
    # then
    assert refund.amount_cents == 1000
    assert refund.fulfilment is None
    assert refund.status == Refund.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.PARTLY_REFUNDED
    assert Payment.objects.get(order=order).refunded_cents == 1000
    assert AuditEntry.objects.filter(verb="refund.made").count() == 1


def test_a_refund_cannot_exceed_what_was_paid(
    order: Order, cluster_x_admin: Actor
) -> None:
    with pytest.raises(ValidationFailed):
        order_refund(
            actor=cluster_x_admin,
            order=order,
            amount_cents=order.total_cents + 1,
            reason="Too much",
        )
    assert not Refund.objects.filter(status=Refund.Status.SUCCEEDED).exists()


def test_an_unpaid_order_has_nothing_to_refund(
    cluster_x: Cluster, gst_member_a: Member, wine: Variant, cluster_x_admin: Actor
) -> None:
    order = order_with_parts(cluster_x, [(gst_member_a, [(wine, 1)])], paid_with=None)
    with pytest.raises(FulfilmentMoveRefused):
        order_refund(
            actor=cluster_x_admin, order=order, amount_cents=100, reason="Nice"
        )


@pytest.mark.parametrize(
    "who",
    ["member_a_owner", "cluster_y_admin", "customer", "anonymous", "platform_staff"],
)
def test_only_the_clusters_admins_refund_an_order(
    order: Order, who: str, request: pytest.FixtureRequest
) -> None:
    actor: Actor = request.getfixturevalue(who)
    with pytest.raises(NotPermitted):
        order_refund(actor=actor, order=order, amount_cents=100, reason="Nice")
    assert not Refund.objects.exists()


def test_ready_at_the_makers_premises_tells_where_and_when(
    cluster_x: Cluster,
    gst_member_a: Member,
    wine: Variant,
    member_a_owner: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    ShippingPolicy.objects.create(
        member=gst_member_a,
        pickup_at_premises=True,
        pickup_address="12 Vineyard Road, Renwick",
        pickup_instructions="Cellar door, Saturdays 10 am to 4 pm",
    )
    order = order_with_parts(
        cluster_x, [(gst_member_a, [(wine, 1)])], method="pickup_premises"
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment_advance(
            actor=member_a_owner, fulfilment=part(order, gst_member_a), to=S.READY
        )
    # then
    body = mail.outbox[0].body
    assert "K7M2QX" in body
    assert "12 Vineyard Road, Renwick" in body
    assert "Cellar door, Saturdays 10 am to 4 pm" in body
