"""Telling the search app about products: plain values, passed down explicitly.

The search app sits below the catalogue and imports none of it (ADR 0006, 0007):
the catalogue reads its products, variants and listings, and passes each as a
``ProductEntry`` (its text, facts and listings) to ``purei.search.index``. The
catalogue's services call ``index_on_commit`` (so the index sees only what was
committed), the importer and the seed call ``products_changed`` once for all they
wrote, and orders call ``product_facts_changed_on_commit`` when stock is taken or
given back. ``reindex_all`` (``purei search_reindex``) rebuilds everything,
clusters and memberships too.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import Min, Prefetch, Q, QuerySet

from purei.catalogue.models import Listing, Product, Variant
from purei.clusters.models import Cluster
from purei.core.text import fold
from purei.members.models import Member, Membership
from purei.members.services import member_maker_text
from purei.search.cache import catalogue_changed
from purei.search.entries import (
    ClusterState,
    Facts,
    ListingState,
    MakerText,
    MembershipState,
    ProductEntry,
    ProductText,
    attribute_tokens,
    attribute_values,
)
from purei.search.index import index_cleared, products_indexed, products_removed
from purei.search.shelf import facts_changed, states_replaced

# How many products are indexed per batch by reindex_all.
BATCH = 500
# What ``products_facts`` reads of a product.
_FACT_COLUMNS = (
    "title_en",
    "created_at",
    "lowest_price_cents",
    "in_stock",
    "category_id",
    "member_id",
    "origin_region_id",
)


def _listed(product: Product, listing: Listing) -> bool:
    return product.status == Product.Status.LIVE and listing.is_public


def product_facts(product: Product) -> Facts:
    return Facts(
        title=product.title_en,
        created_at=product.created_at,
        lowest_price_cents=product.lowest_price_cents,
        in_stock=product.in_stock,
        category_id=product.category_id,
        member_id=product.member_id,
        origin_region_id=product.origin_region_id,
        attribute_tokens=attribute_tokens(product.attributes),
    )


def product_text(product: Product) -> ProductText:
    """The text ``product`` is found by (needs its origin region and tags loaded,
    or costs a query each). Not its category's name (the category facet finds
    that), nor its member's names and story: the search app adds its maker's text
    (``product_entry``)."""
    region = product.origin_region
    return ProductText(
        title=(product.title_en, product.title_mi),
        tags=tuple(f"{tag.name} {tag.slug}" for tag in product.tags.all()),
        names=(product.maker, product.iwi_affiliation),
        body=(product.description_en, product.description_mi, product.piece_story),
        place=(region.name_en, region.name_mi, region.other_names) if region else (),
        attributes=attribute_values(product.attributes),
    )


def product_entry(product: Product) -> ProductEntry:
    """Everything the search app keeps of ``product`` (loaded as
    ``_products`` loads it)."""
    return ProductEntry(
        product_id=product.pk,
        facts=product_facts(product),
        text=product_text(product),
        listings=tuple(
            ListingState(listing.cluster_id, _listed(product, listing))
            for listing in product.listings.all()
        ),
        maker=member_maker_text(product.member),
    )


def _products() -> QuerySet[Product]:
    return Product.objects.select_related(
        "category", "member__region", "origin_region"
    ).prefetch_related(
        "tags",
        Prefetch(
            "listings",
            queryset=Listing.objects.only(
                "pk", "product_id", "cluster_id", "status", "cultural_review"
            ),
        ),
    )


def _plain_text(product: Product, found_by: str) -> str:
    """``Product.search_text``, the folded text the trade product list filters
    by: what the search index finds the product by, and its category's and
    member's names."""
    names = (
        product.category.name_en,
        product.category.name_mi,
        product.member.trading_name,
        product.member.legal_name,
    )
    extra = fold(" ".join(name for name in names if name))
    return f"{found_by} {extra}" if found_by and extra else found_by or extra


def products_passed_down(products: list[Product]) -> None:
    """Pass these products down (loaded as ``_products`` loads them, or built in
    memory with their tags and listings in the prefetch cache and their member's
    region loaded) and set their folded text on them, unsaved: the bulk loader
    (``scripts/bench/national.py``) writes its rows after, with the text."""
    texts = products_indexed([product_entry(product) for product in products])
    for product in products:
        product.search_text = _plain_text(product, texts[product.pk].everything)


