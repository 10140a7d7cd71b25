"""Product photos get WebP and JPEG renditions: made when a photo is added, deleted
with it, shown through ``<picture>`` on the shop, product and manage pages, and
backfilled by ``images_render``. Files go to the test settings' in-memory storage."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from purei.catalogue.models import Listing, Product, ProductImage
from purei.catalogue.services.photos import product_photo_add, product_photo_remove
from purei.catalogue.services.products import product_delete
from purei.catalogue.tests.factories import ListingFactory
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.core.renditions import rendition_files, renditions_create
from purei.core.tests.pictures import picture_bytes
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def _stored_photo(
    product: Product,
    *,
    size: tuple[int, int] = (900, 600),
    alt: str = "A jar of honey",
    rendered: bool = True,
    position: int = 0,
) -> ProductImage:
    photo = ProductImage.objects.create(
        product=product,
        image=ContentFile(picture_bytes(*size), name="photo.jpg"),
        alt_text=alt,
        position=position,
    )
    if rendered:
        photo.renditions = renditions_create(_name(photo))
        photo.save(update_fields=["renditions"])
    return photo


def _name(photo: ProductImage) -> str:
    return str(photo.image.name)


def _format_of(name: str) -> str | None:
    with default_storage.open(name, "rb") as stored:
        return Image.open(io.BytesIO(stored.read())).format


def _url(cluster: Cluster, product: Product) -> str:
    return f"/c/{cluster.slug}/p/{product.member.slug}/{product.slug}/"


def test_adding_a_photo_makes_its_renditions(
    member_a_owner: Actor, product: Product
) -> None:
    # given
    upload = SimpleUploadedFile(
        "jar.jpg", picture_bytes(900, 600), content_type="image/jpeg"
    )
    # when
    photo = product_photo_add(
        actor=member_a_owner, product=product, image=upload, alt_text="A jar"
    )
    # then
    photo.refresh_from_db()
    assert [(r["w"], r["h"]) for r in photo.renditions] == [
        (320, 213),
        (640, 427),
        (900, 600),
    ]
    for rendition in photo.renditions:
        assert _format_of(rendition["webp"]) == "WEBP"
        assert _format_of(rendition["jpeg"]) == "JPEG"
    stem = _name(photo).rsplit(".", 1)[0]
    assert photo.renditions[1]["webp"] == f"renditions/{stem}-640w.webp"


def test_removing_a_photo_deletes_its_renditions_once_committed(
    member_a_owner: Actor, product: Product, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    upload = SimpleUploadedFile(
        "jar.jpg", picture_bytes(700, 500), content_type="image/jpeg"
    )
    photo = product_photo_add(
        actor=member_a_owner, product=product, image=upload, alt_text="A jar"
    )
    names = [_name(photo), *rendition_files(photo.renditions)]
    assert len(names) == 7
    assert all(default_storage.exists(name) for name in names)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        product_photo_remove(actor=member_a_owner, photo=photo)
    # then
    assert not ProductImage.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_deleting_a_draft_product_deletes_its_photos_files(
    member_a_owner: Actor, product: Product, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    upload = SimpleUploadedFile(
        "jar.jpg", picture_bytes(700, 500), content_type="image/jpeg"
    )
    photo = product_photo_add(
        actor=member_a_owner, product=product, image=upload, alt_text="A jar"
    )
    names = [_name(photo), *rendition_files(photo.renditions)]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        product_delete(actor=member_a_owner, product=product)
    # then
    assert not any(default_storage.exists(name) for name in names)


def test_photo_of_a_product_gives_srcsets_and_urls_without_opening_files(
    product: Product,
) -> None:
    # given: renditions naming files that do not exist
    photo = ProductImage(
        product=product,
        image="catalogue/products/a.jpg",
        width=1600,
        height=800,
        renditions=[
            {"w": w, "h": w // 2, "webp": f"r/a-{w}w.webp", "jpeg": f"r/a-{w}w.jpg"}
            for w in (320, 640, 1024, 1600)
        ],
    )
    # then
    assert photo.srcset_webp.startswith("/media/r/a-320w.webp 320w, ")
    assert photo.srcset_jpeg.endswith("/media/r/a-1600w.jpg 1600w")
    assert photo.fallback_url == "/media/r/a-640w.jpg"
    assert photo.share_url == "/media/r/a-1024w.jpg"
    photo.renditions = []
    assert photo.fallback_url == photo.share_url == "/media/catalogue/products/a.jpg"
    assert photo.srcset_webp == ""


def test_shop_card_shows_a_picture_with_a_webp_source(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    photo = _stored_photo(public_product(cluster), alt='Crisps "><script>x</script>')
    # when
    response = client.get("/c/kaipara/shop/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<picture><source type="image/webp" srcset="' in html
    assert f"/media/{photo.renditions[0]['webp']} 320w" in html
    assert f'<img src="/media/{photo.renditions[1]["jpeg"]}"' in html
    assert 'width="640" height="427"' in html
    assert 'class="product-card__photo"' in html
    # as wide as a card in the grid: two to a row on a phone, three, then four
    assert (
        'sizes="(max-width: 40rem) calc(50vw - 1.25rem), '
        '(max-width: 75rem) calc(33vw - 1.4rem), 17rem"' in html
    )
    assert "<script>x" not in html
    assert 'alt="Crisps &quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


def test_shop_lazy_loads_only_cards_below_the_fold(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    for _ in range(8):
        _stored_photo(public_product(cluster), size=(400, 300))
    # when
    html = client.get("/c/kaipara/shop/").content.decode()
    # then
    images = re.findall(r"<img [^>]*>", html)
    pictures = [tag for tag in images if "product-card__photo" in tag]
    assert len(pictures) == 8
    assert 'loading="lazy"' not in pictures[0]
    assert 'loading="lazy"' in pictures[-1]


def test_product_page_first_photo_eager_others_lazy_and_shared_as_jpeg(
    client: Client,
) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster)
    first = _stored_photo(product, size=(1400, 1050))
    _stored_photo(product, size=(600, 600), alt="The lid", position=1)
    # when
    response = client.get(_url(cluster, product))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    found = re.findall(r"<picture>.*?</picture>", html)
    # the gallery's photos, and its thumbnails (small, all lazy)
    pictures = [tag for tag in found if 'sizes="4rem"' not in tag]
    thumbnails = [tag for tag in found if 'sizes="4rem"' in tag]
    assert len(pictures) == 2
    assert len(thumbnails) == 2
    assert all('loading="lazy"' in tag for tag in thumbnails)
    assert 'type="image/webp"' in pictures[0]
    assert 'loading="lazy"' not in pictures[0]
    assert 'loading="lazy"' in pictures[1]
    assert 'width="1024" height="768"' in pictures[0]  # the fallback's own size
    jpeg_1024 = f"http://testserver/media/{first.renditions[2]['jpeg']}"
    assert first.renditions[2]["w"] == 1024
    assert f'<meta property="og:image" content="{jpeg_1024}">' in html
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    assert match is not None
    assert json.loads(match.group(1))["image"][0] == jpeg_1024


def test_photos_without_renditions_still_show_the_original(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="kaipara")
    product = public_product(cluster)
    photo = _stored_photo(product, size=(40, 30), rendered=False)
    # when
    html = client.get(_url(cluster, product)).content.decode()
    # then
    assert "<picture>" not in html
    assert (
        f'<img src="{photo.image.url}" srcset="{photo.image.url} 40w" sizes="'
    ) in html
    assert 'width="40" height="30"' in html
    assert f'content="http://testserver{photo.image.url}"' in html


def test_renditions_add_no_queries_to_shop_and_product_pages(client: Client) -> None:
    # given: the same pages, without and with renditions
    cluster = ClusterFactory.create(slug="kaipara")
    products = [public_product(cluster) for _ in range(6)]
    photos = [_stored_photo(p, size=(400, 300), rendered=False) for p in products]
    pages = ["/c/kaipara/shop/", _url(cluster, products[0]), "/c/kaipara/"]
    client.get(pages[0])  # warm caches (sessions, content types)

    def counts() -> list[int]:
        found = []
        for page in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for photo in photos:
        photo.renditions = renditions_create(_name(photo))
        photo.save(update_fields=["renditions"])
    # when
    after = counts()
    # then
    assert after == before
    assert "<picture>" in client.get(pages[0]).content.decode()


def test_manage_pages_show_thumbnails_as_pictures(
    client: Client,
    member_a_owner_user: Any,
    cluster_x_admin_user: Any,
    kaitiaki_x_user: Any,
    product: Product,
    cluster_x: Cluster,
) -> None:
    # given
    _stored_photo(product, size=(500, 400))
    product.status = Product.Status.LIVE
    product.save()
    ListingFactory.create(
        product=product,
        cluster=cluster_x,
        cultural_review=Listing.CulturalReview.PENDING,
    )
    pages = [
        (member_a_owner_user, "/manage/members/member-a/products/manuka/"),
        (cluster_x_admin_user, "/manage/clusters/cluster-x/listings/"),
        (kaitiaki_x_user, "/manage/clusters/cluster-x/cultural-review/"),
    ]
    for user, url in pages:
        client.force_login(user)
        # when
        response = client.get(url)
        # then
        html = response.content.decode()
        assert response.status_code == 200, url
        assert '<source type="image/webp"' in html, url
        assert 'loading="lazy"' in html, url
        assert 'width="500" height="400"' in html, url


def test_images_render_backfills_photos_without_renditions(product: Product) -> None:
    # given
    old = _stored_photo(product, rendered=False)
    done = _stored_photo(product, size=(400, 300), position=1)
    kept = list(done.renditions)
    broken = ProductImage.objects.create(
        product=product,
        image=ContentFile(b"not a picture", name="broken.jpg"),
        width=10,
        height=10,
        alt_text="Broken",
        position=2,
    )
    out, err = io.StringIO(), io.StringIO()
    # when
    call_command("images_render", "--missing-only", stdout=out, stderr=err)
    # then
    old.refresh_from_db()
    done.refresh_from_db()
    broken.refresh_from_db()
    assert [r["w"] for r in old.renditions] == [320, 640, 900]
    assert all(default_storage.exists(n) for n in rendition_files(old.renditions))
    assert done.renditions == kept
    assert broken.renditions == []
    assert "Made renditions of 1 photos in " in out.getvalue()
    assert _name(broken) in err.getvalue()


def test_images_render_without_missing_only_renders_every_photo(
    product: Product,
) -> None:
    # given
    photo = _stored_photo(product, size=(400, 300))
    for name in rendition_files(photo.renditions):
        default_storage.delete(name)
    out = io.StringIO()
    # when
    call_command("images_render", "--batch-size", "1", stdout=out)
    # then
    photo.refresh_from_db()
    assert all(default_storage.exists(n) for n in rendition_files(photo.renditions))
    assert "Made renditions of 1 photos" in out.getvalue()
