"""The catalogue: each member's products, their variants, and where they are listed.

Money is integer cents (NZD, GST-inclusive for consumers: domain-nz.md §1.2).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped
from purei.core.renditions import (
    RENDITION_WIDTHS,
    Rendition,
    rendition_fallback,
    rendition_up_to,
    rendition_url,
    srcset,
)
from purei.core.uploads import stored_upload_name


def product_image_upload_to(instance: models.Model, filename: str) -> str:
    return stored_upload_name("catalogue/products", filename)


SEO_TITLE_MAX = 160
SEO_DESCRIPTION_MAX = 320


class Category(models.Model):
    """A kind of product. ``attributes`` describes the facts products of this kind
    carry (e.g. wine: vintage, varietal), as a list of ``{"key", "label", "type",
    "choices", "facet"}`` where type is text, int, decimal or choice."""

    slug = models.SlugField(_("web address name"), max_length=64, unique=True)
    name_en = models.CharField(_("name in English"), max_length=80)
    name_mi = models.CharField(_("name in te reo Māori"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    restricted_r18 = models.BooleanField(
        _("restricted to people 18 or over"),
        default=False,
        help_text=_("Alcohol: wine, beer, spirits."),
    )
    health_products = models.BooleanField(
        _("natural health products"),
        default=False,
        help_text=_(
            "Products here that use words making a therapeutic claim (cures, "
            "heals, prevents…) wait for a curator: see docs/health-claims.md."
        ),
    )
    attributes = models.JSONField(_("attributes"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name_en"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if get_language() == "mi" and self.name_mi:
            return self.name_mi
        return self.name_en


class Tag(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=64)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(TimeStamped):
    """One product, owned by one member business."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Live")
        ARCHIVED = "archived", _("Archived")

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="products"
    )
    slug = models.SlugField(_("web address name"), max_length=80)
    title_en = models.CharField(_("title in English"), max_length=160)
    title_mi = models.CharField(_("title in te reo Māori"), max_length=160, blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    description_mi = models.TextField(_("description in te reo Māori"), blank=True)
    # The English description as HTML, when it came as HTML (Shopify's
    # ``Body (HTML)``), sanitised to the stories' allow-list
    # (``purei.members.story.html_sanitise``); emptied when the description is
    # edited, so the page never shows an old one.
    description_html = models.TextField(
        _("description in English (HTML)"), blank=True, editable=False
    )
    # For search engines: the page's <title> and meta description when given.
    seo_title = models.CharField(
        _("title for search engines"),
        max_length=SEO_TITLE_MAX,
        blank=True,
        help_text=_("Shown as the page title in search results; blank: the title."),
    )
    seo_description = models.CharField(
        _("description for search engines"),
        max_length=SEO_DESCRIPTION_MAX,
        blank=True,
        help_text=_("Shown under the title in search results; blank: the description."),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="products")
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    # --- Provenance and marks ---
    maker = models.CharField(_("maker"), max_length=160, blank=True)
    iwi_affiliation = models.CharField(
        _("iwi or hapū affiliation"),
        max_length=160,
        blank=True,
        help_text=_("Only if the maker chooses to give it."),
    )
    origin_region = models.ForeignKey(
        "clusters.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region of origin"),
    )
    piece_story = models.TextField(_("the story of this piece"), blank=True)
    credentials = models.ManyToManyField(
        "members.Credential",
        blank=True,
        related_name="products",
        verbose_name=_("credentials that apply"),
        help_text=_("Which of the business's own licences and marks apply to it."),
    )
    restricted_r18 = models.BooleanField(
        _("restricted to people 18 or over"), default=False
    )
    alcohol_or_tobacco = models.BooleanField(
        _("alcohol or tobacco"),
        default=False,
        help_text=_(
            "Alcoholic drinks and tobacco are never taxed at an Australian "
            "checkout: Australia charges GST and duty on them at the border."
        ),
    )
    carries_cultural_designs = models.BooleanField(
        _("carries cultural designs"),
        default=False,
        help_text=_("Clusters with a cultural review step ask their kaitiaki first."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.DRAFT
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    # Facts of the variants, kept with the search index (``purei.catalogue.indexing``)
    # so the shop can count and sort thousands of products without visiting each
    # product's variants: the lowest price, and whether any variant can be bought.
    lowest_price_cents = models.PositiveIntegerField(null=True, editable=False)
    in_stock = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["title_en"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "slug"], name="catalogue_product_slug_per_member"
            )
        ]
        indexes = [models.Index(fields=["status", "category"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if get_language() == "mi" and self.title_mi:
            return self.title_mi
        return self.title_en

    @property
    def is_restricted(self) -> bool:
        return self.restricted_r18 or self.category.restricted_r18


class ProductImage(TimeStamped):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(
        _("photo"),
        upload_to=product_image_upload_to,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = models.CharField(
        _("description for people who can't see it"), max_length=200
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Smaller WebP and JPEG copies, narrowest first (purei.core.renditions).
    renditions = models.JSONField(default=list, blank=True, editable=False)
    # Where an imported photo was downloaded from (a spreadsheet's ``Image Src``):
    # importing the same file again does not add it twice.
    source_url = models.URLField(max_length=2000, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text

    @property
    def srcset_webp(self) -> str:
        return srcset(self._renditions, "webp")

    @property
    def srcset_jpeg(self) -> str:
        return srcset(self._renditions, "jpeg")

    @property
    def fallback_url(self) -> str:
        """A medium JPEG, else the original (no storage access)."""
        rendition = rendition_fallback(self._renditions)
        return rendition_url(rendition["jpeg"]) if rendition else self.image.url

    @property
    def large_url(self) -> str:
        """The widest JPEG (at most 1600 px), for the product page's larger view;
        else the original (no storage access)."""
        rendition = rendition_up_to(self._renditions, RENDITION_WIDTHS[-1])
        return rendition_url(rendition["jpeg"]) if rendition else self.image.url

    @property
    def share_url(self) -> str:
        """The JPEG to show when the product is shared (OpenGraph, JSON-LD)."""
        rendition = rendition_up_to(self._renditions)
        return rendition_url(rendition["jpeg"]) if rendition else self.image.url

    @property
    def _renditions(self) -> list[Rendition]:
        return list(self.renditions or [])


class Variant(TimeStamped):
    """A buyable form of a product: its SKU, options, price and stock.

    The cold chain and the dates are the variant's, not the product's: a dozen
    oysters and a kilo bag of the same kūmara come from different batches, picked
    or shucked on different days, and one product may sell a chilled and an
    ambient form (docs/orders.md "Perishables")."""

    class StockPolicy(models.TextChoices):
        TRACKED = "tracked", _("Counted stock")
        MADE_TO_ORDER = "made_to_order", _("Made to order")
        UNLIMITED = "unlimited", _("Always available")

    class ColdChain(models.TextChoices):
        NONE = "none", _("No special handling")
        CHILLED = "chilled", _("Chilled")
        FROZEN = "frozen", _("Frozen")
        # Kept at room temperature but short-lived (avocados, kūmara).
        PERISHABLE = "perishable", _("Perishable")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variants"
    )
    # Denormalised from the product so a SKU can be unique per member.
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="variants"
    )
    sku = models.CharField(_("SKU"), max_length=64)
    options = models.JSONField(
        _("options"), default=dict, blank=True, help_text=_('e.g. {"size": "750 ml"}')
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    price_cents = models.PositiveIntegerField(
        _("price (cents, GST-inclusive)"),
    )
    # The "was" price (Shopify's ``Variant Compare At Price``): shown struck
    # through beside the price only while it is higher (``is_reduced``).
    compare_at_cents = models.PositiveIntegerField(
        _("was price (cents, GST-inclusive)"), null=True, blank=True
    )
    currency = models.CharField(max_length=3, default="NZD", editable=False)
    stock_policy = models.CharField(
        _("stock"), max_length=16, choices=StockPolicy, default=StockPolicy.TRACKED
    )
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), null=True, blank=True
    )
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    length_mm = models.PositiveIntegerField(_("length (mm)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width (mm)"), null=True, blank=True)
    height_mm = models.PositiveIntegerField(_("height (mm)"), null=True, blank=True)
    cold_chain = models.CharField(
        _("cold chain"), max_length=16, choices=ColdChain, default=ColdChain.NONE
    )
    harvested_on = models.DateField(_("harvested on"), null=True, blank=True)
    best_before = models.DateField(_("best before"), null=True, blank=True)
    # Heavy or bulky goods no courier rate carries (docs/orders.md "Freight on
    # quote"): checkout asks for a freight quote instead of pricing delivery.
    freight_on_quote = models.BooleanField(
        _("freight on quote"),
        default=False,
        help_text=_(
            "Delivery is quoted for each order (heavy or bulky goods); "
            "pickup is still offered when you offer it."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)
    # --- Trade (docs/trade.md "Trade prices"): never shown to the public ---
    trade_price_cents = models.PositiveIntegerField(
        _("trade price (cents, NZD, excluding GST)"),
        null=True,
        blank=True,
        help_text=_("Empty: not offered to trade buyers."),
    )
    min_order_quantity = models.PositiveIntegerField(
        _("minimum trade order (units)"), default=1
    )
    pack_size = models.PositiveIntegerField(
        _("case or pack size (units)"),
        default=1,
        help_text=_("Trade buyers order whole packs: a multiple of this."),
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "sku"], name="catalogue_variant_sku_per_member"
            ),
            models.CheckConstraint(
                condition=Q(harvested_on__isnull=True)
                | Q(best_before__isnull=True)
                | Q(best_before__gte=models.F("harvested_on")),
                name="catalogue_variant_best_before_after_harvest",
            ),
            models.CheckConstraint(
                condition=Q(currency="NZD"), name="catalogue_variant_currency_nzd"
            ),
            models.CheckConstraint(
                condition=Q(trade_price_cents__isnull=True)
                | Q(trade_price_cents__gte=1),
                name="catalogue_variant_trade_price_positive",
            ),
            models.CheckConstraint(
                condition=Q(min_order_quantity__gte=1, pack_size__gte=1),
                name="catalogue_variant_trade_quantities_positive",
            ),
            models.CheckConstraint(
                condition=Exact(Mod(F("min_order_quantity"), F("pack_size")), 0),
                name="catalogue_variant_moq_whole_packs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}".strip()

    @property
    def in_stock(self) -> bool:
        return self.stock_policy != self.StockPolicy.TRACKED or self.stock > 0

    @property
    def is_reduced(self) -> bool:
        """It has a "was" price above its price: shown as "was $X, now $Y"."""
        return (
            self.compare_at_cents is not None
            and self.compare_at_cents > self.price_cents
        )

    @property
    def needs_cold(self) -> bool:
        """Chilled or frozen: it travels by chilled courier, never over a weekend."""
        return self.cold_chain in (self.ColdChain.CHILLED, self.ColdChain.FROZEN)

    @property
    def cold_chain_mark(self) -> str:
        """ "Chilled", "Frozen", "Perishable", or "" for none."""
        if self.cold_chain == self.ColdChain.NONE:
            return ""
        return str(self.get_cold_chain_display())

    @property
    def retail_ex_gst_cents(self) -> int:
        """The retail price (GST-inclusive) without its GST: ``price * 20 / 23``,
        the GST rounded half up to the cent as ``purei.orders.money.gst_in`` does
        (that app sits above this one, so the rule is restated here)."""
        return self.price_cents - (self.price_cents * 6 + 23) // 46

    @property
    def trade_margin_percent(self) -> int | None:
        """What a trade buyer keeps selling at the RRP, as a whole percentage of
        the retail price without GST (both sides ex-GST); None without a trade
        price or a retail price. Negative when the trade price is above it."""
        retail = self.retail_ex_gst_cents
        if self.trade_price_cents is None or retail <= 0:
            return None
        return round((retail - self.trade_price_cents) * 100 / retail)


class TradePrice(models.Model):
    """One step of a variant's trade price list: from ``min_quantity`` units on, each
    costs ``unit_cents`` (excluding GST and freight) in ``currency``.

    The shape, kept to one fact in one place:

    - **NZD**: the price at one unit is the variant's own ``trade_price_cents``; NZD
      rows are only its *quantity breaks* (``min_quantity`` ≥ 2, held by a check).
    - **AUD, USD**: an optional price list in that currency: its row at
      ``min_quantity`` 1 is its unit price, and rows at 2 or more its own breaks.
      Without a list in a currency, the trade app converts from NZD itself.

    For a quantity, the row with the largest ``min_quantity`` at or below it applies
    (``purei.catalogue.trade_selectors.trade_unit_price``). The service
    ``variant_trade_pricing_set`` keeps each list sensible: quantities rising,
    unit prices never rising, breaks in whole packs, nothing without an NZD price.
    """

    class Currency(models.TextChoices):
        NZD = "NZD", "NZD"
        AUD = "AUD", "AUD"
        USD = "USD", "USD"

    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, related_name="trade_prices"
    )
    currency = models.CharField(max_length=3, choices=Currency)
    min_quantity = models.PositiveIntegerField(_("from quantity"))
    unit_cents = models.PositiveIntegerField(_("unit price (cents, excluding GST)"))

    class Meta:
        ordering = ["variant", "currency", "min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "currency", "min_quantity"],
                name="catalogue_tradeprice_step_unique",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=["NZD", "AUD", "USD"]),
                name="catalogue_tradeprice_currency",
            ),
            models.CheckConstraint(
                condition=Q(unit_cents__gte=1), name="catalogue_tradeprice_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_quantity__gte=2)
                | (Q(min_quantity=1) & ~Q(currency="NZD")),
                name="catalogue_tradeprice_min_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} {self.currency} ≥{self.min_quantity}"


class Listing(TimeStamped):
    """A product shown in one of its member's clusters, once that cluster agrees."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the curators")
        APPROVED = "approved", _("Listed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class CulturalReview(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Not needed")
        PENDING = "pending", _("Waiting for the kaitiaki")
        APPROVED = "approved", _("Approved by the kaitiaki")
        DECLINED = "declined", _("Declined by the kaitiaki")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="listings"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="listings"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.PENDING
    )
    cultural_review = models.CharField(
        _("cultural review"),
        max_length=16,
        choices=CulturalReview,
        default=CulturalReview.NOT_NEEDED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    cultural_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cultural_reviewed_at = models.DateTimeField(null=True, blank=True)
    cultural_note = models.TextField(_("kaitiaki's note"), blank=True)
    claim_review = models.TextField(
        _("why a curator looks twice"),
        blank=True,
        help_text=_("Words in a health product that may make a therapeutic claim."),
    )
    curator_note = models.TextField(_("curator's note"), blank=True)
    featured = models.BooleanField(_("featured on the storefront"), default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "cluster"], name="catalogue_listing_unique"
            )
        ]
        indexes = [
            models.Index(fields=["cluster", "status"]),
            # A cluster's featured listings, for its home (``product_list_featured``)
            # without reading every listing of the cluster.
            models.Index(
                fields=["cluster", "featured"], name="catalogue_listing_featured"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} in {self.cluster} ({self.get_status_display()})"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED and self.cultural_review in {
            self.CulturalReview.NOT_NEEDED,
            self.CulturalReview.APPROVED,
        }


class ImportJob(models.Model):
    """A spreadsheet import run as a background task, and how far it has got."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        VALIDATING = "validating", _("Checking the rows")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Not imported")

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="import_jobs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    format = models.CharField(max_length=16, blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    data = models.BinaryField(editable=False, default=b"")  # emptied once run
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.member_id} import {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def images_pending(self) -> int:
        """Pictures of a finished import still to be fetched (its task)."""
        return len((self.report or {}).get("images", []))
