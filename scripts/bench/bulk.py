"""The national catalogue written with PostgreSQL's ``COPY``: clusters, members,
memberships, products, variants, listings and tags, and the search index and shelf.

``scripts.bench.national`` (the command) calls ``national_generate`` on a fresh
database; the tests call it on the test database. The content is the ORM
generator's (``scripts.bench.generate.Generator.build``: titles, descriptions,
attributes, prices, listings and tags from the seed's templates); only the writing
differs. Rows are model instances, written column by column from the model's
concrete fields (``Table``), so a field added to a model is written with its
default without touching this file. Ids are taken from each table's sequence up
front (``reserve``), so rows can point at each other before they are written.

The search index and shelf are the project's own: each chunk of products, built in
memory, is passed down with ``purei.catalogue.indexing.products_passed_down`` (the
function ``reindex_all`` uses) before its rows are copied, in one transaction
(the foreign keys of the search tables are checked at commit).
"""

from __future__ import annotations

import io
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from purei.catalogue.indexing import (
    products_changed,
    products_passed_down,
    states_reindexed,
)
from purei.catalogue.models import Listing, Product, Tag, Variant
from purei.catalogue.seed.data import KINDS
from purei.clusters.models import Cluster, ClusterType, LeadOrganisationKind, Region
from purei.clusters.search import cluster_search_text
from purei.members.models import Member, Membership
from purei.members.services.profile import member_search_text
from purei.search.models import SearchDocument
from scripts.bench.generate import (
    ADJECTIVES,
    MAORI_WORDS,
    PLACES,
    SENTENCES,
    Batch,
    Generator,
    say,
)

