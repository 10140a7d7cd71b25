"""A closed account's orders keep what the law needs and no more
(docs/privacy.md): the order, its lines, totals, tax and the delivery's town,
postcode, region and country stay for the seven years GST records are kept;
the name, email address, phone and street address are replaced. The person's
carts go."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from purei.orders.models import Cart, Order

CLOSED_NAME = "Closed account"


@transaction.atomic
def orders_person_erase(*, user_id: int, email: str, tombstone_email: str) -> int:
    """Anonymise the orders of account ``user_id`` and those placed with its
    ``email`` before or without logging in; delete its carts. Answers the
    number of orders changed. Called by ``privacy.services.account_close``."""
    orders = Order.objects.filter(Q(customer_id=user_id) | Q(email__iexact=email))
    changed = orders.update(
        name=CLOSED_NAME,
        email=tombstone_email,
        phone="",
        address_line1="",
        address_line2="",
        suburb="",
    )
    Cart.objects.filter(user_id=user_id).delete()
    return changed
