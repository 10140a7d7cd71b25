"""Trade orders over JSON: ``GET /trade-orders/{number}`` — the order an accepted
quote became, its parts, its consignment, what its export needs and where its
money stands (terms, invoice and due dates, payments, what is owed). For its
buyers, its cluster's admins and platform staff; 404 for anyone else.
``POST /trade-orders/{number}/payments``: a cluster admin records money that
arrived (docs/trade.md "Getting paid")."""

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.core.downloads import private_download
from purei.orders.models import Consignment
from purei.orders.services.consignments import export_warnings
from purei.trade.models import TradeOrder
from purei.trade.papers import (
    commercial_invoice_pdf,
    declaration_of_origin_pdf,
    packing_list_pdf,
)
from purei.trade.selectors import trade_order_get
from purei.trade.services import (
    TradePaymentInput,
    trade_order_outstanding,
    trade_payment_record,
)

router = Router(tags=["trade orders"])


class PartOut(Schema):
    member: str
    status: str
    goods_cents: int
    charges_cents: int
    gst_cents: int
    total_cents: int
    weight_grams: int | None


class PackageOut(Schema):
    kind: str
    contents: str
    marks: str
    length_mm: int
    width_mm: int
    height_mm: int
    net_weight_grams: int
    gross_weight_grams: int


class ConsignmentOut(Schema):
    status: str
    consolidation_point: str
    carrier: str
    waybill: str
    left_on: dt.date | None
    packages: list[PackageOut]


class TradePaymentOut(Schema):
    reference: str
    kind: str
    currency: str
    amount_cents: int
    received_nzd_cents: int
    settles_nzd_cents: int
    fx_difference_nzd_cents: int
    received_on: dt.date


class TradeOrderOut(Schema):
    number: str
    cluster: str
    request: str
    revision: int
    status: str
    currency: str
    fx_rate: str
    total_cents: int
    deposit_cents: int
    payment_terms: str
    nzd_total_cents: int
    nzd_gst_cents: int
    zero_rated: bool
    parts: list[PartOut]
    consignment: ConsignmentOut | None
    consignment_id: int | None
    warnings: list[str]
    payment_state: str
    on_account: bool
    terms_in_force: str
    terms_note: str
    invoice_date: dt.date | None
    due_on: dt.date | None
    paid_cents: int
    owed_cents: int
    owed_nzd_cents: int
    payments: list[TradePaymentOut]


class TradePaymentIn(InputSchema):
    amount_cents: int = Field(description="What arrived, in the order's currency.")
    received_nzd_cents: int | None = Field(
        None, description="For AUD and USD: the NZD the bank credited."
    )
    received_on: dt.date | None = None
    note: str = Field("", max_length=300)


@router.get(
    "/trade-orders/{number}",
    response=TradeOrderOut,
    auth=django_auth,
    url_name="trade-order-get",
    summary="One trade order: its parts, consignment and export needs",
)
def trade_order_get_api(request: HttpRequest, number: str) -> dict[str, object]:
    made = trade_order_get(actor=actor_from(request), number=number[:16])
    return _trade_order_out(made)


def _payments_out(made: TradeOrder) -> list[dict[str, object]]:
    return [
        {
            "reference": p.reference,
            "kind": p.kind,
            "currency": p.currency,
            "amount_cents": p.amount_cents,
            "received_nzd_cents": p.received_cents,
            "settles_nzd_cents": p.settles_cents,
            "fx_difference_nzd_cents": p.fx_difference_cents,
            "received_on": p.received_on,
        }
        for p in made.payments.order_by("pk")
    ]


