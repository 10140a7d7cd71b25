"""A cluster's product feeds: Google Merchant Center (RSS 2.0 with the ``g:``
namespace) and the Meta catalogue (CSV), one item per variant of each product
public in the cluster (docs/marketing.md "Product feeds").

- **Public only**, by the catalogue's own rule (``public_now``: the product is
  live, its listing approved past any cultural review, its member approved in
  the live cluster).
- **Bounded**: one query for the makers, three for their shipping rates
  (``purei.orders.shipping``), then three for each ``FEED_CHUNK`` products: the
  products with their maker's and category's names, their variants, their photos.
  Rows are read as plain values, not model instances, and the response streams
  as it is read.
- **Money is never a float**: cents become ``"12.50 NZD"`` with integer
  arithmetic (``purei.core.money.format_cents``).
- **Availability**: counted stock > 0, or stock not counted, is ``in_stock``;
  counted stock at 0 ``out_of_stock``. Made to order is ``in_stock`` for Google
  with its lead time as the handling time (Google's ``preorder`` is for goods not
  yet released, and needs a date), and ``available for order`` for Meta.
  ``preorder`` is kept for the sales windows of issue 14 (a product waiting
  for its window to open).
- **Identifiers**: variants carry no GTIN (barcode) yet, so none is sent and
  ``identifier_exists`` is ``no`` (Google's value for handmade and custom goods);
  the brand is the member business.
- **Shipping** to New Zealand is sent when the member's (else the cluster's)
  rates price the variant: the dearer of the North and South Island charges for
  one unit of its weight (the chilled rate for chilled or frozen goods). Freight
  on quote, or no rates: no ``g:shipping`` (set it in Merchant Center).
- **Photos**: Google refuses an item without ``image_link``; a product with no
  photo is left out of both feeds (``FeedSummary.without_photo`` counts them).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage

from purei.catalogue.models import ProductImage, Variant
from purei.catalogue.selectors import public_listings, public_now
from purei.clusters.models import Cluster
from purei.core.csv_safe import csv_writer
from purei.core.money import format_cents
from purei.core.renditions import rendition_up_to, rendition_url
from purei.orders.models import Zone
from purei.orders.shipping import (
    ResolvedPolicy,
    chilled_shipping_cents,
    policies_for,
    shipping_cents,
)

from .addresses import ClusterSite, product_rest

GOOGLE_NS = "http://base.google.com/ns/1.0"
FEED_CHUNK = 500
CURRENCY = "NZD"
TITLE_MAX = 150
DESCRIPTION_MAX = 5000
ADDITIONAL_IMAGES_MAX = 10
# Variant options sent as Google's and Meta's variant attributes.
OPTION_ATTRIBUTES = {
    "size": "size",
    "colour": "color",
    "color": "color",
    "material": "material",
    "pattern": "pattern",
}
SHIPPING_ZONES = (Zone.NORTH_ISLAND, Zone.SOUTH_ISLAND)
# Characters XML 1.0 does not allow (a product text pasted from elsewhere may
# hold them): dropped from every text a feed carries.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t]+")


class Availability(StrEnum):
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"
    PREORDER = "preorder"


# Meta's words for the same states (made to order is its own, see below).
META_AVAILABILITY = {
    Availability.IN_STOCK: "in stock",
    Availability.OUT_OF_STOCK: "out of stock",
    Availability.PREORDER: "preorder",
}
META_MADE_TO_ORDER = "available for order"


def price_text(cents: int) -> str:
    """``1250`` → ``"12.50 NZD"`` (integers only, never a float)."""
    return f"{format_cents(cents)} {CURRENCY}"


def clean(text: str, limit: int | None = None) -> str:
    """``text`` without the characters XML cannot carry, trimmed, at most
    ``limit`` characters (cut at a word, with an ellipsis)."""
    text = _SPACES.sub(" ", _NOT_XML.sub("", text)).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
    return text


@dataclass(frozen=True)
class FeedItem:
    """One variant as a feed item."""

    id: str
    title: str
    description: str
    link: str
    image_link: str
    availability: Availability
    price_cents: int
    brand: str
    item_group_id: str = ""  # the product, when it has more than one variant
    additional_image_links: tuple[str, ...] = ()
    condition: str = "new"
    gtin: str = ""  # none known yet (no barcode field on a variant)
    product_type: str = ""  # the category, "Food > Honey"
    attributes: tuple[tuple[str, str], ...] = ()  # ("size", "500 g"), …
    shipping_cents: int | None = None  # to New Zealand, for one unit
    weight_grams: int | None = None
    made_to_order: bool = False
    handling_days: int | None = None  # made to order: its lead time

    @property
    def price(self) -> str:
        return price_text(self.price_cents)

    @property
    def meta_availability(self) -> str:
        if self.made_to_order and self.availability == Availability.IN_STOCK:
            return META_MADE_TO_ORDER
        return META_AVAILABILITY[self.availability]


@dataclass
class FeedSummary:
    """What a feed left out, counted while it is written."""

    items: int = 0
    without_photo: int = 0


@dataclass(frozen=True)
class _Product:
    """What a feed needs of a product, read as plain values (no model rows)."""

    pk: int
    slug: str
    title: str
    description: str
    story: str
    member_id: int
    member_slug: str
    member_name: str
    category: str
    parent_category: str | None

    @property
    def category_path(self) -> str:
        names = [self.parent_category, self.category]
        return " > ".join(name for name in names if name)


@dataclass(frozen=True)
class _Variant:
    pk: int
    name: str
    options: object
    price_cents: int
    stock_policy: str
    stock: int
    lead_time_days: int | None
    weight_grams: int | None
    cold_chain: str
    freight_on_quote: bool

    @property
    def in_stock(self) -> bool:
        # As ``Variant.in_stock``.
        return self.stock_policy != Variant.StockPolicy.TRACKED or self.stock > 0

    @property
    def needs_cold(self) -> bool:
        # As ``Variant.needs_cold``.
        return self.cold_chain in (Variant.ColdChain.CHILLED, Variant.ColdChain.FROZEN)

    @property
    def made_to_order(self) -> bool:
        return self.stock_policy == Variant.StockPolicy.MADE_TO_ORDER


_PRODUCT_FIELDS = (
    "pk",
    "slug",
    "title_en",
    "description_en",
    "piece_story",
    "member_id",
    "member__slug",
    "member__trading_name",
    "member__legal_name",
    "category__name_en",
    "category__parent__name_en",
)
_VARIANT_FIELDS = (
    "product_id",
    "pk",
    "name",
    "options",
    "price_cents",
    "stock_policy",
    "stock",
    "lead_time_days",
    "weight_grams",
    "cold_chain",
    "freight_on_quote",
)


def availability_of(variant: _Variant) -> Availability:
    return Availability.IN_STOCK if variant.in_stock else Availability.OUT_OF_STOCK


def _absolute(origin: str, url: str) -> str:
    return url if url.startswith(("https://", "http://")) else f"{origin}{url}"


def _image_url(name: str, renditions: object) -> str:
    """A photo's share-sized JPEG, else the original (as
    ``ProductImage.share_url``, from the stored values)."""
    rendition = rendition_up_to(
        list(renditions) if isinstance(renditions, list) else []
    )
    return rendition_url(rendition["jpeg"]) if rendition else default_storage.url(name)


def _attributes(variant: _Variant) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    options = variant.options if isinstance(variant.options, dict) else {}
    for key, value in options.items():
        name = OPTION_ATTRIBUTES.get(str(key).strip().casefold())
        if name and name not in found and str(value).strip():
            found[name] = clean(str(value), 100)
    return tuple(found.items())


def shipping_for(
    policy: ResolvedPolicy | None,
    *,
    weight_grams: int | None,
    price_cents: int,
    cold: bool = False,
    freight_on_quote: bool = False,
) -> int | None:
    """What one unit of a variant costs to send within New Zealand by the
    member's rates: the dearer island, so a feed never shows less than checkout
    charges; None when it is quoted or the member's rates do not price it."""
    if policy is None or freight_on_quote:
        return None
    if cold:
        prices = [
            chilled_shipping_cents(policy, zone=zone, rural=False)
            for zone in SHIPPING_ZONES
        ]
    else:
        prices = [
            shipping_cents(
                policy,
                zone=zone,
                rural=False,
                weight_grams=weight_grams or 0,
                goods_cents=price_cents,
            )
            for zone in SHIPPING_ZONES
        ]
    known = [price for price in prices if price is not None]
    return max(known) if known else None


