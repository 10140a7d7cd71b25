"""The text match, by engine: SQLite's FTS5 (``bm25`` with column weights) and
PostgreSQL's weighted ``tsvector`` (``ts_rank_cd``), the last word matched as a
prefix on both; on PostgreSQL a word that finds nothing is corrected from the
dictionary of indexed words (``search_word``, ``pg_trgm``)."""

from __future__ import annotations

from typing import Any

from django.db import connection

# pg_trgm word similarity a near-miss needs ("avacado"/"avocado" is about 0.45).
NEAR_MISS_THRESHOLD = 0.3


def fts_expression(terms: list[str]) -> str:
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(terms: list[str]) -> str:
    return " & ".join([*terms[:-1], f"{terms[-1]}:*"])


def fts_match_sql(terms: list[str]) -> tuple[str, tuple[Any, ...]]:
    """SQLite: the text match as a derived table ``(product_id, score)`` (the
    query's words only ever travel as parameters)."""
    return (
        "SELECT rowid AS product_id, "
        "-bm25(search_product_fts, 10.0, 4.0, 4.0, 2.0, 1.5, 1.5) AS score "
        "FROM search_product_fts WHERE search_product_fts MATCH %s",
        (fts_expression(terms),),
    )


def closest_word(term: str) -> str | None:
    """The indexed word most like ``term`` (pg_trgm similarity at least
    ``NEAR_MISS_THRESHOLD``), or None."""
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
