"""A member's products over JSON, for its team (session authentication for now):
list, create, change (status included); add, change and remove a product's variants
(by SKU); set stock by SKU in bulk; read and set each variant's trade pricing
(``trade`` on every variant; never in the public API).

401 when anonymous, 404 outside scope, 403 for platform staff (who may read but not
change), 422 naming each field at fault (``attributes.vintage``, ``stock.<sku>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth
from pydantic import ConfigDict, StrictBool

from purei.catalogue.models import Listing, Product, Variant
from purei.catalogue.selectors import product_get_for_team, product_list_for_member
from purei.catalogue.services import (
    CurrencyPrices,
    PriceBreak,
    ProductInput,
    TradePricingInput,
    VariantInput,
    product_create,
    product_update,
    stock_bulk_update,
    variant_create,
    variant_delete,
    variant_trade_pricing_set,
    variant_update,
)
from purei.catalogue.trade_selectors import (
    FOREIGN_CURRENCIES,
    Steps,
    TradeTerms,
    trade_terms_for,
)
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema, WholeNumber
from purei.core.money import format_cents
from purei.members.selectors import member_get_for_team

router = Router(tags=["catalogue"])

# An id the database can hold (a 64-bit column): a larger one is a 422, not a 500.
Id = Annotated[WholeNumber, Field(ge=1, le=2**63 - 1)]


class TradeStepOut(Schema):
    min_quantity: int = Field(description="From this many units on…")
    price: str = Field(description="…each unit costs this, excluding GST.")
    price_cents: int


class CurrencyPricesOut(Schema):
    price: str = Field(description="Per unit, excluding GST, in the currency.")
    price_cents: int
    breaks: list[TradeStepOut]


class TradeOut(Schema):
    price: str | None = Field(
        description="NZD, excluding GST; null: not offered to trade buyers."
    )
    price_cents: int | None
    min_order_quantity: int
    pack_size: int = Field(description="Trade orders are multiples of it.")
    breaks: list[TradeStepOut] = Field(description="NZD quantity breaks.")
    currency_prices: dict[str, CurrencyPricesOut] = Field(
        description="Price lists in AUD or USD, when set."
    )


class VariantOut(Schema):
    sku: str
    name: str
    options: dict[str, str]
    price: str = Field(description="NZD, GST-inclusive, e.g. “24.50”.")
    price_cents: int
    was_price: str | None = Field(
        description="The price before a reduction (NZD, GST-inclusive), or null; "
        "shoppers see it struck through only while it is above the price."
    )
    was_price_cents: int | None
    stock_policy: str = Field(description="tracked, made_to_order or unlimited.")
    stock: int
    lead_time_days: int | None
    in_stock: bool
    trade: TradeOut
    cold_chain: str = Field(description="none, chilled, frozen or perishable.")
    harvested_on: dt.date | None
    best_before: dt.date | None
    freight_on_quote: bool = Field(
        description="Delivery is quoted per order (docs/orders.md “Freight on quote”)."
    )


class ListingOut(Schema):
    cluster: str = Field(description="The cluster's slug.")
    status: str = Field(description="pending, approved, declined or withdrawn.")
    cultural_review: str
    reason: str = Field(description="Why the curators declined, if they did.")
    cultural_note: str
    is_public: bool


class ProductOut(Schema):
    slug: str
    title_en: str
    title_mi: str
    description_en: str
    description_mi: str
    category: str = Field(description="The category's slug.")
    tags: list[str]
    attributes: dict[str, Any]
    maker: str
    iwi_affiliation: str
    origin_region: str | None = Field(description="ISO 3166-2:NZ code.")
    piece_story: str
    credentials: list[int] = Field(description="Ids of the member's credentials.")
    restricted_r18: bool = Field(description="R18: by the product or its category.")
    alcohol_or_tobacco: bool = Field(
        description="Alcohol or tobacco: never charged Australian GST at checkout."
    )
    carries_cultural_designs: bool
    status: str = Field(description="draft, live or archived.")
    variants: list[VariantOut]
    listings: list[ListingOut]


class ProductPatchIn(InputSchema):
    """On PATCH only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    title_en: str | None = Field(None, max_length=160)
    title_mi: str | None = Field(None, max_length=160)
    slug: str | None = Field(None, max_length=80)
    description_en: str | None = None
    description_mi: str | None = None
    category: str | None = Field(None, description="A category slug, e.g. “honey”.")
    tags: str | list[str] | None = Field(None, description="A comma list or a list.")
    attributes: dict[str, Any] | None = Field(
        None, description="Checked against the category's schema."
    )
    maker: str | None = Field(None, max_length=160)
    iwi_affiliation: str | None = Field(None, max_length=160)
    origin_region: str | None = Field(None, description="e.g. NZ-NTL.")
    piece_story: str | None = None
    credentials: list[Id] | None = Field(
        None, description="Ids of the member's credentials."
    )
    restricted_r18: StrictBool | None = None
    alcohol_or_tobacco: StrictBool | None = Field(
        None, description="Alcohol or tobacco: never charged Australian GST."
    )
    carries_cultural_designs: StrictBool | None = None
    status: str | None = Field(None, description="draft, live or archived.")


