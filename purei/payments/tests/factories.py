"""Orders, fulfilments and payments built directly with the ORM (the checkout
services are another app's): totals add up, one fulfilment per member."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.core.mail import EmailMessage
from django.utils import timezone
from factory.django import DjangoModelFactory

from purei.orders.models import Fulfilment, Order
from purei.payments.models import Payment, Refund


class OrderFactory(DjangoModelFactory[Order]):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"PUR-{n + 1:06d}")
    cluster = factory.SubFactory("purei.clusters.tests.factories.ClusterFactory")
    email = "customer@example.nz"
    name = "Aroha Customer"
    payment_method = "test"
    idempotency_key = factory.Sequence(lambda n: f"checkout-{n:08d}")
    goods_cents = 4500
    shipping_cents = 500
    total_cents = factory.LazyAttribute(lambda o: o.goods_cents + o.shipping_cents)
    gst_cents = 652
    zone = "north"
    hold_until = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=30))


class FulfilmentFactory(DjangoModelFactory[Fulfilment]):
    class Meta:
        model = Fulfilment

    order = factory.SubFactory(OrderFactory)
    member = factory.SubFactory("purei.members.tests.factories.MemberFactory")
    supplier_name = factory.LazyAttribute(lambda o: o.member.trading_name)
    gst_registered = True
    method = Fulfilment.Method.DELIVERY
    goods_cents = 4500
    shipping_cents = 500
    total_cents = factory.LazyAttribute(lambda o: o.goods_cents + o.shipping_cents)
    gst_cents = 652


class PaymentFactory(DjangoModelFactory[Payment]):
    class Meta:
        model = Payment

    order = factory.SubFactory(OrderFactory)
    gateway = "test"
    amount_cents = factory.LazyAttribute(lambda o: o.order.total_cents)
    status = Payment.Status.PENDING
    reference = factory.Sequence(lambda n: f"test_ch_{n:016x}")


class RefundFactory(DjangoModelFactory[Refund]):
    class Meta:
        model = Refund

    payment = factory.SubFactory(PaymentFactory)
    amount_cents = 100
    reason = "Returned"
    status = Refund.Status.SUCCEEDED


def customer_mail(order: Order) -> list[EmailMessage]:
    """The emails sent to the order's customer (members get their own)."""
    from django.core import mail

    return [message for message in mail.outbox if message.to == [order.email]]


def no_repeats() -> bool:
    """No email went twice to the same person with the same subject."""
    from django.core import mail

    sent = [(message.to[0], message.subject) for message in mail.outbox]
    return len(sent) == len(set(sent))
