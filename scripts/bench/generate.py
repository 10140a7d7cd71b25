"""The catalogue generator: a bench database with SIZE products.

``python -m scripts.bench.generate --size 1000 --facts data/bench/facts.json`` with
``DATABASE_URL`` (and ``PUREI_DATA_DIR``) set by the runner. It migrates, loads the
demo seed (clusters, members, their products with photos), then adds generated
products up to SIZE, spread over the seed members and the clusters where they are
approved: titles and descriptions from the seed's product templates and word lists
(with macrons: kūmara, mānuka, pāua …), the template's category and attributes
(vintage for wine, UMF for honey …), a region, one to three variants with prices and
stock, listings in the member's clusters (most approved), tags. Rows are written
with ``bulk_create`` in chunks, one transaction each; the search index is rebuilt at
the end with ``reindex_all``. A database already holding SIZE products (and its facts
file) is reused as it is.

The facts file is what the load generator needs to build its URLs (clusters by size
with facet values, a sample of public product paths, words of the catalogue).
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Runs before Django is imported: the production settings, like the server.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from purei.catalogue.indexing import reindex_all  # noqa: E402
from purei.catalogue.models import (  # noqa: E402
    Category,
    Listing,
    Product,
    Tag,
    Variant,
)
from purei.catalogue.seed.data import (  # noqa: E402
    CLUSTER_KINDS,
    KINDS,
    MEMBER_KINDS,
    SeedProduct,
)
from purei.catalogue.selectors import public_listings  # noqa: E402
from purei.clusters.models import Cluster, Region  # noqa: E402
from purei.members.models import Credential, Member, Membership  # noqa: E402
from purei.orders.seed import shipping_seed_load  # noqa: E402
from purei.search.models import SearchDocument  # noqa: E402

CHUNK = 5000  # products per transaction
MAORI_WORDS = (
    "Kūmara",
    "Mānuka",
    "Pāua",
    "Tōtara",
    "Kōwhai",
    "Pōhutukawa",
    "Rātā",
    "Tūī",
    "Kererū",
    "Harakeke",
    "Kawakawa",
    "Horopito",
    "Kānuka",
    "Rewarewa",
    "Pūriri",
    "Kahikatea",
    "Mātai",
    "Kōura",
    "Karengo",
    "Pūhā",
    "Moana",
    "Maunga",
    "Whenua",
)
PLACES = (
    "Ōpōtiki",
    "Whangārei",
    "Ōtaki",
    "Taupō",
    "Kaikōura",
    "Ōamaru",
    "Whakatāne",
    "Māhia",
    "Ōhope",
    "Waipū",
    "Rotorua",
    "Hokitika",
    "Motueka",
    "Tūrangi",
    "Dargaville",
    "Gisborne",
    "Blenheim",
    "Greytown",
)
ADJECTIVES = (
    "Small-batch",
    "Hand-picked",
    "Heritage",
    "Reserve",
    "Wild",
    "Coastal",
    "Hill-country",
    "Winter",
    "Summer",
    "Limited",
    "Classic",
    "Family",
    "Single-estate",
    "Slow-grown",
    "Smoked",
    "Golden",
)
SENTENCES = (
    "Grown near {place}, where the {word} trees meet the paddocks.",
    "Packed by hand and sent from {place} within two working days.",
    "A favourite at the {place} market for years.",
    "Named for the {word} that grows by our gate.",
    "We work with whānau growers around {place}.",
    "Every batch is numbered; this one was made in {month}.",
    "Gift-wrapped on request, with a card in te reo Māori or English.",
    "Our {word} range, made in small runs in {place}.",
)
MONTHS = ("March", "April", "May", "June", "September", "October", "November")
TAGS = (
    ("organic", "Organic"),
    ("gift", "Gift"),
    ("kai", "Kai"),
    ("summer", "Summer"),
    ("winter", "Winter"),
    ("limited-edition", "Limited edition"),
    ("vegan", "Vegan"),
    ("gluten-free", "Gluten free"),
    ("handmade", "Handmade"),
    ("whanau", "Whānau"),
    ("matariki", "Matariki"),
    ("christmas", "Christmas"),
    ("new-season", "New season"),
    ("small-batch", "Small batch"),
    ("heritage", "Heritage"),
    ("sustainable", "Sustainable"),
    ("award-winning", "Award winning"),
    ("local", "Local"),
)
UMF = (("UMF 5+", 83), ("UMF 10+", 263), ("UMF 15+", 514), ("UMF 20+", 829))
PRODUCT_PATH_SAMPLE = 3000


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@dataclass
class Batch:
    """Unsaved generated rows: products, their variants and listings (linked to
    the products as objects), and (product, tag) and (product, credential id)
    pairs, made into rows once the products have ids."""

    products: list[Product] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    tags: list[tuple[Product, Tag]] = field(default_factory=list)
    credentials: list[tuple[Product, int]] = field(default_factory=list)

    def tag_rows(self) -> list[Any]:
        through = Product.tags.through
        return [through(product_id=p.pk, tag_id=tag.pk) for p, tag in self.tags]

    def credential_rows(self) -> list[Any]:
        through = Product.credentials.through
        return [
            through(product_id=p.pk, credential_id=pk) for p, pk in self.credentials
        ]


class Generator:
    """Generated products over the approved members of live clusters, ``CHUNK``
    at a time. ``kinds`` (member id → a key of the seed's ``KINDS``) says what a
    member makes when neither its slug nor its clusters' say."""

    def __init__(self, rng: random.Random, kinds: dict[int, str] | None = None) -> None:
        self.rng = rng
        self.kinds = kinds or {}
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.regions = list(Region.objects.all())
        self.tags = [
            Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in TAGS
        ]
        approved = Membership.objects.filter(
            status=Membership.Status.APPROVED, cluster__status=Cluster.Status.LIVE
        ).select_related("cluster", "member__region")
        self.clusters_of: dict[int, list[Cluster]] = defaultdict(list)
        members: dict[int, Member] = {}
        for membership in approved.order_by("member_id", "cluster__slug"):
            self.clusters_of[membership.member_id].append(membership.cluster)
            members[membership.member_id] = membership.member
        self.members = [members[pk] for pk in sorted(members)]
        self.credentials: dict[int, list[int]] = defaultdict(list)
        for member_id, credential_id in Credential.objects.filter(
            member_id__in=members, verification=Credential.Verification.VERIFIED
        ).values_list("member_id", "pk"):
            self.credentials[member_id].append(credential_id)

    def kind_of(self, member: Member) -> str:
        if member.slug in MEMBER_KINDS:
            return MEMBER_KINDS[member.slug]
        for cluster in self.clusters_of[member.pk]:
            if cluster.slug in CLUSTER_KINDS:
                return CLUSTER_KINDS[cluster.slug]
        return self.kinds.get(member.pk, "pantry")

    def title(self, template: SeedProduct) -> str:
        rng = self.rng
        pattern = rng.randrange(5)
        if pattern == 0:
            return f"{template.title}, {rng.choice(PLACES)}"
        if pattern == 1:
            return f"{rng.choice(ADJECTIVES)} {template.title}"
        if pattern == 2:
            return f"{rng.choice(MAORI_WORDS)} {template.title}"
        if pattern == 3:
            return (
                f"{rng.choice(ADJECTIVES)} {template.title} from {rng.choice(PLACES)}"
            )
        return f"{template.title} No. {rng.randint(2, 99)}"

    def description(self, template: SeedProduct) -> str:
        extra = [
            sentence.format(
                place=self.rng.choice(PLACES),
                word=self.rng.choice(MAORI_WORDS).lower(),
                month=self.rng.choice(MONTHS),
            )
            for sentence in self.rng.sample(SENTENCES, self.rng.randint(1, 3))
        ]
        return " ".join([template.description, *extra])

    def attributes(self, template: SeedProduct) -> tuple[str, dict[str, Any]]:
        """The title suffix and the attributes (category rules kept)."""
        attributes: dict[str, Any] = dict(template.attributes)
        suffix = ""
        if template.category == "wine":
            vintage = self.rng.randint(2015, 2025)
            attributes["vintage"] = vintage
            suffix = f" {vintage}"
        elif template.category == "honey":
            grade, mgo = self.rng.choice(UMF)
            attributes.update(umf=grade, mgo=mgo)
            suffix = f" {grade}"
        return suffix, attributes

    def build(self, first: int, count: int) -> Batch:
        """Products ``first`` … ``first + count - 1`` (numbers make slugs unique)
        with their variants, listings, tags and credentials, unsaved: the ORM path
        (``chunk``) and the COPY path (``scripts.bench.national``) write them."""
        rng = self.rng
        now = timezone.now()
        batch = Batch()
        for number in range(first, first + count):
            member = rng.choice(self.members)
            template = rng.choice(KINDS[self.kind_of(member)])
            suffix, attributes = self.attributes(template)
            title = (self.title(template) + suffix)[:150]
            category = self.categories[template.category]
            region = (
                member.region
                if rng.random() < 0.8 and member.region_id
                else rng.choice(self.regions)
            )
            status = rng.choices(
                [Product.Status.LIVE, Product.Status.DRAFT, Product.Status.ARCHIVED],
                weights=[95, 3, 2],
            )[0]
            product = Product(
                member=member,
                slug=f"{slugify(title)[:64].strip('-')}-g{number}",
                title_en=title,
                description_en=self.description(template),
                category=category,
                attributes=attributes,
                maker=member.trading_name or member.legal_name,
                origin_region=region,
                restricted_r18=category.restricted_r18,
                carries_cultural_designs=template.cultural,
                status=status,
            )
            batch.products.append(product)
            shown = template.variants[: rng.randint(1, min(3, len(template.variants)))]
            for position, seed in enumerate(shown):
                tracked = seed.policy == Variant.StockPolicy.TRACKED
                stock = 0 if rng.random() < 0.12 else rng.randint(1, 120)
                batch.variants.append(
                    Variant(
                        product=product,
                        member=member,
                        sku=f"G{number}-{seed.code}",
                        options=seed.options,
                        name=seed.name,
                        price_cents=max(
                            100, seed.price_cents + rng.randint(-4, 12) * 50
                        ),
                        stock_policy=seed.policy,
                        stock=stock if tracked else 0,
                        lead_time_days=seed.lead_time_days,
                        weight_grams=seed.weight_grams,
                        position=position,
                    )
                )
            for cluster in self.clusters_of[member.pk]:
                pending = rng.random() < 0.03
                review = Listing.CulturalReview.NOT_NEEDED
                if cluster.cultural_review and template.cultural:
                    review = Listing.CulturalReview.APPROVED
                batch.listings.append(
                    Listing(
                        product=product,
                        cluster=cluster,
                        status=Listing.Status.PENDING
                        if pending
                        else Listing.Status.APPROVED,
                        cultural_review=review,
                        decided_at=None if pending else now,
                    )
                )
            batch.tags += [
                (product, tag) for tag in rng.sample(self.tags, rng.randint(1, 3))
            ]
            owned = self.credentials.get(member.pk, [])
            if owned and rng.random() < 0.4:
                batch.credentials += [(product, pk) for pk in owned]
        return batch

    def chunk(self, first: int, count: int) -> None:
        """Write ``build``'s products with the ORM, one transaction."""
        batch = self.build(first, count)
        with transaction.atomic():
            Product.objects.bulk_create(batch.products, batch_size=1000)
            Variant.objects.bulk_create(batch.variants, batch_size=2000)
            Listing.objects.bulk_create(batch.listings, batch_size=2000)
            Product.tags.through.objects.bulk_create(batch.tag_rows(), batch_size=5000)
            Product.credentials.through.objects.bulk_create(
                batch.credential_rows(), batch_size=5000
            )


def search_words(rng: random.Random) -> list[str]:
    """Words shoppers type that the catalogue holds: the generator's own and the
    commonest words of the seed templates' titles."""
    counts: Counter[str] = Counter()
    for templates in KINDS.values():
        for template in templates:
            counts.update(
                word.lower()
                for word in template.title.replace(",", " ").split()
                if len(word) >= 4 and word.isalpha()
            )
    common = [word for word, _n in counts.most_common(60)]
    return sorted({*common, *(w.lower() for w in MAORI_WORDS), "honey", "avocado"})


def search_phrases(rng: random.Random, count: int = 800) -> list[str]:
    """Two neighbouring words of real product titles ("pinot noir", "mānuka
    honey"): what a shopper types when one word is not enough."""
    titles = Product.objects.order_by("?").values_list("title_en", flat=True)[:3000]
    pairs: set[str] = set()
    for title in titles:
        words = [w.lower() for w in title.replace(",", " ").split() if w.isalpha()]
        pairs.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return sorted(rng.sample(sorted(pairs), min(count, len(pairs))))


def index_complete() -> bool:
    """Whether every product is in the search index (a run may have stopped
    between writing the rows and indexing them)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_product_fts")
            (indexed,) = cursor.fetchone()
    else:
        indexed = SearchDocument.objects.count()
    return bool(indexed == Product.objects.count())


def facts(size: int, seconds: float) -> dict[str, Any]:
    rng = random.Random(size)  # noqa: S311 - reproducible, not secret
    visible = public_listings()
    per_cluster = list(
        visible.values("cluster__slug")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "cluster__slug")
    )
    clusters = []
    for row in per_cluster:
        listings = visible.filter(cluster__slug=row["cluster__slug"])
        members = (
            listings.values("product__member__slug")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n")[:20]
        )
        clusters.append(
            {
                "slug": row["cluster__slug"],
                "products": row["n"],
                # distinct in the database: a national cluster has 10,000s
                "categories": sorted(
                    listings.values_list("product__category__slug", flat=True)
                    .order_by()
                    .distinct()
                ),
                "regions": sorted(
                    listings.exclude(product__origin_region=None)
                    .values_list("product__origin_region__code", flat=True)
                    .order_by()
                    .distinct()
                ),
                "members": [m["product__member__slug"] for m in members],
            }
        )
    # A sample of the public listings' ids first, then only their paths: a
    # national catalogue has millions of listings.
    ids = sorted(visible.values_list("pk", flat=True).order_by())
    sample = rng.sample(ids, min(PRODUCT_PATH_SAMPLE, len(ids)))
    paths = [
        f"/c/{cluster}/p/{member}/{product}/"
        for cluster, member, product in Listing.objects.filter(pk__in=sample)
        .values_list("cluster__slug", "product__member__slug", "product__slug")
        .distinct()
    ]
    return {
        "search_phrases": search_phrases(rng),
        "size": size,
        "engine": connection.vendor,
        "products": Product.objects.count(),
        "public_listings": sum(row["n"] for row in per_cluster),
        "generation_seconds": round(seconds, 1),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "clusters": clusters,
        "product_paths": sorted(paths),
        "search_words": search_words(rng),
        "checkout_variants": checkout_variants(),
        "checkout_version": CHECKOUT_FACTS_VERSION,
    }


CHECKOUT_FACTS_VERSION = 2


def checkout_variants(count: int = 200) -> list[list[Any]]:
    """Variants the checkout run buys: public in a cluster, never sold out (made
    to order or always available), at most 5 kg, as [cluster slug, variant id]."""
    rows = (
        public_listings()
        .filter(product__variants__stock_policy__in=["made_to_order", "unlimited"])
        # light enough for every maker's courier tiers
        .filter(product__variants__weight_grams__lte=5000)
        .values_list("cluster__slug", "product__variants__pk")
        .order_by("cluster__slug", "product__variants__pk")[:count]
    )
    return [[slug, pk] for slug, pk in rows]


def generate(size: int, facts_path: Path, *, history: bool = True) -> None:
    """``size`` products on the demo's seed (with its weeks of past orders, payouts
    and invoices unless ``history`` is off: CI's short scale run, which makes its
    own orders), their facts written to ``facts_path``. ``size`` 0: the seed's
    products alone, none generated."""
    started = time.perf_counter()
    call_command("migrate", "--no-input", verbosity=0)
    have = Product.objects.count()
    if have and size in (0, have) and index_complete():
        size = have
        say(f"Reusing the bench database: {have:,} products ({connection.vendor}).")
        shipping_seed_load()  # databases made before shipping existed get it
        known = json.loads(facts_path.read_text()) if facts_path.exists() else {}
        if known.get("checkout_version") != CHECKOUT_FACTS_VERSION:
            write_facts(facts_path, facts(size, seconds=0.0))
        return
    if have > size:
        raise SystemExit(
            f"The bench database holds {have:,} products, more than SIZE={size:,}: "
            "drop it (or choose another SIZE)."
        )
    if have == 0:
        call_command(
            "seed_demo", *([] if history else ["--no-history"]), stdout=io.StringIO()
        )
        have = Product.objects.count()
        say(f"Seed loaded: {have} products ({time.perf_counter() - started:.1f} s).")
    size = size or have  # 0: the seed alone
    if size < have:
        raise SystemExit(f"SIZE must be at least the seed's {have} products.")
    generator = Generator(random.Random(f"{size}-{have}"))  # noqa: S311
    made = time.perf_counter()
    generated_from = have
    while have < size:
        count = min(CHUNK, size - have)
        generator.chunk(have, count)
        have += count
        rate = (have - generated_from) / max(time.perf_counter() - made, 1e-9)
        say(f"  {have:,} / {size:,} products ({rate:,.0f}/s overall)")
    written = time.perf_counter()
    indexed = reindex_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics on both engines
    done = time.perf_counter()
    seconds = done - started
    say(
        f"Generated {size:,} products on {connection.vendor} in {seconds:.1f} s "
        f"(rows {written - made:.1f} s, search index of {indexed:,} "
        f"{done - written:.1f} s)."
    )
    write_facts(facts_path, facts(size, seconds))


def write_facts(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size", type=int, default=1000, help="products in all; 0: the seed's alone"
    )
    parser.add_argument("--facts", type=Path, required=True)
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="seed without the demo's past orders, payouts and invoices",
    )
    args = parser.parse_args(argv)
    generate(args.size, args.facts, history=not args.no_history)


if __name__ == "__main__":
    main()
