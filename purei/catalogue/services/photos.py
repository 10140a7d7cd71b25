"""A product's photos: cleaned like a member's (resized, metadata stripped), each
with a description for people who can't see it, and smaller WebP and JPEG
renditions (purei.core.renditions) made as it is added."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.models import Product, ProductImage
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import ValidationFailed
from purei.core.images import UploadRejected, photo_clean
from purei.core.renditions import (
    RenditionFailed,
    rendition_files,
    renditions_create,
)
from purei.members.services._common import _delete_file_on_commit

from ._common import _add, _ordered, _text, index_on_commit, require_team

MAX_PRODUCT_PHOTOS = 10
RENDER_BATCH = 50


@transaction.atomic
def product_photo_add(
    *, actor: Actor, product: Product, image: Any, alt_text: str
) -> ProductImage:
    require_team(actor, product.member)
    Product.objects.select_for_update().filter(pk=product.pk).first()
    errors: dict[str, list[str]] = {}
    if ProductImage.objects.filter(product=product).count() >= MAX_PRODUCT_PHOTOS:
        _add(
            errors,
            "image",
            _("A product shows at most %(max)s photos: remove one first.")
            % {"max": MAX_PRODUCT_PHOTOS},
        )
    picture = None
    if not image:
        _add(errors, "image", _("Choose a photo to upload."))
    elif "image" not in errors:
        try:
            picture = photo_clean(image)
        except UploadRejected as exc:
            _add(errors, "image", exc.message)
    alt = _text(alt_text)
    if not alt:
        _add(
            errors,
            "alt_text",
            _("Describe the photo for people who can't see it, e.g. “A jar of honey”."),
        )
    elif len(alt) > 200:
        _add(errors, "alt_text", _("Keep the description to 200 characters."))
    if errors or picture is None:
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_PHOTO, _ordered(errors, ("image", "alt_text"))
        )
    last = ProductImage.objects.filter(product=product).aggregate(last=Max("position"))[
        "last"
    ]
    photo = ProductImage(
        product=product, alt_text=alt, position=0 if last is None else last + 1
    )
    photo.image.save(str(picture.content.name), picture.content, save=False)
    photo.renditions = renditions_create(photo.image.name or "")
    photo.save()
    audit_record(
        actor=actor,
        verb="product.photo_added",
        target=photo,
        member_id=product.member_id,
        after={"image": photo.image.name, "alt_text": alt},
    )
    index_on_commit(product.pk)
    return photo


@transaction.atomic
def product_photo_remove(*, actor: Actor, photo: ProductImage) -> None:
    product = photo.product
    require_team(actor, product.member)
    audit_record(
        actor=actor,
        verb="product.photo_removed",
        target=photo,
        member_id=product.member_id,
        before={"image": photo.image.name, "alt_text": photo.alt_text},
    )
    _delete_file_on_commit(photo.image.name)
    for name in rendition_files(photo.renditions or []):
        _delete_file_on_commit(name)
    photo.delete()
    index_on_commit(product.pk)


@transaction.atomic
def product_photo_import(
    *, product: Product, content: bytes, alt_text: str, source_url: str
) -> ProductImage | None:
    """Add a photo downloaded for an import (run by Pūrei for the import's team):
    checked and cleaned exactly as an upload (``photo_clean``: JPEG, PNG or WebP,
    at most 8 MB, 200 to 8000 pixels a side), with its renditions. The
    description is the file's, else the product's title. None when the product
    already has the photo from ``source_url`` (the same file imported again).
    Raises ``UploadRejected`` for a file an upload would be refused for, or when
    the product already shows ``MAX_PRODUCT_PHOTOS``."""
    Product.objects.select_for_update().filter(pk=product.pk).first()
    photos = ProductImage.objects.filter(product=product)
    if photos.filter(source_url=source_url).exists():
        return None
    if photos.count() >= MAX_PRODUCT_PHOTOS:
        raise UploadRejected(
            "too_many_photos",
            _("A product shows at most %(max)s photos: this one was left out.")
            % {"max": MAX_PRODUCT_PHOTOS},
        )
    picture = photo_clean(io.BytesIO(content))
    last = photos.aggregate(last=Max("position"))["last"]
    alt = (_text(alt_text) or product.title_en)[:200]
    photo = ProductImage(
        product=product,
        alt_text=alt,
        position=0 if last is None else last + 1,
        source_url=source_url,
    )
    photo.image.save(str(picture.content.name), picture.content, save=False)
    photo.renditions = renditions_create(photo.image.name or "")
    photo.save()
    audit_record(
        actor=Actor.system(),
        verb="product.photo_imported",
        target=photo,
        member_id=product.member_id,
        after={"image": photo.image.name, "alt_text": alt, "source_url": source_url},
    )
    index_on_commit(product.pk)
    return photo


@dataclass(frozen=True)
class RenderReport:
    rendered: int
    failed: list[str]
    seconds: float


def product_photos_render(
    *, missing_only: bool = False, batch_size: int = RENDER_BATCH
) -> RenderReport:
    """Make the renditions of existing photos (those without any with
    ``missing_only``), saving them a batch of rows at a time. A photo whose file
    cannot be read is skipped and named in the report; files of renditions made
    before and not made again are deleted."""
    started = time.monotonic()
    photos = ProductImage.objects.order_by("pk")
    if missing_only:
        photos = photos.filter(renditions=[])
    rendered, last_pk = 0, 0
    failed: list[str] = []
    while batch := list(photos.filter(pk__gt=last_pk)[:batch_size]):
        last_pk = batch[-1].pk
        done: list[ProductImage] = []
        stale: list[str] = []
        for photo in batch:
            before = set(rendition_files(photo.renditions or []))
            try:
                photo.renditions = renditions_create(photo.image.name or "")
            except RenditionFailed:
                failed.append(photo.image.name or str(photo.pk))
                continue
            stale.extend(before - set(rendition_files(photo.renditions)))
            done.append(photo)
        with transaction.atomic():
            ProductImage.objects.bulk_update(done, ["renditions"])
        for name in stale:
            default_storage.delete(name)
        rendered += len(done)
    return RenderReport(
        rendered=rendered, failed=failed, seconds=time.monotonic() - started
    )
