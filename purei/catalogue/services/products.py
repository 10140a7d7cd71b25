"""Products: created and changed by their member's team, attributes checked against
their category's schema, moved draft → live → archived (and back to draft)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.events import product_changed
from purei.catalogue.models import (
    SEO_DESCRIPTION_MAX,
    SEO_TITLE_MAX,
    Category,
    Product,
    Tag,
)
from purei.clusters.models import Region
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import DomainError, ValidationFailed
from purei.core.inputs import UNSET, Unset, fields_sent
from purei.core.renditions import rendition_files
from purei.members.models import Credential, Member
from purei.members.services._common import _delete_file_on_commit

from ._common import _add, _ordered, _text, index_on_commit, require_team
from .listings import (
    listings_recheck_claims,
    listings_submit,
    listings_withdraw_all,
)

TEXT_FIELDS = {
    "title_en": 160,
    "title_mi": 160,
    "maker": 160,
    "iwi_affiliation": 160,
    "seo_title": SEO_TITLE_MAX,
    "seo_description": SEO_DESCRIPTION_MAX,
}
LONG_TEXT_FIELDS = ("description_en", "description_mi", "piece_story")
BOOL_FIELDS = ("restricted_r18", "alcohol_or_tobacco", "carries_cultural_designs")
FIELD_ORDER = (
    "title_en",
    "title_mi",
    "slug",
    "category",
    "attributes",
    "tags",
    "description_en",
    "description_mi",
    "seo_title",
    "seo_description",
    "maker",
    "iwi_affiliation",
    "origin_region",
    "piece_story",
    "credentials",
)
SNAPSHOT_FIELDS = (
    "slug",
    "title_en",
    "title_mi",
    "category",
    "attributes",
    "maker",
    "iwi_affiliation",
    "origin_region",
    "restricted_r18",
    "alcohol_or_tobacco",
    "carries_cultural_designs",
    "status",
)
MAX_TAGS = 20
RESERVED_SLUGS = frozenset(
    {"new", "import", "export", "trade-prices"}
)  # /products/new/ etc.
MAX_ATTRIBUTE_TEXT = 200

# Status rules as data (style.md §6.4).
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    Product.Status.DRAFT: frozenset({Product.Status.LIVE}),
    Product.Status.LIVE: frozenset({Product.Status.ARCHIVED, Product.Status.DRAFT}),
    Product.Status.ARCHIVED: frozenset({Product.Status.DRAFT}),
}


@dataclass(frozen=True)
class ProductInput:
    """What ``product_create`` and ``product_update`` are given. A field left
    ``UNSET`` is not changed (on ``product_create``, left empty: ``title_en`` and
    ``category`` are required); values are checked as typed."""

    title_en: str | Unset | None = UNSET
    title_mi: str | Unset | None = UNSET
    slug: str | Unset | None = UNSET  # empty: made from the title
    category: str | Category | Unset | None = UNSET  # a category slug
    attributes: Mapping[str, Any] | Unset | None = UNSET  # checked by its schema
    tags: str | Sequence[str] | Unset | None = UNSET  # a comma list or a list
    description_en: str | Unset | None = UNSET
    description_mi: str | Unset | None = UNSET
    # For search engines (the page's <title> and meta description); blank: none.
    seo_title: str | Unset | None = UNSET
    seo_description: str | Unset | None = UNSET
    maker: str | Unset | None = UNSET
    iwi_affiliation: str | Unset | None = UNSET
    origin_region: str | Region | Unset | None = UNSET  # e.g. NZ-NTL
    piece_story: str | Unset | None = UNSET
    credentials: Sequence[int | str | Credential] | Unset | None = UNSET
    restricted_r18: bool | Unset | None = UNSET
    # Alcohol or tobacco: never taxed at an Australian checkout (LVIG, §2).
    alcohol_or_tobacco: bool | Unset | None = UNSET
    carries_cultural_designs: bool | Unset | None = UNSET
    status: str | Unset | None = UNSET  # draft, live or archived


def _snapshot(product: Product) -> dict[str, Any]:
    data = snapshot(product, SNAPSHOT_FIELDS)
    data["attributes"] = product.attributes
    return data


def attributes_clean(
    category: Category, raw: Mapping[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    """Check ``raw`` against the category's schema; blank values are left out.

    Errors go under ``attributes.<key>``.
    """
    schema = {str(spec["key"]): spec for spec in category.attributes}
    clean: dict[str, Any] = {}
    for key, value in raw.items():
        field = f"attributes.{key}"
        spec = schema.get(str(key))
        if spec is None:
            _add(
                errors,
                field,
                _("“%(key)s” is not a fact products in %(category)s carry.")
                % {"key": key, "category": category.name},
            )
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        kind = spec.get("type", "text")
        label = spec.get("label", key)
        text = str(value).strip()
        if kind == "int":
            if isinstance(value, bool | float):
                text = "x"
            try:
                clean[key] = int(text)
            except ValueError:
                _add(
                    errors,
                    field,
                    _("%(label)s must be a whole number.") % {"label": label},
                )
        elif kind == "decimal":
            if isinstance(value, float | bool):
                text = "x"
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite():
                _add(
                    errors,
                    field,
                    _("%(label)s must be a number, like 5.5.") % {"label": label},
                )
            else:
                clean[key] = str(number)
        elif kind == "choice":
            choices = [str(c) for c in spec.get("choices", [])]
            if text not in choices:
                _add(
                    errors,
                    field,
                    _("Choose %(label)s from the list: %(choices)s.")
                    % {"label": label, "choices": ", ".join(choices)},
                )
            else:
                clean[key] = text
        elif len(text) > MAX_ATTRIBUTE_TEXT:
            _add(
                errors,
                field,
                _("Keep %(label)s to %(max)s characters.")
                % {"label": label, "max": MAX_ATTRIBUTE_TEXT},
            )
        else:
            clean[key] = text
    return clean


def tags_parse(value: Any) -> list[tuple[str, str]]:
    """(slug, name) pairs from a comma list (or a list) of tag names, no repeats."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    seen: dict[str, str] = {}
    for item in items:
        name = str(item).strip()[:64]
        slug = slugify(name)[:64]
        if slug and slug not in seen:
            seen[slug] = name
    return list(seen.items())