def _description(product: _Product) -> str:
    text = product.description or product.story
    if not text.strip():
        text = f"{product.title}, made by {product.member_name}."
    return clean(text, DESCRIPTION_MAX)


def _items_of(
    product: _Product,
    variants: list[_Variant],
    image_urls: list[str],
    site: ClusterSite,
    policy: ResolvedPolicy | None,
) -> list[FeedItem]:
    many = len(variants) > 1
    link = site.url(product_rest(product.member_slug, product.slug))
    title = clean(product.title)
    description = _description(product)
    brand = clean(product.member_name, 70)
    product_type = clean(product.category_path, 750)
    items = []
    for variant in variants:
        name = clean(variant.name)
        items.append(
            FeedItem(
                id=str(variant.pk),
                title=clean(f"{title} — {name}" if many and name else title, TITLE_MAX),
                description=description,
                link=link,
                image_link=image_urls[0],
                additional_image_links=tuple(image_urls[1 : ADDITIONAL_IMAGES_MAX + 1]),
                availability=availability_of(variant),
                price_cents=variant.price_cents,
                brand=brand,
                item_group_id=str(product.pk) if many else "",
                product_type=product_type,
                attributes=_attributes(variant),
                shipping_cents=shipping_for(
                    policy,
                    weight_grams=variant.weight_grams,
                    price_cents=variant.price_cents,
                    cold=variant.needs_cold,
                    freight_on_quote=variant.freight_on_quote,
                ),
                weight_grams=variant.weight_grams,
                made_to_order=variant.made_to_order,
                handling_days=variant.lead_time_days if variant.made_to_order else None,
            )
        )
    return items


