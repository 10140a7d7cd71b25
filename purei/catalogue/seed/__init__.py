"""Loading the demo's products (data in ``data.py``), with photos drawn locally.

``product_seed_load()`` runs after the member seed (``purei.members.seed``) and
gives every seed member business a few products: variants with honest prices and
stock, a listing in each cluster where the member is approved (most approved, a
few waiting for the curators, a few featured), and one or two photos drawn with
Pillow (no downloads). Like the other seeds it is idempotent: a row is written
only when it differs from the seed, a photo is drawn only when its row is missing,
so a second run changes nothing. Every product's attributes are checked against
its category's schema with the catalogue's own ``attributes_clean``; if any seed
row breaks a rule, ``ProductSeedError`` is raised and nothing is written.
"""

from __future__ import annotations

import colorsys
import datetime
import functools
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from purei.accounts.models import User
from purei.catalogue.indexing import products_changed
from purei.catalogue.models import (
    Category,
    Listing,
    Product,
    ProductImage,
    Variant,
    product_image_upload_to,
)
from purei.catalogue.services.products import attributes_clean
from purei.clusters.models import Cluster, Region
from purei.core.renditions import (
    EncodedRendition,
    Rendition,
    RenditionFailed,
    renditions_create,
    renditions_encode,
    renditions_store,
)
from purei.members.models import Credential, Member, Membership
from purei.members.seed import CLUSTER_ADMIN_LOGINS, SEED_MEMBERS
from purei.members.seed.data import SeedMember

from .data import (
    BACKGROUNDS,
    CLUSTER_KINDS,
    KINDS,
    MEMBER_KINDS,
    SeedProduct,
    SeedVariant,
)

__all__ = [
    "PRODUCTS_PER_MEMBER",
    "PlannedProduct",
    "ProductSeedError",
    "product_seed_load",
    "product_seed_plan",
    "seed_product_count",
]

PRODUCTS_PER_MEMBER = (2, 6)
PHOTO_SIZE = (800, 600)
SEED_TIME_ZONE = ZoneInfo("Pacific/Auckland")
R18_KINDS = frozenset({"wine", "beer"})


class ProductSeedError(Exception):
    """The product seed breaks a rule (a bad attribute, a repeated SKU …)."""


@dataclass(frozen=True)
class PlannedProduct:
    """One seed product of one member, with everything computed from the data."""

    member: SeedMember
    kind: str
    template: SeedProduct
    slug: str
    title: str
    attributes: dict[str, Any]
    price_step: int  # cents added to every variant's price, so members differ
    stock_step: int
    pending_in: frozenset[str]  # clusters where it waits for the curators
    featured_in: frozenset[str]

    def sku(self, variant: SeedVariant) -> str:
        return f"{self.template.code}-{variant.code}"


def _kind(seed: SeedMember) -> str:
    return MEMBER_KINDS.get(seed.slug) or CLUSTER_KINDS[seed.memberships[0].cluster]


def _approved_clusters(seed: SeedMember) -> list[str]:
    return [
        m.cluster for m in seed.memberships if m.status == Membership.Status.APPROVED
    ]


def product_seed_plan() -> list[PlannedProduct]:
    """Every seed product, in order (members in seed order, 3 to 5 each)."""
    plan: list[PlannedProduct] = []
    position_in_cluster: Counter[str] = Counter()
    for index, seed in enumerate(SEED_MEMBERS):
        kind = _kind(seed)
        templates = KINDS[kind]
        count = min(len(templates), 4 + index % 2)
        places = {}
        for cluster in _approved_clusters(seed):
            places[cluster] = position_in_cluster[cluster]
            position_in_cluster[cluster] += 1
        for k in range(count):
            template = templates[(index + k) % len(templates)]
            title = template.title
            attributes: dict[str, Any] = dict(template.attributes)
            if kind == "wine":
                vintage = 2021 + (index + k) % 4
                title = f"{title} {vintage}"
                attributes["vintage"] = vintage
            if kind == "beer":
                title = f"{seed.trading_name or seed.legal_name} {title}"
            if template.category == "art-taonga":
                attributes["artist"] = seed.contact_name
            last = k == count - 1
            plan.append(
                PlannedProduct(
                    member=seed,
                    kind=kind,
                    template=template,
                    slug=slugify(title)[:80],
                    title=title,
                    attributes=attributes,
                    price_step=0 if template.one_off else (index % 3) * 50,
                    stock_step=(index * 7) % 11,
                    pending_in=frozenset(
                        c for c, p in places.items() if last and p % 3 == 1
                    ),
                    featured_in=frozenset(
                        c for c, p in places.items() if k == 0 and p < 3
                    ),
                )
            )
    return plan


