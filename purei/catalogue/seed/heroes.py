"""The demo clusters' logos and hero images, drawn from what their members make
(no downloads, no artist): ``cluster_pictures_seed()`` runs after the product seed.

A hero (1600 x 900) lays three of the cluster's painted products (``photos.py``) out
as a shop window on its brand colour: the first large on the left, two more stacked
on the right. A logo (192 x 192) is the cluster's monogram in white on a disc of its
brand colour, ringed in its accent. Each is encoded with its renditions once and kept
with the products' pictures (in this process and under ``DATA_DIR``), keyed by
everything it depends on, so seeding again costs nothing; the clusters app stores
them (``purei.clusters.seed.cluster_pictures_seed_load``), keeping a picture already
stored under the same name.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from PIL import Image, ImageDraw, ImageOps

from purei.clusters.models import Cluster
from purei.clusters.seed import SEED_CLUSTERS, SeedPicture, cluster_pictures_seed_load
from purei.core.renditions import renditions_encode
from purei.members.models import Membership

from . import PlannedProduct, _spec, product_seed_plan
from .photos import EncodedPhoto, PhotoSpec, encoded_cached, photos_encoded
from .pictures.canvas import font

__all__ = ["BRAND_PICTURES_VERSION", "cluster_pictures_seed"]

# Raise it when a drawing changes: the caches then draw afresh.
BRAND_PICTURES_VERSION = 3
HERO_SIZE = (1600, 900)
HERO_GAP = 16
HERO_PRODUCTS = 3
LOGO_SIDE = 192
JPEG_QUALITY = 85
STORE_FOLDER = "clusters/brand/seed"


def _key(kind: str, spec: Any) -> str:
    blob = json.dumps([BRAND_PICTURES_VERSION, kind, asdict(spec)], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class HeroSpec:
    """A cluster's hero: its colour and the products it shows."""

    slug: str
    colour: str
    photos: tuple[PhotoSpec, ...]

    @property
    def key(self) -> str:
        return _key("hero", self)


@dataclass(frozen=True)
class LogoSpec:
    """A cluster's logo: its monogram and colours."""

    slug: str
    monogram: str
    colour: str
    accent: str

    @property
    def key(self) -> str:
        return _key("logo", self)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _cover(picture: bytes, size: tuple[int, int]) -> Image.Image:
    """The picture scaled to cover ``size`` and cropped to it, a little below its
    middle (where the product stands on its table)."""
    with Image.open(io.BytesIO(picture)) as image:
        return ImageOps.fit(
            image.convert("RGB"), size, Image.Resampling.LANCZOS, centering=(0.5, 0.6)
        )


def _hero(spec: HeroSpec, pictures: list[bytes]) -> Image.Image:
    width, height = HERO_SIZE
    canvas = Image.new("RGB", HERO_SIZE, _rgb(spec.colour))
    big = round(width * 2 / 3) - HERO_GAP // 2
    small_w = width - big - HERO_GAP
    small_h = (height - HERO_GAP) // 2
    boxes = [
        (0, 0, big, height),
        (big + HERO_GAP, 0, small_w, small_h),
        (big + HERO_GAP, small_h + HERO_GAP, small_w, height - small_h - HERO_GAP),
    ]
    for picture, (x, y, w, h) in zip(pictures, boxes, strict=False):
        canvas.paste(_cover(picture, (w, h)), (x, y))
    return canvas


