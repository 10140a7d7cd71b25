"""Stable codes of the payments domain's refusals (style.md §6.6)."""

from enum import StrEnum


class PaymentErrorCode(StrEnum):
    UNKNOWN_GATEWAY = "unknown_gateway"
    INVALID_CARD = "invalid_card"
    NOT_AWAITING_PAYMENT = "order_not_awaiting_payment"
    HOLD_EXPIRED = "order_hold_expired"
    NO_PENDING_TRANSFER = "no_pending_bank_transfer"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    NOT_PERMITTED_TO_REFUND = "not_permitted_to_refund"
    INVALID_REFUND = "invalid_refund"
    REFUND_FAILED = "refund_failed"
