"""The shelf of public products carries each product's facts (title, time, lowest
price, stock, category, maker, region, attributes), so shops and searches never
read the product rows to filter, count or sort. These tests keep those copies in
step with every kind of change."""

import datetime
from typing import Any

import pytest
from django.db import connection

from purei.accounts.tests.factories import UserFactory
from purei.catalogue.indexing import (
    product_changed,
    product_facts,
    product_facts_changed,
    products_changed,
    reindex_all,
)
from purei.catalogue.models import Listing, Product, Variant
from purei.catalogue.search import ProductFilters, search_products
from purei.catalogue.services.variants import (
    VariantInput,
    stock_set,
    variant_update,
)
from purei.clusters.tests.factories import ClusterFactory, region
from purei.core.actor import Actor
from purei.members.tests.factories import MemberRoleFactory, MembershipFactory
from purei.search.entries import attribute_tokens
from purei.search.models import PublicProduct, SearchDocument
from purei.search.shelf import facts_changed, reshelve_all
from purei.search.tests.factories import CategoryFactory, ListingFactory, public_product

pytestmark = pytest.mark.django_db


def _owner(product: Product) -> Actor:
    user = UserFactory.create()
    MemberRoleFactory.create(member=product.member, user=user)
    return Actor(user=user)


def _found(filters: ProductFilters, query: str = "") -> list[int]:
    return search_products(query=query, filters=filters).product_ids


def test_a_public_product_is_shelved_with_its_facts() -> None:
    # given
    product = public_product(
        title_en="Kūmara, orange",
        origin_region=region("NZ-NTL"),
        attributes={"variety": "Beauregard", "organic": True, "weight": 1.5},
    )

    # then: one row, the product's facts on it
    row = PublicProduct.objects.get(product=product)
    assert row.title == "Kūmara, orange"
    assert row.created_at == product.created_at
    assert row.lowest_price_cents == 2000
    assert row.in_stock is True
    assert row.category_id == product.category_id
    assert row.member_id == product.member_id
    assert row.origin_region_id == product.origin_region_id
    assert row.attribute_tokens == (
        "\x1forganic=true\x1fvariety=Beauregard\x1fweight=1.5\x1f"
    )


def test_attribute_tokens_keep_only_plain_values_with_proper_keys() -> None:
    assert attribute_tokens({}) == ""
    assert attribute_tokens(None) == ""
    assert attribute_tokens(["not", "a", "mapping"]) == ""
    assert attribute_tokens(
        {
            "vintage": 2021,
            "notes": {"nose": "citrus"},
            "awards": ["gold"],
            "blank": "  ",
            "gone": None,
            "Bad Key": "x",
            "sep": "a\x1fb",
        }
    ) == ("\x1fsep=a b\x1fvintage=2021\x1f")


