"""What makers and clusters are found by: a product is found by its maker's names,
the keywords of its maker's story, its maker's town and region, and the names of
the clusters its maker is admitted to — ranked below a match in its own text.

The search app keeps each maker's text once (``SearchMaker``, told by the members
services with ``maker_changed``, and with every product indexed) and each cluster's
names (``ShelfCluster.names``, told by ``cluster_changed``). The text is written
into each of the maker's products' index rows, two field groups of their own:
``maker`` (its names; weighted like tags) and ``about`` (story keywords, place and
cluster names; weighted least). When a maker's text, its memberships or a
cluster's names change, ``makers_refreshed`` writes those two groups again for
every product of the makers involved, inside the caller's transaction: on SQLite
an ``UPDATE`` of the FTS5 rows, on PostgreSQL the document's ``vector`` made again
from the product's own vector (kept in ``search_own_vector``) and the maker's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

from purei.core.text import fold
from purei.search.cache import catalogue_changed_on_commit
from purei.search.entries import MakerText
from purei.search.highlight import with_variants
from purei.search.models import SearchMaker, ShelfCluster, ShelfMembership

WORD = re.compile(r"\w+")
# The most keywords kept of one story (distinct words, in the story's order).
MAX_KEYWORDS = 200
# Words too common in stories to say anything about a maker (words shorter than
# three letters are dropped too).
_STOP_WORDS = """
    about after again all also and any are because been before being both but
    can could did does each every few for from had has have her here hers him his
    how into its just more most much not now off once only other our ours out over
    own same she some such than that the their theirs them then there these they
    this those through too under until very was were what when where which while
    who whom whose why will with would year years you your yours
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def story_keywords(story: str) -> str:
    """The distinct folded words of a story worth finding a maker by: no stop
    words, none shorter than three letters, at most ``MAX_KEYWORDS``."""
    seen: dict[str, None] = {}
    for word in WORD.findall(fold(story).replace("_", " ")):
        if len(word) >= 3 and word not in STOP_WORDS and not word.isdigit():
            seen.setdefault(word, None)
            if len(seen) >= MAX_KEYWORDS:
                break
    return " ".join(seen)


def _folded(parts: Iterable[str]) -> str:
    return with_variants(fold(" ".join(part for part in parts if part)))


@dataclass(frozen=True)
class MakerRow:
    """A maker's text as it is stored (folded)."""

    names: str
    about: str


def maker_row(maker: MakerText) -> MakerRow:
    return MakerRow(
        names=_folded(maker.names),
        about=_folded([story_keywords(maker.story), *maker.place]),
    )


def folded_names(names: Iterable[str]) -> str:
    """A cluster's names as ``ShelfCluster.names`` keeps them."""
    return _folded(names)


@dataclass(frozen=True)
class MakerContext:
    """The text a maker's products are found by besides their own: ``maker``
    (names) and ``about`` (story keywords, place, the maker's clusters' names)."""

    maker: str = ""
    about: str = ""


def makers_written(makers: Iterable[MakerText]) -> set[int]:
    """Keep these makers' text (only rows that differ are written); the ids of
    the makers whose text changed."""
    # Each maker once (a chunk of products passes the same maker many times):
    # folding its text is most of the cost.
    unique = {maker.member_id: maker for maker in makers}
    wanted = {member_id: maker_row(maker) for member_id, maker in unique.items()}
    if not wanted:
        return set()
    have = {
        row.member_id: row for row in SearchMaker.objects.filter(member_id__in=wanted)
    }
    changed: set[int] = set()
    stale: list[SearchMaker] = []
    for member_id, row in wanted.items():
        old = have.get(member_id)
        if old is not None and (old.names, old.about) == (row.names, row.about):
            continue
        changed.add(member_id)
        if old is not None:
            old.names, old.about = row.names, row.about
            stale.append(old)
    if stale:
        SearchMaker.objects.bulk_update(stale, ["names", "about"], batch_size=500)
    new = [
        SearchMaker(member_id=member_id, names=row.names, about=row.about)
        for member_id, row in sorted(wanted.items())
        if member_id not in have
    ]
    if new:
        SearchMaker.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return changed


