"""Categories: managed by Pūrei's platform staff (the screen at
``/staff/categories/``, ``/api/v1/categories``, both through these services).

A category has names in English and te reo Māori, a web address name (slug), an
optional parent, an R18 mark, a position in lists, and the key attributes its
products carry (``Category.attributes``: ``{"key", "label", "type", "choices",
"facet"}``). The rules:

- names are unique (ignoring case, and as web address names, so the spreadsheet
  importer, which finds categories by slug or name, never meets two answers);
- a parent exists and never leads back to the category (no cycles);
- attribute keys are what search filters and counts (``attr_<key>`` in URLs:
  ``purei.search.public.ATTRIBUTE_KEY_PATTERN``), once each; a choice has its
  choices, other types none; ``facet`` makes it a filter with counts in the shop.

Products keep the attribute values they have when the schema changes; they are
checked against the new schema when next edited. Every change is an audit row
(``category.created`` / ``.updated`` / ``.deleted``, before and after) and, once
committed, raises the catalogue version so cached shop and search results (their
category facets and key-attribute facets) are rendered afresh; a new name also
reindexes the category's products, whose search text holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from purei.catalogue.errors import CatalogueErrorCode, CategoryInUse
from purei.catalogue.models import Category, Product
from purei.catalogue.selectors import require_platform_staff
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import ValidationFailed
from purei.search.cache import catalogue_changed
from purei.search.index import products_changed
from purei.search.public import ATTRIBUTE_KEY_PATTERN

from ._common import _add, _ordered

ATTRIBUTE_TYPES = ("text", "int", "decimal", "choice")
NAME_MAX = 80
SLUG_MAX = 64
LABEL_MAX = 80
CHOICE_MAX = 80
MAX_ATTRIBUTES = 20
MAX_CHOICES = 50
MAX_POSITION = 32767
RESERVED_SLUGS = frozenset({"new"})  # /staff/categories/new/
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELD_ORDER = (
    "name_en",
    "name_mi",
    "slug",
    "parent",
    "restricted_r18",
    "position",
    "attributes",
)
SNAPSHOT_FIELDS = (
    "slug",
    "name_en",
    "name_mi",
    "parent",
    "restricted_r18",
    "position",
    "attributes",
)


@dataclass(frozen=True)
class CategoryAttribute:
    """One key attribute of a category's products (e.g. wine's vintage)."""

    key: str
    label: str
    type: str = "text"
    choices: tuple[str, ...] = ()
    facet: bool = False

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> CategoryAttribute:
        """One entry of ``Category.attributes`` as stored."""
        return cls(
            key=str(spec.get("key", "")),
            label=str(spec.get("label", "")),
            type=str(spec.get("type", "text")),
            choices=tuple(str(choice) for choice in spec.get("choices") or ()),
            facet=bool(spec.get("facet", False)),
        )

    def as_spec(self) -> dict[str, Any]:
        """As ``Category.attributes`` stores it (and the product form reads it)."""
        spec: dict[str, Any] = {"key": self.key, "label": self.label, "type": self.type}
        if self.type == "choice":
            spec["choices"] = list(self.choices)
        if self.facet:
            spec["facet"] = True
        return spec


@dataclass(frozen=True)
class CategoryDetails:
    """Everything a category is. ``slug`` empty: made from ``name_en``; ``parent``
    is the parent's slug (empty: a top-level category)."""

    name_en: str
    name_mi: str = ""
    slug: str = ""
    parent: str = ""
    restricted_r18: bool = False
    position: int = 0
    attributes: tuple[CategoryAttribute, ...] = field(default_factory=tuple)


def category_details_of(category: Category) -> CategoryDetails:
    """The details of a category as it is (to change some of them)."""
    return CategoryDetails(
        name_en=category.name_en,
        name_mi=category.name_mi,
        slug=category.slug,
        parent=category.parent.slug if category.parent else "",
        restricted_r18=category.restricted_r18,
        position=category.position,
        attributes=tuple(
            CategoryAttribute.from_spec(spec) for spec in category.attributes or ()
        ),
    )


def _keys(name_en: str, slug: str) -> set[str]:
    """What the spreadsheet importer finds a category by."""
    return {slug, slugify(name_en), name_en.casefold()}


