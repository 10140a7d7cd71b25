"""A part cancelled after all its money went back (a goodwill refund first): no
refund is left to book the cancelled lines, so the commission on them comes off
with the cancellation itself (found by the random-history property test)."""

import pytest

from purei.ledger.models import Account, Journal
from purei.ledger.selectors import ledger_unbalanced_journals, member_balances
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401  # autouse: the test gateway; every journal balances
    cluster_admin,
    money_cluster,
    money_member,
    paid_order,
)
from purei.settlement.services import fulfilment_cancel, order_refund

pytestmark = pytest.mark.django_db


def test_cancelling_after_a_full_refund_gives_back_the_commission():
    # given: commission 5 %, one member (not GST-registered), a $3.17 order
    cluster = money_cluster(rate="5", gst_registered=False)
    member = money_member(cluster, gst_registered=False)
    admin = cluster_admin(cluster)
    order, _payment = paid_order(cluster, [(member, [(1, 1), (316, 1)])])
    owed_after_sale = member_balances(cluster.pk)[member.pk]
    # when: all of it goes back as goodwill, then the part is cancelled
    order_refund(actor=admin, order=order, amount_cents=317, reason="Sorry")
    after_refund = member_balances(cluster.pk)[member.pk]
    fulfilment_cancel(actor=admin, fulfilment=order.fulfilments.get(), reason="Gone")
    # then: the commission charged on the sale (5 % of $3.16 → 16c) comes back
    after_cancel = member_balances(cluster.pk)[member.pk]
    assert after_refund == owed_after_sale - 317
    assert after_cancel == after_refund + 16
    journal = Journal.objects.get(key__startswith="cancel-commission:")
    assert journal.kind == Journal.Kind.COMMISSION
    assert ledger_unbalanced_journals() == []
    commission = Account.objects.get(cluster=cluster, kind=Account.Kind.COMMISSION)
    assert sum(commission.postings.values_list("amount_cents", flat=True)) == 0
