"""``{{ cents|nzd }}`` → ``$1,234.50``."""

from django import template

from purei.core.money import format_nzd

register = template.Library()


@register.filter
def nzd(cents: int | None) -> str:
    return format_nzd(cents) if cents is not None else ""