def _tags(value: Any, errors: dict[str, list[str]]) -> list[Tag]:
    pairs = tags_parse(value)
    if len(pairs) > MAX_TAGS:
        _add(errors, "tags", _("Use at most %(max)s tags.") % {"max": MAX_TAGS})
        return []
    tags = []
    for slug, name in pairs:
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


def _category(value: Any, errors: dict[str, list[str]]) -> Category | None:
    if isinstance(value, Category):
        return value
    slug = _text(value)
    category = Category.objects.filter(slug=slug).first() if slug else None
    if category is None:
        _add(errors, "category", _("Choose a category."))
    return category


def _region(value: Any, errors: dict[str, list[str]]) -> Region | None:
    if value is None or isinstance(value, Region) or value == "":
        return value or None
    region = Region.objects.filter(code=str(value).strip().upper()).first()
    if region is None:
        _add(errors, "origin_region", _("Choose a region of New Zealand."))
    return region


def _credentials(
    member: Member, value: Any, errors: dict[str, list[str]]
) -> list[Credential]:
    ids: list[int] = []
    for item in value or []:
        try:
            ids.append(int(item.pk if isinstance(item, Credential) else item))
        except (TypeError, ValueError):
            _add(errors, "credentials", _("Choose credentials from the list."))
            return []
    found = list(Credential.objects.filter(member=member, pk__in=ids))
    if len(found) != len(set(ids)):
        _add(
            errors,
            "credentials",
            _("Choose from this business's own credentials."),
        )
    return found


def _apply(
    product: Product,
    member: Member,
    data: Mapping[str, Any],  # the fields of a ProductInput that were given
    errors: dict[str, list[str]],
    *,
    creating: bool,
) -> tuple[list[Tag] | None, list[Credential] | None]:
    for name, limit in TEXT_FIELDS.items():
        if name in data or (creating and name == "title_en"):
            value = _text(data.get(name))
            if len(value) > limit:
                _add(
                    errors,
                    name,
                    _("Keep it to %(max)s characters.") % {"max": limit},
                )
            setattr(product, name, value)
    if not product.title_en:
        _add(errors, "title_en", _("Give the product a title."))
    for name in LONG_TEXT_FIELDS:
        if name in data:
            value = _text(data.get(name))
            if name == "description_en" and value != product.description_en:
                product.description_html = ""  # an imported HTML one is now old
            setattr(product, name, value)
    for name in BOOL_FIELDS:
        if name in data:
            setattr(product, name, bool(data.get(name)))
    if "category" in data or creating:
        category = _category(data.get("category"), errors)
        if category is not None:
            product.category = category
    if "origin_region" in data:
        product.origin_region = _region(data.get("origin_region"), errors)
    if "slug" in data or creating:
        slug = slugify(_text(data.get("slug")) or product.title_en)[:80]
        if not slug:
            _add(errors, "slug", _("Give the product a web address name."))
        elif slug in RESERVED_SLUGS:
            _add(errors, "slug", _("Choose another web address name."))
        elif (
            Product.objects.filter(member=member, slug=slug)
            .exclude(pk=product.pk)
            .exists()
        ):
            _add(
                errors,
                "slug",
                _("This business already has a product at “%(slug)s”.")
                % {"slug": slug},
            )
        product.slug = slug
    has_category = product.category_id is not None
    if has_category and ("attributes" in data or "category" in data):
        raw = data.get("attributes", product.attributes) or {}
        if not isinstance(raw, Mapping):
            _add(errors, "attributes", _("Give the attributes as key and value."))
        else:
            product.attributes = attributes_clean(product.category, raw, errors)
    tags = _tags(data.get("tags"), errors) if "tags" in data else None
    credentials = (
        _credentials(member, data.get("credentials"), errors)
        if "credentials" in data
        else None
    )
    return tags, credentials