def seed_product_count() -> int:
    return len(product_seed_plan())


# --- Checking the seed -----------------------------------------------------------


def _plan_errors(
    plan: list[PlannedProduct], categories: dict[str, Category]
) -> list[str]:
    problems: list[str] = []
    per_member: Counter[str] = Counter(p.member.slug for p in plan)
    low, high = PRODUCTS_PER_MEMBER
    problems.extend(
        f"{slug}: {count} products, not {low} to {high}"
        for slug, count in per_member.items()
        if not low <= count <= high
    )
    for field in ("slug", "sku"):
        keys: Counter[tuple[str, str]] = Counter()
        for p in plan:
            if field == "slug":
                keys[(p.member.slug, p.slug)] += 1
            else:
                keys.update((p.member.slug, p.sku(v)) for v in p.template.variants)
        problems.extend(
            f"{member}: {field} {value} used {count} times"
            for (member, value), count in keys.items()
            if count > 1
        )
    for p in plan:
        where = f"{p.member.slug}/{p.slug}"
        category = categories.get(p.template.category)
        if category is None:
            problems.append(f"{where}: unknown category {p.template.category}")
            continue
        errors: dict[str, list[str]] = {}
        clean = attributes_clean(category, p.attributes, errors)
        problems.extend(
            f"{where}: {name}: {message}"
            for name, messages in errors.items()
            for message in messages
        )
        if not errors and clean != {
            key: str(value) if isinstance(value, str) else value
            for key, value in p.attributes.items()
        }:
            problems.append(f"{where}: attributes are not in their clean form")
        if category.restricted_r18 != (p.kind in R18_KINDS):
            problems.append(f"{where}: R18 category mismatch")
        if not p.template.variants:
            problems.append(f"{where}: no variants")
        for variant in p.template.variants:
            if variant.price_cents <= 0:
                problems.append(f"{where}: {variant.code}: price must be positive")
    return problems


# --- Writing rows only when they differ ------------------------------------------


def _assign(instance: models.Model, values: dict[str, Any]) -> list[str]:
    changed = [n for n, value in values.items() if getattr(instance, n) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _save(instance: models.Model, changed: list[str]) -> bool:
    if instance.pk is None:
        instance.save()
        return True
    if changed:
        timestamp = ["updated_at"] if hasattr(instance, "updated_at") else []
        instance.save(update_fields=[*changed, *timestamp])
    return bool(changed)


def _at(iso_date: str, hour: int = 12) -> datetime.datetime:
    day = datetime.date.fromisoformat(iso_date)
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SEED_TIME_ZONE)


# --- Photos ----------------------------------------------------------------------


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def colour_name(hex_colour: str) -> str:
    """A plain name for a colour, for alt text ("dark green", "cream" …)."""
    r, g, b = (c / 255 for c in _rgb(hex_colour))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    if sat < 0.15:
        base = "grey" if light < 0.8 else "pale grey"
        return "dark grey" if light < 0.3 else base
    if light > 0.85 and 0.05 < hue < 0.2:
        return "cream"
    degrees = hue * 360
    names = [
        (15, "red"),
        (40, "orange"),
        (55, "golden"),
        (75, "yellow-green"),
        (165, "green"),
        (200, "teal"),
        (260, "blue"),
        (300, "purple"),
        (335, "plum"),
        (360, "red"),
    ]
    base = next(name for limit, name in names if degrees < limit)
    if light > 0.85:
        return f"pale {base}"
    if base in {"orange", "red"} and light < 0.4:
        base = "brown" if base == "orange" else "dark red"
    elif light < 0.35 and base not in {"brown"}:
        base = f"dark {base}"
    return base


SHAPES: dict[str, str] = {
    "bottle": "bottle shape",
    "can": "can shape",
    "oval": "oval shape",
    "leaf": "leaf shape",
    "box": "box shape",
    "jar": "jar shape",
    "bag": "bag shape",
    "bar": "bar shape",
    "circle": "round shape",
    "panel": "carved-panel shape",
    "basket": "woven basket shape",
    "print": "framed print shape",
    "beam": "steel beam profile",
    "pipe": "pipe shape",
    "board": "board shape",
    "shirt": "shirt shape",
}


