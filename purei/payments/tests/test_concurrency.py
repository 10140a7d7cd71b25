"""The same webhook event delivered several times at the same moment, on
PostgreSQL, each delivery in its own connection and transaction: the unique
constraint on (gateway, event id) lets exactly one through."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection, connections

from purei.orders.models import Order
from purei.payments.models import Payment, WebhookEvent
from purei.payments.tests.factories import customer_mail, no_repeats
from purei.settlement.services import payment_succeeded, stripe_event_process

from .conftest import load_fixture
from .factories import PaymentFactory

DELIVERIES = 8

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite locks the whole database; the race is PostgreSQL's",
    ),
]


def _all_at_once(work: Any) -> tuple[list[Any], list[BaseException]]:
    start = threading.Barrier(DELIVERIES)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            start.wait()
            outcome = work()
            with lock:
                results.append(outcome)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(DELIVERIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_concurrent_deliveries_of_one_event_pay_once(order: Order) -> None:
    # given
    payment = PaymentFactory.create(
        order=order, gateway="stripe", reference="pi_3QpurEiPaymentIntent01"
    )
    event = load_fixture("payment_intent_succeeded.json")
    intent = event["data"]["object"]
    intent["amount"] = intent["amount_received"] = payment.amount_cents
    payload = json.loads(json.dumps(event))
    # when
    results, errors = _all_at_once(lambda: stripe_event_process(payload=payload))
    # then
    assert errors == []
    assert sorted(results) == [False] * (DELIVERIES - 1) + [True]
    assert WebhookEvent.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert len(customer_mail(order)) == 1
    assert no_repeats()


def test_concurrent_successes_of_one_payment_count_once(order: Order) -> None:
    payment = PaymentFactory.create(order=order)

    results, errors = _all_at_once(lambda: payment_succeeded(payment).succeeded_at)

    assert errors == []
    assert len(set(results)) == 1
    assert len(customer_mail(order)) == 1
    assert no_repeats()
    assert order.payments.get().refunds.exists() is False
