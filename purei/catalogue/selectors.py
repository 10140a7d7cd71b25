"""Reads of the catalogue, each scoped to the actor asking (style.md §6.3).

Team reads (the member's owners and staff, and platform staff) answer ``Http404``
outside scope; a cluster's listing queue is for its curators (admins included) and
platform staff, its cultural review queue for its kaitiaki. Public reads show only
approved, public listings of live products in live clusters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import NotPermitted
from purei.members.models import Credential, Member, Membership
from purei.members.selectors import verified_credentials
from purei.search.models import PublicProduct

from .errors import CatalogueErrorCode
from .models import Category, Listing, Product, ProductImage, Variant

# Products a cluster's home shows.
FEATURED_COUNT = 8
# Products a product page shows from its maker, and from others in its category.
RELATED_COUNT = 4


def _require_team(actor: Actor, member: Member) -> None:
    if not (actor.is_platform_staff or actor.is_member_team(member.pk)):
        raise Http404(_("No business you manage lives at this address."))


def category_list() -> list[Category]:
    """Every category (they are public), in their order, with their parents."""
    return list(Category.objects.select_related("parent"))


def category_get(*, slug: str) -> Category:
    """A category by its web address name (categories are public); Http404."""
    found = Category.objects.select_related("parent").filter(slug=slug).first()
    if found is None:
        raise Http404(_("No category has this web address name."))
    return found


def category_lookup() -> dict[str, Category]:
    """Every category by what a spreadsheet may call it: its web address name,
    its English name made into one, and its English name in any case."""
    found: dict[str, Category] = {}
    for category in Category.objects.all():
        found[category.slug] = category
        found[slugify(category.name_en)] = category
        found[category.name_en.casefold()] = category
    return found


def category_find(text: str, lookup: dict[str, Category]) -> Category | None:
    """The category ``text`` names (a slug or a name; for a taxonomy path such as
    ``Food > Honey``, the whole of it or its last part), or None."""
    text = text.strip()
    if not text:
        return None
    for candidate in (text, text.split(">")[-1].strip()):
        for key in (candidate, slugify(candidate), candidate.casefold()):
            if key in lookup:
                return lookup[key]
    return None


def require_platform_staff(actor: Actor) -> None:
    """NotPermitted unless the actor is one of Pūrei's staff."""
    if not actor.is_platform_staff:
        raise NotPermitted(
            CatalogueErrorCode.NOT_PLATFORM_STAFF,
            _("Only Pūrei's staff manage the categories."),
        )


def category_list_for_staff(*, actor: Actor) -> QuerySet[Category]:
    """Every category with its parent and how many products it has (platform
    staff only: NotPermitted otherwise)."""
    require_platform_staff(actor)
    return Category.objects.select_related("parent").annotate(
        product_count=Count("products")
    )


def category_get_for_staff(*, actor: Actor, slug: str) -> Category:
    """One category to change (platform staff only); Http404 for none."""
    require_platform_staff(actor)
    return category_get(slug=slug)


def product_list_for_member(*, actor: Actor, member: Member) -> list[Product]:
    """Every product of ``member`` with its category, variants, tags and listings.

    A fixed number of queries whatever the number of products.
    """
    _require_team(actor, member)
    return list(
        Product.objects.filter(member=member)
        .select_related("category")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.order_by("position", "pk")),
            Prefetch(
                "listings",
                queryset=Listing.objects.select_related("cluster").order_by(
                    "cluster__name_en"
                ),
            ),
            "tags",
        )
        .annotate(
            tracked_stock=Sum(
                "variants__stock",
                filter=Q(variants__stock_policy=Variant.StockPolicy.TRACKED),
            )
        )
        .order_by("title_en", "pk")
    )


def product_get_for_team(*, actor: Actor, member: Member, slug: str) -> Product:
    """One product of ``member``, for its team (and platform staff)."""
    _require_team(actor, member)
    try:
        return (
            Product.objects.select_related("category", "origin_region", "member")
            .prefetch_related(
                "tags",
                "credentials",
                Prefetch(
                    "images", queryset=ProductImage.objects.order_by("position", "pk")
                ),
                Prefetch(
                    "variants", queryset=Variant.objects.order_by("position", "pk")
                ),
                Prefetch(
                    "listings", queryset=Listing.objects.select_related("cluster")
                ),
            )
            .get(member=member, slug=slug)
        )
    except Product.DoesNotExist:
        raise Http404(_("No such product.")) from None