def _draw(draw: ImageDraw.ImageDraw, shape: str, fill: tuple[int, int, int]) -> None:
    ink = tuple(max(0, c - 60) for c in fill)
    outline = (ink[0], ink[1], ink[2])
    if shape == "bottle":
        draw.rounded_rectangle(
            (340, 210, 460, 540), 30, fill=fill, outline=outline, width=6
        )
        draw.rectangle((375, 90, 425, 215), fill=fill, outline=outline, width=6)
        draw.rectangle((360, 330, 440, 430), fill=(245, 240, 225))
    elif shape == "can":
        draw.rounded_rectangle(
            (320, 150, 480, 520), 20, fill=fill, outline=outline, width=6
        )
        draw.rectangle((320, 280, 480, 380), fill=(250, 245, 230))
    elif shape == "oval":
        draw.ellipse((220, 170, 580, 450), fill=fill, outline=outline, width=6)
        draw.ellipse((330, 250, 470, 370), fill=outline)
    elif shape == "leaf":
        draw.ellipse((250, 120, 550, 500), fill=fill, outline=outline, width=6)
        draw.line((400, 130, 400, 560), fill=outline, width=8)
    elif shape == "jar":
        draw.rounded_rectangle(
            (290, 200, 510, 520), 24, fill=fill, outline=outline, width=6
        )
        draw.rectangle((300, 150, 500, 205), fill=outline)
        draw.rectangle((320, 320, 480, 420), fill=(250, 245, 230))
    elif shape == "bag":
        draw.polygon(
            [(290, 170), (510, 170), (540, 520), (260, 520)],
            fill=fill,
            outline=outline,
            width=6,
        )
        draw.rectangle((320, 300, 480, 400), fill=(250, 245, 230))
    elif shape in {"bar", "board"}:
        draw.rounded_rectangle(
            (180, 250, 620, 380), 20, fill=fill, outline=outline, width=6
        )
    elif shape == "circle":
        draw.ellipse((240, 140, 560, 460), fill=fill, outline=outline, width=6)
        draw.ellipse((320, 220, 480, 380), outline=outline, width=6)
    elif shape == "panel":
        draw.rectangle((300, 80, 500, 540), fill=fill, outline=outline, width=6)
        for y in range(120, 520, 60):
            draw.arc((330, y, 470, y + 60), 0, 180, fill=outline, width=6)
    elif shape == "basket":
        draw.pieslice((220, 120, 580, 520), 0, 180, fill=fill, outline=outline, width=6)
        for x in range(250, 560, 40):
            draw.line((x, 330, x + 20, 500), fill=outline, width=4)
    elif shape == "print":
        draw.rectangle(
            (200, 110, 600, 490), fill=(250, 246, 238), outline=outline, width=14
        )
        draw.polygon(
            [(240, 450), (380, 250), (470, 360), (560, 300), (560, 450)], fill=fill
        )
    elif shape == "beam":
        draw.rectangle((250, 140, 550, 180), fill=fill, outline=outline, width=6)
        draw.rectangle((380, 180, 420, 420), fill=fill, outline=outline, width=6)
        draw.rectangle((250, 420, 550, 460), fill=fill, outline=outline, width=6)
    elif shape == "pipe":
        draw.rectangle((150, 250, 650, 350), fill=fill, outline=outline, width=6)
        draw.ellipse((610, 250, 690, 350), fill=outline)
    elif shape == "shirt":
        draw.polygon(
            [
                (300, 140),
                (500, 140),
                (620, 240),
                (560, 300),
                (520, 260),
                (520, 500),
                (280, 500),
                (280, 260),
                (240, 300),
                (180, 240),
            ],
            fill=fill,
            outline=outline,
            width=6,
        )
    else:  # box
        draw.rectangle((240, 200, 560, 480), fill=fill, outline=outline, width=6)
        draw.polygon(
            [(240, 200), (320, 130), (640, 130), (560, 200)],
            fill=fill,
            outline=outline,
            width=6,
        )


