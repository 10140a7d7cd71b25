"""Amounts in a named currency, written so the currency is never in doubt: the ISO
code after the amount (``1,234.50 AUD``), as commercial invoices must
(domain-nz.md §2)."""

from __future__ import annotations


def format_money(cents: int, currency: str) -> str:
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{dollars:,}.{rest:02d} {currency}"
