"""Export a member's products as CSV, in Pūrei's own layout or Shopify's.

Written with the safe CSV writer (``purei.core.csv_safe``): a cell that starts like
a spreadsheet formula gets a leading ``'``, which the importer drops again
(docs/spreadsheets.md "Formulas in cells")."""

from __future__ import annotations

import datetime
import io

from django.db.models import Prefetch

from purei.catalogue.models import Product, Variant
from purei.catalogue.services._common import require_team
from purei.catalogue.trade_selectors import (
    FOREIGN_CURRENCIES,
    breaks_text,
    trade_terms_of,
)
from purei.core.actor import Actor
from purei.core.csv_safe import SafeCsvWriter, csv_writer
from purei.core.money import format_cents
from purei.members.models import Member

from .formats import (
    ATTRIBUTE_PREFIX,
    OPTION_PREFIX,
    PUREI_PRODUCT_COLUMNS,
    PUREI_TRADE_COLUMNS,
    PUREI_VARIANT_COLUMNS,
    SHOPIFY,
    SHOPIFY_COLUMNS,
    text_to_html,
)

SHOPIFY_STATUS_OUT = {"live": "active", "draft": "draft", "archived": "archived"}


def _products(member: Member) -> list[Product]:
    return list(
        Product.objects.filter(member=member)
        .select_related("category", "origin_region")
        .prefetch_related(
            "tags",
            Prefetch(
                "variants",
                queryset=Variant.objects.order_by("position", "pk").prefetch_related(
                    "trade_prices"
                ),
            ),
        )
        .order_by("slug")
    )


def _iso(day: datetime.date | None) -> str:
    return "" if day is None else day.isoformat()


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def products_export(*, actor: Actor, member: Member, fmt: str) -> str:
    """The member's products as CSV text (one row per variant). The member's team,
    or Pūrei itself (``purei export-products``, run by the operator)."""
    if not actor.is_system:
        require_team(actor, member)
    products = _products(member)
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    if fmt == SHOPIFY:
        _shopify(writer, products)
    else:
        _purei(writer, products)
    return out.getvalue()


def _purei(writer: SafeCsvWriter, products: list[Product]) -> None:
    attribute_keys = sorted({k for p in products for k in p.attributes})
    option_names = sorted(
        {k for p in products for v in p.variants.all() for k in v.options}
    )
    writer.writerow(
        [
            *PUREI_PRODUCT_COLUMNS,
            *(ATTRIBUTE_PREFIX + k for k in attribute_keys),
            *PUREI_VARIANT_COLUMNS[:2],
            *(OPTION_PREFIX + n for n in option_names),
            *PUREI_VARIANT_COLUMNS[2:],
            *PUREI_TRADE_COLUMNS,
        ]
    )
    for product in products:
        head = [
            product.slug,
            product.title_en,
            product.title_mi,
            product.description_en,
            product.category.slug,
            ", ".join(tag.name for tag in product.tags.all()),
            product.status,
            product.maker,
            product.origin_region.code if product.origin_region else "",
            _yes(product.restricted_r18),
            _yes(product.carries_cultural_designs),
            _yes(product.alcohol_or_tobacco),
            *(str(product.attributes.get(k, "")) for k in attribute_keys),
        ]
        for variant in product.variants.all():
            writer.writerow(
                [
                    *head,
                    variant.sku,
                    variant.name,
                    *(variant.options.get(n, "") for n in option_names),
                    format_cents(variant.price_cents),
                    variant.stock_policy,
                    variant.stock,
                    "" if variant.lead_time_days is None else variant.lead_time_days,
                    "" if variant.weight_grams is None else variant.weight_grams,
                    variant.cold_chain,
                    _iso(variant.harvested_on),
                    _iso(variant.best_before),
                    _yes(variant.freight_on_quote),
                    *_trade_cells(variant),
                ]
            )


def _trade_cells(variant: Variant) -> list[str]:
    """The trade columns (``PUREI_TRADE_COLUMNS``) of one variant."""
    terms = trade_terms_of(variant, variant.trade_prices.all())
    cells = [
        "" if terms.price_cents is None else format_cents(terms.price_cents),
        str(terms.min_order_quantity),
        str(terms.pack_size),
        breaks_text(terms.breaks),
    ]
    for currency in FOREIGN_CURRENCIES:
        steps = terms.lists.get(currency, ())
        cells += [format_cents(steps[0][1]) if steps else "", breaks_text(steps[1:])]
    return cells


def _shopify(writer: SafeCsvWriter, products: list[Product]) -> None:
    writer.writerow(SHOPIFY_COLUMNS)
    index = {name: i for i, name in enumerate(SHOPIFY_COLUMNS)}
    for product in products:
        for n, variant in enumerate(product.variants.all()):
            row = [""] * len(SHOPIFY_COLUMNS)

            def put(column: str, value: object, row: list[str] = row) -> None:
                row[index[column]] = str(value)

            put("Handle", product.slug)
            if n == 0:
                put("Title", product.title_en)
                put(
                    "Body (HTML)",
                    product.description_html or text_to_html(product.description_en),
                )
                put("SEO Title", product.seo_title)
                put("SEO Description", product.seo_description)
                put("Vendor", product.maker)
                put("Type", product.category.slug)
                put("Tags", ", ".join(tag.name for tag in product.tags.all()))
                put("Published", "true" if product.status == "live" else "false")
                put("Status", SHOPIFY_STATUS_OUT.get(product.status, "draft"))
            options = list(variant.options.items())[:3]
            if not options:
                options = [("Title", "Default Title")]
            for i, (name, value) in enumerate(options, start=1):
                put(f"Option{i} Name", name)
                put(f"Option{i} Value", value)
            put("Variant SKU", variant.sku)
            put("Variant Grams", variant.weight_grams or "")
            tracked = variant.stock_policy == Variant.StockPolicy.TRACKED
            put("Variant Inventory Tracker", "shopify" if tracked else "")
            put("Variant Inventory Qty", variant.stock)
            put("Variant Inventory Policy", "deny" if tracked else "continue")
            put("Variant Price", format_cents(variant.price_cents))
            if variant.compare_at_cents is not None:
                put("Variant Compare At Price", format_cents(variant.compare_at_cents))
            writer.writerow(row)
