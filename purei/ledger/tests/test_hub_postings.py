"""A hub order in the books (docs/money.md "Hub delivery"): the one delivery
charge is split among the members by the cluster's rule, each share booked as
that member's shipping income on its own line, and every journal balances."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum

from purei.ledger.models import Account, Journal, Posting
from purei.ledger.selectors import member_balance_cents
from purei.orders.models import Order
from purei.orders.services.checkout import order_place
from purei.orders.tests.hub_fixtures import basket, details, fair
from purei.settlement.services import fulfilment_cancel

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    pay,
)

__all__ = ["fair"]

pytestmark = pytest.mark.django_db
K = Account.Kind
SHARE_TEXT = "share of the hub delivery"


def _hub_order(fair: dict[str, Any]) -> tuple[Order, Any]:
    order = order_place(cart=basket(fair), details=details())
    payment = pay(order)
    return order, payment


def test_each_members_share_is_booked_as_its_own_line(fair: dict[str, Any]) -> None:
    # given the worked example, split by weight: 608 + 761 + 456 = 1825
    order, payment = _hub_order(fair)
    journal = Journal.objects.get(key=f"capture:payment:{payment.pk}")
    # then
    shares = {
        name: -amount
        for name, amount, text in journal.postings.values_list(
            "fulfilment__supplier_name", "amount_cents", "description"
        )
        if SHARE_TEXT in text
    }
    assert shares == {"Olive Grove": 608, "Clay Potter": 761, "Jam Maker": 456}
    assert sum(shares.values()) == order.shipping_cents == 1825
    for part in order.fulfilments.all():
        # the part's sale and its share together are what it was paid
        credited = journal.postings.filter(
            fulfilment=part, account__kind=K.MEMBER_PAYABLE, amount_cents__lt=0
        ).aggregate(total=Sum("amount_cents"))["total"]
        assert -credited == part.paid_cents == part.goods_cents + part.shipping_cents


def test_the_books_sum_to_zero_and_commission_is_on_goods_only(
    fair: dict[str, Any],
) -> None:
    # given
    _order, payment = _hub_order(fair)
    journal = Journal.objects.get(key=f"capture:payment:{payment.pk}")
    # then
    assert journal.postings.aggregate(total=Sum("amount_cents"))["total"] == 0
    assert Posting.objects.aggregate(total=Sum("amount_cents"))["total"] == 0
    commission = -sum(
        p.amount_cents for p in journal.postings.filter(account__kind=K.COMMISSION)
    )
    # 7.5 % of each part's lines without GST; the delivery shares carry none
    # olive oil 4800 - 626 GST = 4174 → 313; bowl 6000 - 783 = 5217 → 391;
    # jam (not registered) 2850 → 214
    assert commission == 313 + 391 + 214


def test_cancelling_a_hub_part_gives_back_its_share(
    fair: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given
    order, _payment = _hub_order(fair)
    jam = order.fulfilments.get(member=fair["jam_maker"])
    before = member_balance_cents(fair["jam_maker"].pk, fair["cluster"].pk)
    assert before > 0
    # when the jam maker cancels its whole part before the parcel leaves
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment_cancel(
            actor=fair["admin"], fulfilment=jam, reason="Sold out at the fair"
        )
    # then its goods and its share (456) went back to the shopper
    order.refresh_from_db()
    assert order.shipping_cents == 1825 - 456
    refund = Journal.objects.get(kind=Journal.Kind.REFUND)
    taken_back = refund.postings.get(
        fulfilment=jam, account__kind=K.REFUNDS
    ).amount_cents
    assert taken_back == -(2850 + 456)
    # what stays with the jam maker is its share of the payment fee (members
    # bear the fee, docs/money.md "Fees"), nothing of the sale
    after = member_balance_cents(fair["jam_maker"].pk, fair["cluster"].pk)
    fee = Posting.objects.filter(
        fulfilment=jam, account__kind=K.MEMBER_PAYABLE, description__contains="fee"
    ).aggregate(total=Sum("amount_cents"))["total"]
    assert after == -fee
    assert Posting.objects.aggregate(total=Sum("amount_cents"))["total"] == 0