def _product_chunks(cluster: Cluster) -> Iterator[list[_Product]]:
    """The products public in ``cluster``, ``FEED_CHUNK`` at a time by id (one
    query a chunk: the product with its maker's and category's names)."""
    public = public_now(cluster).order_by("pk").values_list(*_PRODUCT_FIELDS)
    after = 0
    while True:
        rows = list(public.filter(pk__gt=after)[:FEED_CHUNK])
        if not rows:
            return
        yield [
            _Product(
                pk=pk,
                slug=slug,
                title=title,
                description=description,
                story=story,
                member_id=member_id,
                member_slug=member_slug,
                member_name=trading_name or legal_name,  # as ``Member.name``
                category=category,
                parent_category=parent,
            )
            for (
                pk,
                slug,
                title,
                description,
                story,
                member_id,
                member_slug,
                trading_name,
                legal_name,
                category,
                parent,
            ) in rows
        ]
        if len(rows) < FEED_CHUNK:
            return
        after = rows[-1][0]


def feed_items(
    cluster: Cluster, site: ClusterSite, summary: FeedSummary | None = None
) -> Iterator[FeedItem]:
    """Every variant of every product public in ``cluster``, as feed items, read
    ``FEED_CHUNK`` products at a time (the queries run as the items are read)."""
    summary = summary if summary is not None else FeedSummary()
    member_ids = (
        public_listings(cluster)
        .values_list("product__member_id", flat=True)
        .distinct()
        .order_by()
    )
    policies = policies_for(cluster, list(member_ids))
    for products in _product_chunks(cluster):
        ids = [product.pk for product in products]
        variants: dict[int, list[_Variant]] = {}
        for product_id, *values in (
            Variant.objects.filter(product_id__in=ids)
            .order_by("product_id", "position", "pk")
            .values_list(*_VARIANT_FIELDS)
        ):
            variants.setdefault(product_id, []).append(_Variant(*values))
        images: dict[int, list[str]] = {}
        for product_id, name, renditions in (
            ProductImage.objects.filter(product_id__in=ids)
            .order_by("product_id", "position", "pk")
            .values_list("product_id", "image", "renditions")
        ):
            images.setdefault(product_id, []).append(
                _absolute(site.origin, _image_url(name, renditions))
            )
        for product in products:
            if product.pk not in images:
                summary.without_photo += 1
                continue
            items = _items_of(
                product,
                variants.get(product.pk, []),
                images[product.pk],
                site,
                policies.get(product.member_id),
            )
            summary.items += len(items)
            yield from items