def variant_get_for_team(*, actor: Actor, product: Product, variant_id: int) -> Variant:
    _require_team(actor, product.member)
    try:
        return Variant.objects.select_related("product__member").get(
            product=product, pk=variant_id
        )
    except Variant.DoesNotExist:
        raise Http404(_("No such variant.")) from None


def photo_get_for_team(
    *, actor: Actor, product: Product, photo_id: int
) -> ProductImage:
    _require_team(actor, product.member)
    try:
        return ProductImage.objects.select_related("product__member").get(
            product=product, pk=photo_id
        )
    except ProductImage.DoesNotExist:
        raise Http404(_("No such photo.")) from None


def listing_get_for_team(*, actor: Actor, product: Product, listing_id: int) -> Listing:
    _require_team(actor, product.member)
    try:
        return Listing.objects.select_related("product__member", "cluster").get(
            product=product, pk=listing_id
        )
    except Listing.DoesNotExist:
        raise Http404(_("No such listing.")) from None


def credential_choices_for_team(*, actor: Actor, member: Member) -> list[Credential]:
    """The member's own credentials, to link to its products."""
    _require_team(actor, member)
    return list(Credential.objects.filter(member=member).order_by("kind", "pk"))


# --- A cluster's queues ------------------------------------------------------------


def cluster_get_for_curator(*, actor: Actor, slug: str) -> Cluster:
    """A cluster the actor curates (or runs), or any for platform staff."""
    clusters = Cluster.objects.all()
    if not actor.is_platform_staff:
        clusters = clusters.filter(pk__in=actor.curator_cluster_ids)
    try:
        return clusters.get(slug=slug)
    except Cluster.DoesNotExist:
        raise Http404(_("No cluster you curate lives at this address.")) from None


def cluster_get_for_kaitiaki(*, actor: Actor, slug: str) -> Cluster:
    """A cluster whose cultural review the actor gives."""
    try:
        return Cluster.objects.filter(pk__in=actor.kaitiaki_cluster_ids).get(slug=slug)
    except Cluster.DoesNotExist:
        raise Http404(_("No cluster you are kaitiaki for lives here.")) from None


def _queue(cluster: Cluster) -> QuerySet[Listing]:
    return (
        Listing.objects.filter(cluster=cluster)
        .select_related("product__member", "product__category")
        .prefetch_related(
            Prefetch(
                "product__variants", queryset=Variant.objects.order_by("position")
            ),
            Prefetch(
                "product__images", queryset=ProductImage.objects.order_by("position")
            ),
        )
        .order_by("created_at", "pk")
    )


def listing_queue_for_cluster(
    *, actor: Actor, cluster: Cluster, status: str = Listing.Status.PENDING
) -> list[Listing]:
    """The cluster's listings with ``status`` (pending first of all), oldest first."""
    if not (actor.is_platform_staff or cluster.pk in actor.curator_cluster_ids):
        raise Http404(_("No cluster you curate lives at this address."))
    return list(_queue(cluster).filter(status=status))


def listing_queue_for_kaitiaki(*, actor: Actor, cluster: Cluster) -> list[Listing]:
    """Works waiting for the cluster's cultural review."""
    if cluster.pk not in actor.kaitiaki_cluster_ids:
        raise Http404(_("No cluster you are kaitiaki for lives here."))
    return list(
        _queue(cluster)
        .filter(
            cultural_review=Listing.CulturalReview.PENDING,
        )
        .exclude(status=Listing.Status.WITHDRAWN)
    )


def listing_get_for_curator(
    *, actor: Actor, cluster: Cluster, listing_id: int
) -> Listing:
    if cluster.pk not in actor.curator_cluster_ids and not actor.is_platform_staff:
        raise Http404
    try:
        return _queue(cluster).get(pk=listing_id)
    except Listing.DoesNotExist:
        raise Http404(_("No such listing.")) from None


def listing_get_for_kaitiaki(
    *, actor: Actor, cluster: Cluster, listing_id: int
) -> Listing:
    if cluster.pk not in actor.kaitiaki_cluster_ids:
        raise Http404
    try:
        return _queue(cluster).get(pk=listing_id)
    except Listing.DoesNotExist:
        raise Http404(_("No such listing.")) from None


