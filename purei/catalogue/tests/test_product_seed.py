"""The demo's product seed: enough realistic, searchable products with photos."""

from collections import Counter

import pytest
from django.core.files.storage import default_storage
from django.forms.models import model_to_dict

from purei.catalogue import seed as product_seed
from purei.catalogue.models import Listing, Product, ProductImage, Variant
from purei.catalogue.search import public_products, search_products
from purei.catalogue.seed import (
    PlannedProduct,
    ProductSeedError,
    product_seed_load,
    product_seed_plan,
)
from purei.catalogue.seed.photos import PHOTO_SIZE
from purei.clusters.models import Cluster
from purei.clusters.seed import SEED_CLUSTERS, seed_load
from purei.members.models import Credential
from purei.members.seed import member_seed_load

pytestmark = pytest.mark.django_db


def load_everything() -> int:
    seed_load()
    member_seed_load()
    return product_seed_load()


def rows() -> dict[str, object]:
    """Every row the product seed writes, field by field (timestamps included)."""
    return {
        "products": sorted(
            (
                p.pk,
                p.updated_at,
                p.search_text,
                sorted(model_to_dict(p).items(), key=str),
            )
            for p in Product.objects.all()
        ),
        "variants": sorted(
            (v.pk, v.updated_at, *model_to_dict(v).values())
            for v in Variant.objects.all()
        ),
        "listings": sorted(
            (li.pk, li.updated_at, *model_to_dict(li).values())
            for li in Listing.objects.all()
        ),
        "photos": sorted(
            (ph.pk, ph.updated_at, ph.image.name, ph.alt_text)
            for ph in ProductImage.objects.all()
        ),
    }


def test_the_demo_has_realistic_searchable_products_in_every_cluster() -> None:
    # given / when
    changes = load_everything()

    # then: enough products, each member's SKUs its own
    assert changes >= 300
    assert Product.objects.count() >= 300
    assert not Product.objects.exclude(status=Product.Status.LIVE).exists()
    skus = Counter(Variant.objects.values_list("member_id", "sku"))
    assert max(skus.values()) == 1
    per_member = Counter(Product.objects.values_list("member_id", flat=True))
    assert min(per_member.values()) >= 2
    assert max(per_member.values()) <= 6

    # every cluster shows products, with a few featured and a few waiting
    for cluster in Cluster.objects.filter(slug__in=[s.slug for s in SEED_CLUSTERS]):
        assert public_products(cluster).count() >= 10, cluster.slug
        listings = Listing.objects.filter(cluster=cluster)
        assert listings.filter(featured=True, status=Listing.Status.APPROVED).exists()
        assert listings.filter(status=Listing.Status.PENDING).exists(), cluster.slug

    # macron-insensitive search finds Kaipara kūmara and mānuka honey
    kumara = search_products(query="kumara", per_page=50)
    assert kumara.hits
    assert all("kūmara" in hit.title_html.lower() for hit in kumara.hits[:5])
    kaipara = Cluster.objects.get(slug="kaipara-kumara")
    assert search_products(query="kumara", cluster=kaipara).hits
    manuka = search_products(query="manuka")
    assert any("Mānuka" in hit.title_html for hit in manuka.hits)

    # wine and beer are R18 through their categories
    for slug in ("wine", "beer-cider"):
        drinks = Product.objects.filter(category__slug=slug)
        assert drinks.count() >= 20
        assert all(p.is_restricted for p in drinks.select_related("category"))
    wine = Product.objects.filter(category__slug="wine").first()
    assert wine is not None
    assert {v.name for v in wine.variants.all()} == {"750 ml bottle", "6-pack"}

    # art names its artist; one-off pieces are single; Toi Iho marks are linked
    art = Product.objects.filter(category__slug="art-taonga")
    assert all(p.attributes.get("artist") for p in art)
    assert art.filter(carries_cultural_designs=True).exists()
    one_offs = Variant.objects.filter(product__in=art, name__startswith="the ")
    assert one_offs
    assert all(v.stock == 1 for v in one_offs)
    assert art.filter(credentials__kind=Credential.Kind.TOI_IHO).exists()

    # every product has a drawn photo, with honest alt text and its size
    photos = ProductImage.objects.all()
    assert not Product.objects.filter(images__isnull=True).exists()
    for photo in photos[:20]:
        assert photo.alt_text.startswith("Illustration: ")
        assert (photo.width, photo.height) == PHOTO_SIZE == (1600, 1200)
        assert default_storage.exists(str(photo.image.name))


def test_a_second_run_writes_nothing() -> None:
    # given
    load_everything()
    before = rows()

    # when
    changes = product_seed_load()

    # then
    assert changes == 0
    assert rows() == before


def test_a_bad_seed_row_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # given: one product with a varietal the wine category doesn't know
    seed_load()
    member_seed_load()
    plan = product_seed_plan()
    wine = next(p for p in plan if p.kind == "wine")
    bad = PlannedProduct(
        **{**wine.__dict__, "attributes": {**wine.attributes, "varietal": "Plonk"}}
    )
    monkeypatch.setattr(product_seed, "product_seed_plan", lambda: [bad, *plan[1:]])

    # when / then
    with pytest.raises(ProductSeedError, match="varietal"):
        product_seed_load()
    assert not Product.objects.exists()


def test_a_run_after_an_edit_puts_the_seed_row_back() -> None:
    # given: someone changed a seed variant's price and a photo's alt text
    load_everything()
    variant = Variant.objects.order_by("pk").first()
    photo = ProductImage.objects.order_by("pk").first()
    assert variant is not None
    assert photo is not None
    price, alt = variant.price_cents, photo.alt_text
    Variant.objects.filter(pk=variant.pk).update(price_cents=1)
    ProductImage.objects.filter(pk=photo.pk).update(alt_text="edited")

    # when
    changes = product_seed_load()

    # then
    assert changes == 2
    variant.refresh_from_db()
    photo.refresh_from_db()
    assert variant.price_cents == price
    assert photo.alt_text == alt