def _trade_order_out(made: TradeOrder) -> dict[str, object]:
    order = made.order
    owed = trade_order_outstanding(made)
    consignment = Consignment.objects.filter(order=order).first()
    return {
        "number": order.number,
        "cluster": order.cluster.slug,
        "request": made.quote.request.number or "",
        "revision": made.quote.revision,
        "status": order.status,
        "currency": made.currency,
        "fx_rate": str(made.fx_rate),
        "total_cents": made.total_cents,
        "deposit_cents": made.deposit_cents,
        "payment_terms": made.payment_terms,
        "nzd_total_cents": order.total_cents,
        "nzd_gst_cents": order.gst_cents,
        "zero_rated": order.zero_rated,
        "parts": [
            {
                "member": part.member.slug,
                "status": part.status,
                "goods_cents": part.goods_cents,
                "charges_cents": part.shipping_cents,
                "gst_cents": part.gst_cents,
                "total_cents": part.total_cents,
                "weight_grams": part.weight_grams,
            }
            for part in order.fulfilments.select_related("member").order_by("pk")
        ],
        "consignment": (
            {
                "status": consignment.status,
                "consolidation_point": consignment.consolidation_point,
                "carrier": consignment.carrier,
                "waybill": consignment.waybill,
                "left_on": consignment.left_on,
                "packages": list(consignment.packages.all()),
            }
            if consignment is not None
            else None
        ),
        "consignment_id": consignment.pk if consignment is not None else None,
        "warnings": export_warnings(order),
        "payment_state": order.payment_state,
        "on_account": made.on_account,
        "terms_in_force": made.terms_in_force,
        "terms_note": made.terms_note,
        "invoice_date": (
            timezone.localdate(made.invoiced_at) if made.invoiced_at else None
        ),
        "due_on": made.due_on,
        "paid_cents": owed.paid_cents,
        "owed_cents": owed.due_cents,
        "owed_nzd_cents": owed.nzd_cents,
        "payments": _payments_out(made),
    }


@router.post(
    "/trade-orders/{number}/payments",
    response={201: TradeOrderOut},
    auth=django_auth,
    url_name="trade-order-payment",
    summary="Record a payment that arrived for a trade order (cluster admin)",
)
def trade_order_payment_api(
    request: HttpRequest, number: str, payload: TradePaymentIn
) -> Status[dict[str, object]]:
    actor = actor_from(request)
    made = trade_order_get(actor=actor, number=number[:16])
    trade_payment_record(
        actor=actor, made=made, payment=TradePaymentInput(**payload.model_dump())
    )
    made.refresh_from_db()
    return Status(201, _trade_order_out(made))


def _consignment_order(request: HttpRequest, consignment_id: int) -> TradeOrder:
    consignment = (
        Consignment.objects.select_related("order").filter(pk=consignment_id).first()
    )
    if consignment is None:
        raise Http404(_("No consignment of yours has this number."))
    return trade_order_get(actor=actor_from(request), number=consignment.order.number)


def _pdf(content: bytes, name: str) -> HttpResponse:
    return private_download(content, "application/pdf", name)


@router.get(
    "/consignments/{consignment_id}/commercial-invoice.pdf",
    auth=django_auth,
    url_name="consignment-commercial-invoice",
    summary="The consignment's commercial invoice (PDF)",
)
def commercial_invoice_api(request: HttpRequest, consignment_id: int) -> HttpResponse:
    made = _consignment_order(request, consignment_id)
    return _pdf(commercial_invoice_pdf(made), f"{made.order.number}-CI.pdf")


@router.get(
    "/consignments/{consignment_id}/packing-list.pdf",
    auth=django_auth,
    url_name="consignment-packing-list",
    summary="The consignment's packing list (PDF)",
)
def packing_list_api(request: HttpRequest, consignment_id: int) -> HttpResponse:
    made = _consignment_order(request, consignment_id)
    return _pdf(packing_list_pdf(made), f"{made.order.number}-PL.pdf")


@router.get(
    "/consignments/{consignment_id}/declaration-of-origin.pdf",
    auth=django_auth,
    url_name="consignment-declaration-of-origin",
    summary="The exporter's declaration of origin for ANZCERTA (PDF)",
)
def declaration_of_origin_api(
    request: HttpRequest, consignment_id: int
) -> HttpResponse:
    made = _consignment_order(request, consignment_id)
    return _pdf(declaration_of_origin_pdf(made), f"{made.order.number}-DO.pdf")
