"""Stable codes of the orders domain's refusals."""

from enum import StrEnum


class OrderErrorCode(StrEnum):
    INVALID = "invalid"  # an input in the wrong form (the X-Cart-Token header)
    INVALID_QUANTITY = "invalid_quantity"
    NOT_FOR_SALE = "not_for_sale"
    SOLD_OUT = "sold_out"
    CART_EMPTY = "cart_empty"
    INVALID_CHECKOUT = "invalid_checkout"
    NOT_YOUR_ORDER = "not_your_order"
    INVALID_TRANSITION = "invalid_transition"
    NOT_MEMBER_TEAM = "not_member_team"
    LOGIN_REQUIRED = "login_required"
    NOT_AWAITING_PAYMENT = "order_not_awaiting_payment"
    HOLD_EXPIRED = "order_hold_expired"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    INVALID_CONSIGNMENT = "invalid_consignment"
    CONSIGNMENT_LEFT = "consignment_left"
    FREIGHT_NOT_QUOTED = "freight_not_quoted"
    FREIGHT_QUOTE_CLOSED = "freight_quote_closed"
    INVALID_FREIGHT_QUOTE = "invalid_freight_quote"
    WINDOW_NOT_OPEN = "window_not_open"
    WINDOW_LIMIT = "window_limit"
    INVALID_WINDOW = "invalid_sales_window"
