"""The two spreadsheet layouts: Pūrei's own columns and Shopify's product CSV.

Both are read into the same shape, :class:`SheetRow` (one row per variant), so the
importer validates and writes them the same way. See docs/spreadsheets.md.

Each cell is read through ``csv_unguard_cell``: the single quote that Pūrei's
exports put before a cell starting like a formula (``'=…``) is dropped again, so
an exported file imports back unchanged.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

import nh3
from django.utils.translation import gettext as _

from purei.core.csv_safe import csv_unguard_cell
from purei.members.story import html_sanitise

PUREI: Final = "purei"
SHOPIFY: Final = "shopify"
FORMATS: Final = (PUREI, SHOPIFY)

# Pūrei's own layout, in order (attribute:<key> and option:<name> columns follow).
PUREI_PRODUCT_COLUMNS: Final = (
    "product_slug",
    "title_en",
    "title_mi",
    "description_en",
    "category",
    "tags",
    "status",
    "maker",
    "origin_region",
    "restricted_r18",
    "carries_cultural_designs",
    "alcohol_or_tobacco",
)
PUREI_VARIANT_COLUMNS: Final = (
    "sku",
    "variant_name",
    "price",
    "stock_policy",
    "stock",
    "lead_time_days",
    "weight_grams",
    "cold_chain",
    "harvested_on",
    "best_before",
    "freight_on_quote",
)
# Trade pricing (docs/trade.md), at the end of the row: prices in dollars excluding
# GST, breaks as ``quantity:price;…``. A column the file leaves out changes nothing.
PUREI_TRADE_COLUMNS: Final = (
    "trade_price",
    "moq",
    "pack_size",
    "trade_breaks",
    "trade_price_aud",
    "trade_breaks_aud",
    "trade_price_usd",
    "trade_breaks_usd",
)
# The trade service's fields → the columns, for naming the column in a report.
TRADE_FIELD_COLUMNS: Final = {
    "trade_price": "trade_price",
    "min_order_quantity": "moq",
    "pack_size": "pack_size",
    "breaks": "trade_breaks",
    "currency_prices": "trade_price_aud",
    "currency_prices.AUD": "trade_price_aud",
    "currency_prices.USD": "trade_price_usd",
}
# Columns added later: a file without them leaves each variant's value as it is.
PUREI_OPTIONAL_VARIANT_COLUMNS: Final = (
    "cold_chain",
    "harvested_on",
    "best_before",
    "freight_on_quote",
)
# Read when the file has them (Pūrei's export leaves them out).
PUREI_OPTIONAL_PRODUCT_COLUMNS: Final = ("seo_title", "seo_description")
PUREI_REQUIRED: Final = ("product_slug", "title_en", "category", "sku", "price")
ATTRIBUTE_PREFIX: Final = "attribute:"
OPTION_PREFIX: Final = "option:"

SHOPIFY_COLUMNS: Final = (
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Product Category",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Price",
    "Variant Compare At Price",
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "Variant Image",
    "SEO Title",
    "SEO Description",
    "Status",
)
# Columns of Shopify's layout that Pūrei reads but does not write (their data lives
# elsewhere in Pūrei, or Shopify works it out).
SHOPIFY_READ_ONLY: Final = ("Product Category",)
SHOPIFY_IMAGE_COLUMNS: Final = ("Image Src", "Variant Image")
SHOPIFY_REQUIRED: Final = ("Handle", "Variant SKU", "Variant Price")
# Our field → Shopify's column, for naming the column in a problem report.
SHOPIFY_FIELD_COLUMNS: Final = {
    "product_slug": "Handle",
    "title_en": "Title",
    "description_en": "Body (HTML)",
    "maker": "Vendor",
    "category": "Type",
    "tags": "Tags",
    "status": "Status",
    "sku": "Variant SKU",
    "weight_grams": "Variant Grams",
    "stock": "Variant Inventory Qty",
    "stock_policy": "Variant Inventory Policy",
    "price": "Variant Price",
    "compare_at": "Variant Compare At Price",
    "variant_name": "Option1 Value",
    "seo_title": "SEO Title",
    "seo_description": "SEO Description",
}
SHOPIFY_STATUS: Final = {"active": "live", "draft": "draft", "archived": "archived"}
SHOPIFY_DEFAULT_OPTION: Final = ("Title", "Default Title")


@dataclass
class SheetRow:
    """One spreadsheet row, read into our field names (still text)."""

    number: int  # as the spreadsheet shows it: the header is row 1
    product: dict[str, str] | None  # None: a further variant of the row above's product
    slug: str
    attributes: dict[str, str] = field(default_factory=dict)
    variant: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # our field → column
    trade: dict[str, str] = field(default_factory=dict)  # only columns in the file
    # Pictures to fetch for the product: (column, address, description).
    images: list[tuple[str, str, str]] = field(default_factory=list)
    # Only pictures (Shopify's extra image rows): no variant on this row.
    images_only: bool = False

    def column(self, name: str) -> str:
        if name.startswith("attributes."):
            key = name.split(".", 1)[1]
            return self.columns.get(name, ATTRIBUTE_PREFIX + key)
        return self.columns.get(name, name)


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


class FileUnreadable(ValueError):
    """The file is not a CSV we can read; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


