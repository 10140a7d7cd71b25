"""Reads of orders across the member and cluster boundaries (style.md §6.3).

A member's team (and platform staff, read only) see the member's fulfilments; a
cluster's admins (and platform staff) see every order of the cluster. Anyone else
gets ``Http404``, as if the order did not exist. Each list costs a fixed number of
queries whatever its length: lines, fulfilments and members are prefetched.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.accounts.models import User
from purei.catalogue.models import ProductImage
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member
from purei.orders.links import order_link_opens
from purei.orders.models import (
    FULFILLABLE_ORDER_STATUSES,
    Consignment,
    Fulfilment,
    Order,
    OrderLine,
)
from purei.payments.models import Payment, Refund

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = Fulfilment.Status

# The member's tabs: what there is to do with each fulfilment.
FULFILMENT_TABS: dict[str, tuple[StrOrPromise, tuple[str, ...]]] = {
    "to_pack": (gettext_lazy("To pack"), (S.NEW,)),
    "to_send": (gettext_lazy("To ship or hand over"), (S.PACKED, S.READY)),
    "sent": (gettext_lazy("Shipped, not yet delivered"), (S.SHIPPED,)),
    "done": (gettext_lazy("Done"), (S.DELIVERED, S.COLLECTED)),
    "cancelled": (gettext_lazy("Cancelled"), (S.CANCELLED,)),
}
# The tabs of work to do show only paid orders; unpaid ones wait apart.
UNPAID_TAB = "awaiting_payment"

ORDER_FILTERS: dict[str, str] = {
    Order.Status.AWAITING_PAYMENT: Order.Status.AWAITING_PAYMENT,
    Order.Status.PAID: Order.Status.PAID,
    Order.Status.ON_ACCOUNT: Order.Status.ON_ACCOUNT,
    Order.Status.CANCELLED: Order.Status.CANCELLED,
}


def _lines() -> Prefetch[Any]:
    return Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))


def order_parts_with_lines(order: Order) -> list[Fulfilment]:
    """Every part of ``order`` (cancelled ones too), in id order, each with its
    member (and the member's region), ``part.order`` set to ``order``, and its
    lines prefetched in id order: two queries, read once for a capture's
    booking, its invoices and its event (issue 16)."""
    return list(
        order.fulfilments.select_related("member", "member__region")
        .prefetch_related(_lines())
        .order_by("pk")
    )


def _can_see_member(actor: Actor, member: Member) -> bool:
    return actor.is_platform_staff or actor.is_member_team(member.pk)


def _can_see_cluster(actor: Actor, cluster: Cluster) -> bool:
    return actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)


def fulfilment_status_values(status: str | None) -> tuple[str, ...] | None:
    """The statuses a tab name or a single status stands for; None: all.
    ``ValueError`` for anything else."""
    if not status:
        return None
    if status in FULFILMENT_TABS:
        return FULFILMENT_TABS[status][1]
    if status in S.values or status == UNPAID_TAB:
        return (status,)
    raise ValueError(status)


def fulfilments_for_member(
    actor: Actor, member: Member, status: str | None = None
) -> QuerySet[Fulfilment]:
    """``member``'s fulfilments, newest first, with their order, pickup event and
    lines. ``status`` is a tab (``to_pack``, ``to_send``, ``sent``, ``done``,
    ``cancelled``, ``awaiting_payment``) or one fulfilment status; the tabs of
    work to do hold only paid orders."""
    if not _can_see_member(actor, member):
        raise Http404(_("No business you manage lives at this address."))
    try:
        statuses = fulfilment_status_values(status)
    except ValueError:
        statuses = None
    fulfilments = Fulfilment.objects.filter(member=member)
    if status == UNPAID_TAB:
        fulfilments = fulfilments.filter(
            order__status=Order.Status.AWAITING_PAYMENT
        ).exclude(status=S.CANCELLED)
    elif statuses is not None:
        fulfilments = fulfilments.filter(status__in=statuses)
        if status in FULFILMENT_TABS and status != "cancelled":
            fulfilments = fulfilments.filter(
                order__status__in=FULFILLABLE_ORDER_STATUSES
            )
    return (
        fulfilments.select_related("order", "order__region", "pickup_event")
        .prefetch_related(_lines())
        .order_by("-order__created_at", "-pk")
    )


def fulfilment_get_for_team(actor: Actor, member: Member, number: str) -> Fulfilment:
    """``member``'s part of order ``number``, with its order, lines and refunds;
    ``Http404`` outside scope or when the member has no part in it."""
    if not _can_see_member(actor, member):
        raise Http404(_("No business you manage lives at this address."))
    fulfilment = (
        Fulfilment.objects.filter(member=member, order__number=number)
        .select_related(
            "order",
            "order__region",
            "order__cluster",
            "pickup_event",
            "member",
            "freight_quote",
        )
        .prefetch_related(
            _lines(),
            Prefetch(
                "refunds",
                queryset=Refund.objects.select_related("payment").order_by("pk"),
            ),
        )
        .first()
    )
    if fulfilment is None:
        raise Http404(_("No such order for this business."))
    return fulfilment


def orders_for_cluster(
    actor: Actor, cluster: Cluster, filters: Mapping[str, str] | None = None
) -> QuerySet[Order]:
    """Every order of ``cluster``, newest first, each with its fulfilments and
    their members. ``filters``: ``status`` (awaiting_payment, paid, cancelled) and
    ``q`` (part of the order number, or of the customer's email)."""
    if not _can_see_cluster(actor, cluster):
        raise Http404(_("No cluster you manage lives at this address."))
    filters = filters or {}
    orders = Order.objects.filter(cluster=cluster)
    status = filters.get("status", "")
    if status in ORDER_FILTERS:
        orders = orders.filter(status=status)
    q = (filters.get("q") or "").strip()[:100]
    if q:
        orders = orders.filter(Q(number__icontains=q) | Q(email__icontains=q))
    return orders.prefetch_related(
        Prefetch(
            "fulfilments",
            queryset=Fulfilment.objects.select_related("member").order_by(
                "supplier_name", "pk"
            ),
        )
    ).order_by("-created_at", "-pk")


def order_get_for_admin(actor: Actor, cluster: Cluster, number: str) -> Order:
    """Order ``number`` of ``cluster`` with its fulfilments, lines, payments and
    refunds; ``Http404`` outside scope."""
    if not _can_see_cluster(actor, cluster):
        raise Http404(_("No cluster you manage lives at this address."))
    order = (
        Order.objects.filter(cluster=cluster, number=number)
        .select_related("region", "cluster")
        .prefetch_related(
            Prefetch(
                "fulfilments",
                queryset=Fulfilment.objects.select_related(
                    "member", "pickup_event", "freight_quote"
                ).prefetch_related(_lines()),
            ),
            Prefetch(
                "payments",
                queryset=Payment.objects.order_by("pk").prefetch_related(
                    Prefetch(
                        "refunds",
                        queryset=Refund.objects.select_related("fulfilment").order_by(
                            "pk"
                        ),
                    )
                ),
            ),
        )
        .first()
    )
    if order is None:
        raise Http404(_("No such order in this cluster."))
    return order


# --- A shopper's orders ------------------------------------------------------------


def _orders_with_parts() -> QuerySet[Order]:
    return Order.objects.select_related("cluster", "region").prefetch_related(
        Prefetch(
            "fulfilments",
            queryset=Fulfilment.objects.select_related("pickup_event").prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
            ),
        ),
        Prefetch("payments", queryset=Payment.objects.order_by("-created_at", "-pk")),
    )


def order_get_for_shopper(
    *, user: User | None, placed: Collection[str], number: str, key: str = ""
) -> Order:
    """The order, if this shopper may see it: its customer (``user``), the session
    that placed it (its number is in ``placed``), or the holder of its signed link
    (``key``). Otherwise ``Http404``."""
    order = _orders_with_parts().filter(number=number.upper()[:16]).first()
    if order is None:
        raise Http404
    if user is not None and order.customer_id == user.pk:
        return order
    if order.number in placed:
        return order
    if order_link_opens(order.number, key):
        return order
    raise Http404


def order_list_for_customer(user: User) -> QuerySet[Order]:
    """A customer's orders in every cluster, newest first."""
    return (
        Order.objects.filter(customer=user)
        .select_related("cluster")
        .order_by("-created_at", "-pk")
    )


def consignment_of(order: Order) -> Consignment | None:
    """The consignment a trade order's parts leave in, once the admins opened it
    (None before, and for every retail order)."""
    return Consignment.objects.filter(order=order).first()


def first_pictures(product_ids: Collection[int | None]) -> dict[int, ProductImage]:
    """The first photo of each product (the thumbnails of a cart, a checkout's
    summary and an order), by product id; one query whatever the number."""
    ids = {pk for pk in product_ids if pk is not None}
    if not ids:
        return {}
    pictures: dict[int, ProductImage] = {}
    for image in ProductImage.objects.filter(product_id__in=ids).order_by(
        "product_id", "position", "pk"
    ):
        pictures.setdefault(image.product_id, image)
    return pictures
