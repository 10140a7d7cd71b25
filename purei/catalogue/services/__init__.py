"""Every state change of the catalogue (style.md §2): one transaction each, scope
checked, an audit row, the search index told once the change is committed."""

from .categories import (
    CategoryAttribute,
    CategoryDetails,
    category_create,
    category_delete,
    category_details_of,
    category_update,
)
from .listings import (
    listing_approve,
    listing_cultural_review,
    listing_decline,
    listing_withdraw,
)
from .photos import (
    MAX_PRODUCT_PHOTOS,
    product_photo_add,
    product_photo_import,
    product_photo_remove,
)
from .products import (
    ALLOWED_MOVES,
    ProductInput,
    attributes_clean,
    product_create,
    product_delete,
    product_status_set,
    product_update,
)
from .trade import (
    CurrencyPrices,
    PriceBreak,
    TradeChanges,
    TradePricingInput,
    breaks_parse,
    trade_pricing_bulk_update,
    trade_terms_clean,
    variant_trade_pricing_set,
)
from .variants import (
    StockChanges,
    VariantInput,
    price_text,
    stock_bulk_update,
    stock_set,
    variant_create,
    variant_delete,
    variant_update,
    was_price_text,
)

__all__ = [
    "ALLOWED_MOVES",
    "MAX_PRODUCT_PHOTOS",
    "CategoryAttribute",
    "CategoryDetails",
    "CurrencyPrices",
    "PriceBreak",
    "ProductInput",
    "StockChanges",
    "TradeChanges",
    "TradePricingInput",
    "VariantInput",
    "attributes_clean",
    "breaks_parse",
    "category_create",
    "category_delete",
    "category_details_of",
    "category_update",
    "listing_approve",
    "listing_cultural_review",
    "listing_decline",
    "listing_withdraw",
    "price_text",
    "product_create",
    "product_delete",
    "product_photo_add",
    "product_photo_import",
    "product_photo_remove",
    "product_status_set",
    "product_update",
    "stock_bulk_update",
    "stock_set",
    "trade_pricing_bulk_update",
    "trade_terms_clean",
    "variant_create",
    "variant_delete",
    "variant_trade_pricing_set",
    "variant_update",
    "was_price_text",
]