def listing_counts_for_cluster(*, actor: Actor, cluster: Cluster) -> dict[str, int]:
    if not (actor.is_platform_staff or cluster.pk in actor.curator_cluster_ids):
        raise Http404
    rows = (
        Listing.objects.filter(cluster=cluster)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


# --- Public ------------------------------------------------------------------------


def public_listings(cluster: Cluster | None = None) -> QuerySet[Listing]:
    """The public listings, by the rule itself (in ``cluster``, or every cluster):
    approved and past any cultural review, of live products, in live clusters
    where the product's member is an approved member.

    This is what a cart, a checkout and a product page go by, this instant. Shops
    and searches read the shelf the search app keeps by the same rule from what
    the services pass down (``purei.search.shelf``, ADR 0006)."""
    listings = Listing.objects.filter(
        status=Listing.Status.APPROVED,
        cultural_review__in=(
            Listing.CulturalReview.NOT_NEEDED,
            Listing.CulturalReview.APPROVED,
        ),
        product__status=Product.Status.LIVE,
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
    """The products public in ``cluster`` (or anywhere) by the rule itself, this
    instant (what a cart or a checkout must go by), not by the shelf."""
    return Product.objects.filter(
        status=Product.Status.LIVE,
        pk__in=public_listings(cluster).values("product_id"),
    )


def product_get_public(
    *,
    cluster: Cluster,
    member_slug: str,
    product_slug: str,
    with_details: bool = True,
) -> Product:
    """A product listed publicly in ``cluster``; ``Http404`` otherwise. With its
    variants (live: prices and stock), and unless ``with_details`` is off (the
    product page reads them only when it renders its static parts afresh) its
    photos, tags and credentials."""
    variants = Prefetch(
        "product__variants", queryset=Variant.objects.order_by("position", "pk")
    )
    details: list[Any] = []
    if with_details:
        details = [
            Prefetch(
                "product__images",
                queryset=ProductImage.objects.order_by("position", "pk"),
            ),
            "product__tags",
            "product__credentials",
        ]
    listing = (
        public_listings()
        .filter(
            cluster=cluster,
            product__member__slug=member_slug,
            product__slug=product_slug,
        )
        # Not the listing's cluster: the caller has it, and only the product is
        # returned (its ~40 columns cost more to compile than the query to run).
        .select_related(
            "product__member__region",
            "product__category",
            "product__origin_region",
        )
        .prefetch_related(variants, *details)
        .first()
    )
    if listing is None:
        raise Http404(_("No such product in this cluster."))
    return listing.product


@dataclass(frozen=True)
class FeaturedProduct:
    """A product on a cluster's home: the product (with its maker and category),
    its first photo and its lowest price."""

    product: Product
    image: ProductImage | None
    lowest_price_cents: int | None
    prices_differ: bool = False  # "from" before the lowest price


def product_list_featured(
    *, cluster: Cluster, count: int = FEATURED_COUNT
) -> list[FeaturedProduct]:
    """The products ``cluster``'s home shows: those its curators feature, newest
    first, then its newest others, up to ``count``.

    Read from the shelf of public products (``search.PublicProduct``, which
    already says what is public, with each product's time and lowest price), not
    by working the public rule out over every listing and membership of the
    cluster and sorting them all. Four queries whatever the size of the
    catalogue: the featured rows, the newest rows (an index on the shelf's
    cluster and time), the products with their makers and categories, and their
    first photos."""
    newest = ("-created_at", "-product_id")
    shelf = PublicProduct.objects.filter(cluster_id=cluster.pk)
    # The few listings the curators feature (an index on cluster and featured),
    # each checked against the shelf.
    rows = list(
        Listing.objects.filter(cluster_id=cluster.pk, featured=True)
        .filter(Exists(shelf.filter(product_id=OuterRef("product_id"))))
        .order_by("-product__created_at", "-product_id")
        .values_list("product_id", "product__lowest_price_cents")[:count]
    )
    if len(rows) < count:
        chosen = {product_id for product_id, _price in rows}
        rows += [
            row
            for row in shelf.order_by(*newest).values_list(
                "product_id", "lowest_price_cents"
            )[: count + len(rows)]
            if row[0] not in chosen
        ][: count - len(rows)]
    if not rows:
        return []
    ids = [product_id for product_id, _price in rows]
    products = (
        Product.objects.select_related("member", "category")
        .annotate(prices=Count("variants__price_cents", distinct=True))
        .in_bulk(ids)
    )
    images: dict[int, ProductImage] = {}
    for image in ProductImage.objects.filter(product_id__in=ids).order_by(
        "product_id", "position", "pk"
    ):
        images.setdefault(image.product_id, image)
    return [
        FeaturedProduct(
            products[product_id],
            images.get(product_id),
            price,
            prices_differ=products[product_id].prices > 1,  # annotated
        )
        for product_id, price in rows
        if product_id in products
    ]


# --- Pūrei's home: a row of products from across the clusters ----------------------

# How many products the row shows, at most how many from one cluster, and how many
# of each cluster's newest are read to choose from (to prefer different makers).
SHOWCASE_COUNT = 8
SHOWCASE_PER_CLUSTER = 2
SHOWCASE_CANDIDATES = 6


@dataclass(frozen=True)
class ShowcaseProduct:
    """A product on Pūrei's home: as a featured one, with the cluster it is shown
    from (its shop is where the card leads)."""

    product: Product
    cluster: Cluster
    image: ProductImage | None
    lowest_price_cents: int | None
    prices_differ: bool = False


def _showcase_picks(
    rows: list[tuple[int, int, int]], per_cluster: int, day: int
) -> list[tuple[int, int]]:
    """(cluster, product) pairs, fairly: each cluster's newest in-stock products
    (``rows`` are (cluster, product, member), newest first within a cluster), a
    different maker's before a second of the same maker's; one of every cluster's
    before a second of any; and the clusters in turn — the one first on the row
    moves on a place each ``day``."""
    by_cluster: dict[int, list[tuple[int, int]]] = {}
    for cluster_id, product_id, member_id in rows:
        by_cluster.setdefault(cluster_id, []).append((product_id, member_id))
    picks: dict[int, list[int]] = {}
    for cluster_id, candidates in by_cluster.items():
        makers: set[int] = set()
        first: list[int] = []
        rest: list[int] = []
        for product_id, member_id in candidates:
            (rest if member_id in makers else first).append(product_id)
            makers.add(member_id)
        picks[cluster_id] = (first + rest)[:per_cluster]
    order = sorted(picks)
    if order:
        start = day % len(order)
        order = order[start:] + order[:start]
    chosen: list[tuple[int, int]] = []
    seen: set[int] = set()
    for turn in range(per_cluster):
        for cluster_id in order:
            products = picks[cluster_id]
            if turn < len(products) and products[turn] not in seen:
                seen.add(products[turn])
                chosen.append((cluster_id, products[turn]))
    return chosen


def product_list_showcase(
    *,
    day: int,
    count: int = SHOWCASE_COUNT,
    per_cluster: int = SHOWCASE_PER_CLUSTER,
) -> list[ShowcaseProduct]:
    """The products Pūrei's home shows from across the live clusters: the newest
    in stock in each, at most ``per_cluster`` from one cluster and ``count`` in
    all; every cluster gets its turn at the front (``day`` is the day's ordinal:
    the same all day, so the row can be cached).

    Read from the shelf of public products (public listings of live products of
    admitted members in live clusters: nothing else is ever shown). Four queries
    whatever the number of clusters or products: each cluster's newest few
    (numbered in the database), the products with their makers and categories,
    their first photos, and their clusters."""
    newest = Window(
        RowNumber(),
        partition_by=[F("cluster_id")],
        order_by=[F("created_at").desc(), F("product_id").desc()],
    )
    rows = list(
        PublicProduct.objects.filter(in_stock=True)
        .annotate(rank=newest)
        .filter(rank__lte=SHOWCASE_CANDIDATES)
        .order_by("cluster_id", "rank")
        .values_list("cluster_id", "product_id", "member_id")
    )
    picks = _showcase_picks(rows, per_cluster, day)[:count]
    if not picks:
        return []
    ids = [product_id for _cluster, product_id in picks]
    products = (
        Product.objects.select_related("member", "category")
        .annotate(prices=Count("variants__price_cents", distinct=True))
        .in_bulk(ids)
    )
    images: dict[int, ProductImage] = {}
    for image in ProductImage.objects.filter(product_id__in=ids).order_by(
        "product_id", "position", "pk"
    ):
        images.setdefault(image.product_id, image)
    clusters = Cluster.objects.in_bulk({cluster_id for cluster_id, _p in picks})
    return [
        ShowcaseProduct(
            products[product_id],
            clusters[cluster_id],
            images.get(product_id),
            products[product_id].lowest_price_cents,
            prices_differ=products[product_id].prices > 1,  # annotated
        )
        for cluster_id, product_id in picks
        if product_id in products and cluster_id in clusters
    ]


@dataclass(frozen=True)
class RelatedProducts:
    """What a product page suggests: more from its maker (those in the same
    category first) and more in its category from other makers."""

    same_maker: list[FeaturedProduct]
    same_category: list[FeaturedProduct]

    def __bool__(self) -> bool:
        return bool(self.same_maker or self.same_category)


@dataclass(frozen=True)
class ProductStatic:
    """What a product page shows that changes only with the catalogue: its
    photos, its verified credentials, the maker's verified liquor licences (R18
    only) and the related products."""

    images: list[ProductImage]
    credentials: list[Credential]
    licences: list[Credential]
    related: RelatedProducts


def _related_rows(
    *, cluster: Cluster, product: Product, count: int
) -> list[PublicProduct]:
    """Up to ``count`` other public, in-stock products of ``product``'s maker (those
    in its category first) and up to ``count`` of other makers in its category,
    newest first, with their products, makers and categories and how many prices
    their options have (``prices``). One query: each group is the first
    ``count`` of an index-ordered subquery, so the cost does not grow with the
    catalogue."""
    newest = ("-created_at", "-product_id")
    shelf = PublicProduct.objects.filter(cluster_id=cluster.pk, in_stock=True).exclude(
        product_id=product.pk
    )
    in_category_first = Case(
        When(category_id=product.category_id, then=Value(0)), default=Value(1)
    )
    maker_ids = (
        shelf.filter(member_id=product.member_id)
        .annotate(elsewhere=in_category_first)
        .order_by("elsewhere", *newest)
        .values("pk")[:count]
    )
    category_ids = (
        shelf.filter(category_id=product.category_id)
        .exclude(member_id=product.member_id)
        .order_by(*newest)
        .values("pk")[:count]
    )
    prices = (
        Variant.objects.filter(product_id=OuterRef("product_id"))
        .order_by()
        .values("product_id")
        .annotate(n=Count("price_cents", distinct=True))
        .values("n")
    )
    return list(
        shelf.filter(Q(pk__in=maker_ids) | Q(pk__in=category_ids))
        .select_related("product__member", "product__category")
        .annotate(
            other_maker=Case(
                When(member_id=product.member_id, then=Value(0)), default=Value(1)
            ),
            elsewhere=in_category_first,
            prices=Subquery(prices),
        )
        .order_by("other_maker", "elsewhere", *newest)
    )


def product_page_static(
    *, cluster: Cluster, product: Product, count: int = RELATED_COUNT
) -> ProductStatic:
    """The static parts of ``product``'s page in ``cluster`` (public: the caller
    has read it with ``product_get_public``). Three queries whatever the size of
    the catalogue: the credentials (the product's verified ones and, for an R18
    product, its maker's verified liquor licences), the related products from the
    shelf of public products (``search.PublicProduct``) with their makers and
    categories, and the photos of the product and of the related products."""
    linked = Product.credentials.through.objects.filter(
        product_id=product.pk, credential_id=OuterRef("pk")
    )
    wanted = Q(Exists(linked))
    if product.is_restricted:
        wanted |= Q(member_id=product.member_id, kind=Credential.Kind.LIQUOR_LICENCE)
    found = list(verified_credentials().filter(wanted).annotate(shown=Exists(linked)))
    licences: list[Credential] = [
        credential
        for credential in found
        if product.is_restricted
        and credential.member_id == product.member_id
        and credential.kind == Credential.Kind.LIQUOR_LICENCE
    ]
    rows = _related_rows(cluster=cluster, product=product, count=count)
    images: list[ProductImage] = []
    firsts: dict[int, ProductImage] = {}
    for image in ProductImage.objects.filter(
        product_id__in=[product.pk, *(row.product_id for row in rows)]
    ).order_by("product_id", "position", "pk"):
        if image.product_id == product.pk:
            images.append(image)
        else:
            firsts.setdefault(image.product_id, image)

    def cards(same_maker: bool) -> list[FeaturedProduct]:
        return [
            FeaturedProduct(
                row.product,
                firsts.get(row.product_id),
                row.lowest_price_cents,
                # annotated by _related_rows
                prices_differ=(row.prices or 0) > 1,  # type: ignore[attr-defined]
            )
            for row in rows
            if (row.member_id == product.member_id) == same_maker
        ]

    return ProductStatic(
        images=images,
        credentials=[c for c in found if c.shown],
        licences=licences,
        related=RelatedProducts(same_maker=cards(True), same_category=cards(False)),
    )


def listings_for_compare(*, product_ids: list[int]) -> list[Listing]:
    """The public listings of the products a shopper compares, in the order given
    (one per product: the first cluster it is listed in), with what the compare
    table shows. Products no longer public drop out. Two queries."""
    if not product_ids:
        return []
    listings = (
        public_listings()
        .filter(product_id__in=product_ids)
        .select_related("product__member", "product__category", "cluster")
        .prefetch_related(
            Prefetch(
                "product__variants", queryset=Variant.objects.order_by("position", "pk")
            )
        )
        .order_by("product_id", "pk")
    )
    first: dict[int, Listing] = {}
    for listing in listings:
        first.setdefault(listing.product_id, listing)
    return [first[pk] for pk in product_ids if pk in first]
