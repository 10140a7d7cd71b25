"""Loading the demo's products (data in ``data.py``), with photos drawn locally.

``product_seed_load()`` runs after the member seed (``purei.members.seed``) and
gives every seed member business a few products: variants with honest prices and
stock, a listing in each cluster where the member is approved (most approved, a
few waiting for the curators, a few featured), and one or two photos painted with
Pillow (no downloads; ``photos.py`` and ``pictures/``). Like the other seeds it is
idempotent: a row is written only when it differs from the seed, a photo is stored
only when its row is missing or holds a drawing of an earlier size, so a second run
changes nothing. Every product's attributes are checked against
its category's schema with the catalogue's own ``attributes_clean``; if any seed
row breaks a rule, ``ProductSeedError`` is raised and nothing is written.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.text import slugify

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
from purei.core.renditions import rendition_files, renditions_store
from purei.members.models import Credential, Member, Membership
from purei.members.seed import CLUSTER_ADMIN_LOGINS, SEED_MEMBERS
from purei.members.seed.data import SeedMember

from .data import (
    CLUSTER_KINDS,
    KINDS,
    MEMBER_KINDS,
    SeedProduct,
    SeedVariant,
)
from .photos import PHOTO_SIZE, PhotoSpec, photo_alt, photo_spec, photos_encoded

__all__ = [
    "PRODUCTS_PER_MEMBER",
    "PlannedProduct",
    "ProductSeedError",
    "product_seed_load",
    "product_seed_plan",
    "seed_product_count",
]

PRODUCTS_PER_MEMBER = (2, 6)
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


def _spec(p: PlannedProduct, detail: bool) -> PhotoSpec:
    return photo_spec(
        kind=p.kind,
        template=p.template,
        attributes=p.attributes,
        maker_slug=p.member.slug,
        maker_name=p.member.trading_name or p.member.legal_name,
        detail=detail,
    )


def _alt(p: PlannedProduct, detail: bool) -> str:
    return photo_alt(
        subject=p.template.shape,
        title=p.title,
        maker_name=p.member.trading_name or p.member.legal_name,
        detail=detail,
    )


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
        """Store the photos that are missing, and replace those painted by an
        earlier version of the seed (another size); the rest are kept."""
        have = {
            (photo.product_id, photo.position): photo
            for photo in ProductImage.objects.filter(
                product__member_id__in=self.member_ids
            )
        }
        wanted: list[tuple[PlannedProduct, Product, int, bool]] = []
        for p, product in zip(self.plan, products, strict=True):
            for position, detail in enumerate(_photos_of(p)):
                existing = have.get((product.pk, position))
                if existing is not None and (existing.width, existing.height) == (
                    PHOTO_SIZE
                ):
                    values = {"alt_text": _alt(p, detail)}
                    if _save(existing, _assign(existing, values)):
                        self.changes += 1
                    continue
                wanted.append((p, product, position, detail))
        encoded = photos_encoded(_spec(p, detail) for p, _pr, _po, detail in wanted)
        new: list[ProductImage] = []
        for p, product, position, detail in wanted:
            old = have.get((product.pk, position))
            if old is not None:  # an outdated drawing: its files go, the row too
                for name in (old.image.name, *rendition_files(old.renditions or [])):
                    if name:
                        default_storage.delete(name)
                old.delete()
            photo = ProductImage(
                product_id=product.pk, alt_text=_alt(p, detail), position=position
            )
            picture = encoded[_spec(p, detail).key]
            name = product_image_upload_to(photo, f"{p.slug}.jpg")
            stored = default_storage.save(name, ContentFile(picture.original))
            photo.image.name = stored
            photo.width, photo.height = PHOTO_SIZE
            photo.renditions = renditions_store(stored, picture.renditions)
            new.append(photo)
            self.changed.add(product.pk)
        ProductImage.objects.bulk_create(new)
        self.changes += len(new)