def decode(data: bytes) -> str:
    """UTF-8 text, with or without Excel's byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileUnreadable(
            [
                Problem(
                    1,
                    "",
                    _("The file is not UTF-8 text: save it as “CSV UTF-8” and retry."),
                )
            ]
        ) from exc


def _records(text: str) -> tuple[list[str], Iterator[list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise FileUnreadable([Problem(1, "", _("The file is empty."))]) from None
    except csv.Error as exc:
        raise FileUnreadable(
            [Problem(1, "", _("The file is not a CSV file."))]
        ) from exc
    return header, reader


def detect(header: list[str]) -> str:
    return SHOPIFY if "Handle" in header else PUREI


def _require(header: list[str], required: tuple[str, ...]) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise FileUnreadable(
            [
                Problem(
                    1,
                    name,
                    _("The file needs a “%(column)s” column.") % {"column": name},
                )
                for name in missing
            ]
        )


def _rows(
    header: list[str], reader: Iterator[list[str]]
) -> Iterator[tuple[int, dict[str, str]]]:
    number = 1
    try:
        for record in reader:
            number += 1
            if not any(cell.strip() for cell in record):
                continue
            values = {
                name: (csv_unguard_cell(record[i]) if i < len(record) else "")
                for i, name in enumerate(header)
            }
            yield number, values
    except csv.Error as exc:
        raise FileUnreadable(
            [
                Problem(
                    number + 1, "", _("This row is not valid CSV (check the quotes).")
                )
            ]
        ) from exc


@dataclass(frozen=True)
class IgnoredColumn:
    """A column of the file that the import does not read: how many rows have
    something in it, and the first such value (shortened), to show what was left."""

    column: str
    cells: int
    example: str


def _known(fmt: str, name: str) -> bool:
    if fmt == SHOPIFY:
        return name in SHOPIFY_COLUMNS or name in SHOPIFY_READ_ONLY
    return (
        name in PUREI_PRODUCT_COLUMNS
        or name in PUREI_OPTIONAL_PRODUCT_COLUMNS
        or name in PUREI_VARIANT_COLUMNS
        or name in PUREI_TRADE_COLUMNS
        or name.startswith((ATTRIBUTE_PREFIX, OPTION_PREFIX))
    )


def read(data: bytes, fmt: str | None = None) -> tuple[str, list[SheetRow]]:
    """Read a file in either layout (``fmt`` None: guessed from the header)."""
    fmt, rows, _ignored = read_sheet(data, fmt)
    return fmt, rows


def read_sheet(
    data: bytes, fmt: str | None = None
) -> tuple[str, list[SheetRow], list[IgnoredColumn]]:
    """``read``, and each column the import leaves unread with what it holds."""
    header, reader = _records(decode(data))
    fmt = fmt or detect(header)
    _require(header, SHOPIFY_REQUIRED if fmt == SHOPIFY else PUREI_REQUIRED)
    make = _shopify_row if fmt == SHOPIFY else _purei_row
    unread = [name for name in dict.fromkeys(header) if name and not _known(fmt, name)]
    cells: dict[str, list[str]] = {name: [] for name in unread}
    rows = []
    for number, values in _rows(header, reader):
        rows.append(make(number, values))
        for name in unread:
            value = values.get(name, "").strip()
            if value:
                cells[name].append(value)
    ignored = [
        IgnoredColumn(name, len(found), _short(found[0]) if found else "")
        for name, found in cells.items()
    ]
    return fmt, rows, ignored


def _short(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _purei_row(number: int, values: dict[str, str]) -> SheetRow:
    slug = values.get("product_slug", "").strip()
    product: dict[str, str] = {
        name: values.get(name, "")
        for name in (*PUREI_PRODUCT_COLUMNS, *PUREI_OPTIONAL_PRODUCT_COLUMNS)
        if name in values
    }
    row = SheetRow(number=number, product=product, slug=slug)
    for name, value in values.items():
        if name.startswith(ATTRIBUTE_PREFIX):
            key = name.removeprefix(ATTRIBUTE_PREFIX).strip()
            row.attributes[key] = value
            row.columns[f"attributes.{key}"] = name
        elif name.startswith(OPTION_PREFIX) and value.strip():
            row.options[name.removeprefix(OPTION_PREFIX).strip()] = value.strip()
    row.variant = {
        name: values.get(name, "")
        for name in PUREI_VARIANT_COLUMNS
        if name in values or name not in PUREI_OPTIONAL_VARIANT_COLUMNS
    }
    row.variant["name"] = row.variant.pop("variant_name")
    row.columns["name"] = "variant_name"
    row.trade = {name: values[name] for name in PUREI_TRADE_COLUMNS if name in values}
    row.columns.update(TRADE_FIELD_COLUMNS)
    return row


def html_to_text(value: str) -> str:
    """Shopify's Body (HTML) as plain text: paragraphs kept, every tag dropped."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", value)
    text = re.sub(r"(?i)</(p|div|li|h[1-6])>", "\n\n", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def text_to_html(value: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
    return "".join(
        "<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs
    )


def _shopify_row(number: int, values: dict[str, str]) -> SheetRow:
    slug = values.get("Handle", "").strip()
    row = SheetRow(number=number, product=None, slug=slug)
    row.columns = dict(SHOPIFY_FIELD_COLUMNS)
    if values.get("Title", "").strip():
        status = values.get("Status", "").strip().lower()
        if not status:
            published = values.get("Published", "").strip().lower()
            status = "active" if published in ("true", "yes", "1") else "draft"
        category = values.get("Type", "").strip()
        if not category:
            category = values.get("Product Category", "").strip()
            row.columns["category"] = "Product Category"
        body = values.get("Body (HTML)", "")
        row.product = {
            "title_en": values.get("Title", ""),
            "description_en": html_to_text(body),
            "description_html": html_sanitise(body) if "<" in body else "",
            "maker": values.get("Vendor", ""),
            "category": category,
            "tags": values.get("Tags", ""),
            "status": SHOPIFY_STATUS.get(status, status),
        }
        for name, column in (
            ("seo_title", "SEO Title"),
            ("seo_description", "SEO Description"),
        ):
            if column in values:
                row.product[name] = values[column]
    alt = values.get("Image Alt Text", "").strip()
    for column in SHOPIFY_IMAGE_COLUMNS:
        address = values.get(column, "").strip()
        if address:
            row.images.append((column, address, alt if column == "Image Src" else ""))
    names: list[str] = []
    for n in (1, 2, 3):
        name = values.get(f"Option{n} Name", "").strip()
        value = values.get(f"Option{n} Value", "").strip()
        if value and (name, value) != SHOPIFY_DEFAULT_OPTION:
            row.options[name or _("Option %(n)s") % {"n": n}] = value
            names.append(value)
    tracker = values.get("Variant Inventory Tracker", "").strip()
    policy = values.get("Variant Inventory Policy", "").strip().lower()
    if policy == "continue" or ("Variant Inventory Tracker" in values and not tracker):
        stock_policy = "unlimited"
    else:
        stock_policy = "tracked"
    grams = values.get("Variant Grams", "").strip()
    # Shopify's extra picture rows: a Handle and an image, nothing of a variant.
    row.images_only = bool(row.images) and not (
        row.product
        or values.get("Variant SKU", "").strip()
        or values.get("Variant Price", "").strip()
        or names
    )
    row.variant = {
        "sku": values.get("Variant SKU", ""),
        "name": " / ".join(names),
        "price": values.get("Variant Price", ""),
        "stock_policy": stock_policy,
        "stock": values.get("Variant Inventory Qty", "").strip() or "0",
        "lead_time_days": "",
        "weight_grams": "" if grams in ("0", "0.0") else grams,
    }
    if "Variant Compare At Price" in values:
        row.variant["compare_at"] = values["Variant Compare At Price"]
    return row
