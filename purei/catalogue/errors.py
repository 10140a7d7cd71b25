"""Stable error codes of the catalogue app (style.md §6.6): clients may rely on them."""

from enum import StrEnum

from purei.core.errors import DomainError


class CatalogueErrorCode(StrEnum):
    LOGIN_REQUIRED = "login_required"
    NOT_MEMBER_TEAM = "not_member_team"
    NOT_CURATOR = "not_cluster_curator"
    NOT_KAITIAKI = "not_cluster_kaitiaki"
    INVALID_PRODUCT = "invalid_product"
    INVALID_VARIANT = "invalid_variant"
    INVALID_STOCK = "invalid_stock"
    INVALID_TRADE_PRICING = "invalid_trade_pricing"
    INVALID_PHOTO = "invalid_product_photo"
    INVALID_LISTING = "invalid_listing"
    DUPLICATE_SLUG = "duplicate_product_slug"
    DUPLICATE_SKU = "duplicate_sku"
    STATUS_MOVE = "product_status_move_not_allowed"
    LISTING_MOVE = "listing_move_not_allowed"
    INVALID_FILTER = "invalid_filter"
    NOT_PLATFORM_STAFF = "not_platform_staff"
    INVALID_CATEGORY = "invalid_category"
    CATEGORY_IN_USE = "category_in_use"
    INVALID_CATEGORY_MAP = "invalid_category_map"
    IMPORT_NOT_RERUNNABLE = "import_not_rerunnable"


class CategoryInUse(DomainError):
    """Products or other categories still belong to the category: it stays."""

    status = 409
