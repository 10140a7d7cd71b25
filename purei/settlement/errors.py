"""Stable codes of settlement's refusals (style.md §6.6): who may move an order's
money. The codes are the ones the payments services answered before settlement
took these rules over, so clients see no change."""

from enum import StrEnum


class SettlementErrorCode(StrEnum):
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    NOT_PERMITTED_TO_REFUND = "not_permitted_to_refund"
    INVALID_REFUND = "invalid_refund"
    REFUND_FAILED = "refund_failed"
