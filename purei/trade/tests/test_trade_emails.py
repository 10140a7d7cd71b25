"""What a trade order's people are told, and what they are not: the buyer hears
the order in its own currency with its terms (not a retail confirmation in NZD),
the admins are asked to name the consolidation point, each member gets its own
lines and is told they go to the consolidation point; a member's part reaching
the consolidation point sends the buyer nothing, and the consignment leaving
sends it one email with the carrier, the waybill and its papers. A part's packing
slip sends it to the consolidation point."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from purei.orders.models import Order
from purei.orders.services.consignments import (
    consignment_left,
    consignment_open,
    consignment_packages_set,
)
from purei.orders.services.fulfilment import fulfilment_advance
from purei.trade.models import TradeOrder
from purei.trade.services import quote_accept
from purei.trade.tests.test_consignments import PALLET
from purei.trade.tests.test_trade_orders import _quoted, _world

pytestmark = pytest.mark.django_db


def _to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def test_accepting_tells_the_buyer_the_admins_and_each_member(
    django_capture_on_commit_callbacks,
):
    # given a quote in AUD with a 30 % deposit
    world = _world()
    quote = _quoted(world)
    account, buyer = world["accounts"][0]
    mail.outbox.clear()
    # when the buyer accepts it
    with django_capture_on_commit_callbacks(execute=True):
        quote_accept(actor=buyer, quote=quote)
    # then
    made = TradeOrder.objects.get(quote=quote)
    number = made.order.number
    to_buyer = _to(account.contact_email)
    assert len(to_buyer) == 1
    body = to_buyer[0].body
    assert f"trade order {number}" in body
    assert "AUD" in body
    assert "NZ$1 = 0.912500 AUD" in body
    assert "Deposit due now" in body
    assert f"reference {number}-DEP" in body
    assert f"/trade/orders/{number}/" in body
    # the account's first order is pro-forma (the account says so)
    assert "Pro-forma: pay before dispatch" in body
    assert "NZ$" not in to_buyer[0].subject
    assert f"reference {number}" in body
    admin_mail = _to(world["admin"].user.email)
    assert len(admin_mail) == 1
    assert "consolidation point" in admin_mail[0].body
    for member, owner, variant, _price, _grams in world["makers"]:
        mine = [m for m in mail.outbox if m.to == [member.email]] or _to(
            owner.user.email
        )
        assert len(mine) == 1
        assert variant.product.title_en in mine[0].body
        others = [
            v.product.title_en for m, _o, v, _p, _g in world["makers"] if m != member
        ]
        assert all(title not in mine[0].body for title in others)
        assert "not to the buyer" in mine[0].body


def test_parts_at_the_consolidation_point_tell_the_buyer_nothing_until_it_leaves(
    django_capture_on_commit_callbacks,
):
    # given an accepted, paid export order
    world = _world()
    quote = _quoted(world)
    account, buyer = world["accounts"][0]
    quote_accept(actor=buyer, quote=quote)
    order = TradeOrder.objects.get(quote=quote).order
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.PAID, payment_state=Order.PaymentState.PAID
    )
    admin = world["admin"]
    consignment_open(actor=admin, order=order, consolidation_point="ETS yard")
    consignment_packages_set(actor=admin, order=order, packages=[PALLET])
    mail.outbox.clear()
    # when each member brings its part to the yard
    with django_capture_on_commit_callbacks(execute=True):
        for part in order.fulfilments.order_by("pk"):
            member_owner = next(
                o for m, o, *_ in world["makers"] if m.pk == part.member_id
            )
            fulfilment_advance(
                actor=member_owner,
                fulfilment=part,
                to="shipped",
                carrier="Own truck",
            )
    # then the buyer hears nothing yet
    assert _to(account.contact_email) == []
    # when the consignment leaves
    with django_capture_on_commit_callbacks(execute=True):
        consignment_left(
            actor=admin,
            order=order,
            carrier="Mainfreight",
            waybill="MFAKL-448812",
            left_on=timezone.localdate(),
        )
    # then one email with the evidence and the papers
    (left,) = _to(order.email)
    assert "has left" in left.subject
    assert "Mainfreight" in left.body
    assert "MFAKL-448812" in left.body
    assert "ETS yard" in left.body
    assert "commercial-invoice.pdf" in left.body
    assert "1 package:" in left.body


def test_a_trade_parts_packing_slip_sends_it_to_the_consolidation_point(client):
    # given an accepted export order, the member's owner signed in
    world = _world()
    quote = _quoted(world)
    quote_accept(actor=world["accounts"][0][1], quote=quote)
    order = TradeOrder.objects.get(quote=quote).order
    member, owner, *_ = world["makers"][0]
    client.force_login(owner.user)
    url = f"/manage/members/{member.slug}/orders/{order.number}/packing-slip/"
    # when the consolidation point is not named yet
    before = client.get(url).content.decode()
    # then the slip says so, and does not send it to the buyer's address
    assert "Deliver to the consolidation point" in before
    assert "not named the consolidation point yet" in before
    assert "Ship to" not in before
    assert "1 Wharf St" not in before
    # when the admins name it
    consignment_open(
        actor=world["admin"], order=order, consolidation_point="ETS yard, Neales Rd"
    )
    after = client.get(url).content.decode()
    # then
    assert "<address>ETS yard, Neales Rd</address>" in after
    assert "Not to be sent to the buyer directly." in after
