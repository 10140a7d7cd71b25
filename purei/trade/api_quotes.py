"""Requests for quote and quotes over JSON (browser session for now).

- ``POST /clusters/{slug}/rfqs``: a trade buyer asks for a quote (lines by
  ``variant_id`` or written out); files are attached on the web page.
- ``GET /clusters/{slug}/rfqs``: the cluster's admins list its requests.
- ``GET /rfqs/{id}``: one request; the buyer and the cluster's admins see every line,
  a member's team only its own lines (never another member's price).
- ``POST /rfqs/{id}/lines/{line}/assign``: the admin names the member of a
  written-out line.
- ``POST /rfqs/{id}/lines/{line}/price``: the line's member prices it.
- ``POST /rfqs/{id}/quote``: the admin sends a quote (a new revision).
- ``GET /quotes/{id}``: one quote; ``POST /quotes/{id}/accept`` and
  ``POST /quotes/{id}/revision``: the buyer answers it.

401 when anonymous; 404 for what the actor may not see; 403 for what it may see but
not do; 409 for a move the status forbids; 422 naming each field at fault.
"""

import datetime as dt
from typing import Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import Actor, actor_from
from purei.core.api_inputs import InputSchema, QuerySchema
from purei.core.pagination import Paginated
from purei.members.models import Member, Membership
from purei.trade.models import Quote, QuoteLine, QuoteRequest, QuoteRequestLine
from purei.trade.selectors import (
    quote_get,
    quotes_for,
    rfq_get,
    rfq_lines_for,
    rfq_list_for_cluster,
    trade_account_for_buyer,
)
from purei.trade.services import (
    AddressInput,
    LinePriceInput,
    QuoteInput,
    RFQInput,
    RFQLineInput,
    quote_accept,
    quote_revision_ask,
    quote_send,
    rfq_create,
    rfq_line_assign,
    rfq_line_price,
)

from .api import TradeAddressIn

router = Router(tags=["quotes"])


# --- Schemas ---------------------------------------------------------------------


class RFQLineIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(ge=1, le=1_000_000)
    variant_id: int | None = Field(None, description="A product's variant, or…")
    description: str = Field("", max_length=300, description="…what is needed.")
    member: str = Field("", max_length=64, description="Who makes it, if known.")
    unit: str = Field("each", max_length=20)


class RFQIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    lines: list[RFQLineIn] = Field(min_length=1, max_length=100)
    incoterm: Literal["EXW", "FCA", "FOB", "CFR", "CIF", "DAP", "DDP"]
    named_place: str = Field(max_length=120, description="e.g. Brisbane")
    destination: TradeAddressIn | None = Field(
        None, description="Leave out for the account's delivery address."
    )
    needed_by: dt.date | None = None
    notes: str = Field("", max_length=2000)


class RFQLineOut(Schema):
    id: int
    position: int
    member: str | None
    variant_id: int | None
    sku: str
    description: str
    quantity: int
    unit: str
    priced: bool
    cannot_supply: bool
    unit_price_nzd_cents: int | None
    lead_time_days: int | None
    valid_until: dt.date | None
    unit_weight_grams: int | None
    hs_code: str
    origin_country: str
    attachments: list[str]

    @staticmethod
    def resolve_member(obj: QuoteRequestLine) -> str | None:
        return obj.member.slug if obj.member else None

    @staticmethod
    def resolve_priced(obj: QuoteRequestLine) -> bool:
        return obj.is_priced

    @staticmethod
    def resolve_attachments(obj: QuoteRequestLine) -> list[str]:
        return [attachment.name for attachment in obj.attachments.all()]


class QuoteLineOut(Schema):
    request_line: int = Field(alias="request_line_id")
    member: str
    description: str
    sku: str
    quantity: int
    unit: str
    unit_cents: int
    goods_cents: int
    freight_cents: int
    insurance_cents: int
    packing_cents: int
    gst_cents: int
    total_cents: int
    hs_code: str
    origin_country: str

    @staticmethod
    def resolve_member(obj: QuoteLine) -> str:
        return obj.member.slug


