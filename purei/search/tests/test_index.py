import pytest
from django.core.management import call_command
from django.db import connection

from purei.catalogue.models import Product
from purei.clusters.tests.factories import ClusterFactory
from purei.search.engine import ProductFilters, search_products
from purei.search.index import (
    member_products_changed,
    product_changed,
    product_deleted,
    reindex_all,
)
from purei.search.models import SearchDocument
from purei.search.tests.factories import ListingFactory, ProductFactory, public_product

pytestmark = pytest.mark.django_db


def found(query: str) -> list[int]:
    return search_products(query=query, filters=ProductFilters()).product_ids


def indexed_rows() -> int:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_product_fts")
            return int(cursor.fetchone()[0])
    return SearchDocument.objects.count()


def test_the_index_follows_create_edit_archive_and_delete() -> None:
    # given: created
    product = public_product(title_en="Kawakawa balm")
    assert found("kawakawa") == [product.pk]

    # when: the title is edited
    product.title_en = "Horopito balm"
    product.save()
    product_changed(product.pk)

    # then
    assert found("kawakawa") == []
    assert found("horopito") == [product.pk]

    # when: archived
    product.status = Product.Status.ARCHIVED
    product.save()
    product_changed(product.pk)

    # then
    assert found("horopito") == []

    # when: back to live, then deleted
    product.status = Product.Status.LIVE
    product.save()
    product_changed(product.pk)
    assert found("horopito") == [product.pk]
    product_id = product.pk
    product.delete()
    product_deleted(product_id)

    # then
    assert found("horopito") == []
    assert indexed_rows() == 0


def test_the_hooks_are_idempotent() -> None:
    # given
    product = public_product(title_en="Rongoā salve")

    # when
    product_changed(product.pk)
    product_changed(product.pk)
    product_deleted(product.pk)
    product_deleted(product.pk)
    product_changed(product.pk)

    # then
    assert indexed_rows() == 1
    assert found("rongoa") == [product.pk]


def test_changing_a_product_that_no_longer_exists_drops_it() -> None:
    # given
    product = public_product(title_en="Kina")
    product_id = product.pk
    Product.objects.filter(pk=product_id).delete()

    # when
    product_changed(product_id)

    # then
    assert indexed_rows() == 0


def test_reindex_all_rebuilds_everything() -> None:
    # given: products written without telling the index
    cluster = ClusterFactory.create()
    public_product(cluster, title_en="Tītī")
    unindexed = ProductFactory.create(title_en="Tuna smoked")
    unindexed.member.memberships.create(cluster=cluster, status="approved")
    ListingFactory.create(product=unindexed, cluster=cluster)
    assert found("tuna") == []

    # when
    count = reindex_all()

    # then
    assert count == 2
    assert indexed_rows() == 2
    assert found("tuna") == [unindexed.pk]
    search_text = Product.objects.get(pk=unindexed.pk).search_text
    assert search_text.startswith("tuna smoked ")
    assert "made by hand." in search_text


def test_the_management_command_reindexes(capsys: pytest.CaptureFixture[str]) -> None:
    # given
    public_product(title_en="Pikopiko")

    # when
    call_command("search_reindex")

    # then
    assert "Indexed 1 products." in capsys.readouterr().out
    assert indexed_rows() == 1


def test_renaming_a_member_reindexes_its_products() -> None:
    # given
    product = public_product(title_en="Kete")
    member = product.member
    member.trading_name = "Whatuora Weavers"
    member.save()

    # when
    member_products_changed(member.pk)

    # then
    assert found("whatuora") == [product.pk]


def test_the_catalogue_hook_indexes_on_commit(
    django_capture_on_commit_callbacks: object,
) -> None:
    # given
    from purei.catalogue.services._common import index_on_commit

    product = public_product(title_en="Old name")
    Product.objects.filter(pk=product.pk).update(title_en="Karengo")

    # when
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        index_on_commit(product.pk)

    # then
    assert found("karengo") == [product.pk]


def test_the_variant_facts_follow_the_variant_services(
    member_a_owner, django_capture_on_commit_callbacks
) -> None:
    # given
    from purei.catalogue.models import Variant
    from purei.catalogue.services import (
        VariantInput,
        stock_bulk_update,
        variant_create,
        variant_delete,
        variant_update,
    )

    member = member_a_owner.user.member_roles.get().member
    product = ProductFactory.create(member=member)
    # when / then
    with django_capture_on_commit_callbacks(execute=True):
        small = variant_create(
            actor=member_a_owner,
            product=product,
            details=VariantInput(sku="S", price="12.00", stock="0"),
        )
    product.refresh_from_db()
    assert (product.lowest_price_cents, product.in_stock) == (1200, False)
    with django_capture_on_commit_callbacks(execute=True):
        variant_create(
            actor=member_a_owner,
            product=product,
            details=VariantInput(sku="B", price="30.00", stock="4"),
        )
    product.refresh_from_db()
    assert (product.lowest_price_cents, product.in_stock) == (1200, True)
    with django_capture_on_commit_callbacks(execute=True):
        stock_bulk_update(actor=member_a_owner, member=product.member, changes={"B": 0})
        variant_update(
            actor=member_a_owner, variant=small, details=VariantInput(price="9.50")
        )
    product.refresh_from_db()
    assert (product.lowest_price_cents, product.in_stock) == (950, False)
    with django_capture_on_commit_callbacks(execute=True):
        variant_delete(actor=member_a_owner, variant=Variant.objects.get(sku="S"))
    product.refresh_from_db()
    assert (product.lowest_price_cents, product.in_stock) == (3000, False)
