"""The shelf of public products (``PublicProduct``), kept from the search app's own
tables.

A product is public in a cluster when the catalogue said it is listed there
(``ShelfListing.listed``: live, the listing approved and past any cultural
review), the cluster said it is live (``ShelfCluster``) and the membership
services said its member is admitted there (``ShelfMembership``). The catalogue's
own rule, for carts and checkout, is ``purei.catalogue.selectors.public_listings``;
this is the same rule over what the services passed down.

``membership_changed`` and ``cluster_changed`` are called by the members and
clusters services (inside their transaction); ``reshelve`` writes down where some
products are public, and ``facts_changed`` copies new facts onto the rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef

from purei.search.cache import catalogue_changed, catalogue_changed_on_commit
from purei.search.entries import (
    FACT_FIELDS,
    ClusterState,
    Facts,
    MakerText,
    MembershipState,
)
from purei.search.makers import folded_names, makers_refreshed, makers_replaced
from purei.search.models import (
    PublicProduct,
    SearchDocument,
    ShelfCluster,
    ShelfListing,
    ShelfMembership,
)

BATCH = 2000

Pairs = set[tuple[int, int]]


def public_pairs(product_ids: Sequence[int]) -> Pairs:
    """The (product, cluster) pairs where these products are public, by what the
    services passed down (one query)."""
    if not product_ids:
        return set()
    return set(
        ShelfListing.objects.filter(product_id__in=list(product_ids), listed=True)
        .filter(
            Exists(
                ShelfCluster.objects.filter(
                    cluster_id=OuterRef("cluster_id"), live=True
                )
            ),
            Exists(
                ShelfMembership.objects.filter(
                    member_id=OuterRef("member_id"),
                    cluster_id=OuterRef("cluster_id"),
                    open=True,
                )
            ),
        )
        .values_list("product_id", "cluster_id")
    )


def public_in(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """product id → the clusters it is public in, in order."""
    found: dict[int, list[int]] = defaultdict(list)
    for product_id, cluster_id in sorted(pairs):
        found[product_id].append(cluster_id)
    return found


def sync(product_ids: Sequence[int], pairs: Pairs, facts: Mapping[int, Facts]) -> None:
    """Make these products' shelf rows exactly ``pairs``, with ``facts`` on them
    (only rows that differ are written)."""
    have = {
        (row.product_id, row.cluster_id): row
        for row in PublicProduct.objects.filter(product_id__in=list(product_ids))
    }
    gone = [row.pk for key, row in have.items() if key not in pairs]
    if gone:
        PublicProduct.objects.filter(pk__in=gone).delete()
    _refresh([row for key, row in have.items() if key in pairs], facts)
    new = [
        PublicProduct(product_id=p, cluster_id=c, **facts[p].as_row())
        for p, c in sorted(pairs - set(have))
        if p in facts
    ]
    if new:
        PublicProduct.objects.bulk_create(new, ignore_conflicts=True)


def _refresh(rows: Iterable[PublicProduct], facts: Mapping[int, Facts]) -> None:
    """Bring these shelf rows' facts up to date (only rows that differ)."""
    stale = []
    for row in rows:
        values = facts.get(row.product_id)
        if values is None:
            continue
        wanted = values.as_row()
        if any(getattr(row, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(row, name, value)
            stale.append(row)
    if stale:
        PublicProduct.objects.bulk_update(stale, list(FACT_FIELDS), batch_size=500)


def document_facts(product_ids: Sequence[int]) -> dict[int, Facts]:
    """product id → its facts as its search document keeps them (one query)."""
    return {
        row[0]: Facts(*row[1:])
        for row in SearchDocument.objects.filter(
            product_id__in=list(product_ids)
        ).values_list("product_id", *FACT_FIELDS)
    }


# PostgreSQL: the documents' facts and where each product is public, for many
# products in one statement (rows already right are not written: an UPDATE
# leaves a dead row version behind, and a table half dead rows made text
# searches half as fast again).
_DOCUMENT_COLUMNS = (
    ("title", "text"),
    ("created_at", "timestamptz"),
    ("lowest_price_cents", "integer"),
    ("in_stock", "boolean"),
    ("category_id", "bigint"),
    ("member_id", "bigint"),
    ("origin_region_id", "bigint"),
    ("attribute_tokens", "text"),
)


def write_documents(
    facts: Mapping[int, Facts] | None = None,
    where: Mapping[int, list[int]] | None = None,
    *,
    ids: Sequence[int] = (),
) -> None:
    """Write onto the search documents of ``ids`` their ``facts`` and (PostgreSQL)
    with ``where`` the clusters each is public in (none for a product missing from
    it); only documents that differ are written."""
    ids = sorted(set(ids) | set(facts or {}))
    if not ids or (facts is None and where is None):
        return
    if connection.vendor != "postgresql":
        if facts:
            write_sqlite_documents(facts)
        return
    arrays: list[Any] = [ids]
    casts = ["%s::bigint[]"]
    names = ["product_id"]
    sets: list[str] = []
    old: list[str] = []
    new: list[str] = []
    if facts is not None:
        ids = [pk for pk in ids if pk in facts]
        arrays = [ids]
        rows = [facts[pk].as_row() for pk in ids]
        arrays += [[row[name] for row in rows] for name, _kind in _DOCUMENT_COLUMNS]
        casts += [f"%s::{kind}[]" for _name, kind in _DOCUMENT_COLUMNS]
        names += [name for name, _kind in _DOCUMENT_COLUMNS]
        sets += [f"{name} = v.{name}" for name, _kind in _DOCUMENT_COLUMNS]
        old += [f"d.{name}" for name, _kind in _DOCUMENT_COLUMNS]
        new += [f"v.{name}" for name, _kind in _DOCUMENT_COLUMNS]
    if where is not None:
        arrays.append(["{" + ",".join(map(str, where.get(pk, []))) + "}" for pk in ids])
        casts.append("%s::text[]")
        names.append("public_in")
        sets.append("public_in = v.public_in::bigint[]")
        old.append("d.public_in")
        new.append("v.public_in::bigint[]")
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE search_searchdocument d SET {', '.join(sets)} "  # noqa: S608
            f"FROM unnest({', '.join(casts)}) AS v({', '.join(names)}) "
            f"WHERE d.product_id = v.product_id "
            f"AND ({', '.join(old)}) IS DISTINCT FROM ({', '.join(new)})",
            arrays,
        )


def write_sqlite_documents(facts: Mapping[int, Facts]) -> set[int]:
    """SQLite: the documents' facts, where they differ (one read, one write); the
    ids of the products that have a document."""
    stale = []
    found = set()
    for document in SearchDocument.objects.filter(product_id__in=list(facts)).only(
        "pk", "product_id", *FACT_FIELDS
    ):
        found.add(document.product_id)
        wanted = facts[document.product_id].as_row()
        if any(getattr(document, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(document, name, value)
            stale.append(document)
    if stale:
        SearchDocument.objects.bulk_update(stale, list(FACT_FIELDS), batch_size=500)
    return found


def reshelve(product_ids: Iterable[int]) -> None:
    """Write down where these products are public (and nowhere else), from the
    search app's own tables, with the facts their documents keep."""
    wanted = sorted(set(product_ids))
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        pairs = public_pairs(chunk)
        sync(chunk, pairs, document_facts(chunk))
        write_documents(where=public_in(pairs), ids=chunk)


def facts_changed(facts: Mapping[int, Facts]) -> None:
    """These products' facts changed (price, stock, title…) in a way that cannot
    change where they are public: copy them onto their documents and shelf rows
    (only rows that differ are written)."""
    wanted = sorted(facts)
    for start in range(0, len(wanted), BATCH):
        chunk = {pk: facts[pk] for pk in wanted[start : start + BATCH]}
        write_documents(chunk)
        _refresh(PublicProduct.objects.filter(product_id__in=list(chunk)), chunk)
    if wanted:
        catalogue_changed()


def membership_changed(*, member_id: int, cluster_id: int, open: bool) -> None:
    """A membership changed: ``open`` when the member is now admitted to the
    cluster (approved), else not (applied, declined, suspended, left). The
    member's listings in that cluster go on or off the shelf at once (inside
    the caller's transaction); cached pages go stale when it commits."""
    changed = (
        ShelfMembership.objects.filter(member_id=member_id, cluster_id=cluster_id)
        .exclude(open=open)
        .update(open=open)
    )
    if not changed:
        _row, created = ShelfMembership.objects.get_or_create(
            member_id=member_id, cluster_id=cluster_id, defaults={"open": open}
        )
        changed = int(created and open)  # a new closed membership shows nothing
    if changed:
        reshelve(
            ShelfListing.objects.filter(
                member_id=member_id, cluster_id=cluster_id
            ).values_list("product_id", flat=True)
        )
        # The member's products are found by the names of its clusters.
        makers_refreshed([member_id])
    catalogue_changed_on_commit()


def cluster_changed(
    *, cluster_id: int, live: bool, names: Sequence[str] | None = None
) -> None:
    """A cluster was saved: ``live`` when its shop is open; ``names`` (English and
    te reo) when they may have changed (left out: as they were). Its listings go
    on or off the shelf at once when ``live`` changed, and its members' products
    are found by its new names at once (inside the caller's transaction); cached
    pages (which name the cluster) go stale when it commits."""
    folded = folded_names(names) if names is not None else None
    changed = (
        ShelfCluster.objects.filter(cluster_id=cluster_id)
        .exclude(live=live)
        .update(live=live)
    )
    renamed = False
    if folded is not None:
        renamed = bool(
            ShelfCluster.objects.filter(cluster_id=cluster_id)
            .exclude(names=folded)
            .update(names=folded)
        )
    if not changed:
        _row, created = ShelfCluster.objects.get_or_create(
            cluster_id=cluster_id, defaults={"live": live, "names": folded or ""}
        )
        changed = int(created and live)
        renamed = renamed or (created and bool(folded))
    if changed:
        reshelve(
            ShelfListing.objects.filter(cluster_id=cluster_id).values_list(
                "product_id", flat=True
            )
        )
    if renamed:
        makers_refreshed(
            ShelfMembership.objects.filter(cluster_id=cluster_id, open=True)
            .values_list("member_id", flat=True)
            .order_by()
        )
    catalogue_changed_on_commit()


def states_replaced(
    clusters: Iterable[ClusterState],
    memberships: Iterable[MembershipState],
    makers: Sequence[MakerText] = (),
) -> None:
    """Forget every cluster, membership and maker state and keep these instead
    (``purei search_reindex``: the shelf and every product's text are written
    again after)."""
    ShelfCluster.objects.all().delete()
    ShelfMembership.objects.all().delete()
    ShelfCluster.objects.bulk_create(
        [
            ShelfCluster(
                cluster_id=c.cluster_id, live=c.live, names=folded_names(c.names)
            )
            for c in clusters
        ],
        batch_size=1000,
    )
    makers_replaced(makers)
    ShelfMembership.objects.bulk_create(
        [
            ShelfMembership(member_id=m.member_id, cluster_id=m.cluster_id, open=m.open)
            for m in memberships
        ],
        batch_size=1000,
    )


def reshelve_all() -> None:
    """Write the whole shelf again from the search app's own tables."""
    PublicProduct.objects.all().delete()
    reshelve(SearchDocument.objects.values_list("product_id", flat=True))