class ProductIn(ProductPatchIn):
    title_en: str = Field(max_length=160)
    category: str = Field(description="A category slug, e.g. “honey”.")


def _steps(steps: Steps) -> list[TradeStepOut]:
    return [
        TradeStepOut(min_quantity=q, price=format_cents(c), price_cents=c)
        for q, c in steps
    ]


def _trade(terms: TradeTerms) -> TradeOut:
    cents = terms.price_cents
    return TradeOut(
        price=None if cents is None else format_cents(cents),
        price_cents=cents,
        min_order_quantity=terms.min_order_quantity,
        pack_size=terms.pack_size,
        breaks=_steps(terms.breaks),
        currency_prices={
            currency: CurrencyPricesOut(
                price=format_cents(steps[0][1]),
                price_cents=steps[0][1],
                breaks=_steps(steps[1:]),
            )
            for currency, steps in terms.lists.items()
            if currency in FOREIGN_CURRENCIES and steps
        },
    )


def _variant(variant: Variant, trade: Mapping[int, TradeTerms]) -> VariantOut:
    return VariantOut(
        sku=variant.sku,
        name=variant.name,
        options={str(k): str(v) for k, v in (variant.options or {}).items()},
        price=format_cents(variant.price_cents),
        price_cents=variant.price_cents,
        was_price=None
        if variant.compare_at_cents is None
        else format_cents(variant.compare_at_cents),
        was_price_cents=variant.compare_at_cents,
        stock_policy=variant.stock_policy,
        stock=variant.stock,
        lead_time_days=variant.lead_time_days,
        in_stock=variant.in_stock,
        trade=_trade(trade.get(variant.pk) or TradeTerms(price_cents=None)),
        cold_chain=variant.cold_chain,
        harvested_on=variant.harvested_on,
        best_before=variant.best_before,
        freight_on_quote=variant.freight_on_quote,
    )


def _listing(listing: Listing) -> ListingOut:
    return ListingOut(
        cluster=listing.cluster.slug,
        status=listing.status,
        cultural_review=listing.cultural_review,
        reason=listing.reason,
        cultural_note=listing.cultural_note,
        is_public=listing.is_public,
    )


def product_out(product: Product, trade: Mapping[int, TradeTerms]) -> ProductOut:
    """``trade``: the variants' trade terms by id (``trade_terms_for``)."""
    region = product.origin_region
    return ProductOut(
        slug=product.slug,
        title_en=product.title_en,
        title_mi=product.title_mi,
        description_en=product.description_en,
        description_mi=product.description_mi,
        category=product.category.slug,
        tags=[tag.name for tag in product.tags.all()],
        attributes=dict(product.attributes or {}),
        maker=product.maker,
        iwi_affiliation=product.iwi_affiliation,
        origin_region=region.code if region is not None else None,
        piece_story=product.piece_story,
        credentials=[c.pk for c in product.credentials.all()],
        restricted_r18=product.is_restricted,
        alcohol_or_tobacco=product.alcohol_or_tobacco,
        carries_cultural_designs=product.carries_cultural_designs,
        status=product.status,
        variants=[_variant(v, trade) for v in product.variants.all()],
        listings=[_listing(listing) for listing in product.listings.all()],
    )


def _reload(request: HttpRequest, product: Product) -> ProductOut:
    actor = actor_from(request)
    fresh = product_get_for_team(actor=actor, member=product.member, slug=product.slug)
    variants = list(fresh.variants.all())
    trade = trade_terms_for(actor=actor, member=fresh.member, variants=variants)
    return product_out(fresh, trade)


@router.get(
    "/members/{slug}/products",
    response=list[ProductOut],
    auth=django_auth,
    summary="Your business's products",
)
def product_list_api(request: HttpRequest, slug: str) -> list[ProductOut]:
    """Every product, with variants and listings (team and platform staff)."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    products = product_list_for_member(actor=actor, member=member)
    variants = [v for p in products for v in p.variants.all()]
    trade = trade_terms_for(actor=actor, member=member, variants=variants)
    return [product_out(p, trade) for p in products]


@router.post(
    "/members/{slug}/products",
    response={201: ProductOut},
    auth=django_auth,
    summary="Add a product",
)
def product_create_api(
    request: HttpRequest, slug: str, payload: ProductIn
) -> Status[ProductOut]:
    """Add a draft product (then add variants and set ``status`` to ``live``)."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    details = ProductInput(**payload.model_dump(exclude_unset=True))
    product = product_create(actor=actor, member=member, details=details)
    return Status(201, _reload(request, product))


