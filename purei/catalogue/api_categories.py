"""Product categories over JSON.

- ``GET /categories`` and ``GET /categories/{slug}``: anyone (categories are
  public): names, parent, R18 mark and key attributes (``facet``: the shop filters
  and counts by it, as ``attr_<key>=<value>``).
- ``POST /categories``, ``PATCH /categories/{slug}`` (only the fields sent change)
  and ``DELETE /categories/{slug}``: Pūrei's platform staff (session login).

401 when anonymous, 403 for anyone but platform staff, 404 for no such category,
409 removing a category products or other categories still belong to, 422 naming
each field at fault (``name_en``, ``parent``, ``attributes.0.key``…).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth
from pydantic import ConfigDict, StrictBool

from purei.catalogue.models import Category
from purei.catalogue.selectors import (
    category_get,
    category_get_for_staff,
    category_list,
)
from purei.catalogue.services import (
    CategoryAttribute,
    CategoryDetails,
    category_create,
    category_delete,
    category_details_of,
    category_update,
)
from purei.catalogue.services.categories import (
    CHOICE_MAX,
    LABEL_MAX,
    MAX_ATTRIBUTES,
    MAX_CHOICES,
    MAX_POSITION,
    NAME_MAX,
    SLUG_MAX,
)
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema

router = Router(tags=["categories"])

AttributeType = Literal["text", "int", "decimal", "choice"]


class CategoryAttributeSchema(InputSchema):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(
        max_length=64,
        description="A lower-case letter, then lower-case letters, digits or _.",
    )
    label: str = Field(max_length=LABEL_MAX)
    type: AttributeType = Field(
        "text", description="text, int (a whole number), decimal or choice."
    )
    choices: list[str] = Field(
        default_factory=list,
        max_length=MAX_CHOICES,
        description=f"A choice's values (each at most {CHOICE_MAX} characters).",
    )
    facet: StrictBool = Field(
        False, description="The shop filters and counts products by it."
    )


class CategoryOut(Schema):
    slug: str
    name_en: str
    name_mi: str
    parent: str | None = Field(description="The parent category's slug.")
    restricted_r18: bool
    position: int
    attributes: list[CategoryAttributeSchema]

    @staticmethod
    def resolve_parent(obj: Category) -> str | None:
        return obj.parent.slug if obj.parent else None

    @staticmethod
    def resolve_attributes(obj: Category) -> list[dict[str, Any]]:
        return [
            {
                "key": attribute.key,
                "label": attribute.label,
                "type": attribute.type,
                "choices": list(attribute.choices),
                "facet": attribute.facet,
            }
            for attribute in (
                CategoryAttribute.from_spec(spec) for spec in obj.attributes or ()
            )
        ]


class CategoryIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    name_en: str = Field(max_length=NAME_MAX)
    name_mi: str = Field("", max_length=NAME_MAX)
    slug: str = Field(
        "", max_length=SLUG_MAX, description="Made from name_en when left out."
    )
    parent: str | None = Field(None, description="The parent category's slug.")
    restricted_r18: StrictBool = False
    position: int = Field(0, ge=0, le=MAX_POSITION)
    attributes: list[CategoryAttributeSchema] = Field(
        default_factory=list, max_length=MAX_ATTRIBUTES
    )


class CategoryPatch(InputSchema):
    """Only the fields sent change (``attributes``, when sent, replaces them all)."""

    model_config = ConfigDict(extra="forbid")

    name_en: str | None = Field(None, max_length=NAME_MAX)
    name_mi: str | None = Field(None, max_length=NAME_MAX)
    slug: str | None = Field(None, max_length=SLUG_MAX)
    parent: str | None = Field(
        None, description="The parent's slug; an empty string for none."
    )
    restricted_r18: StrictBool | None = None
    position: int | None = Field(None, ge=0, le=MAX_POSITION)
    attributes: list[CategoryAttributeSchema] | None = Field(
        None, max_length=MAX_ATTRIBUTES
    )


def _attributes(items: list[CategoryAttributeSchema]) -> tuple[CategoryAttribute, ...]:
    return tuple(
        CategoryAttribute(
            key=item.key,
            label=item.label,
            type=item.type,
            choices=tuple(item.choices),
            facet=item.facet,
        )
        for item in items
    )


@router.get(
    "/categories",
    response=list[CategoryOut],
    url_name="category-list",
    summary="List the product categories",
)
def category_list_api(request: HttpRequest) -> list[Category]:
    return category_list()


@router.get(
    "/categories/{slug}",
    response=CategoryOut,
    url_name="category-detail",
    summary="One product category",
)
def category_get_api(request: HttpRequest, slug: str) -> Category:
    return category_get(slug=slug)


@router.post(
    "/categories",
    response={201: CategoryOut},
    auth=django_auth,
    url_name="category-create",
    summary="Add a product category (platform staff)",
)
def category_create_api(request: HttpRequest, payload: CategoryIn) -> Status[Category]:
    details = CategoryDetails(
        name_en=payload.name_en,
        name_mi=payload.name_mi,
        slug=payload.slug,
        parent=payload.parent or "",
        restricted_r18=payload.restricted_r18,
        position=payload.position,
        attributes=_attributes(payload.attributes),
    )
    return Status(201, category_create(actor=actor_from(request), details=details))


@router.patch(
    "/categories/{slug}",
    response=CategoryOut,
    auth=django_auth,
    url_name="category-update",
    summary="Change a product category (platform staff)",
)
def category_update_api(
    request: HttpRequest, slug: str, payload: CategoryPatch
) -> Category:
    actor = actor_from(request)
    category = category_get_for_staff(actor=actor, slug=slug)
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {
        name: value
        for name, value in sent.items()
        if name != "attributes" and value is not None
    }
    if "parent" in sent:
        changes["parent"] = sent["parent"] or ""
    if payload.attributes is not None:
        changes["attributes"] = _attributes(payload.attributes)
    details = replace(category_details_of(category), **changes)
    return category_update(actor=actor, category=category, details=details)


@router.delete(
    "/categories/{slug}",
    response={204: None},
    auth=django_auth,
    url_name="category-delete",
    summary="Remove a product category no product uses (platform staff)",
)
def category_delete_api(request: HttpRequest, slug: str) -> Status[None]:
    actor = actor_from(request)
    category = category_get_for_staff(actor=actor, slug=slug)
    category_delete(actor=actor, category=category)
    return Status(204, None)
