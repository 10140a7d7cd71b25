"""Turn ``{% translate "X" %}`` into ``{{ _("X")|mi }}`` in the given templates for
every X that has a te reo translation, so the te reo text is marked lang="mi"
(purei/web/templatetags/te_reo.py), and load ``te_reo``. Strings inside an HTML
attribute or <title> are left alone (|mi wraps in a <span>): mark those by hand
with ``|mi_lang``. Usage: python scripts/mark_te_reo.py TEMPLATE..."""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

CATALOGUE = Path("purei/locale/mi/LC_MESSAGES/django.mo")
TAG = re.compile(r"""\{%\s*trans(?:late)?\s+(["'])(.*?)\1\s*%\}""")


def translated() -> set[str]:
    with CATALOGUE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    return {k for k, v in catalogue.items() if isinstance(k, str) and k and v != k}


def in_attribute_or_title(text: str, at: int) -> bool:
    before = text[:at]
    tag_open, tag_close = before.rfind("<"), before.rfind(">")
    if tag_open > tag_close:  # inside a tag: an attribute's value
        return True
    return before.rfind("{% block title %}") > before.rfind("{% endblock")


def convert(path: Path, strings: set[str]) -> int:
    text = path.read_text()
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(2) not in strings or in_attribute_or_title(text, match.start()):
            return match.group(0)
        count += 1
        quoted = match.group(2).replace('"', '\\"')
        return '{{ _("' + quoted + '")|mi }}'

    new = TAG.sub(swap, text)
    if count and "te_reo" not in new.split("%}", 2)[0] + new.split("%}", 2)[1]:
        new = re.sub(r"\{% load ([^%]*)%\}", r"{% load \1te_reo %}", new, count=1)
    path.write_text(new)
    return count


if __name__ == "__main__":
    found = translated()
    for name in sys.argv[1:]:
        sys.stdout.write(f"{name}: {convert(Path(name), found)}\n")
