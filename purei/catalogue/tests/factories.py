import factory
from factory.django import DjangoModelFactory

from purei.catalogue.models import Category, Listing, Product, Variant


def category(slug: str = "honey") -> Category:
    """A category loaded by migration 0002 (the data, not a factory's guess)."""
    return Category.objects.get(slug=slug)


class ProductFactory(DjangoModelFactory[Product]):
    class Meta:
        model = Product

    member = factory.SubFactory("purei.members.tests.factories.MemberFactory")
    slug = factory.Sequence(lambda n: f"product-{n}")
    title_en = factory.Sequence(lambda n: f"Mānuka honey {n}")
    category = factory.LazyFunction(lambda: category("honey"))
    status = Product.Status.DRAFT


class VariantFactory(DjangoModelFactory[Variant]):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    member = factory.LazyAttribute(lambda o: o.product.member)
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = "500 g"
    price_cents = 2450
    stock_policy = Variant.StockPolicy.TRACKED
    stock = 10


class ListingFactory(DjangoModelFactory[Listing]):
    class Meta:
        model = Listing

    product = factory.SubFactory(ProductFactory)
    cluster = factory.SubFactory("purei.clusters.tests.factories.ClusterFactory")
    status = Listing.Status.PENDING
