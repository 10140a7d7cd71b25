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
# How many candidates (those sharing most trigrams) are compared.
CANDIDATES = 50
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


def edit_distance(a: str, b: str) -> int:
    """The optimal string alignment distance: insertions, deletions, substitutions
    and swaps of two neighbouring letters, one each ("avacado" → "avocado" is 1,
    "nior" → "noir" is 1)."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, 1):
        current = [i]
        for j, right in enumerate(b, 1):
            cost = left != right
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and left == b[j - 2] and a[i - 2] == right:
                value = min(value, before[j - 2] + 1)
            current.append(value)
        before, previous = previous, current
    return previous[-1]


def best_correction(term: str, candidates: list[str]) -> str | None:
    """Of the candidates at least ``NEAR_MISS_THRESHOLD`` similar to ``term``, the
    fewest edits away ("kumura": "kumara", one letter, not "kura", though that
    shares more trigrams), then the most similar, the shorter, the first."""
    ranked = [
        (edit_distance(term, word), -score, len(word), word)
        for word in candidates
        if (score := similarity(term, word)) >= NEAR_MISS_THRESHOLD
    ]
    return min(ranked)[3] if ranked else None


def closest_word(term: str) -> str | None:
    """The indexed word most like ``term`` (``best_correction`` of the words that
    share most trigrams with it), or None. Both engines choose alike: only how
    the candidates are found differs."""
    if connection.vendor != "postgresql":
        return best_correction(term, _candidates_sqlite(term))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
            (str(NEAR_MISS_THRESHOLD),),
        )
        cursor.execute(
            "SELECT word FROM search_word WHERE word %% %s "
            "ORDER BY similarity(word, %s) DESC, length(word), word LIMIT %s",
            (term, term, CANDIDATES),
        )
        words = [str(row[0]) for row in cursor.fetchall()]
    return best_correction(term, words)


def _candidates_sqlite(term: str) -> list[str]:
    """SQLite: the words sharing most of ``term``'s inner trigrams (FTS5's trigram
    index, the best ``CANDIDATES`` by ``bm25``)."""
    inner = sorted({term[i : i + 3] for i in range(len(term) - 2)})
    if not inner:
        return []
    expression = " OR ".join(f'"{gram}"' for gram in inner)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM search_word_trigram WHERE search_word_trigram MATCH %s "
            "ORDER BY rank LIMIT %s",
            (expression, CANDIDATES),
        )
        return [str(row[0]) for row in cursor.fetchall()]
