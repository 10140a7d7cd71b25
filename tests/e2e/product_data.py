"""A product page with everything on it, for the browser tests (issue 13): three
photos, three sizes at different prices, delivery by region and pickups, a verified
credential, and related products from the same maker and category."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from purei.catalogue.indexing import product_facts_changed
from purei.catalogue.models import Product, ProductImage, Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.core.tests.pictures import picture_bytes
from purei.members.models import Credential
from purei.members.tests.factories import (
    CredentialFactory,
    MemberFactory,
    MembershipFactory,
)
from purei.orders.models import PickupEvent, Zone
from purei.orders.tests.factories import ShippingPolicyFactory, rate_table
from purei.search.tests.factories import (
    CategoryFactory,
    VariantFactory,
    public_product,
)

PRODUCT_PATH = "/c/kai/p/hive-hill/manuka-honey/"
COLOURS = ((214, 160, 40), (120, 80, 20), (240, 220, 150))
SIZES = (("250 g", 1850, 300), ("500 g", 3200, 600), ("1 kg", 5800, 1200))


def _photos(product: Product, alts: tuple[str, ...]) -> None:
    for position, (alt, colour) in enumerate(zip(alts, COLOURS, strict=False)):
        ProductImage.objects.create(
            product=product,
            image=ContentFile(
                picture_bytes(800, 600, colour=colour), name=f"honey-{position}.jpg"
            ),
            width=800,
            height=600,
            alt_text=alt,
            position=position,
        )


def product_page_data() -> Product:
    """Hive Hill's mānuka honey in the Kai Collective (``PRODUCT_PATH``)."""
    cluster = ClusterFactory.create(slug="kai", name_en="Kai Collective")
    honey = CategoryFactory.create(slug="kai-honey", name_en="Honey")
    hive = MemberFactory.create(
        slug="hive-hill",
        trading_name="Hive Hill Apiaries",
        town="Martinborough",
        gst_registered=True,
        gst_number="49091850",
        latitude=Decimal("-41.2184"),
        longitude=Decimal("175.4587"),
    )
    bay = MemberFactory.create(slug="bee-bay", trading_name="Bee Bay")
    MembershipFactory.create(member=bay, cluster=cluster)
    product = public_product(
        cluster,
        member=hive,
        slug="manuka-honey",
        title_en="Raw mānuka honey, cold-extracted",
        description_en="From hives on the Wairarapa hills.",
        category=honey,
    )
    Variant.objects.filter(product=product).delete()
    for position, (name, price, grams) in enumerate(SIZES):
        VariantFactory.create(
            product=product,
            name=name,
            price_cents=price,
            weight_grams=grams,
            stock=3,
            position=position,
        )
    _photos(product, ("A jar of honey", "Honey on toast", "The hives at dawn"))
    CredentialFactory.create(
        member=hive,
        kind=Credential.Kind.ORGANIC,
        issuer="BioGro",
        verification=Credential.Verification.VERIFIED,
    )
    product.credentials.set(Credential.objects.filter(member=hive))
    policy = ShippingPolicyFactory.create(
        member=hive,
        free_over_cents=10000,
        pickup_at_premises=True,
        pickup_address="12 Hive Road, Martinborough",
    )
    rate_table(
        policy,
        [
            (Zone.NORTH_ISLAND, 1000, 850),
            (Zone.NORTH_ISLAND, None, 1250),
            (Zone.SOUTH_ISLAND, None, 1450),
        ],
    )
    start = timezone.now() + datetime.timedelta(days=9)
    PickupEvent.objects.create(
        cluster=cluster,
        name_en="Martinborough Fair day",
        venue="The Square, Martinborough",
        time_zone="Pacific/Auckland",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
        order_cutoff=start - datetime.timedelta(hours=15),
    )
    for member, title in (
        (hive, "Beeswax wraps"),
        (hive, "Honeycomb frame"),
        (bay, "Clover honey"),
        (bay, "Rewarewa honey"),
    ):
        related = public_product(cluster, member=member, title_en=title, category=honey)
        _photos(related, (title,))
    product_facts_changed([product.pk])
    return product
