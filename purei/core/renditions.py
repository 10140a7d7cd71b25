"""Renditions of a stored picture: smaller copies in WebP, with JPEG as the fallback.

``renditions_create(name)`` reads a picture from the default storage and saves a
copy at each width of ``RENDITION_WIDTHS`` narrower than the picture, plus one at
its own width (when that is at most 1600 pixels): each once as WebP and once as
JPEG (transparency flattened onto white). They are stored beside the original under
``renditions/``, e.g. ``catalogue/products/2026/11/ab12.jpg`` gives
``renditions/catalogue/products/2026/11/ab12-640w.webp``. Pictures are never
enlarged. Its two halves, ``renditions_encode`` (bytes in, bytes out) and
``renditions_store``, serve callers that reuse encodings (the demo seed).

The result is a JSON-serialisable list, narrowest first, of
``{"w": 640, "h": 427, "webp": "<storage name>", "jpeg": "<storage name>"}``, to be
kept on the picture's row. The functions reading such a list (``srcset``,
``rendition_url``, ``rendition_fallback``, ``rendition_up_to``) never touch the
storage, so rendering a page never opens or stats a file.

Nothing here reads or writes the database (``renditions_refresh`` only defers its
deletions to the commit).
"""

from __future__ import annotations

import io
import posixpath
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, TypedDict
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.encoding import filepath_to_uri
from PIL import Image, ImageOps, UnidentifiedImageError

RENDITION_WIDTHS = (320, 640, 1024, 1600)
RENDITION_FOLDER = "renditions"
FALLBACK_WIDTH = 640
SHARE_MAX_WIDTH = 1200
WEBP_OPTIONS: dict[str, object] = {"quality": 80, "method": 4}
JPEG_OPTIONS: dict[str, object] = {"quality": 80, "optimize": True, "progressive": True}
# For many pictures at once (the demo seed): about 2.5 times faster, files ~10 % larger.
QUICK_WEBP_OPTIONS: dict[str, object] = {"quality": 80, "method": 2}
QUICK_JPEG_OPTIONS: dict[str, object] = {"quality": 80}

Format = Literal["webp", "jpeg"]


class Rendition(TypedDict):
    """One width of a picture: its size and the storage names of both formats."""

    w: int
    h: int
    webp: str
    jpeg: str


@dataclass(frozen=True)
class EncodedRendition:
    """One width of a picture, encoded but not stored yet."""

    w: int
    h: int
    webp: bytes
    jpeg: bytes


@dataclass(frozen=True)
class Picture:
    """A stored picture as a page shows it (``{% picture %}``): the original file,
    its renditions, its description and, when known, its own size."""

    image: Any  # the FieldFile of the original
    renditions: Sequence[Rendition]
    alt_text: str = ""
    width: int | None = None
    height: int | None = None


def picture_of(
    image: Any,
    renditions: Sequence[Rendition] | None,
    alt_text: str = "",
    *,
    width: int | None = None,
    height: int | None = None,
) -> Picture | None:
    """The ``Picture`` of an image field (``None`` when it holds no file); its size
    is the widest rendition's, else ``width`` and ``height`` when known."""
    if not image:
        return None
    kept = list(renditions or [])
    widest = max(kept, key=lambda rendition: rendition["w"]) if kept else None
    return Picture(
        image=image,
        renditions=kept,
        alt_text=alt_text,
        width=widest["w"] if widest else width,
        height=widest["h"] if widest else height,
    )


class RenditionFailed(ValueError):
    """The stored file could not be read as a picture."""


def rendition_widths(width: int) -> list[int]:
    """The widths made for a picture ``width`` pixels wide: never wider than it."""
    widths = {w for w in RENDITION_WIDTHS if w < width}
    if width <= RENDITION_WIDTHS[-1]:
        widths.add(width)
    return sorted(widths)


def rendition_name(name: str, width: int, extension: str) -> str:
    """Where the ``width`` rendition of the stored file ``name`` is kept."""
    folder, filename = posixpath.split(name)
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return posixpath.join(RENDITION_FOLDER, folder, f"{stem}-{width}w.{extension}")


def _read(name: str) -> bytes:
    if not name:
        raise RenditionFailed("no stored file")
    try:
        with default_storage.open(name, "rb") as stored:
            return bytes(stored.read())
    except (OSError, ValueError) as exc:
        raise RenditionFailed(f"{name} cannot be read") from exc


