"""The text match, by engine: SQLite's FTS5 (``bm25`` with column weights) and
PostgreSQL's weighted ``tsvector`` (``ts_rank_cd``), the last word matched as a
prefix on both. When a search finds nothing, each word is corrected from the
dictionary of indexed words (``search_word``): on PostgreSQL with ``pg_trgm``, on
SQLite with FTS5's ``trigram`` tokenizer to find the candidates and the same
trigram similarity as ``pg_trgm`` to choose among them, so both engines correct
a word alike."""

from __future__ import annotations

from typing import Any

from django.db import connection

# pg_trgm word similarity a near-miss needs ("avacado"/"avocado" is about 0.45).
NEAR_MISS_THRESHOLD = 0.3
# SQLite: how many candidates (those sharing most trigrams) are compared.
CANDIDATES = 100
# FTS5 column weights, in the table's column order: title, tags, the product's
# own names, description, place, attributes, its maker's names, what its maker is
# about (story keywords, place, clusters' names). A title match outranks the rest.
FTS_WEIGHTS = (10.0, 4.0, 4.0, 2.0, 1.5, 1.5, 3.0, 1.0)


def fts_expression(terms: list[str]) -> str:
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(terms: list[str]) -> str:
    return " & ".join([*terms[:-1], f"{terms[-1]}:*"])


def fts_match_sql(terms: list[str]) -> tuple[str, tuple[Any, ...]]:
    """SQLite: the text match as a derived table ``(product_id, score)`` (the
    query's words only ever travel as parameters)."""
    weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
    return (
        "SELECT rowid AS product_id, "  # noqa: S608 - our own constants
        f"-bm25(search_product_fts, {weights}) AS score "
        "FROM search_product_fts WHERE search_product_fts MATCH %s",
        (fts_expression(terms),),
    )


def trigrams(word: str) -> set[str]:
    """A word's trigrams as pg_trgm makes them (two spaces before, one after)."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of both."""
    first, second = trigrams(a), trigrams(b)
    return len(first & second) / len(first | second)


def closest_word(term: str) -> str | None:
    """The indexed word most like ``term`` (trigram similarity at least
    ``NEAR_MISS_THRESHOLD``), or None."""
    if connection.vendor != "postgresql":
        return _closest_word_sqlite(term)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
            (str(NEAR_MISS_THRESHOLD),),
        )
        cursor.execute(
            "SELECT word FROM search_word WHERE word %% %s "
            "ORDER BY similarity(word, %s) DESC, length(word), word LIMIT 1",
            (term, term),
        )
        row = cursor.fetchone()
    return str(row[0]) if row else None


def _closest_word_sqlite(term: str) -> str | None:
    """SQLite: the words sharing most of ``term``'s inner trigrams (FTS5's trigram
    index, best ``CANDIDATES`` by ``bm25``), the most similar of them as pg_trgm
    would choose (ties: the shorter, then the first in order)."""
    inner = sorted({term[i : i + 3] for i in range(len(term) - 2)})
    if not inner:
        return None
    expression = " OR ".join(f'"{gram}"' for gram in inner)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM search_word_trigram WHERE search_word_trigram MATCH %s "
            "ORDER BY rank LIMIT %s",
            (expression, CANDIDATES),
        )
        words = [str(row[0]) for row in cursor.fetchall()]
    scored = [(similarity(term, word), word) for word in words]
    best = [
        (-score, len(word), word)
        for score, word in scored
        if score >= NEAR_MISS_THRESHOLD
    ]
    return min(best)[2] if best else None
