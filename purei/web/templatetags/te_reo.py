"""Mark interface text that is in te reo Māori with ``lang="mi"``.

Use ``{{ _("Clusters")|mi }}`` instead of ``{% translate "Clusters" %}`` for every
string that has a te reo translation (``makemessages`` still finds ``_("…")``), and
``{{ value|mi }}`` for an already translated value from Python (a form label, the
finder's answers). When the text shown is one of the catalogue's te reo strings it
comes out as ``<span lang="mi">…</span>``; otherwise (English, or an untranslated
string) it is shown as is, escaped. Where a span cannot go (an SVG ``<text>``, an
``<option>``), put ``{{ value|mi_lang }}`` inside the element's tag: it gives
`` lang="mi"`` or nothing.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from purei.web.te_reo import MAORI, is_maori

register = template.Library()


@register.filter(name="mi", is_safe=True)
def mark_maori(value: object) -> SafeString:
    text = str(value)
    if is_maori(text):
        return format_html('<span lang="{}">{}</span>', MAORI, text)
    return conditional_escape(text)


@register.filter(name="mi_lang", is_safe=True)
def maori_lang_attribute(value: object) -> SafeString:
    return format_html(' lang="{}"', MAORI) if is_maori(str(value)) else SafeString()
