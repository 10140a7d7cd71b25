"""The "payment received" email links to the order's own page on SITE_URL (the
signed link from the confirmation email, so it opens without logging in)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from purei.orders.models import Order
from purei.payments.tests.factories import customer_mail
from purei.settlement.services import payment_succeeded

from .factories import PaymentFactory

LINK = re.compile(r"https://purei\.example\.nz(/\S*)")


def test_payment_received_links_to_the_orders_page(
    order: Order, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    settings.SITE_URL = "https://purei.example.nz"
    payment = PaymentFactory.create(order=order)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        payment_succeeded(payment)
    # then
    [message] = customer_mail(order)
    links = LINK.findall(str(message.body))
    assert len(links) == 1
    assert links[0].startswith(f"/orders/{order.number}/?key=")
    # and the link opens the order for whoever holds it
    page = Client().get(links[0])
    assert page.status_code == 200
    assert order.number in page.content.decode()
