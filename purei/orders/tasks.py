"""Emails about orders (Django tasks): take ids, check the state still holds, send.
Safe to run twice only in the sense that a task whose order moved on sends nothing."""

from __future__ import annotations

from django.db.models import Prefetch
from django.tasks import task

from purei.accounts.models import ClusterRole, MemberRole
from purei.core.mail import send_templated_email

from .models import Consignment, FreightQuote, Fulfilment, Order, OrderLine


def _order(order_id: int) -> Order | None:
    return (
        Order.objects.select_related("cluster", "region")
        .prefetch_related(
            Prefetch(
                "fulfilments",
                queryset=Fulfilment.objects.select_related(
                    "member", "pickup_event"
                ).prefetch_related(
                    Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
                ),
            )
        )
        .filter(pk=order_id)
        .first()
    )


def _team_emails(fulfilment: Fulfilment) -> list[str]:
    """The business's own address, else its owners'."""
    if fulfilment.member.email:
        return [fulfilment.member.email]
    return sorted(
        set(
            MemberRole.objects.filter(
                member_id=fulfilment.member_id,
                role=MemberRole.Role.OWNER,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


@task
def order_placed_notify(*, order_id: int) -> int:
    """Confirm the order to the customer: what, from whom, how it arrives, and how
    to pay if it is not paid yet."""
    order = _order(order_id)
    if order is None or order.status == Order.Status.CANCELLED:
        return 0
    freight_waiting = FreightQuote.objects.filter(
        order=order, status=FreightQuote.Status.REQUESTED
    ).exists()
    send_templated_email(
        to=order.email,
        template_prefix="orders/email/order_placed",
        cluster=order.cluster,
        context={
            "order": order,
            "fulfilments": list(order.fulfilments.all()),
            "freight_waiting": freight_waiting,
        },
    )
    return 1


@task
def order_paid_notify(*, order_id: int) -> int:
    """Tell each member of a paid order what it has to fulfil."""
    order = _order(order_id)
    if order is None or not order.may_fulfil:
        return 0
    sent = 0
    for fulfilment in order.fulfilments.all():
        if fulfilment.status == Fulfilment.Status.CANCELLED:
            continue
        for email in _team_emails(fulfilment):
            send_templated_email(
                to=email,
                template_prefix="orders/email/fulfilment_new",
                cluster=order.cluster,
                context={"order": order, "fulfilment": fulfilment},
            )
            sent += 1
    return sent


@task
def consignment_left_notify(*, order_id: int) -> int:
    """Tell a trade buyer its consignment left the consolidation point: when, the
    carrier, the waybill or bill of lading number, and its packages."""
    order = Order.objects.select_related("cluster").filter(pk=order_id).first()
    consignment = (
        Consignment.objects.prefetch_related("packages")
        .filter(
            order_id=order_id,
            kind=Consignment.Kind.TRADE,
            status=Consignment.Status.LEFT,
        )
        .first()
    )
    if order is None or consignment is None:
        return 0
    send_templated_email(
        to=order.email,
        template_prefix="orders/email/consignment_left",
        cluster=order.cluster,
        context={
            "order": order,
            "consignment": consignment,
            "packages": list(consignment.packages.all()),
        },
    )
    return 1


# --- Fulfilment: shipped, ready for pickup, items cancelled ------------------------


def _fulfilment(fulfilment_id: int) -> Fulfilment | None:
    return (
        Fulfilment.objects.select_related("order", "order__cluster", "pickup_event")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .filter(pk=fulfilment_id)
        .first()
    )


@task
def fulfilment_shipped_notify(*, fulfilment_id: int) -> int:
    """Tell the customer their part from one member is on its way: the carrier
    and, when given, the tracking number. Not for a trade order: its parts go to
    the consolidation point, and the buyer hears once, when the consignment leaves
    (``consignment_left_notify``)."""
    fulfilment = _fulfilment(fulfilment_id)
    if fulfilment is None or fulfilment.status != Fulfilment.Status.SHIPPED:
        return 0
    if fulfilment.order.channel == Order.Channel.TRADE:
        return 0
    send_templated_email(
        to=fulfilment.order.email,
        template_prefix="orders/email/fulfilment_shipped",
        cluster=fulfilment.order.cluster,
        context={"order": fulfilment.order, "fulfilment": fulfilment},
    )
    return 1


@task
def fulfilment_ready_notify(*, fulfilment_id: int) -> int:
    """Tell the customer their part is ready to collect: the pickup code, the
    address, the stall or collection point at an event, and the
    hours (the event's window, or the maker's pickup hours)."""
    from .pickup import event_window_label
    from .shipping import policies_for

    fulfilment = _fulfilment(fulfilment_id)
    if fulfilment is None or fulfilment.status != Fulfilment.Status.READY:
        return 0
    event = fulfilment.pickup_event
    address = stall = hours = ""
    if event is not None:
        address, stall = event.venue, event.collection_point
        if event.address:
            address = (
                f"{event.venue}, {event.address}" if event.venue else event.address
            )
        hours = event_window_label(event)
    else:
        policy = policies_for(fulfilment.order.cluster, [fulfilment.member_id])
        resolved = policy.get(fulfilment.member_id)
        if resolved is not None:
            address, hours = resolved.pickup_address, resolved.pickup_instructions
    send_templated_email(
        to=fulfilment.order.email,
        template_prefix="orders/email/fulfilment_ready",
        cluster=fulfilment.order.cluster,
        context={
            "order": fulfilment.order,
            "fulfilment": fulfilment,
            "event": event,
            "address": address,
            "stall": stall,
            "hours": hours,
        },
    )
    return 1


@task
def fulfilment_cancelled_notify(
    *, fulfilment_id: int, lines: list[list[int]], reason: str, refunded_cents: int
) -> int:
    """Tell the customer which items of their order were cancelled, why, and what
    was refunded (the refund's own email comes from payments)."""
    from purei.core.money import format_nzd as nzd

    fulfilment = _fulfilment(fulfilment_id)
    if fulfilment is None:
        return 0
    by_id = {line.pk: line for line in fulfilment.lines.all()}
    items = [
        {"line": by_id[int(line_id)], "quantity": int(n)}
        for line_id, n in lines
        if int(line_id) in by_id
    ]
    send_templated_email(
        to=fulfilment.order.email,
        template_prefix="orders/email/fulfilment_cancelled",
        cluster=fulfilment.order.cluster,
        context={
            "order": fulfilment.order,
            "fulfilment": fulfilment,
            "items": items,
            "whole": fulfilment.status == Fulfilment.Status.CANCELLED,
            "reason": reason,
            "refunded": nzd(refunded_cents) if refunded_cents else "",
            "paid": fulfilment.order.paid_at is not None,
        },
    )
    return 1


# --- Freight on quote (docs/orders.md) -----------------------------------------------


@task
def freight_quote_requested_notify(*, order_id: int) -> int:
    """Tell the cluster's admins a shopper asks for a freight quote."""
    order = _order(order_id)
    if order is None or order.status != Order.Status.AWAITING_PAYMENT:
        return 0
    quotes = list(
        FreightQuote.objects.filter(
            order=order, status=FreightQuote.Status.REQUESTED
        ).select_related("fulfilment")
    )
    if not quotes:
        return 0
    emails = sorted(
        set(
            ClusterRole.objects.filter(
                cluster_id=order.cluster_id,
                role=ClusterRole.Role.ADMIN,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )
    for email in emails:
        send_templated_email(
            to=email,
            template_prefix="orders/email/freight_quote_requested",
            cluster=order.cluster,
            context={"order": order, "quotes": quotes},
        )
    return len(emails)


@task
def freight_quote_answered_notify(*, order_id: int) -> int:
    """Tell the shopper the freight is quoted: the price, and the link to pay or
    decline."""
    order = _order(order_id)
    if order is None or order.status != Order.Status.AWAITING_PAYMENT:
        return 0
    quotes = list(
        FreightQuote.objects.filter(
            order=order, status=FreightQuote.Status.QUOTED
        ).select_related("fulfilment")
    )
    if not quotes:
        return 0
    send_templated_email(
        to=order.email,
        template_prefix="orders/email/freight_quote_answered",
        cluster=order.cluster,
        context={"order": order, "quotes": quotes},
    )
    return 1


@task
def hub_parcel_shipped_notify(*, order_id: int) -> int:
    """Tell the customer their one parcel from the hub is on its way: every
    part in it, one carrier and one tracking number (docs/orders.md "Hub
    delivery")."""
    order = _order(order_id)
    parcel = Consignment.objects.filter(
        order_id=order_id, kind=Consignment.Kind.HUB
    ).first()
    if order is None or parcel is None or parcel.status != Consignment.Status.LEFT:
        return 0
    parts = [
        f
        for f in order.fulfilments.all()
        if f.via_hub and f.status == Fulfilment.Status.SHIPPED
    ]
    send_templated_email(
        to=order.email,
        template_prefix="orders/email/hub_parcel_shipped",
        cluster=order.cluster,
        context={
            "order": order,
            "parcel": parcel,
            "parts": parts,
            "check_id": any(f.check_id for f in parts),
        },
    )
    return 1
