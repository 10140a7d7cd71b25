"""What an API key may do: its scopes, and which scopes each kind of owner may hold.

Each API operation needs one scope (or is ``PUBLIC``: whoever may call it without
logging in); the map of operations to scopes is the API's (``purei/api/scopes.py``),
and an operation missing from it is refused to every key (fail closed).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from django.utils.translation import gettext_lazy as _


class Scope(StrEnum):
    READ_CATALOGUE = "read_catalogue"
    WRITE_CATALOGUE = "write_catalogue"
    READ_ORDERS = "read_orders"
    FULFIL_ORDERS = "fulfil_orders"
    READ_MONEY = "read_money"
    READ_PROMOTIONS = "read_promotions"
    WRITE_PROMOTIONS = "write_promotions"
    READ_INSIGHTS = "read_insights"
    TRADE = "trade"


# An operation anyone may call without logging in: any valid key may call it too
# (and sees no more than an anonymous caller would, plus its owner's own).
PUBLIC: Final = "public"

SCOPE_LABELS = {
    Scope.READ_CATALOGUE: _("Read products and stock"),
    Scope.WRITE_CATALOGUE: _("Change products, variants, stock and prices"),
    Scope.READ_ORDERS: _("Read orders, fulfilments, quotes and trade orders"),
    Scope.FULFIL_ORDERS: _("Move fulfilments on, cancel them, dispatch parcels"),
    Scope.READ_MONEY: _("Read balances, statements, invoices, payouts and reports"),
    Scope.READ_PROMOTIONS: _("Read promotions"),
    Scope.WRITE_PROMOTIONS: _("Add, change, pause and resume promotions"),
    Scope.READ_INSIGHTS: _("Read the insights dashboards' figures"),
    Scope.TRADE: _("Ask for quotes, accept them, ask for a revision"),
}

MEMBER_SCOPES: tuple[Scope, ...] = (
    Scope.READ_CATALOGUE,
    Scope.WRITE_CATALOGUE,
    Scope.READ_ORDERS,
    Scope.FULFIL_ORDERS,
    Scope.READ_MONEY,
    Scope.READ_PROMOTIONS,
    Scope.WRITE_PROMOTIONS,
    Scope.READ_INSIGHTS,
)
CLUSTER_SCOPES: tuple[Scope, ...] = (
    Scope.READ_ORDERS,
    Scope.FULFIL_ORDERS,
    Scope.READ_MONEY,
    Scope.READ_PROMOTIONS,
    Scope.WRITE_PROMOTIONS,
    Scope.READ_INSIGHTS,
)
TRADE_ACCOUNT_SCOPES: tuple[Scope, ...] = (
    Scope.READ_ORDERS,
    Scope.READ_MONEY,
    Scope.TRADE,
)
# The scopes each kind of owner may give a key.
SCOPES_BY_KIND: dict[str, tuple[Scope, ...]] = {
    "member": MEMBER_SCOPES,
    "cluster": CLUSTER_SCOPES,
    "trade_account": TRADE_ACCOUNT_SCOPES,
}