CHUNK = 5000  # products per transaction
# Plain values psycopg copies as they are (anything else goes through the
# field's ``get_db_prep_save``).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateTimeField,
    models.DateField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def _converter(model_field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    if isinstance(model_field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
    if isinstance(model_field, _PLAIN):
        return lambda value: value
    return lambda value: model_field.get_db_prep_save(value, connection)


class Table:
    """One model's table, written with ``COPY`` from unsaved instances: every
    concrete field, with the value on the instance (the model's defaults, set
    when it was made) and ``auto_now``/``auto_now_add`` stamped as ``save`` does."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.name = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.stamped = [
            f
            for f in self.fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self.convert = [(f.attname, _converter(f)) for f in self.fields]
        self.rows = 0
        self.seconds = 0.0

    def stamp(self, objects: Iterable[models.Model]) -> None:
        for obj in objects:
            for stamped in self.stamped:
                stamped.pre_save(obj, add=True)

    def write(self, objects: Sequence[models.Model]) -> None:
        """``COPY`` these (with their ids set and ``stamp``-ed) into the table."""
        started = time.perf_counter()
        columns = ", ".join(f'"{f.column}"' for f in self.fields)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{self.name}" ({columns}) FROM STDIN') as copy,
        ):
            for obj in objects:
                copy.write_row(
                    [convert(getattr(obj, name)) for name, convert in self.convert]
                )
        self.rows += len(objects)
        self.seconds += time.perf_counter() - started


def reserve(model: type[models.Model], count: int) -> range:
    """``count`` consecutive ids from ``model``'s sequence: the sequence is moved
    past them, so later inserts (ORM or ``COPY``) never collide."""
    if count == 0:
        return range(0)
    column = model._meta.pk.column if model._meta.pk else "id"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, column]
        )
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return range(first, first + count)


@dataclass
class Tables:
    """The tables a national generation writes, with their counts and times."""

    by_model: dict[type[models.Model], Table] = field(default_factory=dict)
    index_seconds: float = 0.0
    indexed: int = 0
    states_seconds: float = 0.0

    def __getitem__(self, model: type[models.Model]) -> Table:
        if model not in self.by_model:
            self.by_model[model] = Table(model)
        return self.by_model[model]

    def write(self, model: type[models.Model], objects: Sequence[models.Model]) -> None:
        for obj, pk in zip(objects, reserve(model, len(objects)), strict=True):
            obj.pk = pk
        self[model].stamp(objects)
        self[model].write(objects)

    def report(self) -> list[dict[str, Any]]:
        rows = [
            {
                "table": table.name,
                "rows": table.rows,
                "seconds": round(table.seconds, 2),
                "rows_per_second": round(table.rows / table.seconds)
                if table.seconds
                else None,
            }
            for table in self.by_model.values()
        ]
        rows.append(
            {
                "table": "search states and the seed's products (ORM path)",
                "rows": None,
                "seconds": round(self.states_seconds, 2),
                "rows_per_second": None,
            }
        )
        rows.append(
            {
                "table": "search index and shelf (products passed down)",
                "rows": self.indexed,
                "seconds": round(self.index_seconds, 2),
                "rows_per_second": round(self.indexed / self.index_seconds)
                if self.index_seconds
                else None,
            }
        )
        return rows


def _clusters(rng: random.Random, count: int, first: int) -> list[Cluster]:
    regions = list(Region.objects.all())
    kinds = sorted(KINDS)
    clusters = []
    for number in range(first, first + count):
        region = regions[number % len(regions)]
        kind = kinds[number % len(kinds)].replace("-", " ")
        name = f"{rng.choice(MAORI_WORDS)} {region.name_en} {kind.title()} Collective"
        cluster = Cluster(
            slug=f"{slugify(name)[:52].strip('-')}-n{number}",
            name_en=f"{name} {number}",
            type=rng.choice(list(ClusterType)),
            lead_org_kind=rng.choice(list(LeadOrganisationKind)),
            lead_org_name=f"{region.name_en} {kind.title()} Trust",
            specialisation=kind,
            tagline=f"{kind.capitalize()} from {region.name_en}",
            story=rng.choice(SENTENCES).format(
                place=rng.choice(PLACES),
                word=rng.choice(MAORI_WORDS).lower(),
                month="March",
            ),
            status=rng.choices(
                [Cluster.Status.LIVE, Cluster.Status.PAUSED, Cluster.Status.DRAFT],
                weights=[94, 3, 3],
            )[0],
            contact_email=f"hello@cluster-{number}.test",
        )
        cluster.search_text = cluster_search_text(cluster)
        cluster.national_region = region  # type: ignore[attr-defined]
        clusters.append(cluster)
    return clusters


def _members(
    rng: random.Random, count: int, first: int, clusters: Sequence[Cluster]
) -> tuple[list[Member], list[Membership]]:
    """Members, each approved (mostly) in one cluster of the list (its home: its
    first membership) and some in a second."""
    now = timezone.now()
    members, memberships = [], []
    homes: list[tuple[Member, list[Cluster]]] = []
    for number in range(first, first + count):
        home = rng.choice(clusters)
        region = home.national_region  # type: ignore[attr-defined]
        place = rng.choice(PLACES)
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(MAORI_WORDS)} {place}"
        member = Member(
            slug=f"{slugify(name)[:52].strip('-')}-m{number}",
            legal_name=f"{name} Limited {number}",
            trading_name=f"{name} {number}",
            region=region,
            town=place,
            story=" ".join(
                sentence.format(
                    place=place, word=rng.choice(MAORI_WORDS).lower(), month="May"
                )
                for sentence in rng.sample(SENTENCES, 2)
            ),
            email=f"member-{number}@national.test",
        )
        member.search_text = member_search_text(member)
        members.append(member)
        joined = [home]
        if rng.random() < 0.15:
            other = rng.choice(clusters)
            if other is not home:
                joined.append(other)
        homes.append((member, joined))
    for member, joined in homes:
        for cluster in joined:
            status = rng.choices(
                [
                    Membership.Status.APPROVED,
                    Membership.Status.APPLIED,
                    Membership.Status.SUSPENDED,
                    Membership.Status.LEFT,
                ],
                weights=[90, 5, 3, 2],
            )[0]
            memberships.append(
                Membership(
                    member=member,
                    cluster=cluster,
                    status=status,
                    decided_at=None if status == Membership.Status.APPLIED else now,
                )
            )
    return members, memberships


def _linked(objects: Iterable[models.Model], *names: str) -> None:
    """Copy the ids of related objects (saved after they were linked) onto
    ``<name>_id``."""
    for obj in objects:
        for name in names:
            setattr(obj, f"{name}_id", getattr(obj, name).pk)


def _organisations(
    tables: Tables, rng: random.Random, clusters: int, members: int
) -> bool:
    """Clusters and members up to these totals (the new members join the new
    clusters, or the live ones when no cluster is new), with memberships and
    regions; whether any was added."""
    have_clusters = Cluster.objects.count()
    have_members = Member.objects.count()
    made = _clusters(rng, max(0, clusters - have_clusters), have_clusters + 1)
    homes = made
    if not made:
        regions = list(Region.objects.all())
        homes = list(Cluster.objects.filter(status=Cluster.Status.LIVE))
        for cluster in homes:
            cluster.national_region = rng.choice(regions)  # type: ignore[attr-defined]
    with transaction.atomic():
        if made:
            tables.write(Cluster, made)
            through = Cluster.regions.through
            tables.write(
                through,
                [
                    through(cluster_id=c.pk, region_id=c.national_region.pk)  # type: ignore[attr-defined]
                    for c in made
                ],
            )
        people, memberships = _members(
            rng, max(0, members - have_members), have_members + 1, homes
        )
        tables.write(Member, people)
        _linked(memberships, "member", "cluster")
        tables.write(Membership, memberships)
    return bool(made or people)


def member_kinds() -> dict[int, str]:
    """member id → what it makes: its home cluster's specialisation (a key of
    the seed's ``KINDS``, as ``_clusters`` names it; the seed's own members and
    clusters say theirs in the seed)."""
    kinds: dict[int, str] = {}
    for member_id, specialisation in Membership.objects.order_by("pk").values_list(
        "member_id", "cluster__specialisation"
    ):
        kind = specialisation.replace(" ", "-")
        if member_id not in kinds and kind in KINDS:
            kinds[member_id] = kind
    return kinds


def _facts_set(batch: Batch) -> None:
    """The variant facts ``product_facts_changed`` keeps on each product: the
    lowest price, and in stock when a variant is not counted or has stock."""
    lowest: dict[int, int] = {}
    stocked: set[int] = set()
    for variant in batch.variants:
        key = id(variant.product)
        lowest[key] = min(lowest.get(key, variant.price_cents), variant.price_cents)
        if variant.stock_policy != Variant.StockPolicy.TRACKED or variant.stock > 0:
            stocked.add(key)
    for product in batch.products:
        product.lowest_price_cents = lowest.get(id(product))
        product.in_stock = id(product) in stocked


def jsonb_ordered(value: Any) -> Any:
    """``value`` with its objects' keys in the order PostgreSQL's ``jsonb`` keeps
    them (shorter keys first, then by their bytes): what a product read back
    holds, so its attribute text is indexed in the same order."""
    if isinstance(value, dict):
        return {
            key: jsonb_ordered(value[key])
            for key in sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        }
    if isinstance(value, list):
        return [jsonb_ordered(item) for item in value]
    return value


def _prefetched(batch: Batch) -> None:
    """Put each product's tags and listings where ``product.tags.all()`` and
    ``product.listings.all()`` find them (no query while passing it down)."""
    tags: dict[int, list[Tag]] = defaultdict(list)
    listings: dict[int, list[Listing]] = defaultdict(list)
    for product, tag in batch.tags:
        tags[id(product)].append(tag)
    for listing in batch.listings:
        listings[id(listing.product)].append(listing)
    for product in batch.products:
        product.attributes = jsonb_ordered(product.attributes)
        # In the models' own order, as a query gives them.
        product._prefetched_objects_cache = {  # type: ignore[attr-defined]
            "tags": sorted(tags[id(product)], key=lambda tag: tag.name),
            "listings": sorted(
                listings[id(product)],
                key=lambda listing: listing.created_at,
                reverse=True,
            ),
        }


def products_written(
    tables: Tables, generator: Generator, first: int, count: int
) -> None:
    """Products ``first`` … ``first + count - 1``, their rows and their search
    index and shelf rows, in one transaction."""
    batch = generator.build(first, count)
    with transaction.atomic():
        for obj, pk in zip(batch.products, reserve(Product, count), strict=True):
            obj.pk = pk
        tables[Product].stamp(batch.products)
        tables[Listing].stamp(batch.listings)
        _facts_set(batch)
        _prefetched(batch)
        # (setting ``product_id`` forgets the cached product: after the above)
        _linked(batch.variants, "product")
        _linked(batch.listings, "product")
        for listing, pk in zip(
            batch.listings, reserve(Listing, len(batch.listings)), strict=True
        ):
            listing.pk = pk
        started = time.perf_counter()
        products_passed_down(batch.products)
        tables.index_seconds += time.perf_counter() - started
        tables.indexed += count
        tables[Product].write(batch.products)
        tables.write(Variant, batch.variants)
        tables[Listing].write(batch.listings)
        tables.write(Product.tags.through, batch.tag_rows())
        tables.write(Product.credentials.through, batch.credential_rows())


def national_generate(
    *,
    products: int,
    clusters: int,
    members: int,
    seed: str = "national",
    chunk: int = CHUNK,
    progress: bool = True,
) -> Tables:
    """Clusters, members (with memberships) and products up to these totals,
    indexed and on the shelf; the tables written, with their counts and times.
    The database must be PostgreSQL, migrated; the demo seed may be in it."""
    if connection.vendor != "postgresql":
        raise SystemExit("The national generator writes with COPY: PostgreSQL only.")
    rng = random.Random(seed)  # noqa: S311 - reproducible, not secret
    tables = Tables()
    added = _organisations(tables, rng, clusters, members)
    have = Product.objects.count()
    if added or SearchDocument.objects.count() != have:
        # Every cluster's, membership's and maker's state, then the products
        # already there (the seed's) through the ORM path. Not when resuming.
        started = time.perf_counter()
        states_reindexed()
        products_changed(Product.objects.values_list("pk", flat=True))
        tables.states_seconds += time.perf_counter() - started
    # Another seed per resumption: no product number is made twice.
    generator = Generator(
        random.Random(f"{seed}-products-{have}"),  # noqa: S311
        member_kinds(),
    )
    target, made = products, time.perf_counter()
    generated_from = have
    while have < target:
        count = min(chunk, target - have)
        products_written(tables, generator, have, count)
        have += count
        if progress:
            rate = (have - generated_from) / max(time.perf_counter() - made, 1e-9)
            say(f"  {have:,} / {target:,} products ({rate:,.0f}/s overall)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return tables


def demo_seed_loaded() -> None:
    """The demo seed (categories, regions, its clusters and members, shipping),
    as the ORM generator loads it."""
    call_command("migrate", "--no-input", verbosity=0)
    if not Product.objects.exists():
        call_command("seed_demo", stdout=io.StringIO())
