"""Stable codes of the payments domain's refusals (style.md §6.6)."""

from enum import StrEnum


class PaymentErrorCode(StrEnum):
    UNKNOWN_GATEWAY = "unknown_gateway"
    INVALID_CARD = "invalid_card"
    NO_PENDING_TRANSFER = "no_pending_bank_transfer"
    INVALID_REFUND = "invalid_refund"
