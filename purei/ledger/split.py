"""The ledger's split of an amount of cents in proportion to weights: the one in
``purei.core.split`` (checkout shares a hub delivery charge the same way, below
the ledger, so the rule lives in core)."""

from purei.core.split import largest_remainder

__all__ = ["largest_remainder"]
