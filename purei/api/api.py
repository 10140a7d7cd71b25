"""The JSON API under /api/v1/: one NinjaAPI gathering each app's routers.

Errors have one shape everywhere: ``{"code": ..., "message": ..., "field": ...}``
(plus ``errors`` for validation: field → messages). Bad input is a 4xx, never a 500.

Every operation accepts the session or an API key (``Authorization: Bearer``), and
every write an ``Idempotency-Key`` header (``purei.apikeys.auth``; docs/api.md).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from purei.apikeys.api import router as apikeys_router
from purei.apikeys.auth import install as api_keys_install
from purei.catalogue.api import router as catalogue_router
from purei.catalogue.api_categories import router as categories_router
from purei.catalogue.api_public import router as catalogue_public_router
from purei.clusters.api import router as clusters_router
from purei.cooperation.api import router as cooperation_router
from purei.cooperation.api_governance import router as governance_router
from purei.core.errors import DomainError, ValidationFailed
from purei.core.ratelimit import RateLimited
from purei.insights.api import router as insights_router
from purei.ledger.api import router as ledger_router
from purei.marketing.api import router as stories_router
from purei.marketing.api_reviews import router as reviews_router
from purei.members.api import router as members_router
from purei.orders.api_freight import router as orders_freight_router
from purei.orders.api_hub import router as hub_router
from purei.orders.api_manage import router as orders_manage_router
from purei.orders.api_shop import router as orders_shop_router
from purei.orders.api_windows import router as sales_windows_router
from purei.privacy.api import router as privacy_router
from purei.promotions.api import router as promotions_router
from purei.settlement.api import router as settlement_router
from purei.trade.api import router as trade_router
from purei.trade.api_orders import router as trade_orders_router
from purei.trade.api_quotes import router as quotes_router
from purei.webhooks.api import router as webhooks_router

from .openapi import document_errors, within_path_bounds
from .scopes import scope_of
from .versioning import install as versioning_install


class PureiAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also says how each operation fails."""

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> Any:
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        return document_errors(schema)


api = PureiAPI(
    title="Pūrei API",
    version="1.0.0",
    description=(
        "JSON API of Pūrei, the digital clusters platform. "
        "Errors: `{code, message, field, errors}`."
    ),
    urls_namespace="api-1.0.0",
)
api.add_router("/", clusters_router)
api.add_router("/", members_router)
api.add_router("/", catalogue_router)
api.add_router("/", catalogue_public_router)
api.add_router("/", categories_router)
api.add_router("/", orders_shop_router)
api.add_router("/", orders_manage_router)  # members' fulfilments
api.add_router("/", orders_freight_router)  # admins' freight quote requests
api.add_router("/", sales_windows_router)  # sales windows (ADR 0016)
api.add_router("/", hub_router)  # hub delivery: settings, parcels, drops
api.add_router("/", settlement_router)  # checkout, cancelling: money moves
api.add_router("/", promotions_router)  # promo codes and automatic promotions
api.add_router("/", ledger_router)  # money: balances, payouts, reports
api.add_router("/", trade_router)  # trade accounts
api.add_router("/", quotes_router)  # requests for quote, quotes
api.add_router("/", trade_orders_router)  # trade orders, consignments
api.add_router("/", stories_router)  # stories, newsletter subscriptions
api.add_router("/", cooperation_router)  # members working together (issue 15)
api.add_router("/", governance_router)  # group buys, levies, votes (issue 15)
api.add_router("/", reviews_router)  # product reviews
api.add_router("/", insights_router)  # dashboards, wholesale prices, benchmarks
api.add_router("/", privacy_router)  # people's own data: exports
api.add_router("/", apikeys_router)  # API keys (issue 17): for a logged-in person
api.add_router("/", webhooks_router)  # webhooks out (issue 17): a logged-in person
# Every operation: a Bearer API key (its owner and scopes, per purei/api/scopes.py;
# an operation not in the map is refused to keys) and the Idempotency-Key header.
api_keys_install(api, scope_of)
# A path value beyond every id or name is a 404 before the operation runs.
api.add_decorator(within_path_bounds, mode="view")
# A deprecated operation says so in every answer (Deprecation, Sunset, Link).
versioning_install(api)


def _field_from_loc(loc: list[Any]) -> str:
    # Ninja locations look like ["body", "payload", "answers", "shared_place"].
    kinds = ("body", "query", "path", "payload", "file", "form", "header", "cookie")
    parts = [str(p) for p in loc if p not in kinds]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def validation_error_handler(
    request: HttpRequest, exc: NinjaValidationError
) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        field = _field_from_loc(list(error.get("loc", [])))
        errors.setdefault(field, []).append(str(error.get("msg", "Invalid value")))
    field, messages = next(iter(errors.items()), ("body", ["Invalid request."]))
    return api.create_response(
        request,
        {
            "code": "invalid",
            "message": f"{field}: {messages[0]}",
            "field": field,
            "errors": errors,
        },
        status=422,
    )


@api.exception_handler(DomainError)
def domain_error_handler(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, Any] = {
        "code": exc.code,
        "message": exc.message,
        "field": exc.field,
    }
    if isinstance(exc, ValidationFailed):
        body["errors"] = exc.errors
    if isinstance(exc, RateLimited):
        body["retry_after"] = exc.retry_after
    response = api.create_response(request, body, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def not_found_handler(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "not_found", "message": "Not found.", "field": None},
        status=404,
    )


@api.exception_handler(AuthenticationError)
def auth_error_handler(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "unauthorised", "message": "Log in first.", "field": None},
        status=401,
    )


@api.exception_handler(HttpError)
def http_error_handler(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "error", "message": str(exc), "field": None},
        status=exc.status_code,
    )