def _logo(spec: LogoSpec) -> Image.Image:
    """A disc of the brand colour ringed in the accent, the monogram in white;
    drawn at twice the size and reduced, so its edges are smooth."""
    side = LOGO_SIDE * 2
    image = Image.new("RGBA", (side, side), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, side - 1, side - 1), fill=_rgb(spec.accent))
    ring = side // 22
    draw.ellipse((ring, ring, side - 1 - ring, side - 1 - ring), fill=_rgb(spec.colour))
    size = side * (38 if len(spec.monogram) > 1 else 48) // 100
    draw.text(
        (side / 2, side / 2),
        spec.monogram,
        fill=(255, 255, 255),
        font=font(size),
        anchor="mm",
        stroke_width=max(2, size // 26),
        stroke_fill=(255, 255, 255),
    )
    return image.resize((LOGO_SIDE, LOGO_SIDE), Image.Resampling.LANCZOS)


def _encoded(image: Image.Image, format: str) -> EncodedPhoto:
    buffer = io.BytesIO()
    if format == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(
            buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
        )
    original = buffer.getvalue()
    return EncodedPhoto(original, tuple(renditions_encode(original, quick=True)))


def _logo_encoded(spec: LogoSpec) -> EncodedPhoto:
    return _encoded(_logo(spec), "PNG")


def _hero_encoded(spec: HeroSpec, pictures: list[bytes]) -> EncodedPhoto:
    return _encoded(_hero(spec, pictures), "JPEG")


def _shown_in(slug: str, plan: list[PlannedProduct]) -> list[PlannedProduct]:
    """The cluster's products a hero shows: public there, its featured first,
    then a different subject and maker each where there are enough."""
    public = [
        p
        for p in plan
        if slug not in p.pending_in
        and any(
            m.cluster == slug and m.status == Membership.Status.APPROVED
            for m in p.member.memberships
        )
    ]
    public.sort(key=lambda p: slug not in p.featured_in)  # stable: plan order
    chosen: list[PlannedProduct] = []
    for distinct in (True, False):
        for p in public:
            if len(chosen) == HERO_PRODUCTS or p in chosen:
                continue
            if distinct and any(
                c.template.shape == p.template.shape or c.member.slug == p.member.slug
                for c in chosen
            ):
                continue
            chosen.append(p)
    return chosen


def _alt(products: list[PlannedProduct]) -> str:
    titles = [p.title.split(",")[0] for p in products]
    listed = (
        titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} and {titles[-1]}"
    )
    return f"Illustration: the members' products — {listed}"[:200]


def cluster_pictures_seed() -> int:
    """Give each seed cluster in the database a logo and a hero drawn from its
    members' products (after ``product_seed_load``); return how many changed."""
    plan = product_seed_plan()
    here = set(
        Cluster.objects.filter(slug__in=[s.slug for s in SEED_CLUSTERS]).values_list(
            "slug", flat=True
        )
    )
    wanted: dict[str, tuple[LogoSpec, HeroSpec, str]] = {}
    for seed in SEED_CLUSTERS:
        if seed.slug not in here:
            continue
        products = _shown_in(seed.slug, plan)
        colour = seed.colour_primary or "#0b5d4b"
        hero = HeroSpec(seed.slug, colour, tuple(_spec(p, False) for p in products))
        logo = LogoSpec(
            seed.slug,
            Cluster(name_en=seed.name_en).monogram,
            colour,
            seed.colour_accent or colour,
        )
        wanted[seed.slug] = (logo, hero, _alt(products))
    photos = photos_encoded(
        spec for _logo_spec, hero, _text in wanted.values() for spec in hero.photos
    )
    pictures: dict[str, tuple[SeedPicture, SeedPicture]] = {}
    for slug, (logo_spec, hero_spec, alt) in wanted.items():
        logo_drawn = encoded_cached(logo_spec.key, partial(_logo_encoded, logo_spec))
        hero_drawn = encoded_cached(
            hero_spec.key,
            partial(
                _hero_encoded,
                hero_spec,
                [photos[p.key].original for p in hero_spec.photos],
            ),
        )
        pictures[slug] = (
            SeedPicture(
                f"{STORE_FOLDER}/{slug}-logo-{logo_spec.key[:12]}.png",
                logo_drawn.original,
                logo_drawn.renditions,
            ),
            SeedPicture(
                f"{STORE_FOLDER}/{slug}-hero-{hero_spec.key[:12]}.jpg",
                hero_drawn.original,
                hero_drawn.renditions,
                alt,
            ),
        )
    return cluster_pictures_seed_load(pictures)
