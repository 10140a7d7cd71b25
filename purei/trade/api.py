"""Trade accounts over JSON (browser session for now).

- ``POST /clusters/{slug}/trade-accounts``: a business applies (logged in); the
  person applying becomes its trade buyer.
- ``GET /clusters/{slug}/trade-accounts``: the cluster's admins (and platform staff)
  list them (``?status=``).
- ``GET /trade-accounts/{id}``: one account, for its own buyers and the cluster's
  admins.
- ``GET /trade-accounts/{id}/statement``: its statement of account — open invoices
  with their due dates, aged (docs/trade.md "Statements") — for the same people.
- ``POST /clusters/{slug}/trade-accounts/{id}/approve`` (with the terms) and
  ``…/decline`` (with the reason): the cluster's admins decide.

401 when anonymous; 404 for a cluster or account the actor may not see; 403 for one
they may see but not decide (platform staff); 409 for a move its status forbids.
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema, QuerySchema
from purei.core.pagination import Paginated
from purei.core.ratelimit import rate_limit_request
from purei.trade.models import TradeAccount
from purei.trade.selectors import (
    trade_account_get,
    trade_account_get_for_admin,
    trade_account_list_for_cluster,
)
from purei.trade.services import (
    MAX_REASON,
    AddressInput,
    TradeApplication,
    TradeTermsInput,
    trade_account_apply,
    trade_account_approve,
    trade_account_decline,
)
from purei.trade.statement import statement_for

router = Router(tags=["trade"])


class TradeAddressIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    line1: str = Field(max_length=120)
    line2: str = Field("", max_length=120)
    city: str = Field(max_length=80)
    region: str = Field("", max_length=80, description="State or region.")
    postcode: str = Field(max_length=12)
    country: str = Field(max_length=2, description="ISO 3166-1 alpha-2, e.g. AU.")


class TradeAccountIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["distributor", "retailer", "importer", "hospitality"]
    legal_name: str = Field(max_length=200)
    trading_name: str = Field("", max_length=200)
    country: str = Field(max_length=2, description="ISO 3166-1 alpha-2, e.g. NZ.")
    nzbn: str = Field("", max_length=20, description="Required in New Zealand.")
    abn: str = Field("", max_length=20, description="Required in Australia.")
    gst_registered: bool = Field(
        False,
        description="Registered for GST (in Australia: the statement that it is, "
        "and buys for business use).",
    )
    gst_number: str = Field("", max_length=16)
    currency: Literal["NZD", "AUD", "USD"] = "NZD"
    contact_name: str = Field(max_length=120)
    contact_email: str = Field(max_length=254)
    contact_phone: str = Field("", max_length=32)
    accounts_email: str = Field("", max_length=254)
    delivery_address: TradeAddressIn
    billing_address: TradeAddressIn | None = Field(
        None, description="Leave out to bill the delivery address."
    )
    message: str = Field("", max_length=2000)


class TermsIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    payment_terms: Literal["proforma", "net_7", "twentieth", "net_days"] = "proforma"
    terms_days: int | None = Field(None, ge=1, le=365)
    deposit_percent: int = Field(0, ge=0, le=100)
    credit_limit_cents: int | None = Field(None, ge=0)
    first_order_proforma: bool = True
    reason: str = Field("", max_length=MAX_REASON)


class TradeReasonIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=MAX_REASON, description="Emailed to the business.")


class TradeAccountOut(Schema):
    id: int
    cluster: str
    status: str
    kind: str
    legal_name: str
    trading_name: str
    country: str
    nzbn: str
    abn: str
    gst_registered: bool
    currency: str
    contact_name: str
    contact_email: str
    applied_at: datetime
    decided_at: datetime | None
    reason: str
    payment_terms: str
    terms_days: int | None
    deposit_percent: int
    credit_limit_cents: int | None
    first_order_proforma: bool

    @staticmethod
    def resolve_cluster(obj: TradeAccount) -> str:
        return obj.cluster.slug


class TradeAccountFilter(QuerySchema):
    status: Literal["applied", "approved", "declined", "suspended"] | None = None


def _address(address: TradeAddressIn | None) -> AddressInput | None:
    return AddressInput(**address.model_dump()) if address is not None else None


@router.post(
    "/clusters/{slug}/trade-accounts",
    response={201: TradeAccountOut},
    auth=django_auth,
    url_name="trade-account-apply",
    summary="Apply for a trade account with a cluster",
)
def trade_account_apply_api(
    request: HttpRequest, slug: str, payload: TradeAccountIn
) -> Status[TradeAccount]:
    actor = actor_from(request)
    rate_limit_request(request, "trade_application", account=request.user.pk)
    cluster = cluster_get_live(actor=actor, slug=slug)
    values = payload.model_dump(exclude={"delivery_address", "billing_address"})
    account = trade_account_apply(
        actor=actor,
        cluster=cluster,
        application=TradeApplication(
            **values,
            delivery_address=AddressInput(**payload.delivery_address.model_dump()),
            billing_address=_address(payload.billing_address),
        ),
    )
    return Status(201, account)


@router.get(
    "/clusters/{slug}/trade-accounts",
    response=list[TradeAccountOut],
    auth=django_auth,
    url_name="trade-account-list",
    summary="List a cluster's trade accounts (its admins)",
)
@paginate(Paginated)
def trade_account_list_api(
    request: HttpRequest, slug: str, filters: Query[TradeAccountFilter]
) -> QuerySet[TradeAccount]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return trade_account_list_for_cluster(
        actor=actor, cluster=cluster, status=filters.status
    ).select_related("cluster")


@router.get(
    "/trade-accounts/{account_id}",
    response=TradeAccountOut,
    auth=django_auth,
    url_name="trade-account-get",
    summary="One trade account (its buyers, the cluster's admins)",
)
def trade_account_get_api(request: HttpRequest, account_id: int) -> TradeAccount:
    return trade_account_get(actor=actor_from(request), account_id=account_id)


class OpenInvoiceOut(Schema):
    order: str
    invoice_date: date
    due_on: date
    currency: str
    total_cents: int
    paid_cents: int
    owed_cents: int
    owed_nzd_cents: int
    days_overdue: int
    bucket: str = Field(description="current, 1_30, 31_60, 61_90 or 90_plus.")


class AgingOut(Schema):
    bucket: str
    owed_cents: int = Field(description="In the account's currency.")
    owed_nzd_cents: int


class TradeStatementOut(Schema):
    account: int
    name: str
    currency: str
    as_of: date
    invoices: list[OpenInvoiceOut]
    aging: list[AgingOut]
    total_cents: int
    total_nzd_cents: int


@router.get(
    "/trade-accounts/{account_id}/statement",
    response=TradeStatementOut,
    auth=django_auth,
    url_name="trade-account-statement",
    summary="A trade account's statement: open invoices, due dates and aging",
)
def trade_account_statement_api(
    request: HttpRequest, account_id: int
) -> dict[str, object]:
    account = trade_account_get(actor=actor_from(request), account_id=account_id)
    statement = statement_for(account)
    return {
        "account": account.pk,
        "name": account.name,
        "currency": statement.currency,
        "as_of": statement.as_of,
        "invoices": [
            {
                "order": inv.number,
                "invoice_date": inv.invoice_date,
                "due_on": inv.due_on,
                "currency": inv.currency,
                "total_cents": inv.total_cents,
                "paid_cents": inv.paid_cents,
                "owed_cents": inv.owed_cents,
                "owed_nzd_cents": inv.owed_nzd_cents,
                "days_overdue": inv.days_overdue,
                "bucket": inv.bucket,
            }
            for inv in statement.invoices
        ],
        "aging": [
            {"bucket": b, "owed_cents": owed, "owed_nzd_cents": nzd}
            for b, _label, owed, nzd in statement.aging
        ],
        "total_cents": statement.total_cents,
        "total_nzd_cents": statement.total_nzd_cents,
    }


def _for_admin(request: HttpRequest, slug: str, account_id: int) -> TradeAccount:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return trade_account_get_for_admin(
        actor=actor, cluster=cluster, account_id=account_id
    )


@router.post(
    "/clusters/{slug}/trade-accounts/{account_id}/approve",
    response=TradeAccountOut,
    auth=django_auth,
    url_name="trade-account-approve",
    summary="Approve a trade account with its terms (the cluster's admins)",
)
def trade_account_approve_api(
    request: HttpRequest, slug: str, account_id: int, payload: TermsIn
) -> TradeAccount:
    account = _for_admin(request, slug, account_id)
    terms = payload.model_dump(exclude={"reason"})
    return trade_account_approve(
        actor=actor_from(request),
        account=account,
        terms=TradeTermsInput(**terms),
        reason=payload.reason,
    )


@router.post(
    "/clusters/{slug}/trade-accounts/{account_id}/decline",
    response=TradeAccountOut,
    auth=django_auth,
    url_name="trade-account-decline",
    summary="Decline a trade account application (the cluster's admins)",
)
def trade_account_decline_api(
    request: HttpRequest, slug: str, account_id: int, payload: TradeReasonIn
) -> TradeAccount:
    account = _for_admin(request, slug, account_id)
    return trade_account_decline(
        actor=actor_from(request), account=account, reason=payload.reason
    )
