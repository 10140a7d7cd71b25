"""Highlighting matches in the original text (macrons and all), HTML-escaped.

Words are compared folded, as the index does, so the term "kumara" marks "Kūmara".
Everything but the ``<mark>`` tags is escaped.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from purei.core.text import fold

WORD = re.compile(r"\w+")
# A near-miss ("avacado") marks a word at least this similar ("avocado").
NEAR_RATIO = 0.7
SNIPPET_WORDS = 30


DOUBLE_VOWEL = re.compile(r"([aeiou])\1")


def collapse(word: str) -> str:
    """A folded word with doubled vowels made single: te reo written with double
    vowels ("Maaori", "kuumara") then meets the macron spelling ("Māori" folds to
    "maori"). English words get it too ("coffee" → "coffe"), on both sides."""
    return DOUBLE_VOWEL.sub(r"\1", word)


def with_variants(folded: str) -> str:
    """Folded text plus the collapsed form of each word with a doubled vowel, so
    the index finds it by either spelling."""
    extra = [
        collapse(word) for word in WORD.findall(folded) if DOUBLE_VOWEL.search(word)
    ]
    return " ".join([folded, *extra]) if extra else folded


def search_terms(query: str, max_length: int = 100) -> list[str]:
    """The folded words of a query (doubled vowels made single): letters and
    digits only, so they are safe to put in an FTS5 or tsquery expression."""
    return [
        collapse(word)
        for word in WORD.findall(fold(query[:max_length]).replace("_", " "))
    ]


@lru_cache(maxsize=8192)
def _folded(word: str) -> tuple[str, str]:
    """A word folded, and folded with doubled vowels made single (words repeat
    across products and pages, so this is remembered)."""
    folded = fold(word)
    return folded, collapse(folded)


def _matches(word: str, terms: list[str], *, prefix_last: bool, near: bool) -> bool:
    folded, short = _folded(word)
    for position, term in enumerate(terms):
        if term in (folded, short):
            return True
        last = prefix_last and position == len(terms) - 1
        if last and (folded.startswith(term) or short.startswith(term)):
            return True
        if near and SequenceMatcher(None, folded, term).ratio() >= NEAR_RATIO:
            return True
    return False


def _spans(text: str, terms: list[str], *, near: bool) -> list[tuple[int, int]]:
    if not terms:  # browsing: nothing to mark
        return []
    return [
        match.span()
        for match in WORD.finditer(text)
        if _matches(match.group(), terms, prefix_last=True, near=near)
    ]


def highlight(text: str, terms: list[str], *, near: bool = False) -> SafeString:
    """``text`` escaped, with each matching word in ``<mark>``."""
    parts: list[str] = []
    last = 0
    for start, end in _spans(text, terms, near=near):
        parts.append(escape(text[last:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def snippet(texts: list[str], terms: list[str], *, near: bool = False) -> SafeString:
    """A window of about ``SNIPPET_WORDS`` words around the first match in the
    first of ``texts`` that has one (else the start of the first non-empty text),
    highlighted and escaped, with "…" where it was cut."""
    chosen = next((text for text in texts if text), "")
    first_word = 0
    for text in texts:
        if not text:
            continue
        spans = _spans(text, terms, near=near)
        if spans:
            chosen = text
            words_before = len(WORD.findall(text[: spans[0][0]]))
            first_word = max(0, words_before - SNIPPET_WORDS // 3)
            break
    words = list(WORD.finditer(chosen))
    if not words:
        return highlight(chosen, terms, near=near)
    start = words[first_word].start() if first_word else 0
    end_index = min(len(words), first_word + SNIPPET_WORDS) - 1
    end = words[end_index].end() if end_index < len(words) - 1 else len(chosen)
    window = chosen[start:end].strip()
    result = highlight(window, terms, near=near)
    before = "… " if start > 0 else ""
    after = " …" if end < len(chosen) else ""
    return mark_safe(f"{before}{result}{after}")  # noqa: S308 - escaped by highlight