def _save(product: Product) -> None:
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError as exc:  # a concurrent product took the slug
        raise ValidationFailed(
            CatalogueErrorCode.DUPLICATE_SLUG,
            {"slug": [_("This business already has a product at this address.")]},
        ) from exc


@transaction.atomic
def product_create(*, actor: Actor, member: Member, details: ProductInput) -> Product:
    """Add a product to ``member``'s catalogue: a draft, unless ``details.status``
    moves it on at once (in the same transaction)."""
    require_team(actor, member)
    data = fields_sent(details)
    errors: dict[str, list[str]] = {}
    product = Product(member=member)
    tags, credentials = _apply(product, member, data, errors, creating=True)
    if errors:
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_PRODUCT, _ordered(errors, FIELD_ORDER)
        )
    _save(product)
    if tags is not None:
        product.tags.set(tags)
    if credentials is not None:
        product.credentials.set(credentials)
    audit_record(
        actor=actor,
        verb="product.created",
        target=product,
        member_id=member.pk,
        after=_snapshot(product),
    )
    status = data.get("status")
    if status and status != product.status:
        product = product_status_set(actor=actor, product=product, status=status)
    index_on_commit(product.pk)
    return product


@transaction.atomic
def product_update(*, actor: Actor, product: Product, details: ProductInput) -> Product:
    """Change the given fields of a product (the others stay as they are)."""
    data = fields_sent(details)
    member = product.member
    require_team(actor, member)
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = _snapshot(product)
    errors: dict[str, list[str]] = {}
    tags, credentials = _apply(product, member, data, errors, creating=False)
    if errors:
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_PRODUCT, _ordered(errors, FIELD_ORDER)
        )
    _save(product)
    if tags is not None:
        product.tags.set(tags)
    if credentials is not None:
        product.credentials.set(credentials)
    audit_record(
        actor=actor,
        verb="product.updated",
        target=product,
        member_id=member.pk,
        before=before,
        after=_snapshot(product),
    )
    if "status" in data and data["status"] != product.status:
        product = product_status_set(
            actor=actor, product=product, status=data["status"]
        )  # which tells product.changed
    else:
        if product.status == Product.Status.LIVE:
            listings_recheck_claims(actor=actor, product=product)
        product_changed(product)
    index_on_commit(product.pk)
    return product


@transaction.atomic
def product_status_set(*, actor: Actor, product: Product, status: str) -> Product:
    """Move a product along draft → live → archived (or back to draft).

    Going live needs at least one variant and lists it in every cluster where the
    member is approved; leaving live withdraws its listings.
    """
    require_team(actor, product.member)
    product = (
        Product.objects.select_for_update().select_related("member").get(pk=product.pk)
    )
    if status not in Product.Status.values:
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_PRODUCT, {"status": [_("Choose a status.")]}
        )
    if status not in ALLOWED_MOVES[product.status]:
        raise DomainError(
            CatalogueErrorCode.STATUS_MOVE,
            _("A %(from)s product can't become %(to)s.")
            % {
                "from": Product.Status(product.status).label,
                "to": Product.Status(status).label,
            },
            field="status",
        )
    if status == Product.Status.LIVE and not product.variants.exists():
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_PRODUCT,
            {"status": [_("Add a variant with a price before the product goes live.")]},
        )
    before = snapshot(product, ("status",))
    product.status = status
    product.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb="product.status_changed",
        target=product,
        member_id=product.member_id,
        before=before,
        after=snapshot(product, ("status",)),
    )
    if status == Product.Status.LIVE:
        listings_submit(actor=actor, product=product)
    else:
        listings_withdraw_all(actor=actor, product=product)
    product_changed(product)
    index_on_commit(product.pk)
    return product


@transaction.atomic
def product_delete(*, actor: Actor, product: Product) -> None:
    """Delete a draft product (live and archived ones are archived instead)."""
    require_team(actor, product.member)
    if product.status != Product.Status.DRAFT:
        raise DomainError(
            CatalogueErrorCode.STATUS_MOVE,
            _("Only draft products can be deleted: archive this one instead."),
            field="status",
        )
    product_id = product.pk
    audit_record(
        actor=actor,
        verb="product.deleted",
        target=product,
        member_id=product.member_id,
        before=_snapshot(product),
    )
    for photo in product.images.all():
        for name in (photo.image.name, *rendition_files(photo.renditions)):
            _delete_file_on_commit(name)
    product.delete()
    index_on_commit(product_id, deleted=True)
