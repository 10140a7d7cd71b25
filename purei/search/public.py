"""What is public, and the shelf that remembers it (``PublicProduct``).

A product is public in a cluster when it is live, its listing there is approved
(and past any cultural review), the cluster is live and the product's member is an
approved member of it. ``shelve`` writes that down for some products; the search
index calls it with every product write, and ``purei.search.apps`` with every
membership and cluster change, so shops and searches read one indexed table.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from purei.catalogue.models import Listing, Product
from purei.clusters.models import Cluster
from purei.members.models import Membership
from purei.search.models import PublicProduct

BATCH = 2000
# Attribute keys that can be filtered and counted (``attr_<key>`` in URLs).
ATTRIBUTE_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
# Between the ``key=value`` tokens of ``PublicProduct.attribute_tokens``.
ATTRIBUTE_SEPARATOR = "\x1f"
# The product's facts copied onto its shelf rows: (product field, shelf field).
FACTS = (
    ("title_en", "title"),
    ("created_at", "created_at"),
    ("lowest_price_cents", "lowest_price_cents"),
    ("in_stock", "in_stock"),
    ("category_id", "category_id"),
    ("member_id", "member_id"),
    ("origin_region_id", "origin_region_id"),
)
FACT_FIELDS = [shelf for _product, shelf in FACTS] + ["attribute_tokens"]


def public_listings(cluster: Cluster | None = None) -> QuerySet[Listing]:
    """The public listings (the rule itself), in ``cluster`` or every cluster."""
    listings = Listing.objects.filter(
        status=Listing.Status.APPROVED,
        cultural_review__in=[
            Listing.CulturalReview.NOT_NEEDED,
            Listing.CulturalReview.APPROVED,
        ],
        cluster__status=Cluster.Status.LIVE,
    ).filter(
        Exists(
            Membership.objects.filter(
                member_id=OuterRef("product__member_id"),
                cluster_id=OuterRef("cluster_id"),
                status=Membership.Status.APPROVED,
            )
        )
    )
    if cluster is not None:
        listings = listings.filter(cluster_id=cluster.pk)
    return listings


def public_now(cluster: Cluster | None = None) -> QuerySet[Product]:
    """The products public in ``cluster`` by the rule itself, this instant (what
    a cart or a checkout must go by), not by the shelf."""
    return Product.objects.filter(
        status=Product.Status.LIVE,
        pk__in=public_listings(cluster).values("product_id"),
    )


def attribute_text(value: object) -> str:
    """An attribute's value as URLs and filters spell it (JSON numbers as digits,
    true/false as JSON writes them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def attribute_token(key: str, text: str) -> str:
    """One attribute as it is found in ``PublicProduct.attribute_tokens``."""
    value = text.replace(ATTRIBUTE_SEPARATOR, " ")
    return f"{ATTRIBUTE_SEPARATOR}{key}={value}{ATTRIBUTE_SEPARATOR}"


def attribute_tokens(attributes: object) -> str:
    """A product's plain attributes (text, numbers, true/false; not lists, objects
    or nulls) as ``\x1fkey=value\x1fkey=value\x1f``, keys in order."""
    if not isinstance(attributes, Mapping):
        return ""
    tokens = [
        f"{key}={attribute_text(value).replace(ATTRIBUTE_SEPARATOR, ' ')}"
        for key, value in sorted(attributes.items())
        if isinstance(key, str)
        and ATTRIBUTE_KEY_PATTERN.match(key)
        and isinstance(value, str | int | float | bool)
        and str(value).strip()
    ]
    if not tokens:
        return ""
    return ATTRIBUTE_SEPARATOR + ATTRIBUTE_SEPARATOR.join(tokens) + ATTRIBUTE_SEPARATOR