_FONT: ImageFont.FreeTypeFont | ImageFont.ImageFont | None = None


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    global _FONT
    if _FONT is None:
        _FONT = ImageFont.load_default(size=56)
    return _FONT


def _initials(title: str) -> str:
    words = [w for w in slugify(title).split("-") if w and not w.isdigit()]
    return "".join(w[0] for w in words[:2]).upper()


@functools.cache
def _photo_of(kind: str, code: str, title: str, detail: bool) -> tuple[bytes, str]:
    """The illustration of one template (products of the same template share it)."""
    template = next(t for t in KINDS[kind] if t.code == code)
    return _photo(kind, template, title, detail)


def photo_alt(kind: str, template: SeedProduct, title: str, detail: bool) -> str:
    """What the drawn picture shows, in words."""
    background = colour_name(BACKGROUNDS[kind])
    colour = colour_name(template.colour)
    if detail:
        alt = (
            f"Illustration: a {background} ring on a {colour} background, a "
            f"second picture for {title}"
        )
    else:
        alt = (
            f"Illustration: a {colour} {SHAPES[template.shape]} on a {background} "
            f"background, with the letters {_initials(title)}"
        )
    return alt[:200]


def _photo(
    kind: str, template: SeedProduct, title: str, detail: bool
) -> tuple[bytes, str]:
    """Draw a product's illustration; return its JPEG bytes and alt text."""
    background = _rgb(BACKGROUNDS[kind])
    fill = _rgb(template.colour)
    image = Image.new("RGB", PHOTO_SIZE, background)
    draw = ImageDraw.Draw(image)
    if detail:
        draw.rectangle((0, 0, 800, 600), fill=fill)
        draw.ellipse((150, 50, 650, 550), outline=background, width=24)
    else:
        _draw(draw, template.shape, fill)
        draw.text((40, 510), _initials(title), fill=(60, 50, 40), font=_font())
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=False)
    return buffer.getvalue(), photo_alt(kind, template, title, detail)


@functools.cache
def _encoded_photo(
    kind: str, code: str, title: str, detail: bool
) -> tuple[EncodedRendition, ...]:
    """The WebP and JPEG renditions of a drawn photo, compressed with less effort
    (409 photos would add ~25 s to the seed otherwise) and kept for the next run in
    this process (the test suite seeds many times)."""
    data, _alt = _photo_of(kind, code, title, detail)
    return tuple(renditions_encode(data, quick=True))


def _renditions_of(name: str) -> list[Rendition]:
    """The renditions of a photo stored by an earlier run (none if it is missing)."""
    try:
        return renditions_create(name, quick=True)
    except RenditionFailed:
        return []


def _photos_of(p: PlannedProduct) -> list[bool]:
    """Which photos a product has: the main one, and a detail for art."""
    return [False, True] if p.template.category == "art-taonga" else [False]


# --- Loading ---------------------------------------------------------------------


def _product_values(
    p: PlannedProduct, category: Category, region: Region
) -> dict[str, Any]:
    seed = p.member
    art = p.template.category == "art-taonga"
    name = seed.trading_name or seed.legal_name
    return {
        "title_en": p.title,
        "title_mi": p.template.title_mi,
        "description_en": f"{p.template.description} From {name}, {seed.town}.",
        "category_id": category.pk,
        "attributes": p.attributes,
        "maker": seed.contact_name if art else name,
        "origin_region_id": region.pk,
        "piece_story": (
            f"Made by {seed.contact_name} in {seed.town}. The artist is glad to "
            "talk about this work; ask through the member page."
            if art
            else ""
        ),
        "restricted_r18": category.restricted_r18,
        "carries_cultural_designs": p.template.cultural,
        "status": Product.Status.LIVE.value,
    }


def _variant_values(
    p: PlannedProduct, variant: SeedVariant, position: int
) -> dict[str, Any]:
    one_off = p.template.one_off
    tracked = variant.policy == Variant.StockPolicy.TRACKED
    return {
        "name": variant.name,
        "options": variant.options,
        "price_cents": variant.price_cents + p.price_step,
        "stock_policy": variant.policy.value,
        "stock": 1 if one_off else (variant.stock + p.stock_step if tracked else 0),
        "lead_time_days": variant.lead_time_days,
        "weight_grams": variant.weight_grams,
        "freight_on_quote": variant.freight_on_quote,
        "position": position,
    }


