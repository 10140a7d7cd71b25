"""The signed link of an order's page: whoever holds it (the customer, from the
confirmation email) may open that one order without logging in."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

ORDER_LINK_SALT = "purei.orders.order-link"


def order_link_key(number: str) -> str:
    """The signature that opens ``number``'s page to whoever holds the link."""
    return signing.Signer(salt=ORDER_LINK_SALT).sign(number).rsplit(":", 1)[1]


def order_link(number: str) -> str:
    """The order page's path with its signature (for the confirmation email)."""
    path = reverse("settlement:order-detail", kwargs={"number": number})
    return f"{path}?key={order_link_key(number)}"


def order_link_opens(number: str, key: str) -> bool:
    if not key:
        return False
    try:
        signing.Signer(salt=ORDER_LINK_SALT).unsign(f"{number}:{key}")
    except signing.BadSignature:
        return False
    return True
