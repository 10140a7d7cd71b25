"""Reviews' test data: a product a buyer received, and reviews of it."""

from __future__ import annotations

from django.utils import timezone

from purei.accounts.models import User
from purei.catalogue.models import Product
from purei.clusters.models import Cluster
from purei.marketing.models import Review
from purei.members.models import Member
from purei.orders.models import Fulfilment, Order
from purei.orders.tests.factories import order_with_parts
from purei.search.tests.factories import public_product


def bought(
    cluster: Cluster,
    buyer: User,
    product: Product,
    *,
    status: str = Fulfilment.Status.DELIVERED,
) -> Order:
    """A paid order of ``buyer`` in ``cluster`` with one ``product``, its part at
    ``status`` (delivered by default: received)."""
    variant = product.variants.first()
    assert variant is not None
    order = order_with_parts(
        cluster, [(product.member, [(variant, 1)])], email=buyer.email
    )
    order.customer = buyer
    order.save(update_fields=["customer"])
    order.fulfilments.update(status=status, completed_at=timezone.now())
    return order


def received_product(
    cluster: Cluster, member: Member, buyer: User, **fields: object
) -> Product:
    """A public product of ``member`` in ``cluster`` that ``buyer`` received."""
    product = public_product(cluster, member=member, **fields)
    bought(cluster, buyer, product)
    return product


def review_of(
    product: Product,
    cluster: Cluster,
    author: User,
    *,
    stars: int = 5,
    body: str = "Lovely.",
    status: str = Review.Status.APPROVED,
    reply: str = "",
) -> Review:
    now = timezone.now()
    return Review.objects.create(
        cluster=cluster,
        product=product,
        member=product.member,
        author=author,
        stars=stars,
        body=body,
        status=status,
        published_at=now if status == Review.Status.APPROVED else None,
        reply=reply,
        replied_at=now if reply else None,
    )
