"""A member's fulfilments over JSON, for its team (session authentication for now):
list them, read one, move one along. Cancelling one (or some of its lines), which
gives money back, is settlement's endpoint (``purei.settlement.api``).

401 when anonymous, 404 outside scope (another member's team, any cluster's admins,
the customer), 403 for platform staff on a change (they may read), 409 for a move
the fulfilment's state does not allow, 422 naming each field at fault.
"""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema, QuerySchema
from purei.core.errors import ValidationFailed
from purei.core.pagination import Mapped, Paginated
from purei.members.selectors import member_get_for_team
from purei.orders.models import Fulfilment
from purei.orders.selectors import (
    fulfilment_get_for_team,
    fulfilment_status_values,
    fulfilments_for_member,
)
from purei.orders.services.fulfilment import (
    FulfilmentErrorCode,
    can_cancel,
    fulfilment_advance,
    moves_for,
)

router = Router(tags=["orders"])


class LineOut(Schema):
    id: int
    sku: str
    title: str
    variant_name: str
    quantity: int = Field(description="Still to send (ordered less cancelled).")
    cancelled_quantity: int
    unit_price_cents: int = Field(description="NZD, GST-inclusive.")
    total_cents: int
    gst_cents: int
    restricted_r18: bool


class PickupOut(Schema):
    code: str
    event: str | None = Field(description="The pickup event's name, if at one.")


class AddressOut(Schema):
    name: str
    line1: str
    line2: str
    suburb: str
    town: str
    postcode: str
    region: str | None = Field(description="ISO 3166-2:NZ code.")
    state: str
    country: str
    rural_delivery: bool
    phone: str


class FulfilmentOut(Schema):
    order: str = Field(description="The order number.")
    ordered_at: str = Field(description="ISO 8601.")
    order_status: str = Field(description="awaiting_payment, paid or cancelled.")
    customer: str
    status: str = Field(
        description="new, packed, shipped, ready, delivered, collected, cancelled."
    )
    method: str = Field(description="delivery, pickup_premises or pickup_event.")
    check_id: bool = Field(description="R18 goods: check ID on delivery / pickup.")
    chilled: bool = Field(description="Chilled or frozen goods: send chilled.")
    delivery_on: dt.date | None = Field(description="The delivery day chosen.")
    dispatch_on: dt.date | None = Field(description="The day to send it.")
    carrier: str
    tracking_number: str
    via_hub: bool = Field(
        False,
        description=(
            "Sent in the order's one parcel from the cluster's hub: drop it at the "
            "hub (POST …/hub-drop); the hub ships it. shipping_cents is its share."
        ),
    )
    hub_dropped_at: dt.datetime | None = None
    goods_cents: int
    shipping_cents: int
    gst_cents: int
    total_cents: int
    next: list[str] = Field(description="The statuses it may move to now.")
    can_cancel: bool
    ship_to: AddressOut | None
    pickup: PickupOut | None
    lines: list[LineOut]


class ListFilter(QuerySchema):
    status: str | None = Field(
        None,
        description=(
            "A status, or a tab: to_pack, to_send, sent, done, cancelled, "
            "awaiting_payment."
        ),
    )


class AdvanceIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    to: str = Field(description="packed, shipped, ready, delivered or collected.")
    carrier: str = Field("", max_length=64, description="Required to ship.")
    tracking_number: str = Field("", max_length=64)


def fulfilment_out(fulfilment: Fulfilment) -> FulfilmentOut:
    order = fulfilment.order
    paid = order.may_fulfil
    delivery = fulfilment.method == Fulfilment.Method.DELIVERY
    event = fulfilment.pickup_event
    return FulfilmentOut(
        order=order.number,
        ordered_at=order.created_at.isoformat(),
        order_status=order.status,
        customer=order.name,
        status=fulfilment.status,
        method=fulfilment.method,
        check_id=fulfilment.check_id,
        chilled=fulfilment.chilled,
        delivery_on=fulfilment.delivery_on,
        dispatch_on=fulfilment.dispatch_on,
        carrier=fulfilment.carrier,
        tracking_number=fulfilment.tracking_number,
        via_hub=fulfilment.via_hub,
        hub_dropped_at=fulfilment.hub_dropped_at,
        goods_cents=fulfilment.goods_cents,
        shipping_cents=fulfilment.shipping_cents,
        gst_cents=fulfilment.gst_cents,
        total_cents=fulfilment.total_cents,
        next=moves_for(fulfilment) if paid else [],
        can_cancel=can_cancel(fulfilment),
        ship_to=AddressOut(
            name=order.name,
            line1=order.address_line1,
            line2=order.address_line2,
            suburb=order.suburb,
            town=order.town,
            postcode=order.postcode,
            region=order.region.code if order.region_id and order.region else None,
            state=order.state,
            country=order.country,
            rural_delivery=order.rural_delivery,
            phone=order.phone,
        )
        if delivery
        else None,
        pickup=None
        if delivery
        else PickupOut(
            code=fulfilment.pickup_code,
            event=event.name if event is not None else None,
        ),
        lines=[
            LineOut(
                id=line.pk,
                sku=line.sku,
                title=line.title,
                variant_name=line.variant_name,
                quantity=line.live_quantity,
                cancelled_quantity=line.cancelled_quantity,
                unit_price_cents=line.unit_price_cents,
                total_cents=line.total_cents,
                gst_cents=line.gst_cents,
                restricted_r18=line.restricted_r18,
            )
            for line in fulfilment.lines.all()
        ],
    )


def _get(request: HttpRequest, slug: str, number: str) -> Fulfilment:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    return fulfilment_get_for_team(actor, member, number)


@router.get(
    "/members/{slug}/fulfilments",
    response=list[FulfilmentOut],
    auth=django_auth,
    summary="Your business's part of each order",
)
@paginate(Paginated)
def fulfilment_list_api(
    request: HttpRequest, slug: str, filters: Query[ListFilter]
) -> Mapped[Fulfilment, FulfilmentOut]:
    """Newest first; ``status`` picks a status or a tab (the tabs of work to do
    hold only paid orders)."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    try:
        fulfilment_status_values(filters.status)
    except ValueError:
        raise ValidationFailed(
            FulfilmentErrorCode.INVALID_INPUT,
            {"status": [_("Unknown status or tab.")]},
        ) from None
    fulfilments = fulfilments_for_member(actor, member, status=filters.status)
    return Mapped(fulfilments, fulfilment_out)


@router.get(
    "/members/{slug}/fulfilments/{number}",
    response=FulfilmentOut,
    auth=django_auth,
    summary="Your business's part of one order",
)
def fulfilment_get_api(request: HttpRequest, slug: str, number: str) -> FulfilmentOut:
    return fulfilment_out(_get(request, slug, number))


@router.post(
    "/members/{slug}/fulfilments/{number}/advance",
    response=FulfilmentOut,
    auth=django_auth,
    summary="Move your part of an order along",
)
def fulfilment_advance_api(
    request: HttpRequest, slug: str, number: str, payload: AdvanceIn
) -> FulfilmentOut:
    """new → packed; new or packed → shipped (delivery, with ``carrier``) or ready
    (pickup); shipped → delivered; ready → collected. Paid orders only (409)."""
    actor = actor_from(request)
    fulfilment = _get(request, slug, number)
    fulfilment_advance(
        actor=actor,
        fulfilment=fulfilment,
        to=payload.to,
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
    )
    return fulfilment_out(_get(request, slug, number))
