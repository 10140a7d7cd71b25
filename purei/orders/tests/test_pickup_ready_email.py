"""The pickup-ready email says where (the address), at which stall and when (the
hours), besides the code, and links to the order's page."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from purei.clusters.models import Cluster
from purei.members.models import Member
from purei.orders.models import Fulfilment, Order
from purei.orders.tasks import fulfilment_ready_notify
from purei.orders.tests.factories import (
    PickupEventFactory,
    ShippingPolicyFactory,
    order_with_parts,
    variant_of,
)

pytestmark = pytest.mark.django_db


def _ready(order: Order) -> Fulfilment:
    part = order.fulfilments.get()
    Fulfilment.objects.filter(pk=part.pk).update(status=Fulfilment.Status.READY)
    return part


def test_at_an_event_it_gives_the_address_stall_and_hours(
    cluster_x: Cluster, member_a: Member
):
    # given
    Cluster.objects.filter(pk=cluster_x.pk).update(
        contact_email="kiaora@cluster-x.example.nz", colour_primary="#5b2a86"
    )
    event = PickupEventFactory.create(
        cluster=cluster_x,
        name_en="Martinborough Fair",
        venue="Martinborough Square",
        address="The Square, Martinborough 5711",
        collection_point="Stall 14, beside the war memorial",
    )
    variant = variant_of(member_a, sku="MUG-1", price_cents=4500)
    order = order_with_parts(
        cluster_x,
        [(member_a, [(variant, 1)])],
        method="pickup_event",
        pickup_event=event,
    )
    part = _ready(order)
    # when
    assert fulfilment_ready_notify.call(fulfilment_id=part.pk) == 1
    # then
    [message] = mail.outbox
    body = message.body
    assert "Your pickup code: K7M2QX" in body
    assert "Event: Martinborough Fair" in body
    assert "Address: Martinborough Square, The Square, Martinborough 5711" in body
    assert "Stall or collection point: Stall 14, beside the war memorial" in body
    # the hours, in the event's own time zone (Sat 2 Feb 2030, 9 am to 4 pm NZDT)
    hours = next(line for line in body.splitlines() if line.startswith("Hours:"))
    assert "2 February 2030" in hours or "2 Feb" in hours
    assert f"/orders/{order.number}/?key=" in body
    assert isinstance(message, EmailMultiAlternatives)
    [(html, _type)] = message.alternatives
    assert "Stall 14, beside the war memorial" in str(html)
    assert "#5b2a86" in str(html)
    assert message.reply_to == ["kiaora@cluster-x.example.nz"]
    assert message.from_email.startswith(f'"{cluster_x.name_en} via Pūrei"') or (
        message.from_email.startswith(f"{cluster_x.name_en} via Pūrei")
    )


def test_from_the_maker_it_gives_their_pickup_address_and_hours(
    cluster_x: Cluster, member_a: Member
):
    # given
    ShippingPolicyFactory.create(
        member=member_a,
        pickup_at_premises=True,
        pickup_address="12 Kiln Lane, Greytown 5712",
        pickup_instructions="Weekdays 9 am to 5 pm; ring the bell at the studio.",
    )
    variant = variant_of(member_a, sku="MUG-2", price_cents=3000)
    order = order_with_parts(
        cluster_x, [(member_a, [(variant, 1)])], method="pickup_premises"
    )
    part = _ready(order)
    # when
    fulfilment_ready_notify.call(fulfilment_id=part.pk)
    # then
    [message] = mail.outbox
    assert "Address: 12 Kiln Lane, Greytown 5712" in message.body
    assert "Hours: Weekdays 9 am to 5 pm; ring the bell at the studio." in message.body
    assert "Event:" not in message.body