def _facts(product_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """product id → its facts as the shelf keeps them (one query)."""
    facts = {}
    for row in Product.objects.filter(pk__in=list(product_ids)).values_list(
        "pk", *(field for field, _shelf in FACTS), "attributes"
    ):
        values = dict(zip((shelf for _field, shelf in FACTS), row[1:-1], strict=True))
        values["attribute_tokens"] = attribute_tokens(row[-1])
        facts[row[0]] = values
    return facts


def _refresh(
    rows: Iterable[PublicProduct], facts: Mapping[int, dict[str, Any]]
) -> set[int]:
    """Bring these shelf rows' facts up to date (only rows that differ are
    written); the ids of the products whose facts had changed."""
    stale = []
    for row in rows:
        values = facts.get(row.product_id)
        if values is None:
            continue
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            stale.append(row)
    if stale:
        PublicProduct.objects.bulk_update(stale, FACT_FIELDS, batch_size=500)
    return {row.product_id for row in stale}


# PostgreSQL: the facts (and where the product is public) on the search documents,
# for many products in one statement.
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


def _write_documents(
    facts: Mapping[int, dict[str, Any]],
    public_in: Mapping[int, list[int]] | None = None,
) -> None:
    """PostgreSQL: copy these products' facts onto their search documents, and
    with ``public_in`` where each is public (cluster ids; none for a product
    public nowhere), so a text search reads one table (``SearchDocument``)."""
    if connection.vendor != "postgresql" or not facts:
        return
    ids = sorted(facts)
    arrays: list[Any] = [ids]
    arrays += [[facts[pk][name] for pk in ids] for name, _type in _DOCUMENT_COLUMNS]
    casts = ["%s::bigint[]"] + [f"%s::{kind}[]" for _name, kind in _DOCUMENT_COLUMNS]
    names = ["product_id"] + [name for name, _type in _DOCUMENT_COLUMNS]
    sets = [f"{name} = v.{name}" for name, _type in _DOCUMENT_COLUMNS]
    old = [f"d.{name}" for name, _type in _DOCUMENT_COLUMNS]
    new = [f"v.{name}" for name, _type in _DOCUMENT_COLUMNS]
    if public_in is not None:
        arrays.append(
            ["{" + ",".join(map(str, public_in.get(pk, []))) + "}" for pk in ids]
        )
        casts.append("%s::text[]")
        names.append("public_in")
        sets.append("public_in = v.public_in::bigint[]")
        old.append("d.public_in")
        new.append("v.public_in::bigint[]")
    # Rows already right are not written: an UPDATE leaves a dead row version
    # behind, and a table half dead rows made text searches half as fast again.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE search_searchdocument d SET {', '.join(sets)} "  # noqa: S608
            f"FROM unnest({', '.join(casts)}) AS v({', '.join(names)}) "
            f"WHERE d.product_id = v.product_id "
            f"AND ({', '.join(old)}) IS DISTINCT FROM ({', '.join(new)})",
            arrays,
        )


def document_facts(product_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """PostgreSQL: product id → what its search document carries besides its
    text, in ``DOCUMENT_FIELDS`` order: where it is public (cluster ids) and its
    facts, so a new document is written whole at once (two queries)."""
    wanted = sorted(set(product_ids))
    public_in: dict[int, list[int]] = defaultdict(list)
    for product_id, cluster_id in (
        public_listings()
        .filter(product_id__in=wanted, product__status=Product.Status.LIVE)
        .order_by("cluster_id")
        .values_list("product_id", "cluster_id")
    ):
        public_in[product_id].append(cluster_id)
    return {
        pk: (
            public_in.get(pk, []),
            *(values[name] for name, _type in _DOCUMENT_COLUMNS),
        )
        for pk, values in _facts(wanted).items()
    }


# The columns ``document_facts`` gives values for.
DOCUMENT_FIELDS = ("public_in", *(name for name, _type in _DOCUMENT_COLUMNS))


def refresh_facts(product_ids: Iterable[int]) -> None:
    """Copy these products' facts (price, stock, title…) onto their shelf rows
    (and search documents), after a change that cannot change where they are
    public."""
    wanted = sorted(set(product_ids))
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        rows = list(PublicProduct.objects.filter(product_id__in=chunk))
        if rows:
            facts = _facts({row.product_id for row in rows})
            changed = _refresh(rows, facts)
            _write_documents({pk: facts[pk] for pk in changed})


def shelve(product_ids: Iterable[int]) -> None:
    """Write down where these products are public (and nowhere else), with their
    facts."""
    wanted = sorted(set(product_ids))
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        pairs = set(
            public_listings()
            .filter(product_id__in=chunk, product__status=Product.Status.LIVE)
            .values_list("product_id", "cluster_id")
        )
        have = {
            (row.product_id, row.cluster_id): row
            for row in PublicProduct.objects.filter(product_id__in=chunk)
        }
        gone = [row.pk for key, row in have.items() if key not in pairs]
        if gone:
            PublicProduct.objects.filter(pk__in=gone).delete()
        facts = _facts(chunk)
        _refresh([row for key, row in have.items() if key in pairs], facts)
        public_in: dict[int, list[int]] = defaultdict(list)
        for product_id, cluster_id in sorted(pairs):
            public_in[product_id].append(cluster_id)
        _write_documents(facts, public_in)
        PublicProduct.objects.bulk_create(
            [
                PublicProduct(product_id=p, cluster_id=c, **facts[p])
                for p, c in pairs - set(have)
                if p in facts
            ],
            ignore_conflicts=True,
        )


def shelve_all() -> None:
    """Write the whole shelf again (``purei search_reindex``)."""
    PublicProduct.objects.all().delete()
    shelve(Product.objects.values_list("pk", flat=True))


def shelve_member(member_id: int) -> None:
    shelve(Product.objects.filter(member_id=member_id).values_list("pk", flat=True))


def shelve_cluster(cluster_id: int) -> None:
    shelve(
        Listing.objects.filter(cluster_id=cluster_id).values_list(
            "product_id", flat=True
        )
    )
