"""Uploaded pictures and evidence files: checked for what they really are, then made
safe to keep.

Pictures (member logos and photos, cluster brand images) must be JPEG, PNG or WebP —
judged by Pillow from their content, never from their name —, at most
``MAX_UPLOAD_BYTES``, at least ``MIN_SIDE`` and at most ``MAX_SIDE`` pixels a side.
They are then decoded and encoded again: turned the right way up, shrunk to fit
``fit`` pixels, converted to sRGB, and saved without any metadata (EXIF, GPS, XMP,
comments, colour profiles), under a fresh name the uploader did not choose.

Evidence of a credential may be a PDF, JPEG or PNG of at most ``MAX_EVIDENCE_BYTES``;
pictures are cleaned the same way (without the size limits), PDFs kept as they are.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MIN_SIDE = 200
MAX_SIDE = 8000
PHOTO_FIT = 1600
LOGO_FIT = 800
EVIDENCE_FIT = 3000
# Pillow format name → (file extension, MIME type) of what we keep.
PICTURE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
EVIDENCE_PICTURE_FORMATS = {"JPEG", "PNG"}
PDF_MAGIC = b"%PDF-"


class UploadRejected(ValueError):
    """The upload is not acceptable; ``code`` is stable, ``message`` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CleanPicture:
    """A re-encoded picture, ready to be saved to an ImageField."""

    content: ContentFile[bytes]
    width: int
    height: int
    format: str  # JPEG, PNG or WEBP


@dataclass(frozen=True)
class CleanEvidence:
    content: ContentFile[bytes]
    content_type: str


def _size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if isinstance(size, int):
        return size
    position = upload.tell()
    upload.seek(0, io.SEEK_END)
    end = upload.tell()
    upload.seek(position)
    return end


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _open(upload: IO[bytes], allowed: Callable[[str], bool]) -> Image.Image:
    """Open ``upload`` as an image without decoding its pixels yet."""
    not_a_picture = UploadRejected(
        "image_type",
        _("This file is not a picture we can use: upload a JPEG, PNG or WebP image."),
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # A "decompression bomb" (a tiny file claiming huge dimensions) is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
    ) as exc:
        raise not_a_picture from exc
    if image.format is None or not allowed(image.format):
        raise not_a_picture
    return image


def _decode(image: Image.Image, fit: int) -> Image.Image:
    """Decode the pixels (JPEGs at a reduced scale when that is enough)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if image.format == "JPEG":
                image.draft("RGB", (fit, fit))
            image.load()
    except (
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ) as exc:
        raise UploadRejected(
            "image_damaged",
            _("This picture is damaged or incomplete: save it again and upload it."),
        ) from exc
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert pixels described by an embedded colour profile to plain sRGB."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(
            image, source, target, outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # an unreadable profile: keep the pixels as they are
    return converted if converted is not None else image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _reencode(image: Image.Image, fit: int, output_format: str) -> CleanPicture:
    image = ImageOps.exif_transpose(image) or image
    keeps_alpha = output_format != "JPEG" and _has_alpha(image)
    mode = "RGBA" if keeps_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    image = _to_srgb(image)
    image.thumbnail((fit, fit), Image.Resampling.LANCZOS)
    # A new image holding only the pixels: no EXIF, GPS, XMP, text chunks or profile.
    clean = Image.new(mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    options: dict[str, object] = {}
    if output_format == "JPEG":
        options = {"quality": 85, "optimize": True, "progressive": True}
    elif output_format == "WEBP":
        options = {"quality": 85, "method": 4}
    else:
        options = {"optimize": True}
    clean.save(buffer, format=output_format, **options)
    extension = PICTURE_FORMATS[output_format][0]
    return CleanPicture(
        content=ContentFile(buffer.getvalue(), name=f"picture.{extension}"),
        width=clean.width,
        height=clean.height,
        format=output_format,
    )


def picture_clean(
    upload: IO[bytes],
    *,
    fit: int = PHOTO_FIT,
    max_bytes: int = MAX_UPLOAD_BYTES,
    min_side: int = MIN_SIDE,
    max_side: int = MAX_SIDE,
) -> CleanPicture:
    """Check an uploaded picture and return a clean, resized copy.

    Raises ``UploadRejected`` (codes ``image_too_large``, ``image_type``,
    ``image_too_small``, ``image_too_big``, ``image_damaged``) with a message that
    says what to do.
    """
    size = _size_of(upload)
    if size > max_bytes:
        raise UploadRejected(
            "image_too_large",
            _("This picture is %(size)s MB; the most we take is %(max)s MB.")
            % {"size": _megabytes(size), "max": _megabytes(max_bytes)},
        )
    image = _open(upload, lambda name: name in PICTURE_FORMATS)
    width, height = image.size
    if width > max_side or height > max_side:
        raise UploadRejected(
            "image_too_big",
            _(
                "This picture is %(width)s by %(height)s pixels; the most we take is "
                "%(max)s pixels a side."
            )
            % {"width": width, "height": height, "max": max_side},
        )
    if width < min_side or height < min_side:
        raise UploadRejected(
            "image_too_small",
            _(
                "This picture is %(width)s by %(height)s pixels; it needs at least "
                "%(min)s pixels a side to look sharp."
            )
            % {"width": width, "height": height, "min": min_side},
        )
    output_format = str(image.format)
    image = _decode(image, fit)
    return _reencode(image, fit, output_format)


def logo_clean(upload: IO[bytes]) -> CleanPicture:
    return picture_clean(upload, fit=LOGO_FIT)


def photo_clean(upload: IO[bytes]) -> CleanPicture:
    return picture_clean(upload, fit=PHOTO_FIT)


def evidence_clean(upload: IO[bytes]) -> CleanEvidence:
    """Check a credential's evidence file: a PDF, JPEG or PNG of at most 10 MB.

    PDFs are kept as uploaded (under a fresh name); pictures are re-encoded without
    metadata. Raises ``UploadRejected`` (``evidence_too_large``, ``evidence_type``).
    """
    size = _size_of(upload)
    if size > MAX_EVIDENCE_BYTES:
        raise UploadRejected(
            "evidence_too_large",
            _("This file is %(size)s MB; the most we take is %(max)s MB.")
            % {"size": _megabytes(size), "max": _megabytes(MAX_EVIDENCE_BYTES)},
        )
    if size == 0:
        raise UploadRejected("evidence_type", _("This file is empty."))
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    if head == PDF_MAGIC:
        upload.seek(0)
        return CleanEvidence(
            content=ContentFile(upload.read(), name="evidence.pdf"),
            content_type="application/pdf",
        )
    try:
        image = _open(upload, lambda name: name in EVIDENCE_PICTURE_FORMATS)
    except UploadRejected as exc:
        raise UploadRejected(
            "evidence_type",
            _("Upload the evidence as a PDF, JPEG or PNG file."),
        ) from exc
    if max(image.size) > MAX_SIDE:
        raise UploadRejected(
            "evidence_too_large",
            _(
                "This picture is more than %(max)s pixels a side: make it smaller or "
                "upload a PDF instead."
            )
            % {"max": MAX_SIDE},
        )
    output_format = str(image.format)
    picture = _reencode(_decode(image, EVIDENCE_FIT), EVIDENCE_FIT, output_format)
    return CleanEvidence(
        content=picture.content, content_type=PICTURE_FORMATS[output_format][1]
    )


def content_type_for(name: str) -> str | None:
    """The MIME type we serve a stored file as, from its (our own) extension."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    types = {
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "webp": "image/webp",
        "pdf": "application/pdf",
    }
    return types.get(extension)
