"""What an import reports (``ImportResult``, kept as JSON on an ``ImportJob``), and
the mapping of a file's own categories to Pūrei's (``category_map_resolve``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.models import Category
from purei.catalogue.selectors import category_find
from purei.core.errors import ValidationFailed

from .formats import IgnoredColumn, Problem


@dataclass(frozen=True)
class ImageFailure:
    row: int
    column: str
    url: str
    message: str


@dataclass
class ImportResult:
    format: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    products_created: int = 0
    products_updated: int = 0
    variants_created: int = 0
    variants_updated: int = 0
    # Matched, but the file changes nothing of them.
    products_skipped: int = 0
    variants_skipped: int = 0
    rows_failed: int = 0  # rows with a problem (the file was then not imported)
    dry_run: bool = False
    # Each column the import does not read, with how many cells it left.
    ignored_columns: list[IgnoredColumn] = field(default_factory=list)
    # Pictures (Shopify's Image Src, Variant Image) to fetch once imported, as
    # {"product_id", "row", "column", "url", "alt"}; the task empties it, counting
    # those added, those already there (skipped) and each failure.
    images: list[dict[str, Any]] = field(default_factory=list)
    images_wanted: int = 0  # a dry run: how many would be fetched
    images_added: int = 0
    images_skipped: int = 0
    image_failures: list[ImageFailure] = field(default_factory=list)
    # Each category the file names that is not Pūrei's, as first written, with
    # how many rows name it (in the order met); and the mapping the run used.
    unknown_categories: list[tuple[str, int]] = field(default_factory=list)
    category_map: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def products(self) -> int:
        return self.products_created + self.products_updated + self.products_skipped

    @property
    def variants(self) -> int:
        return self.variants_created + self.variants_updated + self.variants_skipped

    @property
    def images_pending(self) -> int:
        return len(self.images)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportResult:
        return cls(
            format=str(data.get("format", "")),
            rows=int(data.get("rows", 0)),
            problems=[
                Problem(int(p["row"]), str(p["column"]), str(p["message"]))
                for p in data.get("problems", [])
            ],
            products_created=int(data.get("products_created", 0)),
            products_updated=int(data.get("products_updated", 0)),
            variants_created=int(data.get("variants_created", 0)),
            variants_updated=int(data.get("variants_updated", 0)),
            products_skipped=int(data.get("products_skipped", 0)),
            variants_skipped=int(data.get("variants_skipped", 0)),
            rows_failed=int(data.get("rows_failed", 0)),
            dry_run=bool(data.get("dry_run", False)),
            ignored_columns=[
                IgnoredColumn(str(c), int(n), str(e))
                for c, n, e in data.get("ignored_columns", [])
            ],
            images=[dict(image) for image in data.get("images", [])],
            images_wanted=int(data.get("images_wanted", 0)),
            images_added=int(data.get("images_added", 0)),
            images_skipped=int(data.get("images_skipped", 0)),
            image_failures=[
                ImageFailure(
                    int(f["row"]), str(f["column"]), str(f["url"]), str(f["message"])
                )
                for f in data.get("image_failures", [])
            ],
            unknown_categories=[
                (str(name), int(rows))
                for name, rows in data.get("unknown_categories", [])
            ],
            category_map={
                str(k): str(v) for k, v in data.get("category_map", {}).items()
            },
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "rows": self.rows,
            "problems": [
                {"row": p.row, "column": p.column, "message": p.message}
                for p in self.problems
            ],
            "products_created": self.products_created,
            "products_updated": self.products_updated,
            "variants_created": self.variants_created,
            "variants_updated": self.variants_updated,
            "products_skipped": self.products_skipped,
            "variants_skipped": self.variants_skipped,
            "rows_failed": self.rows_failed,
            "dry_run": self.dry_run,
            "ignored_columns": [
                [c.column, c.cells, c.example] for c in self.ignored_columns
            ],
            "images": [dict(image) for image in self.images],
            "images_wanted": self.images_wanted,
            "images_added": self.images_added,
            "images_skipped": self.images_skipped,
            "image_failures": [
                {"row": f.row, "column": f.column, "url": f.url, "message": f.message}
                for f in self.image_failures
            ],
            # Pairs, not an object: PostgreSQL's jsonb would reorder the keys.
            "unknown_categories": [
                [name, rows] for name, rows in self.unknown_categories
            ],
            "category_map": dict(self.category_map),
        }


def category_map_resolve(
    category_map: Mapping[str, str], categories: dict[str, Category]
) -> dict[str, Category]:
    """``category_map`` with each category as written folded and each target
    found among ``categories`` (``category_lookup()``); ValidationFailed naming
    every target that is no category."""
    mapped: dict[str, Category] = {}
    messages = []
    for source, target in category_map.items():
        category = category_find(target, categories)
        if category is None:
            messages.append(
                _(
                    "“%(target)s” is not one of Pūrei's categories: use one of "
                    "%(choices)s."
                )
                % {
                    "target": target,
                    "choices": ", ".join(sorted({c.slug for c in categories.values()})),
                }
            )
        else:
            mapped[source.strip().casefold()] = category
    if messages:
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_CATEGORY_MAP, {"category_map": messages}
        )
    return mapped