def maker_contexts(member_ids: Iterable[int]) -> dict[int, MakerContext]:
    """member id → what its products are found by besides their own text (three
    small queries whatever the number of makers)."""
    ids = sorted(set(member_ids))
    if not ids:
        return {}
    makers = {
        member_id: (names, about)
        for member_id, names, about in SearchMaker.objects.filter(
            member_id__in=ids
        ).values_list("member_id", "names", "about")
    }
    admitted: dict[int, list[int]] = defaultdict(list)
    for member_id, cluster_id in ShelfMembership.objects.filter(
        member_id__in=ids, open=True
    ).values_list("member_id", "cluster_id"):
        admitted[member_id].append(cluster_id)
    cluster_ids = {pk for clusters in admitted.values() for pk in clusters}
    cluster_names = dict(
        ShelfCluster.objects.filter(cluster_id__in=cluster_ids)
        .exclude(names="")
        .values_list("cluster_id", "names")
    )
    contexts = {}
    for member_id in ids:
        names, about = makers.get(member_id, ("", ""))
        clusters = [
            cluster_names[pk]
            for pk in sorted(admitted[member_id])
            if pk in cluster_names
        ]
        contexts[member_id] = MakerContext(
            maker=names, about=" ".join(part for part in (about, *clusters) if part)
        )
    return contexts


def words_added(texts: Iterable[str]) -> None:
    """SQLite: these texts' words join the dictionary near-misses are corrected
    from (``search_word``; PostgreSQL fills its own from the vectors)."""
    words = sorted(
        {
            word
            for text in texts
            for word in WORD.findall(text)
            if len(word) >= 3 and not word.isdigit()
        }
    )
    if not words:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT OR IGNORE INTO search_word (word) VALUES (%s)",
            [(word,) for word in words],
        )


def _plain(text: str) -> str:
    """Text for ``to_tsvector``, whose parser drops anything that looks like a
    tag."""
    return text.replace("<", " ").replace(">", " ")


def makers_refreshed(member_ids: Iterable[int]) -> None:
    """Write these makers' text again into every one of their products' index
    rows (after the maker's text, its memberships or a cluster's names changed);
    cached pages go stale on commit."""
    contexts = maker_contexts(member_ids)
    if not contexts:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                "UPDATE search_searchdocument d SET vector = o.own || "
                "setweight(to_tsvector('simple', unaccent(%s)), 'B') || "
                "setweight(to_tsvector('simple', unaccent(%s)), 'D') "
                "FROM search_own_vector o "
                "WHERE o.product_id = d.product_id AND d.member_id = %s",
                [
                    (_plain(context.maker), _plain(context.about), member_id)
                    for member_id, context in contexts.items()
                ],
            )
            cursor.execute(
                "INSERT INTO search_word (word) "
                "SELECT DISTINCT unnest(tsvector_to_array("
                "to_tsvector('simple', unaccent(%s)))) ON CONFLICT DO NOTHING",
                (
                    _plain(
                        " ".join(
                            f"{context.maker} {context.about}"
                            for context in contexts.values()
                        )
                    ),
                ),
            )
        else:
            cursor.executemany(
                "UPDATE search_product_fts SET maker = %s, about = %s "
                "WHERE rowid IN (SELECT product_id FROM search_searchdocument "
                "WHERE member_id = %s)",
                [
                    (context.maker, context.about, member_id)
                    for member_id, context in contexts.items()
                ],
            )
            words_added(f"{c.maker} {c.about}" for c in contexts.values())
    catalogue_changed_on_commit()


def maker_changed(maker: MakerText) -> None:
    """A maker's names, story or place changed (``member_update`` and the other
    writers of members call this inside their transaction): its products are
    found by the new text at once."""
    if makers_written([maker]):
        makers_refreshed([maker.member_id])


def makers_replaced(makers: Sequence[MakerText]) -> None:
    """Forget every maker's text and keep these instead (``purei
    search_reindex``: every product is written again after)."""
    SearchMaker.objects.all().delete()
    makers_written(makers)
