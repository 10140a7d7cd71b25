"""Case- and macron-insensitive text, the same on SQLite and PostgreSQL.

Text is *folded* once, in Python: lower-cased, decomposed (NFKD) and stripped of
combining marks, so "Kūmara" and "kumara" both become "kumara" and "Māori" becomes
"maori". Double vowels ("Maaori") are left as they are. The cluster directory, the
member directory and the product search all fold the same way.
"""

from __future__ import annotations

import unicodedata

# A query longer than this is cut: nobody types more into a directory search.
MAX_QUERY_LENGTH = 100


def fold(text: str) -> str:
    """Lower-case ``text`` and drop its diacritics and control characters."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (
        char
        for char in decomposed
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cc"
    )
    return " ".join("".join(kept).split())


def query_terms(query: str) -> list[str]:
    """The folded words of a search query (at most ``MAX_QUERY_LENGTH`` characters)."""
    return fold(query[:MAX_QUERY_LENGTH]).split()