def _check_names(
    details: CategoryDetails,
    slug: str,
    others: list[Category],
    errors: dict[str, list[str]],
) -> None:
    name_en, name_mi = details.name_en.strip(), details.name_mi.strip()
    if not name_en:
        _add(errors, "name_en", _("Give the category a name in English."))
    elif len(name_en) > NAME_MAX:
        _add(errors, "name_en", _("Keep it to %(max)s characters.") % {"max": NAME_MAX})
    if len(name_mi) > NAME_MAX:
        _add(errors, "name_mi", _("Keep it to %(max)s characters.") % {"max": NAME_MAX})
    if not slug:
        _add(errors, "slug", _("Give the category a web address name."))
    elif slug in RESERVED_SLUGS:
        _add(
            errors,
            "slug",
            _("“%(slug)s” is kept for Pūrei's own pages: choose another.")
            % {"slug": slug},
        )
    elif len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        _add(
            errors,
            "slug",
            _(
                "Use at most %(max)s lower-case letters, digits and single hyphens, "
                "like “fresh-produce”."
            )
            % {"max": SLUG_MAX},
        )
    for other in others:
        taken = _keys(other.name_en, other.slug)
        if name_en and {slugify(name_en), name_en.casefold()} & taken:
            _add(
                errors,
                "name_en",
                _("The category “%(other)s” has this name already.")
                % {"other": other.name_en},
            )
        if slug and slug in taken:
            _add(
                errors,
                "slug",
                _("The category “%(other)s” has this web address name already.")
                % {"other": other.name_en},
            )
        if name_mi and other.name_mi and name_mi.casefold() == other.name_mi.casefold():
            _add(
                errors,
                "name_mi",
                _("The category “%(other)s” has this te reo name already.")
                % {"other": other.name_en},
            )


def _check_parent(
    details: CategoryDetails,
    category: Category | None,
    by_slug: dict[str, Category],
    errors: dict[str, list[str]],
) -> Category | None:
    slug = details.parent.strip()
    if not slug:
        return None
    parent = by_slug.get(slug)
    if parent is None:
        _add(
            errors,
            "parent",
            _("“%(slug)s” is not a category.") % {"slug": slug},
        )
        return None
    if category is None:
        return parent
    by_pk = {other.pk: other for other in by_slug.values()}
    seen: set[int] = set()
    step: Category | None = parent
    while step is not None and step.pk not in seen:
        if step.pk == category.pk:
            _add(
                errors,
                "parent",
                _(
                    "“%(parent)s” is %(name)s itself or sits under it: a category "
                    "cannot be its own parent."
                )
                % {"parent": parent.name_en, "name": category.name_en},
            )
            return None
        seen.add(step.pk)
        step = by_pk.get(step.parent_id) if step.parent_id else None
    return parent


def _check_attribute(
    index: int, attribute: CategoryAttribute, errors: dict[str, list[str]]
) -> dict[str, Any]:
    where = f"attributes.{index}"
    key, label = attribute.key.strip(), attribute.label.strip()
    if not ATTRIBUTE_KEY_PATTERN.match(key):
        _add(
            errors,
            f"{where}.key",
            _(
                "Start the key with a lower-case letter; then up to 31 lower-case "
                "letters, digits or underscores, like “vintage” or “umf_grade”."
            ),
        )
    if not label:
        _add(errors, f"{where}.label", _("Give the attribute a label."))
    elif len(label) > LABEL_MAX:
        _add(
            errors,
            f"{where}.label",
            _("Keep it to %(max)s characters.") % {"max": LABEL_MAX},
        )
    if attribute.type not in ATTRIBUTE_TYPES:
        _add(
            errors,
            f"{where}.type",
            _("Choose text, whole number, number or a choice from a list."),
        )
    choices = [choice.strip() for choice in attribute.choices if choice.strip()]
    if attribute.type == "choice":
        if not choices:
            _add(errors, f"{where}.choices", _("Give the choices, one per line."))
        elif len(choices) > MAX_CHOICES:
            _add(
                errors,
                f"{where}.choices",
                _("Give at most %(max)s choices.") % {"max": MAX_CHOICES},
            )
        elif len(set(choices)) != len(choices):
            _add(errors, f"{where}.choices", _("Give each choice once."))
        elif any(len(choice) > CHOICE_MAX for choice in choices):
            _add(
                errors,
                f"{where}.choices",
                _("Keep each choice to %(max)s characters.") % {"max": CHOICE_MAX},
            )
    elif choices:
        _add(
            errors,
            f"{where}.choices",
            _("Only an attribute chosen from a list has choices."),
        )
    return CategoryAttribute(
        key=key,
        label=label,
        type=attribute.type,
        choices=tuple(choices),
        facet=bool(attribute.facet),
    ).as_spec()


