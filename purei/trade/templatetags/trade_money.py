"""``{{ cents|money:"AUD" }}`` → ``A$1,234.50 AUD``-style amounts that never leave the
currency in doubt (domain-nz.md §2: a bare "$" is ambiguous between dollar zones)."""

from __future__ import annotations

from django import template

from purei.trade.money import format_money

register = template.Library()


@register.filter
def money(cents: int | None, currency: str = "NZD") -> str:
    return format_money(cents, currency) if cents is not None else ""
