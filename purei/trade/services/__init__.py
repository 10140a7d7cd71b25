"""State changes of trade: accounts (apply, approve with terms, decline, suspend,
change terms) and exchange rates. Each is one transaction that names its actor,
checks scope itself and records an audit row."""

from .accounts import (
    MAX_REASON,
    AddressInput,
    TradeAccountConflict,
    TradeApplication,
    TradeErrorCode,
    TradeTermsInput,
    terms_checked,
    trade_account_apply,
    trade_account_approve,
    trade_account_decline,
    trade_account_suspend,
    trade_account_terms_set,
)
from .rates import exchange_rate_record
from .settings import cluster_trade_settings_set

__all__ = [
    "MAX_REASON",
    "AddressInput",
    "TradeAccountConflict",
    "TradeApplication",
    "TradeErrorCode",
    "TradeTermsInput",
    "cluster_trade_settings_set",
    "exchange_rate_record",
    "terms_checked",
    "trade_account_apply",
    "trade_account_approve",
    "trade_account_decline",
    "trade_account_suspend",
    "trade_account_terms_set",
]
