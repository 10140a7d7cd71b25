"""``purei verify_books``: sound books pass; each kind of damage a crash or a bug
could leave is found and named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from purei.catalogue.models import Variant
from purei.ledger.models import Account, Journal, Posting
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401 - the test gateway on (and the books checked after)
    money_cluster,
    money_member,
    paid_order,
    place_order,
)
from purei.operations.verify import stock_snapshot, verify
from purei.orders.models import Order
from purei.orders.tests.factories import order_with_parts, variant_of

pytestmark = pytest.mark.django_db


def failures(**kwargs: object) -> dict[str, list[str]]:
    return {c.name: c.problems for c in verify(**kwargs).checks if c.problems}  # type: ignore[arg-type]


def test_sound_books_pass_every_check() -> None:
    # given
    cluster = money_cluster()
    maker = money_member(cluster)
    paid_order(cluster, [(maker, [(1500, 2)])])
    place_order(cluster, [(maker, [(900, 1)])])  # unpaid: still whole
    # when
    result = verify()
    # then
    assert result.ok, result.as_dict()
    checked = {c.name: c.checked for c in result.checks}
    assert checked["orders complete"] == 2
    assert checked["journals balance"] >= 1
    assert checked["invoices gap-free"] == 1


class TestDamagedBooks:
    @pytest.fixture
    def books_balance(self, settings: Any) -> None:
        """This test unbalances the books on purpose: no check after it."""
        settings.PAYMENTS_TEST_GATEWAY = True

    def test_a_journal_that_does_not_balance_is_named(self) -> None:
        # given
        cluster = money_cluster()
        maker = money_member(cluster)
        paid_order(cluster, [(maker, [(1500, 1)])])
        journal = Journal.objects.create(
            cluster=cluster,
            kind=Journal.Kind.ADJUSTMENT,
            memo="half a journal",
            occurred_at=timezone.now(),
            key="test:half",
        )
        Posting.objects.create(
            journal=journal, account=Account.objects.order_by("pk")[0], amount_cents=100
        )
        # when
        wrong = failures()
        # then
        assert wrong == {
            "journals balance": [f"journal {journal.pk} does not sum to zero"]
        }


def test_an_order_marked_paid_without_its_money_is_half_written() -> None:
    # given
    cluster = money_cluster()
    maker = money_member(cluster)
    order = place_order(cluster, [(maker, [(1500, 2)])])
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.PAID, payment_state=Order.PaymentState.PAID
    )
    part = order.fulfilments.get().pk
    # when
    wrong = failures()["orders complete"]
    # then
    assert wrong == [
        f"order {order.number}: paid 0 of {order.total_cents} cents",
        f"order {order.number}: paid, but no payment journal",
        f"order {order.number}: part {part} paid, but not invoiced",
    ]


def test_only_orders_since_a_time_are_checked() -> None:
    cluster = money_cluster()
    maker = money_member(cluster)
    order = place_order(cluster, [(maker, [(1500, 2)])])
    Order.objects.filter(pk=order.pk).update(payment_state=Order.PaymentState.PAID)
    later = timezone.now()
    assert "orders complete" in failures()
    assert "orders complete" not in failures(since=later)


def test_stock_is_the_snapshot_less_what_was_sold(tmp_path: Path) -> None:
    # given
    cluster = money_cluster()
    maker = money_member(cluster)
    jam = variant_of(maker, sku="JAM-1", price_cents=900, stock=20)
    honey = variant_of(maker, sku="HONEY-1", price_cents=1800, stock=5)
    snapshot = tmp_path / "stock.json"
    assert stock_snapshot(snapshot, [jam.pk, honey.pk]) == 2
    # when: 3 jars and 1 honey sold, then 2 jars of another order cancelled
    order_with_parts(cluster, [(maker, [(jam, 3), (honey, 1)])], paid_with=None)
    cancelled = order_with_parts(cluster, [(maker, [(jam, 2)])], paid_with=None)
    Order.objects.filter(pk=cancelled.pk).update(status=Order.Status.CANCELLED)
    Variant.objects.filter(pk=jam.pk).update(stock=17)  # the cancellation gave 2 back
    # then
    assert failures(snapshot=snapshot) == {}
    # and a unit lost without a sale is found
    Variant.objects.filter(pk=honey.pk).update(stock=3)
    assert failures(snapshot=snapshot) == {
        "stock = initial - sales": [f"variant {honey.pk}: 5 before, 1 sold, 3 now"]
    }


def test_the_command_prints_each_check_and_fails_with_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    cluster = money_cluster()
    maker = money_member(cluster)
    paid_order(cluster, [(maker, [(1500, 1)])])
    snapshot = tmp_path / "stock.json"
    call_command("verify_books", "--snapshot", str(snapshot))
    assert json.loads(snapshot.read_text())["stock"]
    # when
    call_command("verify_books", "--stock", str(snapshot))
    out = capsys.readouterr().out
    # then
    assert "journals balance: ok" in out
    assert "stock = initial - sales: ok" in out
    assert out.rstrip().endswith("Verification: PASSED")
    # and when an order is half-written
    Order.objects.filter(status=Order.Status.PAID).update(
        status=Order.Status.AWAITING_PAYMENT
    )
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_books", "--json")
    assert exit_.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
