"""Payment terms (domain-nz.md §8): when an invoice is due, and which terms an order
is on. Pure functions: no database."""

from __future__ import annotations

import datetime as dt

from purei.trade.models import PaymentTerms


def due_date(terms: str, invoice_date: dt.date, *, days: int | None = None) -> dt.date:
    """The day an invoice dated ``invoice_date`` is due under ``terms``.

    Pro-forma: on the day (it is paid before dispatch). 7 days: a week later.
    20th of the month following: the 20th of the next calendar month, whatever day
    of this month the invoice is dated. A number of days: ``days`` later.
    """
    if terms == PaymentTerms.PROFORMA:
        return invoice_date
    if terms == PaymentTerms.NET_7:
        return invoice_date + dt.timedelta(days=7)
    if terms == PaymentTerms.TWENTIETH:
        year, month = divmod(invoice_date.year * 12 + invoice_date.month, 12)
        return dt.date(year, month + 1, 20)
    if terms == PaymentTerms.NET_DAYS:
        if days is None or days < 1:
            raise ValueError("Terms of a number of days need the number.")
        return invoice_date + dt.timedelta(days=days)
    raise ValueError(f"Unknown payment terms: {terms!r}")


def terms_for_order(
    *, terms: str, first_order_proforma: bool, orders_before: int
) -> str:
    """The terms an order is on: pro-forma for a first order when the account says
    so, the account's terms otherwise."""
    if orders_before == 0 and first_order_proforma:
        return PaymentTerms.PROFORMA
    return terms