class QuoteOut(Schema):
    id: int
    request: str
    revision: int
    status: str
    currency: str
    fx_rate: str
    fx_source: str
    fx_as_of: dt.datetime
    incoterm: str
    named_place: str
    export: bool
    basis: str
    valid_until: dt.date
    payment_terms: str
    terms_days: int | None
    deposit_percent: int
    deposit_cents: int
    goods_cents: int
    freight_cents: int
    insurance_cents: int
    packing_cents: int
    gst_cents: int
    total_cents: int
    weight_grams: int
    notes: str
    buyer_note: str
    lines: list[QuoteLineOut]

    @staticmethod
    def resolve_request(obj: Quote) -> str:
        return obj.request.number or ""

    @staticmethod
    def resolve_fx_rate(obj: Quote) -> str:
        return str(obj.fx_rate)

    @staticmethod
    def resolve_lines(obj: Quote) -> list[QuoteLine]:
        return list(obj.lines.all())


class RFQOut(Schema):
    id: int
    number: str
    cluster: str
    account: int = Field(alias="account_id")
    status: str
    currency: str
    incoterm: str
    named_place: str
    destination: dict[str, str]
    needed_by: dt.date | None
    notes: str
    reason: str
    created_at: dt.datetime
    lines: list[RFQLineOut]
    quotes: list[QuoteOut]


class RFQSummaryOut(Schema):
    id: int
    number: str
    account: str
    status: str
    currency: str
    incoterm: str
    named_place: str
    created_at: dt.datetime

    @staticmethod
    def resolve_account(obj: QuoteRequest) -> str:
        return obj.account.name


class RFQFilter(QuerySchema):
    status: (
        Literal["open", "quoted", "revision", "accepted", "withdrawn", "declined"]
        | None
    ) = None


class AssignIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    member: str = Field(max_length=64)


class PriceIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    unit_price_nzd_cents: int | None = Field(None, description="Ex-GST, NZD cents.")
    lead_time_days: int | None = None
    valid_until: dt.date | None = None
    unit_weight_grams: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    hs_code: str = Field("", max_length=16)
    origin_country: str = Field("NZ", max_length=2)
    cannot_supply: bool = False
    note: str = Field("", max_length=2000)


class QuoteIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    basis: Literal["weight", "value"] = "weight"
    freight_nzd_cents: int = Field(0, ge=0)
    insurance_nzd_cents: int = Field(0, ge=0)
    packing_nzd_cents: int = Field(0, ge=0)
    valid_until: dt.date
    notes: str = Field("", max_length=2000)


class RevisionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(max_length=2000, description="What should change.")


# --- Helpers ---------------------------------------------------------------------


def _rfq_out(actor: Actor, request: QuoteRequest) -> dict[str, object]:
    return {
        "id": request.pk,
        "number": request.number or "",
        "cluster": request.cluster.slug,
        "account_id": request.account_id,
        "status": request.status,
        "currency": request.currency,
        "incoterm": request.incoterm,
        "named_place": request.named_place,
        "destination": request.destination,
        "needed_by": request.needed_by,
        "notes": request.notes,
        "reason": request.reason,
        "created_at": request.created_at,
        "lines": list(rfq_lines_for(actor=actor, request=request)),
        "quotes": quotes_for(actor=actor, request=request),
    }


def _line(request: QuoteRequest, line_id: int) -> QuoteRequestLine:
    line = request.lines.select_related("request").filter(pk=line_id).first()
    if line is None:
        raise Http404(_("This request has no such line."))
    return line


# --- Endpoints ---------------------------------------------------------------------


@router.post(
    "/clusters/{slug}/rfqs",
    response={201: RFQOut},
    auth=django_auth,
    url_name="rfq-create",
    summary="Ask a cluster for a quote (a trade buyer)",
)
def rfq_create_api(
    request: HttpRequest, slug: str, payload: RFQIn
) -> Status[dict[str, object]]:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    account = trade_account_for_buyer(actor=actor, cluster=cluster)
    if account is None:
        raise Http404(_("You have no trade account with this cluster."))
    destination = (
        AddressInput(**payload.destination.model_dump())
        if payload.destination is not None
        else AddressInput(**account.delivery_address)
    )
    rfq = rfq_create(
        actor=actor,
        account=account,
        rfq=RFQInput(
            lines=[RFQLineInput(**line.model_dump()) for line in payload.lines],
            incoterm=payload.incoterm,
            named_place=payload.named_place,
            destination=destination,
            needed_by=payload.needed_by,
            notes=payload.notes,
        ),
    )
    return Status(201, _rfq_out(actor, rfq))


