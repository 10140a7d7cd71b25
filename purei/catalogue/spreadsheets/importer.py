"""Import a member's products from a spreadsheet: every row checked first, then all
of it written in one transaction, or nothing.

The writes are in bulk (a handful of queries per table, whatever the file's size),
not one service call per row: the rules are the services' own (``attributes_clean``,
``tags_parse``, ``parse_price_cents``, the listing states of ``listings._fresh_state``),
applied here to many rows at once. Listings follow the services: a product that is
live after the import is listed in each cluster its member is approved in (pending or
approved by the cluster's rule); one that stops being live has its open listings
withdrawn. One audit row, ``products.imported``, records the counts; the search index
is told about every product touched once the transaction commits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, cast

from django.db import connections, router, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from purei.catalogue.indexing import products_changed
from purei.catalogue.models import (
    SEO_DESCRIPTION_MAX,
    SEO_TITLE_MAX,
    Category,
    Listing,
    Product,
    Tag,
    TradePrice,
    Variant,
)
from purei.catalogue.selectors import category_find, category_lookup
from purei.catalogue.services._common import require_team
from purei.catalogue.services.listings import OPEN, _fresh_state
from purei.catalogue.services.products import (
    MAX_TAGS,
    RESERVED_SLUGS,
    TEXT_FIELDS,
    attributes_clean,
    tags_parse,
)
from purei.catalogue.services.trade import (
    CurrencyPrices,
    PriceBreak,
    TradePricingInput,
    breaks_parse,
    trade_terms_clean,
)
from purei.catalogue.services.variants import (
    MAX_STOCK,
    PRICE_MESSAGES,
    variant_cold_chain_check,
    variant_date,
    variant_flag,
)
from purei.catalogue.trade_selectors import (
    FOREIGN_CURRENCIES,
    TradeTerms,
    trade_terms_of,
)
from purei.clusters.models import Cluster, Region
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.money import PriceInvalid, parse_price_cents
from purei.members.models import Member, Membership

from .formats import Problem, SheetRow, read_sheet
from .result import ImportResult, category_map_resolve

# "12.50", "$12.50", "1,200.00" are prices; "12,50" (a decimal comma) is refused
# rather than read as 1250 dollars.
DECIMAL_COMMA = re.compile(r",\d{1,2}$|,\d{4,}|,\d{1,2}[^\d]")
TRUE = frozenset({"yes", "y", "true", "1"})
FALSE = frozenset({"no", "n", "false", "0", ""})
PRODUCT_FIELDS = (
    "title_en",
    "title_mi",
    "description_en",
    "description_html",
    "seo_title",
    "seo_description",
    "category",
    "attributes",
    "maker",
    "origin_region",
    "restricted_r18",
    "carries_cultural_designs",
    "alcohol_or_tobacco",
    "status",
)
VARIANT_FIELDS = (
    "name",
    "options",
    "price_cents",
    "compare_at_cents",
    "stock_policy",
    "stock",
    "lead_time_days",
    "weight_grams",
    "cold_chain",
    "harvested_on",
    "best_before",
    "freight_on_quote",
    "position",
    "trade_price_cents",
    "min_order_quantity",
    "pack_size",
)


class Progress(Protocol):
    """Told how many rows are checked, and when the writing starts."""

    def __call__(self, done: int, total: int, *, importing: bool = False) -> None: ...


@dataclass
class _Plan:
    product: Product
    creating: bool
    was_live: bool
    tag_slugs: list[tuple[str, str]]
    before: tuple[Any, ...] | None = None  # an existing product's fields, to compare
    tags_before: frozenset[str] = frozenset()  # an existing product's tag slugs
    variants: list[tuple[Variant, tuple[Any, ...] | None]] = field(default_factory=list)
    # Variants whose trade pricing the file changes: (variant, before, after).
    trade: list[tuple[Variant, TradeTerms, TradeTerms]] = field(default_factory=list)
    # Pictures to fetch once imported: (row, column, address, description).
    images: list[tuple[int, str, str, str]] = field(default_factory=list)


def _state(instance: Product | Variant, names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(instance, FOREIGN_KEYS.get(n, n)) for n in names)


class _Checker:
    """Validates every row against the catalogue, collecting each problem."""

    def __init__(
        self,
        member: Member,
        rows: list[SheetRow],
        categories: dict[str, Category],
        mapped: dict[str, Category],
    ) -> None:
        self.member = member
        self.problems: list[Problem] = []
        self.categories = categories
        self.mapped = mapped  # a category as the file writes it, folded → ours
        self.unknown: dict[str, tuple[str, int]] = {}  # folded → (as written, rows)
        self.regions = {r.code.upper(): r for r in Region.objects.all()}
        slugs = {row.slug for row in rows}
        self.products = {
            p.slug: p for p in Product.objects.filter(member=member, slug__in=slugs)
        }
        self.variants = {v.sku: v for v in Variant.objects.filter(member=member)}
        self.trade_rows: dict[int, list[TradePrice]] = {}
        if any(row.trade for row in rows):
            for price in TradePrice.objects.filter(variant__member=member):
                self.trade_rows.setdefault(price.variant_id, []).append(price)
        self.variant_before: dict[str, tuple[Any, ...]] = {}
        self.tags_before: dict[int, set[str]] = {}
        for product_id, tag in Product.tags.through.objects.filter(
            product__member=member, product__slug__in=slugs
        ).values_list("product_id", "tag__slug"):
            self.tags_before.setdefault(product_id, set()).add(tag)
        self.product_slug_by_id: dict[int, str] = dict(
            Product.objects.filter(member=member).values_list("pk", "slug")
        )

    def add(self, row: SheetRow, name: str, message: str) -> None:
        self.problems.append(Problem(row.number, row.column(name), str(message)))

    # --- products -----------------------------------------------------------
    def product(self, row: SheetRow) -> _Plan | None:
        data = row.product or {}
        slug = slugify(row.slug)[:80]
        if not row.slug.strip():
            self.add(row, "product_slug", _("Give the product a web address name."))
            return None
        if slug != row.slug.strip() or slug in RESERVED_SLUGS:
            self.add(
                row,
                "product_slug",
                _("Use lower-case letters, digits and hyphens only, like “%(slug)s”.")
                % {"slug": slug or "manuka-honey"},
            )
            return None
        existing = self.products.get(slug)
        product = existing or Product(member=self.member, slug=slug)
        was_live = existing is not None and existing.status == Product.Status.LIVE
        before = _state(existing, PRODUCT_FIELDS) if existing is not None else None
        for name, limit in TEXT_FIELDS.items():
            if name in data:
                value = data[name].strip()
                if len(value) > limit:
                    self.add(
                        row, name, _("Keep it to %(max)s characters.") % {"max": limit}
                    )
                setattr(product, name, value)
        if not product.title_en:
            self.add(row, "title_en", _("Give the product a title."))
        if "description_en" in data:
            description = data["description_en"].strip()
            if "description_html" in data:
                product.description_html = data["description_html"]
            elif description != product.description_en:
                product.description_html = ""  # no longer the same text
            product.description_en = description
        for name, limit in SEO_LIMITS.items():
            if name in data:
                value = " ".join(data[name].split())
                if len(value) > limit:
                    self.add(
                        row, name, _("Keep it to %(max)s characters.") % {"max": limit}
                    )
                setattr(product, name, value[:limit])
        category_text = data.get("category", "").strip()
        category = self._category(category_text)
        if category is None:
            if category_text:
                folded = category_text.casefold()
                written, count = self.unknown.get(folded, (category_text, 0))
                self.unknown[folded] = (written, count + 1)
                self.add(
                    row,
                    "category",
                    _(
                        "“%(category)s” is not one of Pūrei's categories: map it to "
                        "one, or use one of %(choices)s."
                    )
                    % {
                        "category": category_text,
                        "choices": ", ".join(
                            sorted({c.slug for c in self.categories.values()})
                        ),
                    },
                )
            else:
                self.add(row, "category", _("Choose a category."))
        else:
            product.category = category
            errors: dict[str, list[str]] = {}
            raw = {k: v for k, v in row.attributes.items() if v.strip()}
            product.attributes = attributes_clean(category, raw, errors)
            for name, messages in errors.items():
                for message in messages:
                    self.add(row, name, message)
        if "origin_region" in data:
            code = data["origin_region"].strip().upper()
            region = self.regions.get(code) if code else None
            if code and region is None:
                self.add(
                    row,
                    "origin_region",
                    _("“%(code)s” is not a region code, like NZ-AUK.")
                    % {"code": data["origin_region"].strip()},
                )
            product.origin_region = region
        for name in (
            "restricted_r18",
            "carries_cultural_designs",
            "alcohol_or_tobacco",
        ):
            if name in data:
                value = data[name].strip().lower()
                if value not in TRUE | FALSE:
                    self.add(row, name, _("Write yes or no."))
                setattr(product, name, value in TRUE)
        status = data.get("status", "").strip().lower() or (
            existing.status if existing else Product.Status.DRAFT
        )
        if status not in Product.Status.values:
            self.add(
                row,
                "status",
                _("Write draft, live or archived (not “%(status)s”).")
                % {"status": status},
            )
        else:
            product.status = status
        tags = tags_parse(data.get("tags", ""))
        if len(tags) > MAX_TAGS:
            self.add(row, "tags", _("Use at most %(max)s tags.") % {"max": MAX_TAGS})
        plan = _Plan(product, existing is None, was_live, tags[:MAX_TAGS], before)
        if existing is not None:
            plan.tags_before = frozenset(self.tags_before.get(existing.pk, ()))
        return plan

    def _category(self, text: str) -> Category | None:
        """The category mapped to ``text``, else the one it names."""
        return self.mapped.get(text.casefold()) or category_find(text, self.categories)

    # --- variants -----------------------------------------------------------
    def _whole(
        self, row: SheetRow, name: str, value: str, *, maximum: int = MAX_STOCK
    ) -> int | None:
        text = value.strip()
        if not text:
            return None
        text = re.sub(r"\.0+$", "", text)
        if not re.fullmatch(r"-?\d+", text):
            self.add(row, name, _("Give a whole number."))
            return None
        number = int(text)
        if number < 0:
            self.add(row, name, _("It can't be less than zero."))
            return None
        if number > maximum:
            self.add(row, name, _("At most %(max)s.") % {"max": maximum})
            return None
        return number

    def price(self, row: SheetRow, value: str, column: str = "price") -> int | None:
        text = value.strip()
        if DECIMAL_COMMA.search(text):
            self.add(
                row,
                column,
                _("Write “%(text)s” with a full stop for cents, like 12.50.")
                % {"text": text},
            )
            return None
        try:
            return parse_price_cents(text)
        except PriceInvalid as exc:
            message = PRICE_MESSAGES.get(str(exc), PRICE_MESSAGES["not_a_price"])
            self.add(row, column, str(message))
            return None

    def _cold_chain(
        self, row: SheetRow, variant: Variant, data: dict[str, str]
    ) -> None:
        """The cold chain and dates, when the file has their columns (an older
        file without them leaves the variant's as they are)."""
        errors: dict[str, list[str]] = {}
        if "cold_chain" in data:
            cold = data["cold_chain"].strip().lower() or Variant.ColdChain.NONE
            if cold not in Variant.ColdChain.values:
                self.add(
                    row,
                    "cold_chain",
                    _("Write none, chilled, frozen or perishable."),
                )
            else:
                variant.cold_chain = cold
        for name in ("harvested_on", "best_before"):
            if name in data:
                setattr(variant, name, variant_date(data[name], name, errors))
        variant_cold_chain_check(variant, errors)
        if "freight_on_quote" in data:
            freight = variant_flag(data["freight_on_quote"], "freight_on_quote", errors)
            if freight is not None:
                variant.freight_on_quote = freight
        for name, messages in errors.items():
            for message in messages:
                self.add(row, name, message)

    def variant(self, row: SheetRow, plan: _Plan, position: int) -> Variant | None:
        data = row.variant
        sku = data.get("sku", "").strip()
        if not sku:
            self.add(row, "sku", _("Give the variant a SKU."))
            return None
        if len(sku) > 64:
            self.add(row, "sku", _("Keep it to %(max)s characters.") % {"max": 64})
        existing = self.variants.get(sku)
        if existing is not None:
            owner = self.product_slug_by_id.get(existing.product_id)
            if owner != plan.product.slug:
                self.add(
                    row,
                    "sku",
                    _("SKU “%(sku)s” already belongs to your product “%(product)s”.")
                    % {"sku": sku, "product": owner},
                )
        variant = existing or Variant(member=self.member, sku=sku)
        if existing is not None:
            self.variant_before[sku] = (
                _state(existing, VARIANT_FIELDS),
                existing.product_id,
            )
        name = data.get("name", "").strip()
        if len(name) > 120:
            self.add(row, "name", _("Keep it to %(max)s characters.") % {"max": 120})
        variant.name = name[:120]
        variant.options = dict(row.options)
        price = self.price(row, data.get("price", ""))
        if price is not None:
            variant.price_cents = price
        if "compare_at" in data:
            # The "was" price: blank for none; shown only while above the price.
            text = data["compare_at"].strip()
            variant.compare_at_cents = (
                self.price(row, text, column="compare_at") if text else None
            )
        policy = data.get("stock_policy", "").strip().lower() or "tracked"
        if policy not in Variant.StockPolicy.values:
            self.add(
                row,
                "stock_policy",
                _("Write tracked, made_to_order or unlimited."),
            )
        variant.stock_policy = policy
        variant.stock = self._whole(row, "stock", data.get("stock", "")) or 0
        variant.lead_time_days = self._whole(
            row, "lead_time_days", data.get("lead_time_days", ""), maximum=32767
        )
        variant.weight_grams = self._whole(
            row, "weight_grams", data.get("weight_grams", ""), maximum=2**31 - 1
        )
        self._cold_chain(row, variant, data)
        variant.position = position
        if row.trade:
            self.trade(row, plan, variant, existing)
        return variant

    def _breaks(self, row: SheetRow, column: str, field: str) -> tuple[PriceBreak, ...]:
        found = breaks_parse(row.trade.get(column, ""))
        if found is None:
            self.add(
                row,
                field,
                _("Write each break as quantity:price, e.g. 12:17.50;48:16.00."),
            )
            return ()
        return found

    def trade(
        self, row: SheetRow, plan: _Plan, variant: Variant, existing: Variant | None
    ) -> None:
        """The trade columns the file has, by the trade service's rules: a blank
        cell clears (no trade price, a minimum order and pack of 1, no breaks, no
        list in that currency)."""
        data = row.trade
        given: dict[str, Any] = {}
        if "trade_price" in data:
            given["trade_price"] = data["trade_price"]
        if "moq" in data:
            given["min_order_quantity"] = data["moq"]
        if "pack_size" in data:
            given["pack_size"] = data["pack_size"]
        if "trade_breaks" in data:
            given["breaks"] = self._breaks(row, "trade_breaks", "breaks")
        lists: dict[str, CurrencyPrices | None] = {}
        for currency in FOREIGN_CURRENCIES:
            price, breaks = (
                f"trade_price_{currency.lower()}",
                f"trade_breaks_{currency.lower()}",
            )
            if price in data or breaks in data:
                steps = self._breaks(row, breaks, f"currency_prices.{currency}")
                text = data.get(price, "").strip()
                lists[currency] = CurrencyPrices(text, steps) if text or steps else None
        if lists:
            given["currency_prices"] = lists
        before = (
            trade_terms_of(existing, self.trade_rows.get(existing.pk, []))
            if existing is not None
            else TradeTerms(price_cents=None)
        )
        errors: dict[str, list[str]] = {}
        after = trade_terms_clean(before, TradePricingInput(**given), errors)
        for name, messages in errors.items():
            for message in messages:
                self.add(row, name, message)
        variant.trade_price_cents = after.price_cents
        variant.min_order_quantity = after.min_order_quantity
        variant.pack_size = after.pack_size
        if after.lists != before.lists:
            plan.trade.append((variant, before, after))


PROGRESS_EVERY = 500
SEO_LIMITS = {"seo_title": SEO_TITLE_MAX, "seo_description": SEO_DESCRIPTION_MAX}
FOREIGN_KEYS = {"category": "category_id", "origin_region": "origin_region_id"}


def _check(
    checker: _Checker, rows: list[SheetRow], progress: Progress | None = None
) -> tuple[list[Problem], list[_Plan]]:
    plans: dict[str, _Plan] = {}
    seen_skus: dict[str, int] = {}
    for done, row in enumerate(rows):
        if progress and done and done % PROGRESS_EVERY == 0:
            progress(done, len(rows))
        plan = plans.get(row.slug.strip())
        if plan is None:
            if row.product is None:
                checker.add(
                    row,
                    "title_en",
                    _("Give the product a title (its first row needs one)."),
                )
                continue
            new_plan = checker.product(row)
            if new_plan is None:
                continue
            plan = plans[row.slug.strip()] = new_plan
        plan.images.extend(
            (row.number, column, address, alt) for column, address, alt in row.images
        )
        if row.images_only:
            continue
        variant = checker.variant(row, plan, len(plan.variants))
        if variant is None:
            continue
        first = seen_skus.get(variant.sku)
        if first is not None:
            checker.add(
                row,
                "sku",
                _("SKU “%(sku)s” is also on row %(row)s: each SKU once.")
                % {"sku": variant.sku, "row": first},
            )
            continue
        seen_skus[variant.sku] = row.number
        plan.variants.append((variant, checker.variant_before.get(variant.sku)))
    return checker.problems, list(plans.values())


def _variant_changed(plan: _Plan, variant: Variant, before: Any) -> bool:
    return bool(before != (_state(variant, VARIANT_FIELDS), plan.product.pk))


def _product_changed(plan: _Plan) -> bool:
    """Anything of an existing product the file changes: its fields, tags,
    variants or trade prices."""
    return (
        plan.before != _state(plan.product, PRODUCT_FIELDS)
        or plan.tags_before != frozenset(slug for slug, _name in plan.tag_slugs)
        or bool(plan.trade)
        or any(
            before is None or _variant_changed(plan, variant, before)
            for variant, before in plan.variants
        )
    )


def _count(plans: list[_Plan], result: ImportResult) -> None:
    """Created, updated (changed) and skipped (the same as before) products and
    variants, counted before anything is written."""
    for plan in plans:
        if plan.creating:
            result.products_created += 1
        elif _product_changed(plan):
            result.products_updated += 1
        else:
            result.products_skipped += 1
        for variant, before in plan.variants:
            if before is None:
                result.variants_created += 1
            elif _variant_changed(plan, variant, before):
                result.variants_updated += 1
            else:
                result.variants_skipped += 1


def _write(
    actor: Actor, member: Member, plans: list[_Plan], result: ImportResult
) -> None:
    now = timezone.now()
    new_products = [p.product for p in plans if p.creating]
    # Only rows that change are written back (bulk_update's cost grows fast).
    changed_products = [
        p.product
        for p in plans
        if not p.creating and p.before != _state(p.product, PRODUCT_FIELDS)
    ]
    for product in new_products:
        product.created_at = now
        product.updated_at = now
    for product in changed_products:
        product.updated_at = now
    Product.objects.bulk_create(new_products, batch_size=500)
    _update_many(Product, changed_products, [*PRODUCT_FIELDS, "updated_at"])
    product_ids = [p.product.pk for p in plans]

    # Tags: create the new ones, then set each product's tags in one go.
    wanted = {slug: name for plan in plans for slug, name in plan.tag_slugs}
    if wanted:
        Tag.objects.bulk_create(
            [Tag(slug=slug, name=name) for slug, name in wanted.items()],
            ignore_conflicts=True,
        )
    tag_ids = dict(Tag.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    through = Product.tags.through
    through.objects.filter(product_id__in=product_ids).delete()
    through.objects.bulk_create(
        [
            through(product_id=plan.product.pk, tag_id=tag_ids[slug])
            for plan in plans
            for slug, _name in plan.tag_slugs
        ],
        batch_size=1000,
    )

    new_variants: list[Variant] = []
    old_variants: list[Variant] = []
    for plan in plans:
        for variant, before in plan.variants:
            variant.product = plan.product
            if before is None:
                variant.created_at = now
                variant.updated_at = now
                new_variants.append(variant)
                continue
            if before != (_state(variant, VARIANT_FIELDS), plan.product.pk):
                variant.updated_at = now
                old_variants.append(variant)
    Variant.objects.bulk_create(new_variants, batch_size=1000)
    _update_many(Variant, old_variants, [*VARIANT_FIELDS, "updated_at"])
    # Trade price lists: each changed variant's rows replaced.
    trade = [(variant, after) for plan in plans for variant, _b, after in plan.trade]
    TradePrice.objects.filter(variant_id__in=[v.pk for v, _a in trade]).delete()
    TradePrice.objects.bulk_create(
        [price for variant, after in trade for price in after.rows(variant.pk)],
        batch_size=1000,
    )

    _listings(plans, now)
    audit_record(
        actor=actor,
        verb="products.imported",
        target=member,
        member_id=member.pk,
        after={
            "format": result.format,
            "rows": result.rows,
            "products_created": result.products_created,
            "products_updated": result.products_updated,
            "variants_created": result.variants_created,
            "variants_updated": result.variants_updated,
            "products_skipped": result.products_skipped,
            "variants_skipped": result.variants_skipped,
            "trade_price_lists_set": len(trade),
        },
    )
    result.images = _images(plans)
    transaction.on_commit(partial(_reindex, product_ids))


def _images(plans: list[_Plan]) -> list[dict[str, Any]]:
    """The pictures to fetch, each address once per product, in the file's order."""
    wanted: dict[tuple[int, str], dict[str, Any]] = {}
    for plan in plans:
        for number, column, address, alt in plan.images:
            key = (plan.product.pk, address)
            if key not in wanted:
                wanted[key] = {
                    "product_id": plan.product.pk,
                    "row": number,
                    "column": column,
                    "url": address,
                    "alt": alt,
                }
    return list(wanted.values())


def _update_many(
    model: type[Product] | type[Variant],
    objects: Sequence[Product | Variant],
    names: list[str],
) -> None:
    """One ``UPDATE … WHERE id = ?`` run for many rows (``executemany``): far
    quicker than ``bulk_update``'s ``CASE`` expressions for thousands of rows."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [cast("Field[Any, Any]", meta.get_field(name)) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    table, pk = quote(meta.db_table), quote(str(meta.pk.column))
    sql = f"UPDATE {table} SET {columns} WHERE {pk} = %s"  # noqa: S608 - model names
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _listings(plans: list[_Plan], now: Any) -> None:
    live = [p.product for p in plans if p.product.status == Product.Status.LIVE]
    gone = [
        p.product.pk
        for p in plans
        if p.was_live and p.product.status != Product.Status.LIVE
    ]
    if gone:
        Listing.objects.filter(product_id__in=gone, status__in=OPEN).update(
            status=Listing.Status.WITHDRAWN, updated_at=now
        )
    if not live:
        return
    member_id = live[0].member_id
    clusters = list(
        Cluster.objects.filter(
            memberships__member_id=member_id,
            memberships__status=Membership.Status.APPROVED,
        )
    )
    existing = {
        (listing.product_id, listing.cluster_id): listing
        for listing in Listing.objects.filter(product__in=live)
    }
    create: list[Listing] = []
    refresh: list[Listing] = []
    for product in live:
        for cluster in clusters:
            listing = existing.get((product.pk, cluster.pk))
            if listing is not None and listing.status in OPEN:
                continue
            fresh = listing or Listing(product=product, cluster=cluster)
            _fresh_state(fresh, cluster, product)
            if fresh.status == Listing.Status.APPROVED:
                fresh.decided_at = now
            fresh.updated_at = now
            if listing is None:
                fresh.created_at = now
                create.append(fresh)
            else:
                refresh.append(fresh)
    Listing.objects.bulk_create(create, batch_size=1000)
    Listing.objects.bulk_update(
        refresh,
        [
            "status",
            "cultural_review",
            "decided_by",
            "decided_at",
            "reason",
            "cultural_reviewed_by",
            "cultural_reviewed_at",
            "cultural_note",
            "updated_at",
        ],
        batch_size=1000,
    )


def _reindex(product_ids: list[int]) -> None:
    products_changed(product_ids)


def products_import(
    *,
    actor: Actor,
    member: Member,
    data: bytes,
    fmt: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    category_map: Mapping[str, str] | None = None,
) -> ImportResult:
    """Check every row of ``data`` (a CSV file), then import all of it or nothing.

    The member's team, or Pūrei itself (``Actor.system()``: the
    ``purei import-products`` command, run by the operator). ``progress(done,
    total)`` is called as rows are checked.
    ``category_map`` maps a category as the file writes it (any case) to one of
    Pūrei's (its slug or name), e.g. ``{"Kumara": "fresh-produce"}``; a map to no
    category is refused with ``ValidationFailed`` (field ``category_map``) before
    any row is read. The result names each category the file uses that is not
    Pūrei's and not mapped (``unknown_categories``).
    """
    if not actor.is_system:
        require_team(actor, member)
    categories = category_lookup()
    mapped = category_map_resolve(category_map or {}, categories)
    from .formats import FileUnreadable

    try:
        fmt, rows, ignored = read_sheet(data, fmt)
    except FileUnreadable as exc:
        return ImportResult(format=fmt or "", problems=exc.problems)
    result = ImportResult(
        format=fmt,
        rows=len(rows),
        ignored_columns=ignored,
        dry_run=dry_run,
        category_map={
            source: mapped[source.strip().casefold()].slug
            for source in category_map or {}
        },
    )
    if not rows:
        result.problems.append(Problem(2, "", _("The file has no products in it.")))
        return result
    if progress:
        progress(0, len(rows))
    checker = _Checker(member, rows, categories, mapped)
    problems, plans = _check(checker, rows, progress)
    if problems:
        result.problems = sorted(problems, key=lambda p: p.row)
        result.rows_failed = len({p.row for p in problems})
        result.unknown_categories = list(checker.unknown.values())
        return result
    if progress and not dry_run:
        progress(len(rows), len(rows), importing=True)
    _count(plans, result)
    if dry_run:
        result.images_wanted = len(_images(plans))
        return result
    with transaction.atomic():
        _write(actor, member, plans, result)
    return result
