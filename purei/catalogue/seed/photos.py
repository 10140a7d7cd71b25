"""The demo products' photos: what each shows, its alt text, and its encoded files.

Each seed product gets a still life painted by ``pictures.product_picture`` (its
subject is the template's ``shape``): wine wears a label in its maker's colours
with the maker's name; other products show the same picture for every
maker of the same template (so 140 pictures serve 409 photos). Painting
and encoding a picture at 1600 x 1200 with its WebP and JPEG renditions takes about
half a second, so the encoded files are kept:

- in this process (the test suite seeds many times), and
- on disk under ``DATA_DIR/cache/demo-pictures/<key>/``, keyed by a hash of
  everything the picture depends on (``PICTURES_VERSION`` included), so a second
  ``purei seed_demo`` on the same machine reads them instead of painting them.

Missing pictures are painted in parallel, one process per core (spawned, so the
seed's database connection is never shared with a child), by one process at a
time: processes that start together (the test suite's workers, on SQLite and
PostgreSQL side by side) wait on a lock file in the cache folder, then read what
the first one painted instead of each painting the same pictures.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import multiprocessing
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from PIL import Image

from purei.core.renditions import EncodedRendition, renditions_encode

from .data import BACKGROUNDS, SeedProduct
from .pictures import SIZE, product_picture

__all__ = [
    "PHOTO_SIZE",
    "PICTURES_VERSION",
    "EncodedPhoto",
    "PhotoSpec",
    "encoded_cached",
    "photo_alt",
    "photo_spec",
    "photos_encoded",
]

PHOTO_SIZE = SIZE
# Raise it when a painter changes: the disk cache then paints afresh.
PICTURES_VERSION = 2
JPEG_QUALITY = 85
MAKER_LABELS: tuple[tuple[str, str], ...] = (
    # (the label's band and capsule, the ink of its words)
    ("#7a1f3d", "#2a1a1f"),
    ("#1f4e5f", "#12262e"),
    ("#b8860b", "#3a2a08"),
    ("#2f5d3a", "#17291b"),
    ("#8c3b1f", "#2e140a"),
    ("#3b3f8c", "#161833"),
    ("#a23b5a", "#3a1420"),
    ("#24313f", "#10151b"),
)
PER_MAKER = frozenset({"wine-bottle"})
SUBJECT_WORDS: dict[str, str] = {
    "wine-bottle": "a bottle of {title} with a label in {maker}'s colours, beside a "
    "poured glass",
    "oil-bottle": "a bottle of {title} with olives beside it",
    "honey-jar": "a jar of {title} with a wooden honey dipper",
    "jar": "a jar of {title} with a spoonful beside it",
    "tin": "an open tin of {title} beside its lid",
    "cans": "two cans of {title}",
    "avocados": "{title}: avocados on a tray, one cut in half",
    "kumara": "{title}: kūmara on the table, one cut open",
    "crate": "{title}: a wooden crate full of produce",
    "oysters": "{title} on a platter of crushed ice with lemon",
    "fish": "{title} on a wooden board",
    "loaf": "{title}, scored and dusted with flour",
    "pouch": "a pouch of {title}",
    "seed-packet": "a packet of {title} with seeds spilled beside it",
    "kete": "{title}, woven harakeke with a dyed pattern",
    "carving": "{title}, carved wood",
    "print": "{title}, framed",
    "pendant": "{title} on a cord",
    "bowl": "{title}",
    "plates": "{title}, stacked",
    "mug": "{title}",
    "vase": "{title} with a sprig of leaves",
    "steel": "{title}",
    "board": "{title}, showing the grain",
    "bar": "{title}",
    "box": "{title}",
    "textile": "{title}",
    "plant": "{title} in a terracotta pot",
    "tivaevae": "{title}",
}


@dataclass(frozen=True)
class PhotoSpec:
    """Everything one picture depends on."""

    subject: str
    colour: str
    background: str
    maker: tuple[str, str]
    words: tuple[str, ...]
    code: str
    detail: bool

    @property
    def key(self) -> str:
        blob = json.dumps([PICTURES_VERSION, asdict(self)], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class EncodedPhoto:
    """A picture's JPEG (the stored original) and its renditions."""

    original: bytes
    renditions: tuple[EncodedRendition, ...]


def _maker_label(maker_slug: str) -> tuple[str, str]:
    return MAKER_LABELS[zlib.crc32(maker_slug.encode()) % len(MAKER_LABELS)]


def photo_spec(
    *,
    kind: str,
    template: SeedProduct,
    attributes: dict[str, Any],
    maker_slug: str,
    maker_name: str,
    detail: bool,
) -> PhotoSpec:
    """What the picture of one seed product shows."""
    subject = template.shape
    if subject == "wine-bottle":
        words: tuple[str, ...] = (
            str(attributes.get("varietal", "")),
            str(attributes.get("vintage", "")),
            maker_name,
        )
    elif subject == "cans":
        words = (str(attributes.get("style", template.title)).upper(), "CRAFT BEER")
    else:
        words = (template.title.split(",")[0],)
    per_maker = subject in PER_MAKER
    return PhotoSpec(
        subject=subject,
        colour=template.colour,
        background=BACKGROUNDS[kind],
        maker=_maker_label(maker_slug if per_maker else f"{kind}/{template.code}"),
        words=words,
        code=template.code,
        detail=detail,
    )


