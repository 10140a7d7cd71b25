"""Which interface text is te reo Māori, so that a page can say so (WCAG 3.1.2).

Pages are ``<html lang="en">`` in both languages: only the strings with an attested
translation are in te reo (docs/te-reo.md), so English stays the language of every
page and each Māori string is marked ``lang="mi"`` where it is shown. The
``te_reo`` template library does the marking; this module knows the strings: the
translations (msgstr) of the compiled catalogue ``locale/mi/LC_MESSAGES/django.mo``.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

from django.conf import settings

MAORI = "mi"


def catalogue_path() -> Path | None:
    """The compiled te reo catalogue: the first of ``LOCALE_PATHS`` that has one."""
    for base in settings.LOCALE_PATHS:
        path = Path(base) / MAORI / "LC_MESSAGES" / "django.mo"
        if path.exists():
            return path
    return None


@lru_cache(maxsize=1)
def maori_strings() -> frozenset[str]:
    """Every te reo translation in the catalogue (msgids translated to themselves
    excepted: they are not Māori)."""
    path = catalogue_path()
    if path is None:
        return frozenset()
    with path.open("rb") as handle:
        catalogue: dict[object, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]  # the parsed .mo
    found = set()
    for key, value in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or not value:  # the header
            continue
        if isinstance(msgid, str) and "\x04" in msgid:  # msgctxt\x04msgid
            msgid = msgid.split("\x04", 1)[1]
        if value != msgid:
            found.add(value)
    return frozenset(found)


def is_maori(text: str) -> bool:
    """Whether ``text`` is one of the interface's te reo translations."""
    return text in maori_strings()