@router.get(
    "/clusters/{slug}/rfqs",
    response=list[RFQSummaryOut],
    auth=django_auth,
    url_name="rfq-list",
    summary="List a cluster's requests for quote (its admins)",
)
@paginate(Paginated)
def rfq_list_api(
    request: HttpRequest, slug: str, filters: Query[RFQFilter]
) -> QuerySet[QuoteRequest]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return rfq_list_for_cluster(actor=actor, cluster=cluster, status=filters.status)


@router.get(
    "/rfqs/{rfq_id}",
    response=RFQOut,
    auth=django_auth,
    url_name="rfq-get",
    summary="One request for quote (a member sees only its own lines)",
)
def rfq_get_api(request: HttpRequest, rfq_id: int) -> dict[str, object]:
    actor = actor_from(request)
    return _rfq_out(actor, rfq_get(actor=actor, pk=rfq_id))


@router.post(
    "/rfqs/{rfq_id}/lines/{line_id}/assign",
    response=RFQLineOut,
    auth=django_auth,
    url_name="rfq-line-assign",
    summary="Name the member of a written-out line (the cluster's admins)",
)
def rfq_line_assign_api(
    request: HttpRequest, rfq_id: int, line_id: int, payload: AssignIn
) -> QuoteRequestLine:
    actor = actor_from(request)
    rfq = rfq_get(actor=actor, pk=rfq_id)
    member = Member.objects.filter(
        slug=payload.member,
        memberships__cluster_id=rfq.cluster_id,
        memberships__status=Membership.Status.APPROVED,
    ).first()
    if member is None:
        raise Http404(_("No member of this cluster has this name."))
    return rfq_line_assign(actor=actor, line=_line(rfq, line_id), member=member)


@router.post(
    "/rfqs/{rfq_id}/lines/{line_id}/price",
    response=RFQLineOut,
    auth=django_auth,
    url_name="rfq-line-price",
    summary="Price a line (its member's team)",
)
def rfq_line_price_api(
    request: HttpRequest, rfq_id: int, line_id: int, payload: PriceIn
) -> QuoteRequestLine:
    actor = actor_from(request)
    rfq = rfq_get(actor=actor, pk=rfq_id)
    line = rfq_lines_for(actor=actor, request=rfq).filter(pk=line_id).first()
    if line is None:
        raise Http404(_("This request has no such line of yours."))
    return rfq_line_price(
        actor=actor, line=line, price=LinePriceInput(**payload.model_dump())
    )


@router.post(
    "/rfqs/{rfq_id}/quote",
    response={201: QuoteOut},
    auth=django_auth,
    url_name="rfq-quote",
    summary="Send the buyer a quote, a new revision (the cluster's admins)",
)
def rfq_quote_api(request: HttpRequest, rfq_id: int, payload: QuoteIn) -> Status[Quote]:
    actor = actor_from(request)
    rfq = rfq_get(actor=actor, pk=rfq_id)
    quote = quote_send(
        actor=actor, request=rfq, quote=QuoteInput(**payload.model_dump())
    )
    return Status(201, quote)


@router.get(
    "/quotes/{quote_id}",
    response=QuoteOut,
    auth=django_auth,
    url_name="quote-get",
    summary="One quote (its buyer, the cluster's admins)",
)
def quote_get_api(request: HttpRequest, quote_id: int) -> Quote:
    return quote_get(actor=actor_from(request), pk=quote_id)


@router.post(
    "/quotes/{quote_id}/accept",
    response=QuoteOut,
    auth=django_auth,
    url_name="quote-accept",
    summary="Accept the newest quote while it is valid (its buyer)",
)
def quote_accept_api(request: HttpRequest, quote_id: int) -> Quote:
    actor = actor_from(request)
    return quote_accept(actor=actor, quote=quote_get(actor=actor, pk=quote_id))


@router.post(
    "/quotes/{quote_id}/revision",
    response=QuoteOut,
    auth=django_auth,
    url_name="quote-revision",
    summary="Ask for a revision of the newest quote (its buyer)",
)
def quote_revision_api(
    request: HttpRequest, quote_id: int, payload: RevisionIn
) -> Quote:
    actor = actor_from(request)
    return quote_revision_ask(
        actor=actor, quote=quote_get(actor=actor, pk=quote_id), note=payload.note
    )
