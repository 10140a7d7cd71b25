"""Public pictures in the bucket: pages keep /media/ addresses, which redirect to
signed, expiring URLs of SeaweedFS; nothing unsigned or expired is served."""

from __future__ import annotations

import re
import time
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from purei.catalogue.models import ProductImage
from purei.core.renditions import rendition_files
from purei.core.tests.pictures import picture_bytes
from scripts.scale.seaweedfs import SeaweedFS

from .fetch import fetch

pytestmark = pytest.mark.django_db


def _photo_uploaded(client: Client, owner, cluster_x) -> ProductImage:
    client.force_login(owner)
    url = "/manage/members/member-a/products/manuka/"
    response = client.post(
        url,
        {
            "action": "photo-add",
            "photo-image": SimpleUploadedFile(
                "jar.jpg", picture_bytes(900, 600), content_type="image/jpeg"
            ),
            "photo-alt_text": "A jar of honey",
        },
    )
    assert response.status_code == 302
    return ProductImage.objects.get()


def _objects(server: SeaweedFS, bucket: str, prefix: str) -> set[str]:
    listed = server.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
    return {entry["Key"] for entry in listed.get("Contents", [])}


def test_an_uploaded_photo_and_its_renditions_are_in_the_bucket(
    s3, client, member_a_owner_user, product, cluster_x
):
    # when
    photo = _photo_uploaded(client, member_a_owner_user, cluster_x)
    # then
    names = [str(photo.image.name), *rendition_files(photo.renditions)]
    assert len(names) == 7  # the original, and 320, 640, 900 wide in two formats
    stored = _objects(s3, s3.buckets[0], "")
    assert set(names) <= stored
    assert not _objects(s3, s3.buckets[1], "catalogue/")  # not the private bucket
    with default_storage.open(photo.renditions[0]["webp"], "rb") as rendition:
        assert rendition.read(12)[8:12] == b"WEBP"


def test_the_page_shows_media_addresses_that_redirect_to_signed_urls(
    s3, client, member_a_owner_user, product, cluster_x
):
    # given
    photo = _photo_uploaded(client, member_a_owner_user, cluster_x)
    # when
    page = Client().get(f"/c/{cluster_x.slug}/p/member-a/manuka/")
    # then
    assert page.status_code == 200
    html = page.content.decode()
    src = re.search(r'<img src="([^"]+)"', html)
    assert src is not None
    jpegs = {
        f"/media/{rendition['jpeg']}": rendition["jpeg"]
        for rendition in photo.renditions
    }
    assert src.group(1) in jpegs
    name = jpegs[src.group(1)]
    redirect = Client().get(src.group(1))
    assert redirect.status_code == 302
    assert redirect["Cache-Control"] == "public, max-age=150"
    signed = redirect["Location"]
    assert signed.startswith(f"{s3.endpoint_url}/{s3.buckets[0]}/renditions/")
    assert "X-Amz-Signature=" in signed
    assert "X-Amz-Expires=300" in signed
    fetched = fetch(signed)
    assert fetched.status == 200
    with default_storage.open(name, "rb") as stored:
        assert fetched.body == stored.read()
    assert fetched.body[:2] == b"\xff\xd8"  # a JPEG
    # the page's policy lets the browser load pictures from the object store
    assert page["Content-Security-Policy"]


def test_the_bucket_refuses_unsigned_tampered_and_expired_urls(s3):
    # given
    name = default_storage.save("catalogue/products/2026/12/x.png", _png())
    signed = default_storage.url(name)
    parts = urlsplit(signed)
    # then
    assert fetch(signed).status == 200
    assert fetch(f"{parts.scheme}://{parts.netloc}{parts.path}").status == 403
    tampered = signed.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    assert fetch(tampered).status == 403
    other = default_storage.url(name).replace(name, "catalogue/products/other.png")
    assert fetch(other).status == 403
    # when
    short = default_storage.url(name, expire=1)  # type: ignore[call-arg]  # S3Storage's
    time.sleep(2.1)
    # then
    expired = fetch(short)
    assert expired.status == 403
    assert b"expired" in expired.body


def test_media_refuses_what_is_not_a_public_picture(s3, member_a):
    # given
    name = default_storage.save("members/evidence/2026/12/licence.jpg", _png())
    # then: no redirect is signed for it, whatever the bucket holds
    assert Client().get(f"/media/{name}").status_code == 404
    assert (
        Client().get("/media/catalogue/products/../evidence/a.jpg").status_code == 404
    )


def _png():
    return SimpleUploadedFile("x.png", picture_bytes(20, 10, "PNG"), "image/png")


def test_images_render_reads_and_writes_the_bucket(s3, product):
    # given a photo stored before renditions existed
    photo = ProductImage.objects.create(
        product=product,
        image=ContentFile(picture_bytes(700, 500), name="old.jpg"),
        alt_text="An old photo",
    )
    assert photo.renditions == []
    # when
    call_command("images_render", "--missing-only", stdout=StringIO())
    # then
    photo.refresh_from_db()
    assert [rendition["w"] for rendition in photo.renditions] == [320, 640, 700]
    assert set(rendition_files(photo.renditions)) <= _objects(s3, s3.buckets[0], "")
