"""Payments takes and returns money and knows neither orders nor the ledger
(docs/adr/0009-booking-a-capture.md): no module of ``purei.payments`` (its tests
aside) imports orders, the ledger or settlement — not lazily inside a function, not
under ``TYPE_CHECKING`` either. ``lint-imports`` holds the same through the layers
contract; this names the rule on its own, so a known-break line cannot hide it.
"""

from __future__ import annotations

import grimp

ABOVE = ("purei.orders", "purei.ledger", "purei.settlement")


def test_payments_imports_nothing_of_orders_ledger_or_settlement():
    # given the import graph of the package, type-checking imports included
    graph = grimp.build_graph("purei", exclude_type_checking_imports=False)
    modules = {
        module
        for module in graph.find_descendants("purei.payments") | {"purei.payments"}
        if ".tests" not in module
    }
    # when
    reached = sorted(
        f"{module} -> {imported}"
        for module in modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith(ABOVE)
    )
    # then
    assert reached == []