def _check_attributes(
    attributes: tuple[CategoryAttribute, ...], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    if len(attributes) > MAX_ATTRIBUTES:
        _add(
            errors,
            "attributes",
            _("Give at most %(max)s attributes.") % {"max": MAX_ATTRIBUTES},
        )
    specs = []
    seen: dict[str, int] = {}
    for index, attribute in enumerate(attributes):
        spec = _check_attribute(index, attribute, errors)
        first = seen.get(spec["key"])
        if first is not None and spec["key"]:
            _add(
                errors,
                f"attributes.{index}.key",
                _("“%(key)s” is attribute %(first)s already: give each key once.")
                % {"key": spec["key"], "first": first + 1},
            )
        seen.setdefault(spec["key"], index)
        specs.append(spec)
    return specs


def _apply(category: Category, details: CategoryDetails, *, creating: bool) -> Category:
    """Check ``details`` against the other categories and set them on
    ``category``; ValidationFailed naming every field at fault."""
    errors: dict[str, list[str]] = {}
    everyone = {other.slug: other for other in Category.objects.all()}
    others = [other for other in everyone.values() if other.pk != category.pk]
    slug = details.slug.strip() or (
        slugify(details.name_en)[:SLUG_MAX].strip("-") if creating else ""
    )
    _check_names(details, slug, others, errors)
    parent = _check_parent(details, None if creating else category, everyone, errors)
    if not isinstance(details.restricted_r18, bool):
        _add(errors, "restricted_r18", _("Choose yes or no."))
    if (
        isinstance(details.position, bool)
        or not isinstance(details.position, int)
        or not 0 <= details.position <= MAX_POSITION
    ):
        _add(
            errors,
            "position",
            _("Give a whole number from 0 to %(max)s.") % {"max": MAX_POSITION},
        )
    specs = _check_attributes(details.attributes, errors)
    if errors:
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_CATEGORY, _ordered(errors, FIELD_ORDER)
        )
    category.name_en = details.name_en.strip()
    category.name_mi = details.name_mi.strip()
    category.slug = slug
    category.parent = parent
    category.restricted_r18 = details.restricted_r18
    category.position = details.position
    category.attributes = specs
    return category


def _save(category: Category) -> None:
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:  # the slug was taken a moment ago
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_CATEGORY,
            {"slug": [_("Another category has this web address name already.")]},
        ) from None


def _snapshot(category: Category) -> dict[str, Any]:
    data = snapshot(category, SNAPSHOT_FIELDS)
    data["attributes"] = category.attributes
    return data


def _reindex_products(category_id: int) -> None:
    products_changed(
        Product.objects.filter(category_id=category_id).values_list("pk", flat=True)
    )


@transaction.atomic
def category_create(*, actor: Actor, details: CategoryDetails) -> Category:
    """Add a category (platform staff only)."""
    require_platform_staff(actor)
    category = _apply(Category(), details, creating=True)
    _save(category)
    audit_record(
        actor=actor,
        verb="category.created",
        target=category,
        before={},
        after=_snapshot(category),
    )
    transaction.on_commit(catalogue_changed)
    return category


@transaction.atomic
def category_update(
    *, actor: Actor, category: Category, details: CategoryDetails
) -> Category:
    """Change a category to ``details`` (platform staff only). Nothing changes
    when any of it is refused; nothing is recorded when nothing changed."""
    require_platform_staff(actor)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    before = _snapshot(locked)
    _apply(locked, details, creating=False)
    after = _snapshot(locked)
    if before == after:
        return locked
    _save(locked)
    audit_record(
        actor=actor,
        verb="category.updated",
        target=locked,
        before=before,
        after=after,
    )
    renamed = (before["name_en"], before["name_mi"]) != (
        after["name_en"],
        after["name_mi"],
    )
    if renamed:  # the products' search text holds the category's names
        transaction.on_commit(partial(_reindex_products, locked.pk))
    else:
        transaction.on_commit(catalogue_changed)
    return locked


@transaction.atomic
def category_delete(*, actor: Actor, category: Category) -> None:
    """Remove a category no product and no other category belongs to (platform
    staff only); ``CategoryInUse`` (409) otherwise."""
    require_platform_staff(actor)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    products = Product.objects.filter(category=locked).count()
    children = Category.objects.filter(parent=locked).count()
    if products or children:
        raise CategoryInUse(
            CatalogueErrorCode.CATEGORY_IN_USE,
            _(
                "%(name)s still has %(products)s products and %(children)s "
                "categories under it: move them to another category first."
            )
            % {"name": locked.name_en, "products": products, "children": children},
        )
    before = _snapshot(locked)
    audit_record(actor=actor, verb="category.deleted", target=locked, before=before)
    locked.delete()
    transaction.on_commit(catalogue_changed)