def _index(products: list[Product]) -> None:
    """Pass these products down, and keep their folded text on them."""
    with transaction.atomic():
        products_passed_down(products)
        Product.objects.bulk_update(products, ["search_text"], batch_size=500)


def product_facts_changed(product_ids: Iterable[int]) -> None:
    """Refresh the variant facts the shop counts and sorts by —
    ``Product.lowest_price_cents`` and ``Product.in_stock`` — after prices or
    stock changed, and pass the products whose facts changed down to the search
    app (a few queries for any number of products)."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return
    lowest = dict(
        Variant.objects.filter(product_id__in=wanted)
        .values("product_id")
        .annotate(lowest=Min("price_cents"))
        .values_list("product_id", "lowest")
    )
    stocked = set(
        Variant.objects.filter(product_id__in=wanted)
        .filter(~Q(stock_policy=Variant.StockPolicy.TRACKED) | Q(stock__gt=0))
        .values_list("product_id", flat=True)
    )
    products = list(
        Product.objects.filter(pk__in=wanted).only(
            "pk", "lowest_price_cents", "in_stock", *_FACT_COLUMNS, "attributes"
        )
    )
    changed = []
    for product in products:
        price, in_stock = lowest.get(product.pk), product.pk in stocked
        if (product.lowest_price_cents, product.in_stock) != (price, in_stock):
            product.lowest_price_cents, product.in_stock = price, in_stock
            changed.append(product)
    if changed:
        Product.objects.bulk_update(changed, ["lowest_price_cents", "in_stock"])
        facts_changed({product.pk: product_facts(product) for product in changed})


def product_facts_changed_on_commit(product_ids: Iterable[int]) -> None:
    """``product_facts_changed`` once the current transaction commits (stock taken
    by an order, or given back)."""
    transaction.on_commit(partial(product_facts_changed, list(product_ids)))


def products_changed(product_ids: Iterable[int]) -> None:
    """(Re)index these products — text, facts, listings, variant facts; ids of
    products that no longer exist are forgotten."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return
    # The variant facts first: the entries carry them.
    product_facts_changed(wanted)
    products = list(_products().filter(pk__in=wanted))
    _index(products)
    found = {product.pk for product in products}
    products_removed([pk for pk in wanted if pk not in found])


def product_changed(product_id: int) -> None:
    """Reindex one product after it (or its tags, category, listings…) changed."""
    products_changed([product_id])


def product_deleted(product_id: int) -> None:
    """Drop a deleted product from the index (safe to call twice)."""
    products_removed([product_id])


def member_products_changed(member_id: int) -> None:
    """Reindex a member's products (the members services tell the search app of
    a member's new names, story and place themselves, ``maker_changed``)."""
    products_changed(
        Product.objects.filter(member_id=member_id).values_list("pk", flat=True)
    )


def index_on_commit(product_id: int, *, deleted: bool = False) -> None:
    """Tell the search index about a product change once the transaction commits
    (an explicit call: ``purei.search`` sits below the catalogue)."""
    hook = product_deleted if deleted else product_changed
    transaction.on_commit(partial(hook, product_id))


def _makers() -> list[MakerText]:
    return [
        member_maker_text(member)
        for member in Member.objects.select_related("region").only(
            "pk",
            "legal_name",
            "trading_name",
            "story",
            "town",
            "region__name_en",
            "region__name_mi",
            "region__other_names",
        )
    ]


def reindex_all() -> int:
    """Rebuild the whole index and shelf: every cluster's and membership's state,
    then every product; returns how many products were indexed."""
    count = 0
    with transaction.atomic():
        states_reindexed()
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            product_facts_changed(chunk)
            _index(list(_products().filter(pk__in=chunk)))
            count += len(chunk)
    catalogue_changed()
    return count


def states_reindexed() -> None:
    """Forget the whole index and shelf and write every cluster's, membership's
    and maker's state again (every product is to be passed down after)."""
    with transaction.atomic():
        index_cleared()
        states_replaced(
            [
                ClusterState(pk, status == Cluster.Status.LIVE, (name_en, name_mi))
                for pk, status, name_en, name_mi in Cluster.objects.values_list(
                    "pk", "status", "name_en", "name_mi"
                )
            ],
            [
                MembershipState(
                    member_id, cluster_id, status == Membership.Status.APPROVED
                )
                for member_id, cluster_id, status in Membership.objects.values_list(
                    "member_id", "cluster_id", "status"
                )
            ],
            _makers(),
        )
