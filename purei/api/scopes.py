"""The scope an API key needs for each operation (docs/api.md "Scopes").

Keyed by the operation's view function (``module.function``, without ``purei.``).
``PUBLIC``: anyone may call it without logging in, so any valid key may too. An
operation **missing from this map is refused to every key** (403
``api_key_not_accepted``): a person's own things (their orders, reviews, newsletter
consent), applications, memberships, a cluster's brand and people, categories, the
notice board, and the key endpoints themselves stay with a logged-in person.
``tests`` check that every entry names a real operation.
"""

from __future__ import annotations

from ninja.operation import Operation

from purei.apikeys.scopes import PUBLIC, Scope

_PUBLIC_OPERATIONS = (
    "clusters.api.finder.finder_graph_api",
    "clusters.api.finder.finder_classify_api",
    "clusters.api.directory.cluster_list_api",
    "clusters.api.directory.cluster_get_api",
    "members.api.members.member_list_api",
    "members.api.members.member_public_api",
    "catalogue.api_public.cluster_products",
    "catalogue.api_public.search",
    "catalogue.api_public.product_detail",
    "catalogue.api_categories.category_list_api",
    "catalogue.api_categories.category_get_api",
    # A guest's cart (by its X-Cart-Token) and checkout: never the issuer's own.
    "orders.api_shop.cart_get_api",
    "orders.api_shop.cart_line_add_api",
    "orders.api_shop.cart_line_update_api",
    "orders.api_shop.cart_line_remove_api",
    "settlement.api.checkout_api",
    # One order with the signed key of its confirmation link.
    "orders.api_shop.order_get_api",
    "orders.api_windows.windows_list_api",
    "orders.api_windows.window_get_api",
    "marketing.api.story_list_api",
    "marketing.api.story_get_api",
    "marketing.api.newsletter_get_api",
    "marketing.api_reviews.product_rating_api",
    "marketing.api_reviews.product_reviews_api",
)

_SCOPED_OPERATIONS: dict[Scope, tuple[str, ...]] = {
    Scope.READ_CATALOGUE: (
        "catalogue.api.product_list_api",
        "insights.api.wholesale_price_list_api",
    ),
    Scope.WRITE_CATALOGUE: (
        "catalogue.api.product_create_api",
        "catalogue.api.product_update_api",
        "catalogue.api.stock_bulk_api",
        "catalogue.api.variant_create_api",
        "catalogue.api.variant_update_api",
        "catalogue.api.variant_delete_api",
        "catalogue.api.variant_trade_update_api",
        "insights.api.wholesale_price_set_api",
        "insights.api.wholesale_price_clear_api",
    ),
    Scope.READ_ORDERS: (
        "orders.api_manage.fulfilment_list_api",
        "orders.api_manage.fulfilment_get_api",
        "orders.api_windows.pick_list_api",
        "orders.api_hub.hub_parcel_list_api",
        "orders.api_freight.freight_quote_list_api",
        "orders.api_freight.freight_quote_get_api",
        "trade.api.trade_account_get_api",
        "trade.api_quotes.rfq_list_api",
        "trade.api_quotes.rfq_get_api",
        "trade.api_quotes.quote_get_api",
        "trade.api_orders.trade_order_get_api",
        "trade.api_orders.commercial_invoice_api",
        "trade.api_orders.packing_list_api",
        "trade.api_orders.declaration_of_origin_api",
    ),
    Scope.FULFIL_ORDERS: (
        "orders.api_manage.fulfilment_advance_api",
        "orders.api_hub.hub_drop_api",
        "orders.api_hub.hub_parcel_dispatch_api",
        "orders.api_freight.freight_quote_answer_api",
        "settlement.api.fulfilment_cancel_api",
    ),
    Scope.READ_MONEY: (
        "ledger.api.member_balance_api",
        "ledger.api.member_statement_list_api",
        "ledger.api.member_statement_get_api",
        "ledger.api.member_invoice_list_api",
        "ledger.api.member_invoice_get_api",
        "ledger.api.cluster_payout_list_api",
        "ledger.api.cluster_payout_get_api",
        "ledger.api.cluster_report_api",
        "trade.api.trade_account_statement_api",
    ),
    Scope.READ_PROMOTIONS: (
        "promotions.api.cluster_promotion_list_api",
        "promotions.api.cluster_promotion_get_api",
        "promotions.api.member_promotion_list_api",
        "promotions.api.member_promotion_get_api",
    ),
    Scope.WRITE_PROMOTIONS: (
        "promotions.api.cluster_promotion_create_api",
        "promotions.api.cluster_promotion_update_api",
        "promotions.api.cluster_promotion_pause_api",
        "promotions.api.cluster_promotion_resume_api",
        "promotions.api.member_promotion_create_api",
        "promotions.api.member_promotion_update_api",
        "promotions.api.member_promotion_pause_api",
        "promotions.api.member_promotion_resume_api",
    ),
    Scope.READ_INSIGHTS: (
        "insights.api.cluster_insights_api",
        "insights.api.member_insights_api",
    ),
    Scope.TRADE: (
        "trade.api_quotes.rfq_create_api",
        "trade.api_quotes.quote_accept_api",
        "trade.api_quotes.quote_revision_api",
    ),
}

SCOPE_MAP: dict[str, str] = dict.fromkeys(_PUBLIC_OPERATIONS, PUBLIC)
for _scope, _names in _SCOPED_OPERATIONS.items():
    for _name in _names:
        if _name in SCOPE_MAP:
            raise ValueError(f"{_name} is mapped twice")
        SCOPE_MAP[_name] = _scope.value


def operation_name(operation: Operation) -> str:
    func = operation.view_func
    module = func.__module__.removeprefix("purei.")
    return f"{module}.{func.__name__}"


def scope_of(operation: Operation) -> str | None:
    """The scope a key needs for ``operation``; None: not open to keys."""
    return SCOPE_MAP.get(operation_name(operation))
