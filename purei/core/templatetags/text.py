"""``{{ html|plain_text }}``: stored HTML as plain text, for places that take text
only (a page's meta description, OpenGraph tags).

Tags are dropped, then character references are read (``&amp;`` → ``&``,
``&lt;`` → ``<``) and runs of white space become one space. The result is *not*
marked safe, so the template escapes it exactly once: running ``striptags`` on
HTML and letting the template escape it again printed ``&amp;lt;`` (issue 11).
"""

from __future__ import annotations

import html

from django import template
from django.utils.html import strip_tags

register = template.Library()


@register.filter(is_safe=False)
def plain_text(value: object) -> str:
    """The text of ``value`` (HTML), unescaped and on one line."""
    text = html.unescape(strip_tags(str(value or "")))
    return " ".join(text.split())