def photo_alt(*, subject: str, title: str, maker_name: str, detail: bool) -> str:
    """What the painted picture shows, in words."""
    shows = SUBJECT_WORDS[subject].format(title=title, maker=maker_name)
    if detail:
        return f"Illustration, a closer look: {shows}"[:200]
    return f"Illustration: {shows}"[:200]


def _paint(spec: PhotoSpec) -> EncodedPhoto:
    """Paint and encode one picture (runs in a worker process)."""
    image = product_picture(
        spec.subject,
        colour=spec.colour,
        background=spec.background,
        maker=spec.maker,
        words=spec.words,
        code=spec.code,
    )
    if spec.detail:  # the middle of the picture, closer
        w, h = image.size
        image = image.crop((w * 0.2, h * 0.15, w * 0.8, h * 0.6)).resize(
            image.size, Image.Resampling.LANCZOS
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    original = buffer.getvalue()
    return EncodedPhoto(original, tuple(renditions_encode(original, quick=True)))


# --- The caches ------------------------------------------------------------------

_MEMORY: dict[str, EncodedPhoto] = {}


def _cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "cache" / "demo-pictures"


def _read(key: str) -> EncodedPhoto | None:
    folder = _cache_dir() / key
    try:
        index = json.loads((folder / "index.json").read_text())
        renditions = tuple(
            EncodedRendition(
                w=entry["w"],
                h=entry["h"],
                webp=(folder / f"{entry['w']}w.webp").read_bytes(),
                jpeg=(folder / f"{entry['w']}w.jpg").read_bytes(),
            )
            for entry in index
        )
        return EncodedPhoto((folder / "original.jpg").read_bytes(), renditions)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_file(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(path)  # atomic: another process never reads half a file


def _write(key: str, photo: EncodedPhoto) -> None:
    folder = _cache_dir() / key
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_file(folder / "original.jpg", photo.original)
        for rendition in photo.renditions:
            _write_file(folder / f"{rendition.w}w.webp", rendition.webp)
            _write_file(folder / f"{rendition.w}w.jpg", rendition.jpeg)
        index = [{"w": r.w, "h": r.h} for r in photo.renditions]
        _write_file(folder / "index.json", json.dumps(index).encode())  # last
    except OSError:
        pass  # a read-only data folder: paint again next time


def _paint_all(specs: Sequence[PhotoSpec]) -> list[EncodedPhoto]:
    workers = min(len(specs), os.cpu_count() or 1)
    if workers <= 1 or len(specs) < 8:
        return [_paint(spec) for spec in specs]
    context = multiprocessing.get_context("spawn")
    # A spawned worker imports this module afresh, so it sets Django up first. It
    # also imports the parent's main script: one without an ``if __name__ ==
    # "__main__"`` guard breaks the pool, and the pictures are painted here instead.
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=django.setup
        ) as pool:
            return list(pool.map(_paint, specs, chunksize=4))
    except BrokenProcessPool:
        return [_paint(spec) for spec in specs]


@contextlib.contextmanager
def _painting() -> Iterator[None]:
    """Paint one process at a time: an exclusive lock on ``.painting`` in the
    cache folder, held while painting (none where the folder cannot be written, or
    without ``fcntl``)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not a POSIX system
        yield
        return
    try:
        folder = _cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        lock = (folder / ".painting").open("a")
    except OSError:
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read_into(found: dict[str, EncodedPhoto], keys: Iterable[str]) -> None:
    for key in keys:
        cached = _read(key)
        if cached is not None:
            found[key] = cached


def photos_encoded(specs: Iterable[PhotoSpec]) -> dict[str, EncodedPhoto]:
    """The encoded picture of every spec, by key: from memory, from the disk
    cache, or painted now (in parallel) and kept in both."""
    wanted = {spec.key: spec for spec in specs}
    found = {key: _MEMORY[key] for key in wanted if key in _MEMORY}
    _read_into(found, wanted.keys() - found.keys())
    if len(found) < len(wanted):
        with _painting():
            # Another process may have painted them while this one waited.
            _read_into(found, wanted.keys() - found.keys())
            missing = [spec for key, spec in sorted(wanted.items()) if key not in found]
            if missing:
                for spec, photo in zip(missing, _paint_all(missing), strict=True):
                    _write(spec.key, photo)
                    found[spec.key] = photo
    _MEMORY.update(found)
    return found


def encoded_cached(key: str, make: Callable[[], EncodedPhoto]) -> EncodedPhoto:
    """The encoded picture kept under ``key`` (another drawing's, such as a demo
    cluster's hero): from memory, from the disk cache, or ``make()`` now and kept
    in both."""
    found = _MEMORY.get(key) or _read(key)
    if found is None:
        found = make()
        _write(key, found)
    _MEMORY[key] = found
    return found