def _credential_ids(p: PlannedProduct, credentials: list[Credential]) -> set[int]:
    """The member's verified credentials that apply to this product."""
    kinds = {Credential.Kind.ORGANIC.value}
    if p.template.category == "art-taonga":
        kinds.add(Credential.Kind.TOI_IHO.value)
    if p.kind in R18_KINDS:
        kinds.add(Credential.Kind.LIQUOR_LICENCE.value)
    return {c.pk for c in credentials if c.kind in kinds}


@transaction.atomic
def product_seed_load() -> int:
    """Load the demo's products; return how many rows changed.

    Call it after ``purei.members.seed.member_seed_load()``. Raises
    ``ProductSeedError`` (and writes nothing) if the seed breaks a rule.
    New rows are written in bulk, so a fresh demo loads in a few seconds.
    """
    plan = product_seed_plan()
    categories = {c.slug: c for c in Category.objects.all()}
    problems = _plan_errors(plan, categories)
    members = {
        m.slug: m for m in Member.objects.filter(slug__in={p.member.slug for p in plan})
    }
    problems += [
        f"{slug}: member not loaded (run the member seed first)"
        for slug in sorted({p.member.slug for p in plan} - set(members))
    ]
    if problems:
        raise ProductSeedError("\n".join(problems))
    loader = _Loader(plan, members, categories)
    return loader.load()