@router.patch(
    "/members/{slug}/products/{product}",
    response=ProductOut,
    auth=django_auth,
    summary="Change a product",
)
def product_update_api(
    request: HttpRequest, slug: str, product: str, payload: ProductPatchIn
) -> ProductOut:
    """Change the fields sent; ``status`` moves it (draft → live → archived)."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    found = product_get_for_team(actor=actor, member=member, slug=product)
    details = ProductInput(**payload.model_dump(exclude_unset=True))
    updated = product_update(actor=actor, product=found, details=details)
    return _reload(request, updated)


class StockIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    stock: dict[str, WholeNumber] = Field(
        description="SKU → new count. Any bad row: nothing changes (422)."
    )


class StockOut(Schema):
    updated: dict[str, int]


@router.post(
    "/members/{slug}/stock",
    response=StockOut,
    auth=django_auth,
    summary="Set stock by SKU",
)
def stock_bulk_api(request: HttpRequest, slug: str, payload: StockIn) -> StockOut:
    """Set the stock of many tracked variants in one transaction."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    variants = stock_bulk_update(actor=actor, member=member, changes=payload.stock)
    return StockOut(updated={v.sku: v.stock for v in variants})


class VariantPatchIn(InputSchema):
    """On PATCH only the fields sent change. Give the price as ``price`` (text,
    e.g. “24.50”) or ``price_cents``; both are NZD, GST-inclusive."""

    model_config = ConfigDict(extra="forbid")

    sku: str | None = Field(None, max_length=64)
    name: str | None = Field(None, max_length=120)
    options: dict[str, str] | None = Field(None, description='e.g. {"size": "750 ml"}')
    price: str | None = Field(None, max_length=20, description="e.g. “24.50”.")
    price_cents: WholeNumber | None = Field(None, ge=0)
    was_price: str | None = Field(
        None, max_length=20, description="e.g. “30.00”; null or empty: none."
    )
    was_price_cents: WholeNumber | None = Field(
        None, ge=0, le=100_000_000, description="The was price in cents; null: none."
    )
    stock_policy: str | None = Field(
        None, description="tracked, made_to_order or unlimited."
    )
    stock: WholeNumber | None = None
    lead_time_days: WholeNumber | None = None
    weight_grams: WholeNumber | None = None
    length_mm: WholeNumber | None = None
    width_mm: WholeNumber | None = None
    height_mm: WholeNumber | None = None
    cold_chain: str | None = Field(
        None, description="none, chilled, frozen or perishable."
    )
    harvested_on: dt.date | None = Field(None, description="e.g. “2026-03-02”.")
    best_before: dt.date | None = Field(
        None, description="e.g. “2026-03-09”; not before harvested_on."
    )
    freight_on_quote: StrictBool | None = Field(
        None,
        description="Delivery quoted per order: checkout asks for a freight quote.",
    )


class VariantIn(VariantPatchIn):
    sku: str = Field(max_length=64)


def _variant_data(payload: VariantPatchIn) -> VariantInput:
    data = payload.model_dump(exclude_unset=True)
    cents = data.pop("price_cents", None)
    if cents is not None and "price" not in data:
        data["price"] = format_cents(cents)
    if "was_price_cents" in data:
        was = data.pop("was_price_cents")
        if "was_price" not in data:
            data["was_price"] = None if was is None else format_cents(was)
    return VariantInput(**data)


def _variant_with_trade(request: HttpRequest, variant: Variant) -> VariantOut:
    actor = actor_from(request)
    member = variant.product.member
    trade = trade_terms_for(actor=actor, member=member, variants=[variant])
    return _variant(variant, trade)


def _variant_of(product: Product, sku: str) -> Variant:
    for variant in product.variants.all():
        if variant.sku == sku:
            return variant
    raise Http404(_("No such variant."))


