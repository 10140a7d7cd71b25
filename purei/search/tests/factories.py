"""Catalogue factories for the search tests (purei/catalogue/tests/factories.py did
not exist when these were written; move them there when it does)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from purei.catalogue.indexing import product_changed
from purei.catalogue.models import Category, Listing, Product, Tag, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory


class CategoryFactory(DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class TagFactory(DjangoModelFactory[Tag]):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.Sequence(lambda n: f"Tag {n}")


class ProductFactory(DjangoModelFactory[Product]):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    member = factory.SubFactory(MemberFactory)
    slug = factory.Sequence(lambda n: f"product-{n}")
    title_en = factory.Sequence(lambda n: f"Product {n}")
    description_en = "Made by hand."
    category = factory.SubFactory(CategoryFactory)
    status = Product.Status.LIVE


class VariantFactory(DjangoModelFactory[Variant]):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    member = factory.LazyAttribute(lambda o: o.product.member)
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    price_cents = 2000
    stock_policy = Variant.StockPolicy.TRACKED
    stock = 5


class ListingFactory(DjangoModelFactory[Listing]):
    """An approved listing; its product is indexed (as the listing services do on
    commit) unless ``index=False``."""

    class Meta:
        model = Listing
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory)
    cluster = factory.SubFactory(ClusterFactory)
    status = Listing.Status.APPROVED

    @factory.post_generation
    def index(
        obj: Listing, create: bool, extracted: bool | None, **kwargs: object
    ) -> None:
        if create and extracted is not False:
            product_changed(obj.product_id)


def public_product(cluster: Cluster | None = None, **fields: object) -> Product:
    """A live product with one variant, listed and approved in ``cluster`` (a new
    live cluster when not given), its member an approved member there, indexed."""
    listing_cluster = cluster or ClusterFactory.create()
    product = ProductFactory.create(**fields)
    if not Membership.objects.filter(
        member=product.member, cluster=listing_cluster
    ).exists():
        MembershipFactory.create(member=product.member, cluster=listing_cluster)
    ListingFactory.create(product=product, cluster=listing_cluster, index=False)
    VariantFactory.create(product=product)
    product_changed(product.pk)
    return product


__all__ = [
    "CategoryFactory",
    "ListingFactory",
    "MembershipFactory",
    "ProductFactory",
    "TagFactory",
    "VariantFactory",
    "public_product",
]
