"""Stable codes of the ledger's refusals (style.md §6.6).

Two kinds of refusal:

* ``LedgerError`` and its subclasses: a journal the books cannot take (legs that
  do not balance, mix currencies or reach into another cluster's accounts). They
  mean a bug in the code that posts, never a user's mistake, so they abort the
  transaction that tried (a payment, a refund) rather than record wrong books.
* ``ValidationFailed`` / ``NotPermitted`` (``purei.core.errors``) with a
  ``LedgerErrorCode``: what an admin asked for was refused (a second reversal, an
  adjustment without a reason, a payout run by someone outside the cluster).
"""

from __future__ import annotations

from enum import StrEnum

from purei.core.errors import DomainError


class LedgerErrorCode(StrEnum):
    UNBALANCED = "ledger_unbalanced"
    EMPTY = "ledger_empty_journal"
    MIXED_CURRENCY = "ledger_mixed_currency"
    FOREIGN_ACCOUNT = "ledger_foreign_account"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"
    NOT_PERMITTED = "not_permitted"
    ALREADY_REVERSED = "journal_already_reversed"
    REVERSAL_OF_REVERSAL = "journal_is_a_reversal"
    REASON_REQUIRED = "reason_required"
    INVALID_AMOUNT = "invalid_amount"
    NOT_A_MEMBER = "not_a_member_of_cluster"


class LedgerError(DomainError):
    """The books refuse a journal (a programming error, never the user's)."""

    status = 500
    default_code: LedgerErrorCode = LedgerErrorCode.UNBALANCED

    def __init__(self, message: str) -> None:
        super().__init__(self.default_code, message)


class LedgerUnbalanced(LedgerError):
    """The legs of a journal do not sum to zero."""

    default_code = LedgerErrorCode.UNBALANCED


class LedgerEmpty(LedgerError):
    """A journal with no legs (or only zero ones)."""

    default_code = LedgerErrorCode.EMPTY


class LedgerMixedCurrency(LedgerError):
    """A journal's legs are in more than one currency."""

    default_code = LedgerErrorCode.MIXED_CURRENCY


class LedgerForeignAccount(LedgerError):
    """A leg uses an account of another cluster."""

    default_code = LedgerErrorCode.FOREIGN_ACCOUNT
