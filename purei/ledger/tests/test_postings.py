"""capture_post and refund_post, booked by settlement: worked examples
checked to the cent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from purei.ledger.models import Account, Journal, Posting
from purei.ledger.selectors import account_balances, member_balance_cents
from purei.ledger.services.bookings import capture_book, refund_book
from purei.orders.models import Order
from purei.payments.models import Payment, Refund
from purei.settlement.services import (
    fulfilment_cancel,
    order_lines_cancel,
    order_refund,
    payment_succeeded,
)

from .factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    money_cluster,
    money_member,
    paid_order,
    part_of,
)

pytestmark = pytest.mark.django_db
K = Account.Kind


def legs(journal: Journal) -> list[tuple[str, int]]:
    return [
        (p.account.kind, p.amount_cents)
        for p in journal.postings.select_related("account").order_by("pk")
    ]


def test_worked_example_agent_registered_member_and_lead_org() -> None:
    # given a $115.00 order from a GST-registered member, 7.5 % commission, and a
    # GST-registered lead organisation
    cluster = money_cluster(rate="7.5", gst_registered=True)
    member = money_member(cluster, gst_registered=True)
    # when it is paid with the test card (settlement books it)
    order, payment = paid_order(cluster, [(member, [(11500, 1)])])
    # then one capture journal holds, in cents:
    #   GST in $115.00 = 11500 x 3/23 = 1500, so the commission base is 10000
    #   commission 7.5 % of 10000 = 750; GST on it 15 % of 750 = 112.5 → 113
    #   fee 2.7 % of 11500 = 310.5 → 311, + 30 fixed = 341 (all this member's)
    journal = Journal.objects.get(key=f"capture:payment:{payment.pk}")
    assert journal.kind == Journal.Kind.CAPTURE
    assert legs(journal) == [
        (K.CLEARING, 11500),  # Dr the payment received
        (K.MEMBER_PAYABLE, -11500),  # Cr the member's sale
        (K.MEMBER_PAYABLE, 750),  # Dr commission from the member
        (K.COMMISSION, -750),  # Cr commission income
        (K.MEMBER_PAYABLE, 113),  # Dr GST on commission from the member
        (K.COMMISSION_GST, -113),  # Cr GST on commission
        (K.GATEWAY_FEES, 341),  # Dr the fee the gateway kept
        (K.CLEARING, -341),  # Cr the clearing account by it
        (K.MEMBER_PAYABLE, 341),  # Dr the member's share of the fee
        (K.GATEWAY_FEES, -341),  # Cr the fee recovered
    ]
    # the member is owed 11500 - 750 - 113 - 341 = 10296
    assert member_balance_cents(member.pk, cluster.pk) == 10296
    member_legs = journal.postings.filter(account__kind=K.MEMBER_PAYABLE)
    fulfilment = part_of(order, member)
    assert {p.fulfilment_id for p in member_legs} == {fulfilment.pk}
    assert all(order.number in p.description for p in member_legs)


def test_unregistered_lead_org_charges_no_gst_on_commission() -> None:
    # given a lead organisation not registered for GST and a member not registered
    cluster = money_cluster(rate="10", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    # when a $50.00 order is paid
    _order, payment = paid_order(cluster, [(member, [(2500, 2)])])
    # then commission is 10 % of the whole price (no GST in it): 500; no GST on
    # it; fee 135 + 30 = 165
    journal = Journal.objects.get(payment=payment)
    assert K.COMMISSION_GST not in {kind for kind, _cents in legs(journal)}
    assert member_balance_cents(member.pk, cluster.pk) == 5000 - 500 - 165


def test_member_rate_overrides_cluster_rate() -> None:
    cluster = money_cluster(rate="7.5", gst_registered=False)
    member = money_member(cluster, gst_registered=False, rate="5")
    paid_order(cluster, [(member, [(10000, 1)])])
    assert account_balances(cluster.pk)[K.COMMISSION] == -500


def test_fee_is_shared_by_largest_remainder_across_members() -> None:
    # given three members' parts of one order: $10.00, $10.00, $10.01
    cluster = money_cluster(rate="0", gst_registered=False)
    members = [money_member(cluster, gst_registered=False) for _ in range(3)]
    order, payment = paid_order(
        cluster,
        [
            (m, [(price, 1)])
            for m, price in zip(members, [1000, 1000, 1001], strict=True)
        ],
    )
    # when the fee (2.7 % of 3001 = 81.027 → 81, + 30 = 111) is shared
    shares = [
        -sum(
            Posting.objects.filter(
                account__kind=K.GATEWAY_FEES, fulfilment=part_of(order, m)
            ).values_list("amount_cents", flat=True)
        )
        for m in members
    ]
    # then the shares add up to the fee exactly
    assert sum(shares) == 111
    assert shares == [37, 37, 37]
    assert account_balances(cluster.pk)[K.GATEWAY_FEES] == 0
    assert account_balances(cluster.pk)[K.CLEARING] == payment.amount_cents - 111


def test_hooks_are_idempotent() -> None:
    # given a paid order
    cluster = money_cluster()
    member = money_member(cluster)
    _order, payment = paid_order(cluster, [(member, [(2000, 1)])])
    count = Posting.objects.count()
    # when the hook runs again (a webhook delivered twice)
    capture_book(payment)
    # then nothing more is booked
    assert Posting.objects.count() == count
    assert Journal.objects.filter(payment=payment).count() == 1


def test_reseller_worked_example() -> None:
    # given the reseller model: the lead organisation (GST-registered) buys from a
    # GST-registered member and resells at $115.00, taking 10 %
    cluster = money_cluster(rate="10", gst_registered=True, reseller=True)
    member = money_member(cluster, gst_registered=True)
    # when it is paid
    order, payment = paid_order(cluster, [(member, [(11500, 1)])])
    # then, in cents:
    #   the lead organisation's GST on the sale: 1500 → Cr SALES_GST
    #   margin 10 % of 10000 = 1000 → Cr COMMISSION
    #   purchase price 11500 - 1500 - 1000 = 9000, + GST 1350 claimed back
    #   fee 311 + 30 = 341 charged to the member
    journal = Journal.objects.get(payment=payment)
    assert legs(journal) == [
        (K.CLEARING, 11500),
        (K.MEMBER_PAYABLE, -11500),
        (K.MEMBER_PAYABLE, 1500),
        (K.SALES_GST, -1500),
        (K.MEMBER_PAYABLE, 1000),
        (K.COMMISSION, -1000),
        (K.MEMBER_PAYABLE, -1350),
        (K.SALES_GST, 1350),
        (K.GATEWAY_FEES, 341),
        (K.CLEARING, -341),
        (K.MEMBER_PAYABLE, 341),
        (K.GATEWAY_FEES, -341),
    ]
    # the member gets its purchase price with GST, less the fee: 9000 + 1350 - 341
    assert member_balance_cents(member.pk, cluster.pk) == 10009
    # the lead organisation owes IRD 1500 - 1350 = 150 of GST
    assert account_balances(cluster.pk)[K.SALES_GST] == -150
    assert order.number in journal.memo


def test_line_cancellation_refund_gives_back_commission_on_those_lines() -> None:
    # given a paid order: 2 x $23.00 from a registered member (7.5 %, lead org
    # registered)
    cluster = money_cluster(rate="7.5", gst_registered=True)
    member = money_member(cluster, gst_registered=True)
    order, _payment = paid_order(cluster, [(member, [(2300, 2)])])
    before = member_balance_cents(member.pk, cluster.pk)
    fulfilment = part_of(order, member)
    line = fulfilment.lines.get()
    # when one of the two is cancelled (the customer gets $23.00 back)
    outcome = order_lines_cancel(
        actor=cluster_admin(cluster),
        fulfilment=fulfilment,
        quantities={line.pk: 1},
        reason="Out of stock",
    )
    assert outcome.refund is not None
    # then the member gives back the $23.00 and gets back the commission on it:
    #   commission before: 7.5 % of 4000 = 300 (GST 45); now 7.5 % of 2000 = 150
    #   (GST 22.5 → 23): 150 back, and 45 - 23 = 22 of GST
    journal = Journal.objects.get(refund=outcome.refund)
    assert legs(journal) == [
        (K.MEMBER_PAYABLE, 2300),
        (K.REFUNDS, -2300),
        (K.MEMBER_PAYABLE, -150),
        (K.COMMISSION, 150),
        (K.MEMBER_PAYABLE, -22),
        (K.COMMISSION_GST, 22),
    ]
    assert member_balance_cents(member.pk, cluster.pk) == before - 2300 + 150 + 22


def test_whole_part_cancelled_gives_back_all_its_commission() -> None:
    cluster = money_cluster(rate="10", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    order, payment = paid_order(cluster, [(member, [(3000, 1)])])
    # when the whole part is cancelled after payment
    fulfilment_cancel(
        actor=cluster_admin(cluster), fulfilment=part_of(order, member), reason="Sorry"
    )
    # then commission is back to nothing, and the member only bears the fee
    balances = account_balances(cluster.pk)
    assert balances[K.COMMISSION] == 0
    fee = 81 + 30
    assert member_balance_cents(member.pk, cluster.pk) == -fee
    assert balances[K.REFUNDS] == -3000
    assert balances[K.CLEARING] == payment.amount_cents - fee


def test_goodwill_refund_splits_by_what_is_left_and_keeps_commission() -> None:
    # given an order with two members' parts: $30.00 and $10.00
    cluster = money_cluster(rate="10", gst_registered=False)
    a = money_member(cluster, gst_registered=False)
    b = money_member(cluster, gst_registered=False)
    order, _payment = paid_order(cluster, [(a, [(3000, 1)]), (b, [(1000, 1)])])
    commission = account_balances(cluster.pk)[K.COMMISSION]
    # when an admin refunds $10.00 of the order as a goodwill gesture
    refund = order_refund(
        actor=cluster_admin(cluster),
        order=order,
        amount_cents=1000,
        reason="Late delivery",
    )
    # then it comes off the members in proportion to their parts: 750 and 250
    journal = Journal.objects.get(refund=refund)
    by_part = {
        p.fulfilment_id: p.amount_cents
        for p in journal.postings.filter(account__kind=K.MEMBER_PAYABLE)
    }
    assert by_part == {part_of(order, a).pk: 750, part_of(order, b).pk: 250}
    # and commission is unchanged (the goods were not given back)
    assert account_balances(cluster.pk)[K.COMMISSION] == commission


def test_later_split_uses_what_is_left_of_each_part() -> None:
    # given two $20.00 parts, and $20.00 of member A's already refunded
    cluster = money_cluster(rate="0", gst_registered=False)
    a = money_member(cluster, gst_registered=False)
    b = money_member(cluster, gst_registered=False)
    order, payment = paid_order(cluster, [(a, [(2000, 1)]), (b, [(2000, 1)])])
    admin = cluster_admin(cluster)
    from purei.settlement.services import refund_create

    refund_create(
        actor=admin,
        payment=payment,
        amount_cents=2000,
        reason="Broken",
        fulfilment=part_of(order, a),
    )
    # when $10.00 more is refunded without saying whose
    refund = order_refund(actor=admin, order=order, amount_cents=1000, reason="Sorry")
    # then it all comes from member B (nothing is left of A's part)
    journal = Journal.objects.get(refund=refund)
    member_ids = set(
        journal.postings.filter(account__kind=K.MEMBER_PAYABLE).values_list(
            "account__member_id", flat=True
        )
    )
    assert member_ids == {b.pk}


def test_automatic_refund_books_no_sale() -> None:
    # given a paid order, and a second payment for it that succeeds later
    cluster = money_cluster()
    member = money_member(cluster)
    order, _first = paid_order(cluster, [(member, [(2000, 1)])])
    balance = member_balance_cents(member.pk, cluster.pk)
    second = Payment.objects.create(
        order=order, gateway="test", amount_cents=order.total_cents
    )
    # when it succeeds (payments gives the money back automatically)
    payment_succeeded(second, succeeded_at=timezone.now(), reference="test_ch_2")
    # then the money in and out is booked, and no member is touched
    refund = Refund.objects.get(payment=second)
    assert refund.automatic
    journal = Journal.objects.get(refund=refund)
    assert legs(journal) == [(K.CLEARING, 2000), (K.REFUNDS, -2000)]
    assert not Journal.objects.filter(payment=second, kind=Journal.Kind.CAPTURE)
    assert member_balance_cents(member.pk, cluster.pk) == balance


def test_refund_hook_is_idempotent() -> None:
    cluster = money_cluster()
    member = money_member(cluster)
    order, _payment = paid_order(cluster, [(member, [(2000, 1)])])
    refund = order_refund(
        actor=cluster_admin(cluster), order=order, amount_cents=500, reason="Sorry"
    )
    count = Posting.objects.count()
    refund_book(refund)
    assert Posting.objects.count() == count
    assert Order.objects.get(pk=order.pk).payment_state == "partly_refunded"