def _decode(data: bytes) -> Image.Image:
    """Decode a picture, refusing decompression bombs as uploads do."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ) as exc:
        raise RenditionFailed("not a picture we can read") from exc
    return ImageOps.exif_transpose(image) or image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def _flatten(image: Image.Image) -> Image.Image:
    """The picture on a white background, for formats without transparency."""
    if image.mode != "RGBA":
        return image
    white = Image.new("RGB", image.size, (255, 255, 255))
    white.paste(image, mask=image.getchannel("A"))
    return white


def _encode(image: Image.Image, format: str, options: dict[str, object]) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def _save(name: str, data: bytes) -> str:
    """Save ``data`` as ``name``, replacing an earlier rendition of that name."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def renditions_encode(data: bytes, *, quick: bool = False) -> list[EncodedRendition]:
    """Encode the renditions of a picture (its file's bytes) without storing them;
    ``quick`` spends less effort compressing them.

    Raises ``RenditionFailed`` if it is not a picture Pillow can read safely.
    """
    webp_options = QUICK_WEBP_OPTIONS if quick else WEBP_OPTIONS
    jpeg_options = QUICK_JPEG_OPTIONS if quick else JPEG_OPTIONS
    source = _decode(data)
    mode = "RGBA" if _has_alpha(source) else "RGB"
    if source.mode != mode:
        source = source.convert(mode)
    width, height = source.size
    encoded: list[EncodedRendition] = []
    for w in rendition_widths(width):
        h = max(1, round(height * w / width))
        image = (
            source
            if w == width
            else source.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        encoded.append(
            EncodedRendition(
                w=w,
                h=h,
                webp=_encode(image, "WEBP", webp_options),
                jpeg=_encode(_flatten(image), "JPEG", jpeg_options),
            )
        )
    return encoded


def renditions_store(name: str, encoded: Iterable[EncodedRendition]) -> list[Rendition]:
    """Store encoded renditions of the stored picture ``name`` beside it."""
    return [
        {
            "w": rendition.w,
            "h": rendition.h,
            "webp": _save(rendition_name(name, rendition.w, "webp"), rendition.webp),
            "jpeg": _save(rendition_name(name, rendition.w, "jpg"), rendition.jpeg),
        }
        for rendition in encoded
    ]


def renditions_create(name: str, *, quick: bool = False) -> list[Rendition]:
    """Make and store the renditions of the stored picture ``name``.

    Raises ``RenditionFailed`` if it is missing or not a picture Pillow can read
    safely.
    """
    return renditions_store(name, renditions_encode(_read(name), quick=quick))


def renditions_refresh(name: str, old: Iterable[Rendition]) -> list[Rendition]:
    """The renditions of the stored picture ``name`` (none when ``name`` is empty
    or cannot be read); the files of ``old`` not made again are deleted once the
    current transaction commits."""
    try:
        made = renditions_create(name) if name else []
    except RenditionFailed:
        made = []
    stale = sorted(set(rendition_files(old)) - set(rendition_files(made)))
    if stale:
        transaction.on_commit(partial(_delete_files, stale))
    return made


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


def rendition_files(renditions: Iterable[Rendition]) -> list[str]:
    """The storage names of every file of ``renditions``."""
    return [
        name
        for rendition in renditions
        for name in (rendition.get("webp"), rendition.get("jpeg"))
        if name
    ]


def renditions_delete(renditions: Iterable[Rendition]) -> None:
    """Delete the files of ``renditions`` (missing ones are fine)."""
    for name in rendition_files(renditions):
        default_storage.delete(name)


# --- Reading a list of renditions: no storage access -----------------------------


def rendition_url(name: str) -> str:
    """The public URL of a stored rendition, from ``MEDIA_URL`` alone."""
    return urljoin(str(settings.MEDIA_URL), filepath_to_uri(name))


def srcset(renditions: Sequence[Rendition], format: Format) -> str:
    """A ``srcset`` value listing every width of ``renditions`` in ``format``."""
    return ", ".join(
        f"{rendition_url(rendition[format])} {rendition['w']}w"
        for rendition in renditions
    )


def rendition_fallback(
    renditions: Sequence[Rendition], width: int = FALLBACK_WIDTH
) -> Rendition | None:
    """The narrowest rendition at least ``width`` wide, else the widest one."""
    if not renditions:
        return None
    ordered = sorted(renditions, key=lambda rendition: rendition["w"])
    for rendition in ordered:
        if rendition["w"] >= width:
            return rendition
    return ordered[-1]


def rendition_up_to(
    renditions: Sequence[Rendition], width: int = SHARE_MAX_WIDTH
) -> Rendition | None:
    """The widest rendition at most ``width`` wide, else the narrowest one."""
    if not renditions:
        return None
    ordered = sorted(renditions, key=lambda rendition: rendition["w"])
    fitting = [rendition for rendition in ordered if rendition["w"] <= width]
    return fitting[-1] if fitting else ordered[0]