# --- Google Merchant Center: RSS 2.0 with the g: namespace ----------------------


def _g(name: str, value: object) -> str:
    return f"<g:{name}>{escape(str(value))}</g:{name}>"


def google_item_xml(item: FeedItem) -> str:
    parts = [
        _g("id", item.id),
        _g("title", item.title),
        _g("description", item.description),
        _g("link", item.link),
        _g("image_link", item.image_link),
        *(_g("additional_image_link", url) for url in item.additional_image_links),
        _g("availability", item.availability.value),
        _g("price", item.price),
        _g("brand", item.brand),
        _g("condition", item.condition),
    ]
    if item.gtin:
        parts.append(_g("gtin", item.gtin))
    else:
        parts.append(_g("identifier_exists", "no"))
    if item.item_group_id:
        parts.append(_g("item_group_id", item.item_group_id))
    if item.product_type:
        parts.append(_g("product_type", item.product_type))
    parts.extend(_g(name, value) for name, value in item.attributes)
    if item.shipping_cents is not None:
        parts.append(
            "<g:shipping>"
            + _g("country", "NZ")
            + _g("price", price_text(item.shipping_cents))
            + "</g:shipping>"
        )
    if item.weight_grams:
        parts.append(_g("shipping_weight", f"{item.weight_grams} g"))
    if item.handling_days:
        parts.append(_g("max_handling_time", item.handling_days))
    return "<item>" + "".join(parts) + "</item>\n"


@dataclass(frozen=True)
class Channel:
    """The feed's own title, link and description: the cluster's."""

    title: str
    link: str
    description: str
    items: Iterable[FeedItem] = field(default_factory=tuple)


def google_feed_xml(channel: Channel) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<rss version="2.0" xmlns:g="{GOOGLE_NS}">\n<channel>\n'
    yield f"<title>{escape(clean(channel.title))}</title>\n"
    yield f"<link>{escape(channel.link)}</link>\n"
    yield f"<description>{escape(clean(channel.description))}</description>\n"
    for item in channel.items:
        yield google_item_xml(item)
    yield "</channel>\n</rss>\n"


# --- Meta catalogue: CSV ---------------------------------------------------------

META_COLUMNS = (
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "additional_image_link",
    "brand",
    "item_group_id",
    "product_type",
    "size",
    "color",
    "material",
    "pattern",
    "shipping_weight",
)


def meta_row(item: FeedItem) -> list[str]:
    attributes = dict(item.attributes)
    return [
        item.id,
        item.title,
        item.description,
        item.meta_availability,
        item.condition,
        item.price,
        item.link,
        item.image_link,
        ",".join(item.additional_image_links),
        item.brand,
        item.item_group_id,
        item.product_type,
        attributes.get("size", ""),
        attributes.get("color", ""),
        attributes.get("material", ""),
        attributes.get("pattern", ""),
        f"{item.weight_grams} g" if item.weight_grams else "",
    ]


def meta_feed_csv(items: Iterable[FeedItem], chunk: int = 64 * 1024) -> Iterator[str]:
    """The Meta catalogue as CSV text in pieces, every cell through the project's
    CSV safety (``purei.core.csv_safe``)."""
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(META_COLUMNS)
    for item in items:
        writer.writerow(meta_row(item))
        if out.tell() >= chunk:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