@router.post(
    "/members/{slug}/products/{product}/variants",
    response={201: VariantOut},
    auth=django_auth,
    summary="Add a variant to a product",
)
def variant_create_api(
    request: HttpRequest, slug: str, product: str, payload: VariantIn
) -> Status[VariantOut]:
    """Add a buyable form of the product: SKU (unique among your products), options,
    price, stock policy and count, lead time, weight and dimensions."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    found = product_get_for_team(actor=actor, member=member, slug=product)
    variant = variant_create(actor=actor, product=found, details=_variant_data(payload))
    return Status(201, _variant_with_trade(request, variant))


@router.patch(
    "/members/{slug}/products/{product}/variants/{path:sku}",
    response=VariantOut,
    auth=django_auth,
    summary="Change a variant",
)
def variant_update_api(
    request: HttpRequest, slug: str, product: str, sku: str, payload: VariantPatchIn
) -> VariantOut:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    found = product_get_for_team(actor=actor, member=member, slug=product)
    variant = variant_update(
        actor=actor, variant=_variant_of(found, sku), details=_variant_data(payload)
    )
    return _variant_with_trade(request, variant)


@router.delete(
    "/members/{slug}/products/{product}/variants/{path:sku}",
    response={204: None},
    auth=django_auth,
    summary="Remove a variant",
)
def variant_delete_api(
    request: HttpRequest, slug: str, product: str, sku: str
) -> Status[None]:
    """A live product keeps at least one variant (422 otherwise)."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    found = product_get_for_team(actor=actor, member=member, slug=product)
    variant_delete(actor=actor, variant=_variant_of(found, sku))
    return Status(204, None)


class TradeStepIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    min_quantity: WholeNumber = Field(ge=2, le=1_000_000)
    price: str | None = Field(None, max_length=20, description="e.g. “17.50”.")
    price_cents: WholeNumber | None = Field(None, ge=1)


class CurrencyPricesIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    price: str | None = Field(None, max_length=20)
    price_cents: WholeNumber | None = Field(None, ge=1)
    breaks: list[TradeStepIn] = Field(default_factory=list, max_length=20)


class TradePatchIn(InputSchema):
    """Only the fields sent change; each one sent replaces what the variant had.
    Prices exclude GST, as text (``price``, e.g. “18.50”) or cents
    (``price_cents``). ``trade_price: null`` stops offering it to trade (send
    ``breaks: []`` and ``currency_prices: {"AUD": null, "USD": null}`` with it
    when it has them)."""

    model_config = ConfigDict(extra="forbid")

    trade_price: str | None = Field(None, max_length=20)
    trade_price_cents: WholeNumber | None = Field(None, ge=1)
    min_order_quantity: WholeNumber | None = Field(None, ge=1, le=1_000_000)
    pack_size: WholeNumber | None = Field(None, ge=1, le=1_000_000)
    breaks: list[TradeStepIn] | None = Field(
        None, max_length=20, description="NZD quantity breaks."
    )
    currency_prices: dict[str, CurrencyPricesIn | None] | None = Field(
        None, description='By currency ("AUD", "USD"); null removes that list.'
    )


def _price_text(price: str | None, cents: int | None) -> str | None:
    if cents is not None and not price:
        return format_cents(cents)
    return price


def _breaks_in(steps: list[TradeStepIn]) -> tuple[PriceBreak, ...]:
    return tuple(
        PriceBreak(step.min_quantity, _price_text(step.price, step.price_cents))
        for step in steps
    )


def _trade_data(payload: TradePatchIn) -> TradePricingInput:
    sent = payload.model_fields_set
    data: dict[str, Any] = {}
    if "trade_price" in sent or "trade_price_cents" in sent:
        data["trade_price"] = _price_text(
            payload.trade_price, payload.trade_price_cents
        )
    for name in ("min_order_quantity", "pack_size"):
        if name in sent:
            data[name] = getattr(payload, name)
    if "breaks" in sent:
        data["breaks"] = _breaks_in(payload.breaks or [])
    if "currency_prices" in sent:
        data["currency_prices"] = {
            currency: None
            if given is None
            else CurrencyPrices(
                _price_text(given.price, given.price_cents), _breaks_in(given.breaks)
            )
            for currency, given in (payload.currency_prices or {}).items()
        }
    return TradePricingInput(**data)


@router.patch(
    "/members/{slug}/products/{product}/trade/{path:sku}",
    response=VariantOut,
    auth=django_auth,
    summary="Set a variant's trade pricing",
)
def variant_trade_update_api(
    request: HttpRequest, slug: str, product: str, sku: str, payload: TradePatchIn
) -> VariantOut:
    """Trade price (NZD, excluding GST), minimum order, pack size, quantity breaks
    and AUD/USD price lists. 422 names each field at fault (``breaks``,
    ``currency_prices.AUD``…)."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    found = product_get_for_team(actor=actor, member=member, slug=product)
    variant = variant_trade_pricing_set(
        actor=actor, variant=_variant_of(found, sku), details=_trade_data(payload)
    )
    return _variant_with_trade(request, variant)
