"""Freight quote requests over JSON, for the cluster's admins (session
authentication): list a cluster's, read one, answer one (docs/orders.md "Freight
on quote"). The shopper reads the request in ``GET /orders/{number}`` and
declines with ``POST /orders/{number}/freight/decline`` (``api_shop``).

401 when anonymous, 404 outside scope (another cluster's admins, members,
customers), 403 for platform staff on an answer (they may read), 409 for a
request no longer waiting, 422 naming each field at fault.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.orders.freight_selectors import (
    FREIGHT_FILTERS,
    freight_quote_get_for,
    freight_quotes_for_cluster,
)
from purei.orders.models import FreightQuote
from purei.orders.services.freight import FreightAnswer, freight_quote_answer

router = Router(tags=["freight quotes"])


class FreightLineOut(Schema):
    sku: str
    title: str
    variant_name: str
    quantity: int
    weight_grams: int = Field(description="Of the whole line.")


class FreightDestinationOut(Schema):
    name: str
    phone: str
    line1: str
    line2: str
    suburb: str
    town: str
    postcode: str
    region: str | None = Field(description="ISO 3166-2:NZ code.")
    rural_delivery: bool
    zone: str


class FreightQuoteAdminOut(Schema):
    id: int
    order: str = Field(description="The order's number.")
    order_status: str
    member: str = Field(description="The member's slug.")
    supplier_name: str
    status: str = Field(
        description="requested, quoted, paid, declined, expired or cancelled."
    )
    reason: str = Field(
        description="goods (marked freight on quote) or weight (no rate carries it)."
    )
    weight_grams: int
    charges_gst: bool = Field(
        description="The part's supplier charges GST: the price includes it."
    )
    lines: list[FreightLineOut]
    deliver_to: FreightDestinationOut
    price_cents: int | None = Field(description="NZD cents; null until quoted.")
    gst_cents: int
    carrier: str
    note: str
    expires_at: dt.datetime = Field(description="Unanswered, it lapses then.")
    answered_at: dt.datetime | None


class FreightAnswerIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    price: str = Field(
        max_length=20,
        description="NZD, what the shopper pays (including GST when charges_gst), "
        "e.g. “184.00”.",
    )
    carrier: str = Field("", max_length=64)
    note: str = Field("", max_length=1000, description="Shown to the shopper.")


def freight_quote_admin_out(quote: FreightQuote) -> FreightQuoteAdminOut:
    order, fulfilment = quote.order, quote.fulfilment
    return FreightQuoteAdminOut(
        id=quote.pk,
        order=order.number,
        order_status=order.status,
        member=fulfilment.member.slug,
        supplier_name=fulfilment.supplier_name,
        status=quote.status,
        reason=quote.reason,
        weight_grams=fulfilment.weight_grams,
        charges_gst=fulfilment.gst_registered and not order.zero_rated,
        lines=[
            FreightLineOut(
                sku=line.sku,
                title=line.title,
                variant_name=line.variant_name,
                quantity=line.quantity,
                weight_grams=line.weight_grams,
            )
            for line in fulfilment.lines.all()
        ],
        deliver_to=FreightDestinationOut(
            name=order.name,
            phone=order.phone,
            line1=order.address_line1,
            line2=order.address_line2,
            suburb=order.suburb,
            town=order.town,
            postcode=order.postcode,
            region=order.region.code if order.region else None,
            rural_delivery=order.rural_delivery,
            zone=order.zone,
        ),
        price_cents=quote.price_cents,
        gst_cents=quote.gst_cents,
        carrier=quote.carrier,
        note=quote.note,
        expires_at=quote.expires_at,
        answered_at=quote.answered_at,
    )


@router.get(
    "/clusters/{slug}/freight-quotes",
    response=list[FreightQuoteAdminOut],
    auth=django_auth,
    summary="A cluster's freight quote requests",
)
def freight_quote_list_api(
    request: HttpRequest, slug: str, show: Annotated[str, Query(max_length=16)] = "open"
) -> list[FreightQuoteAdminOut]:
    """``show=open`` (the default): waiting for an answer, soonest to lapse
    first; ``show=all``: every request, newest first (at most 100)."""
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    show = show if show in FREIGHT_FILTERS else "open"
    quotes = freight_quotes_for_cluster(actor=actor, cluster=cluster, show=show)
    return [freight_quote_admin_out(quote) for quote in quotes[:100]]


@router.get(
    "/freight-quotes/{quote_id}",
    response=FreightQuoteAdminOut,
    auth=django_auth,
    summary="One freight quote request",
)
def freight_quote_get_api(request: HttpRequest, quote_id: int) -> FreightQuoteAdminOut:
    quote = freight_quote_get_for(actor=actor_from(request), quote_id=quote_id)
    return freight_quote_admin_out(quote)


@router.post(
    "/freight-quotes/{quote_id}/answer",
    response=FreightQuoteAdminOut,
    auth=django_auth,
    summary="Answer a freight quote request with a price",
)
def freight_quote_answer_api(
    request: HttpRequest, quote_id: int, payload: FreightAnswerIn
) -> FreightQuoteAdminOut:
    """The price becomes the part's shipping charge and the order's totals grow
    by it; the shopper is emailed the order's link to pay or decline."""
    actor = actor_from(request)
    quote = freight_quote_get_for(actor=actor, quote_id=quote_id)
    freight_quote_answer(
        actor=actor,
        quote=quote,
        answer=FreightAnswer(
            price=payload.price, carrier=payload.carrier, note=payload.note
        ),
    )
    return freight_quote_admin_out(
        freight_quote_get_for(actor=actor, quote_id=quote_id)
    )