def test_a_price_change_reaches_the_price_filter_and_sort(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given: two products under $25
    cheap = public_product(title_en="Kawakawa balm")
    other = public_product(title_en="Horopito balm")
    under_25 = ProductFilters(price_band="under-25")
    assert sorted(_found(under_25)) == sorted([cheap.pk, other.pk])

    # when: one's price goes up through the service
    with django_capture_on_commit_callbacks(execute=True):
        variant_update(
            actor=_owner(cheap),
            variant=Variant.objects.get(product=cheap),
            details=VariantInput(price="39.50"),
        )

    # then: the shelf knows, so the filter and the price sort follow
    assert PublicProduct.objects.get(product=cheap).lowest_price_cents == 3950
    assert _found(under_25) == [other.pk]
    assert _found(ProductFilters(price_band="25-50")) == [cheap.pk]
    assert search_products(query="balm", sort="price_desc").product_ids == [
        cheap.pk,
        other.pk,
    ]


def test_selling_out_and_restocking_reach_the_in_stock_filter(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    product = public_product(title_en="Pāua shell earrings")
    variant = Variant.objects.get(product=product)
    in_stock = ProductFilters(in_stock=True)
    assert _found(in_stock) == [product.pk]
    actor = _owner(product)

    # when: sold out
    with django_capture_on_commit_callbacks(execute=True):
        stock_set(actor=actor, variant=variant, stock=0)

    # then
    assert _found(in_stock) == []
    assert _found(ProductFilters()) == [product.pk]

    # when: restocked
    with django_capture_on_commit_callbacks(execute=True):
        stock_set(actor=actor, variant=variant, stock=3)

    # then
    assert _found(in_stock) == [product.pk]


def test_an_edited_product_is_found_by_its_new_facts() -> None:
    # given
    wine = CategoryFactory.create(slug="wine")
    beer = CategoryFactory.create(slug="beer")
    product = public_product(
        title_en="Pinot noir", category=wine, attributes={"vintage": 2021}
    )

    # when: edited, and the search app told (as the services do on commit)
    product.title_en = "Pinot noir reserve"
    product.category = beer
    product.origin_region = region("NZ-MBH")
    product.attributes = {"vintage": 2022}
    product.save()
    product_changed(product.pk)

    # then
    assert _found(ProductFilters(category="wine")) == []
    assert _found(ProductFilters(category="beer")) == [product.pk]
    assert _found(ProductFilters(region="NZ-MBH")) == [product.pk]
    assert _found(ProductFilters(attributes=(("vintage", "2021"),))) == []
    assert _found(ProductFilters(attributes=(("vintage", "2022"),))) == [product.pk]
    assert PublicProduct.objects.get(product=product).title == "Pinot noir reserve"


def test_attribute_filters_match_the_value_exactly() -> None:
    # given
    wine = CategoryFactory.create(slug="wine")
    a = public_product(
        category=wine, attributes={"varietal": "Pinot noir", "vintage": 2021}
    )
    b = public_product(
        category=wine, attributes={"varietal": "Pinot Noir", "vintage": "2021"}
    )
    c = public_product(category=wine, attributes={"varietal": "Pinot noir rosé"})

    def with_attributes(*pairs: tuple[str, str]) -> list[int]:
        return sorted(_found(ProductFilters(attributes=tuple(sorted(pairs)))))

    # then: case and the whole value count; numbers and their text are one value
    assert with_attributes(("varietal", "Pinot noir")) == [a.pk]
    assert with_attributes(("varietal", "Pinot Noir")) == [b.pk]
    assert with_attributes(("varietal", "Pinot noir rosé")) == [c.pk]
    assert with_attributes(("vintage", "2021")) == sorted([a.pk, b.pk])
    assert with_attributes(("vintage", "202")) == []
    assert with_attributes(("varietal", "Pinot noir"), ("vintage", "2021")) == [a.pk]


def test_a_product_public_in_two_clusters_counts_once_across_clusters() -> None:
    # given: listed and approved in two clusters
    first, second = ClusterFactory.create(), ClusterFactory.create()
    product = public_product(first, title_en="Mānuka honey")
    MembershipFactory.create(member=product.member, cluster=second)
    ListingFactory.create(product=product, cluster=second)
    assert PublicProduct.objects.filter(product=product).count() == 2

    # when
    everywhere = search_products(query="honey")
    there = search_products(query="honey", cluster=second)

    # then: once across clusters, with both clusters named, and once in each shop
    assert everywhere.total == 1
    assert everywhere.product_ids == [product.pk]
    assert {ref.slug for ref in everywhere.hits[0].clusters} == {
        first.slug,
        second.slug,
    }
    assert [value.count for value in everywhere.facets.category] == [1]
    assert there.total == 1


def test_new_facts_repair_a_stale_row_and_write_only_what_differs(
    django_assert_num_queries: Any,
) -> None:
    # given: a row whose copy went stale (say, a bulk write that skipped the hooks)
    product = public_product(title_en="Harakeke kete")
    PublicProduct.objects.filter(product=product).update(
        title="old", lowest_price_cents=1, in_stock=False
    )

    # when: the catalogue passes the product's facts down
    facts = {product.pk: product_facts(Product.objects.get(pk=product.pk))}
    facts_changed(facts)

    # then
    row = PublicProduct.objects.get(product=product)
    assert (row.title, row.lowest_price_cents, row.in_stock) == (
        "Harakeke kete",
        2000,
        True,
    )
    # and nothing is written when nothing differs: the documents' facts (read on
    # SQLite; on PostgreSQL one UPDATE that changes only rows that differ), the
    # shelf rows, and the catalogue version raised
    with django_assert_num_queries(3):
        facts_changed(facts)


def test_stock_taken_by_an_order_reaches_the_shelf() -> None:
    # given: the last one in stock
    product = public_product(title_en="Tōtara bowl")
    Variant.objects.filter(product=product).update(stock=1)
    product_facts_changed([product.pk])
    assert _found(ProductFilters(in_stock=True)) == [product.pk]

    # when: an order takes it (orders update stock in bulk, then call this hook)
    Variant.objects.filter(product=product).update(stock=0)
    product_facts_changed([product.pk])

    # then
    assert PublicProduct.objects.get(product=product).in_stock is False
    assert _found(ProductFilters(in_stock=True)) == []


def test_postgres_documents_know_where_their_product_is_public() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the documents carry facts on PostgreSQL only")
    # given: public in one cluster
    first, second = ClusterFactory.create(), ClusterFactory.create()
    product = public_product(first, title_en="Kawakawa tea")
    document = SearchDocument.objects.get(product=product)
    assert document.public_in == [first.pk]
    assert (document.title, document.lowest_price_cents) == ("Kawakawa tea", 2000)

    # when: listed in a second cluster too, then withdrawn from the first
    MembershipFactory.create(member=product.member, cluster=second)
    ListingFactory.create(product=product, cluster=second)
    Listing.objects.filter(product=product, cluster=first).update(
        status=Listing.Status.WITHDRAWN
    )
    products_changed([product.pk])

    # then
    document.refresh_from_db()
    assert document.public_in == [second.pk]
    assert search_products(query="kawakawa", cluster=first).product_ids == []
    assert search_products(query="kawakawa", cluster=second).product_ids == [product.pk]

    # when: archived
    product.status = Product.Status.ARCHIVED
    product.save()
    product_changed(product.pk)

    # then
    document.refresh_from_db()
    assert document.public_in == []
    assert search_products(query="kawakawa").product_ids == []


def test_postgres_documents_already_right_are_not_written_again() -> None:
    """An UPDATE leaves a dead row version behind even when nothing changes; a
    reindex that rewrote every document left the table half dead rows, and text
    searches read it ~1.6 times slower."""
    if connection.vendor != "postgresql":
        pytest.skip("the documents carry facts on PostgreSQL only")
    # given: reindexed, so every document was written whole
    for n in range(3):
        public_product(title_en=f"Harakeke kete {n}")
    reindex_all()

    def places() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ctid::text FROM search_searchdocument ORDER BY product_id"
            )
            return [row[0] for row in cursor.fetchall()]

    before = places()

    # when: the shelf is written again, and the same facts passed down again
    reshelve_all()
    facts_changed(
        {product.pk: product_facts(product) for product in Product.objects.all()}
    )

    # then: no document has moved (none was rewritten)
    assert places() == before


def test_newest_first_holds_across_the_end_of_daylight_saving() -> None:
    # given: two products made 40 minutes apart in the hour New Zealand repeats
    # when daylight saving ends (5 April 2026, 03:00 NZDT becomes 02:00 NZST)
    earlier = public_product(title_en="Kawakawa balm, first")
    later = public_product(title_en="Kawakawa balm, second")
    Product.objects.filter(pk=earlier.pk).update(
        created_at=datetime.datetime(2026, 4, 4, 13, 30, tzinfo=datetime.UTC)
    )  # 02:30 NZDT
    Product.objects.filter(pk=later.pk).update(
        created_at=datetime.datetime(2026, 4, 4, 14, 10, tzinfo=datetime.UTC)
    )  # 02:10 NZST, later though its clock time is earlier
    products_changed([earlier.pk, later.pk])

    # then: newest first, by the instant (with and without words)
    assert search_products(query="", sort="newest").product_ids == [
        later.pk,
        earlier.pk,
    ]
    assert search_products(query="kawakawa", sort="newest").product_ids == [
        later.pk,
        earlier.pk,
    ]


def test_postgres_forgets_a_removed_products_own_vector() -> None:
    """The product's own vector (``search_own_vector``, outside Django's models)
    goes with its document. It has no foreign key to them, so the flush after
    transactional tests (TRUNCATE without CASCADE: the concurrency tests) works;
    the index deletes it instead."""
    if connection.vendor != "postgresql":
        pytest.skip("the own vectors are kept on PostgreSQL only")
    from purei.search.index import products_removed

    # given
    product = public_product(ClusterFactory.create())

    def own_vectors() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_own_vector WHERE product_id = %s",
                [product.pk],
            )
            return int(cursor.fetchone()[0])

    assert own_vectors() == 1
    # when
    products_removed([product.pk])
    # then
    assert own_vectors() == 0