class _Loader:
    """One run of the product seed: rows are read once, compared, then written."""

    def __init__(
        self,
        plan: list[PlannedProduct],
        members: dict[str, Member],
        categories: dict[str, Category],
    ) -> None:
        self.plan = plan
        self.members = members
        self.categories = categories
        self.regions = {r.code: r for r in Region.objects.all()}
        self.clusters = {c.slug: c for c in Cluster.objects.all()}
        admins = {
            u.email: u
            for u in User.objects.filter(
                email__in=[a.email for a in CLUSTER_ADMIN_LOGINS]
            )
        }
        self.admin_of = {a.cluster: admins[a.email] for a in CLUSTER_ADMIN_LOGINS}
        self.member_ids = [m.pk for m in members.values()]
        self.changed: set[int] = set()  # product ids with any change
        self.changes = 0

    def _write(self, rows: list[tuple[models.Model, list[str]]]) -> None:
        """Create the new rows in bulk and save the changed ones."""
        new = [row for row, _changed in rows if row.pk is None]
        if new:
            type(new[0])._default_manager.bulk_create(new)
            self.changes += len(new)
        created = {id(row) for row in new}
        for row, changed in rows:
            if id(row) not in created and changed:
                _save(row, changed)
                self.changes += 1

    def load(self) -> int:
        products = self._products()
        self._credentials(products)
        self._variants(products)
        self._listings(products)
        self._photos(products)
        products_changed(self.changed)
        return self.changes

    def _products(self) -> list[Product]:
        existing = {
            (p.member_id, p.slug): p
            for p in Product.objects.filter(member_id__in=self.member_ids)
        }
        rows: list[tuple[models.Model, list[str]]] = []
        products: list[Product] = []
        for p in self.plan:
            member = self.members[p.member.slug]
            product = existing.get((member.pk, p.slug)) or Product(
                member=member, slug=p.slug
            )
            values = _product_values(
                p, self.categories[p.template.category], self.regions[p.member.region]
            )
            changed = _assign(product, values)
            rows.append((product, changed))
            products.append(product)
        fresh = {id(product) for product, changed in rows if product.pk is None}
        self._write(rows)
        self.changed |= {
            product.pk for product, changed in rows if changed or id(product) in fresh
        }
        return products

    def _credentials(self, products: list[Product]) -> None:
        through = Product.credentials.through
        linked: dict[int, set[int]] = {}
        for product_id, credential_id in through.objects.filter(
            product__member_id__in=self.member_ids
        ).values_list("product_id", "credential_id"):
            linked.setdefault(product_id, set()).add(credential_id)
        owned: dict[int, list[Credential]] = {}
        for credential in Credential.objects.filter(
            member_id__in=self.member_ids,
            verification=Credential.Verification.VERIFIED,
        ):
            owned.setdefault(credential.member_id, []).append(credential)
        add = []
        for p, product in zip(self.plan, products, strict=True):
            wanted = _credential_ids(p, owned.get(product.member_id, []))
            have = linked.get(product.pk, set())
            if have == wanted:
                continue
            if have - wanted:
                product.credentials.remove(*(have - wanted))
            add += [
                through(product_id=product.pk, credential_id=credential_id)
                for credential_id in sorted(wanted - have)
            ]
            self.changed.add(product.pk)
            self.changes += 1
        through.objects.bulk_create(add)

    def _variants(self, products: list[Product]) -> None:
        existing = {
            (v.member_id, v.sku): v
            for v in Variant.objects.filter(member_id__in=self.member_ids)
        }
        rows: list[tuple[models.Model, list[str]]] = []
        for p, product in zip(self.plan, products, strict=True):
            for position, seed_variant in enumerate(p.template.variants):
                sku = p.sku(seed_variant)
                variant = existing.get((product.member_id, sku)) or Variant(
                    member_id=product.member_id, sku=sku
                )
                values = {
                    "product_id": product.pk,
                    **_variant_values(p, seed_variant, position),
                }
                changed = _assign(variant, values)
                if changed:
                    self.changed.add(product.pk)
                rows.append((variant, changed))
        self._write(rows)

    def _listings(self, products: list[Product]) -> None:
        existing = {
            (li.product_id, li.cluster_id): li
            for li in Listing.objects.filter(product__member_id__in=self.member_ids)
        }
        rows: list[tuple[models.Model, list[str]]] = []
        cultural_pending: set[str] = set()
        for p, product in zip(self.plan, products, strict=True):
            for membership in p.member.memberships:
                if membership.status != Membership.Status.APPROVED:
                    continue
                slug = membership.cluster
                cluster = self.clusters[slug]
                pending = slug in p.pending_in
                review = Listing.CulturalReview.NOT_NEEDED
                if cluster.cultural_review and p.template.cultural:
                    review = Listing.CulturalReview.APPROVED
                    if slug not in cultural_pending:
                        cultural_pending.add(slug)
                        review = Listing.CulturalReview.PENDING
                reviewed = review == Listing.CulturalReview.APPROVED
                decided = _at(membership.decided_on or membership.applied_on)
                admin = self.admin_of[slug]
                listing = existing.get((product.pk, cluster.pk)) or Listing(
                    product_id=product.pk, cluster_id=cluster.pk
                )
                status = Listing.Status.PENDING if pending else Listing.Status.APPROVED
                changed = _assign(
                    listing,
                    {
                        "status": status.value,
                        "decided_by_id": None if pending else admin.pk,
                        "decided_at": None if pending else decided,
                        "reason": "",
                        "cultural_review": review.value,
                        "cultural_reviewed_by_id": admin.pk if reviewed else None,
                        "cultural_reviewed_at": decided if reviewed else None,
                        "featured": slug in p.featured_in and not pending,
                    },
                )
                if changed:
                    self.changed.add(product.pk)
                rows.append((listing, changed))
        self._write(rows)

    def _photos(self, products: list[Product]) -> None:
        """Draw and store the photos that are missing (existing ones are kept)."""
        have = {
            (photo.product_id, photo.position): photo
            for photo in ProductImage.objects.filter(
                product__member_id__in=self.member_ids
            )
        }
        new: list[ProductImage] = []
        for p, product in zip(self.plan, products, strict=True):
            for position, detail in enumerate(_photos_of(p)):
                existing = have.get((product.pk, position))
                if existing is not None:
                    values: dict[str, Any] = {
                        "alt_text": photo_alt(p.kind, p.template, p.title, detail)
                    }
                    if not existing.renditions:
                        values["renditions"] = _renditions_of(existing.image.name or "")
                    if _save(existing, _assign(existing, values)):
                        self.changes += 1
                    continue
                data, alt = _photo_of(p.kind, p.template.code, p.title, detail)
                photo = ProductImage(
                    product_id=product.pk, alt_text=alt, position=position
                )
                name = product_image_upload_to(photo, f"{p.slug}.jpg")
                stored = default_storage.save(name, ContentFile(data))
                photo.image.name = stored
                photo.width, photo.height = PHOTO_SIZE
                photo.renditions = renditions_store(
                    stored, _encoded_photo(p.kind, p.template.code, p.title, detail)
                )
                new.append(photo)
                self.changed.add(product.pk)
        ProductImage.objects.bulk_create(new)
        self.changes += len(new)
