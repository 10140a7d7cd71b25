from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped
from purei.core.renditions import Picture, picture_of
from purei.core.uploads import stored_upload_name

# Pūrei's own brand colour (--color-brand in purei.css), for clusters without one.
DEFAULT_BRAND_COLOUR = "#0b5d4b"
HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
# Words a monogram leaves out.
MONOGRAM_SKIP = frozenset({"of", "the", "and", "&", "a", "-", "—"})


def brand_upload_to(instance: models.Model, filename: str) -> str:
    return stored_upload_name("clusters/brand", filename)


class ClusterType(models.TextChoices):
    TRADITIONAL = "traditional", _("Traditional")
    VIRTUAL = "virtual", _("Virtual")
    LOCAL = "local", _("Local")


class LeadOrganisationKind(models.TextChoices):
    INDUSTRY_BODY = "industry_body", _("Industry or trade body")
    CHAMBER = "chamber", _("Chamber of commerce")
    IWI_HAPU = "iwi_hapu", _("Iwi- or hapū-based group")
    TRUST = "trust", _("Trust")
    COUNCIL = "council", _("Council")
    ARTIST_COLLECTIVE = "artist_collective", _("Artist collective")
    ASSOCIATION = "association", _("Association")
    BUSINESS_NETWORK = "business_network", _("Business network")
    MARAE = "marae", _("Marae")
    FARMERS_MARKET = "farmers_market", _("Farmers market")
    OTHER = "other", _("Other")


class Region(models.Model):
    """One of New Zealand's 16 regions or the Chatham Islands (ISO 3166-2:NZ)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_en = models.CharField(_("name in English"), max_length=64)
    name_mi = models.CharField(_("name in te reo Māori"), max_length=64, blank=True)
    other_names = models.CharField(_("other names"), max_length=128, blank=True)
    island = models.CharField(_("island"), max_length=1, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=32)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (te reo where it has one)."""
        if get_language() == "mi" and self.name_mi:
            return self.name_mi
        return self.name_en


class SellingModel(models.TextChoices):
    """Who supplies the customer (domain-nz.md §1.5)."""

    AGENT = "agent", _("Each member sells; the cluster collects as their agent")
    RESELLER = "reseller", _("The lead organisation buys from members and resells")


class Cluster(TimeStamped):
    """A group of businesses selling under one collective brand."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Live")
        PAUSED = "paused", _("Paused")

    slug = models.SlugField(_("web address name"), max_length=64, unique=True)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_mi = models.CharField(_("name in te reo Māori"), max_length=120, blank=True)
    type = models.CharField(_("cluster type"), max_length=16, choices=ClusterType)
    lead_org_kind = models.CharField(
        _("kind of lead organisation"), max_length=32, choices=LeadOrganisationKind
    )
    lead_org_name = models.CharField(_("lead organisation"), max_length=160)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="clusters", verbose_name=_("regions")
    )
    specialisation = models.CharField(_("specialisation"), max_length=160, blank=True)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    story = models.TextField(_("story"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.DRAFT
    )
    # --- Brand (edited by the cluster's admins) ---
    logo = models.ImageField(_("logo"), upload_to=brand_upload_to, blank=True)
    hero_image = models.ImageField(
        _("hero image"), upload_to=brand_upload_to, blank=True
    )
    hero_alt = models.CharField(_("hero image description"), max_length=200, blank=True)
    # Smaller WebP and JPEG copies of the logo and the hero, narrowest first
    # (purei.core.renditions), made when they are uploaded.
    logo_renditions = models.JSONField(default=list, blank=True, editable=False)
    hero_renditions = models.JSONField(default=list, blank=True, editable=False)
    colour_primary = models.CharField(
        _("brand colour"),
        max_length=7,
        blank=True,
        help_text=_("A hex colour such as #0b5d4b; white text must be readable on it."),
    )
    colour_accent = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        help_text=_("A hex colour for links and highlights on a white page."),
    )
    contact_email = models.EmailField(
        _("contact email address"),
        blank=True,
        help_text=_(
            "Replies to the emails Pūrei sends for the cluster go here. Set from "
            "the application's contact when the cluster is approved."
        ),
    )
    commission_rate = models.DecimalField(
        _("commission rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    # --- Money (issue 6; docs/money.md) ---
    selling_model = models.CharField(
        _("who sells"),
        max_length=16,
        choices=SellingModel,
        default=SellingModel.AGENT,
        help_text=_(
            "Agent: each member is the supplier and the cluster collects for them. "
            "Reseller: the lead organisation buys from members and sells on."
        ),
    )
    lead_org_gst_registered = models.BooleanField(
        _("lead organisation is GST-registered"), default=False
    )
    lead_org_gst_number = models.CharField(
        _("lead organisation's GST number"), max_length=16, blank=True
    )
    lead_org_address = models.CharField(
        _("lead organisation's address"), max_length=300, blank=True
    )
    show_price_split = models.BooleanField(
        _("show where the money goes"),
        default=False,
        help_text=_(
            "Product pages and order confirmations show the maker's share, the "
            "cluster's commission, GST and payment fees."
        ),
    )
    join_requires_approval = models.BooleanField(
        _("joining needs an admin's approval"), default=True
    )
    # Australian GST (domain-nz.md §2): once registered (an ABN, or the 12-digit
    # ARN of the simplified registration for non-residents), sales of goods worth
    # A$1,000 or less to Australian consumers carry AU GST at checkout (LVIG).
    au_gst_number = models.CharField(
        _("Australian GST registration (ABN or ARN)"), max_length=12, blank=True
    )
    au_gst_registered_on = models.DateField(
        _("registered for Australian GST on"), null=True, blank=True
    )
    # The newest AUD rate the cluster recorded (units of AUD per NZ$1), kept here
    # by the trade app's rate service so checkout (below trade) can test the
    # A$1,000 limit; None until one is recorded.
    aud_rate = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True, editable=False
    )
    aud_rate_source = models.CharField(
        max_length=120, blank=True, default="", editable=False
    )
    aud_rate_as_of = models.DateTimeField(null=True, blank=True, editable=False)
    listings_need_approval = models.BooleanField(
        _("products need a curator's approval"), default=True
    )
    cultural_review = models.BooleanField(
        _("cultural review step"),
        default=False,
        help_text=_(
            "Works that carry cultural designs wait for the cluster's kaitiaki "
            "before they are published."
        ),
    )
    domain = models.CharField(
        _("own domain"),
        max_length=253,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Optional, e.g. shop.marlboroughwine.nz: it serves this cluster."),
    )
    # Folded (lower-case, no macrons) names, specialisation, tagline and lead
    # organisation, for portable search; kept up to date by
    # purei.clusters.search.cluster_search_text_refresh().
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        indexes = [models.Index(fields=["status", "type"])]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        if get_language() == "mi" and self.name_mi:
            return self.name_mi
        return self.name_en

    @property
    def brand_colour(self) -> str:
        """The brand colour as pages draw it: its own (white text is readable on
        it, the brand screen sees to that), else Pūrei's pounamu green."""
        colour = (self.colour_primary or "").strip().lower()
        return colour if HEX_COLOUR.match(colour) else DEFAULT_BRAND_COLOUR

    @property
    def monogram(self) -> str:
        """Up to two initials of the English name ("Marlborough Wine": "MW"), for a
        card's brand panel when the cluster has no hero image."""
        words = [w for w in self.name_en.split() if w.casefold() not in MONOGRAM_SKIP]
        return "".join(word[0] for word in words[:2]).upper()

    @property
    def logo_picture(self) -> Picture | None:
        """The logo with its renditions, for ``{% picture %}`` (no file access)."""
        return picture_of(self.logo, self.logo_renditions)

    @property
    def hero_picture(self) -> Picture | None:
        """The hero image with its renditions and description."""
        return picture_of(self.hero_image, self.hero_renditions, self.hero_alt)


class ClusterApplication(TimeStamped):
    """A founding group's request to form a cluster, reviewed by platform staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    contact_name = models.CharField(_("your name"), max_length=150)
    contact_email = models.EmailField(_("email address"))
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    lead_org_kind = models.CharField(
        _("kind of lead organisation"), max_length=32, choices=LeadOrganisationKind
    )
    lead_org_name = models.CharField(_("lead organisation"), max_length=160)
    proposed_name_en = models.CharField(_("proposed name in English"), max_length=120)
    proposed_name_mi = models.CharField(
        _("proposed name in te reo Māori"), max_length=120, blank=True
    )
    cluster_type = models.CharField(
        _("cluster type"), max_length=16, choices=ClusterType
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="applications", verbose_name=_("regions")
    )
    specialisation = models.CharField(_("specialisation"), max_length=160, blank=True)
    expected_members = models.PositiveIntegerField(_("expected number of members"))
    about = models.TextField(_("about your group"), blank=True)
    # The language the applicant used (a code of settings.LANGUAGES): its emails go
    # out in it.
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    finder_answers = models.JSONField(
        _("type finder answers"), default=dict, blank=True
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cluster_applications",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    cluster = models.OneToOneField(
        Cluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cluster application")
        verbose_name_plural = _("cluster applications")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.proposed_name_en


class StripeMode(models.TextChoices):
    """Whose Stripe account a cluster's card payments go to (ADR 0021)."""

    PLATFORM = "platform", _("Pūrei's Stripe account")
    CONNECT = "connect", _("A Stripe account connected to Pūrei (Stripe Connect)")
    OWN_KEYS = "own_keys", _("The cluster's own Stripe account, with its own keys")


MAX_PLATFORM_FEE_BPS = 5000  # 50 %: a typo guard, not a business rule
MAX_PLATFORM_FEE_FIXED_CENTS = 100_000  # $1,000 per order, same


class ClusterMoneyAccounts(TimeStamped):
    """The accounts a cluster's customers pay into, and the platform's fee
    (docs/adr/0021-cluster-money-accounts.md). No row, or empty fields: the
    platform's own (``BANK_TRANSFER_ACCOUNT``, ``STRIPE_SECRET_KEY``).

    The two secrets are kept only encrypted (``purei.core.secrets_box``) with their
    last four characters for the manage screen; they are never shown, logged or
    audited (``cluster_money_accounts_update``)."""

    cluster = models.OneToOneField(
        Cluster, on_delete=models.CASCADE, related_name="money_accounts"
    )
    bank_account_name = models.CharField(
        _("bank account name"), max_length=120, blank=True
    )
    # Normalised NZ form bb-bbbb-aaaaaaa-sss, check digits verified on the way in.
    bank_account_number = models.CharField(
        _("bank account number"), max_length=19, blank=True
    )
    stripe_mode = models.CharField(
        _("card payments go to"),
        max_length=16,
        choices=StripeMode,
        default=StripeMode.PLATFORM,
    )
    stripe_account_id = models.CharField(
        _("Stripe connected account id"), max_length=64, blank=True
    )
    stripe_publishable_key = models.CharField(
        _("Stripe publishable key"), max_length=255, blank=True
    )
    stripe_secret_key_encrypted = models.TextField(blank=True, editable=False)
    stripe_secret_key_last4 = models.CharField(max_length=4, blank=True, editable=False)
    stripe_webhook_secret_encrypted = models.TextField(blank=True, editable=False)
    stripe_webhook_secret_last4 = models.CharField(
        max_length=4, blank=True, editable=False
    )
    # Set by platform staff only: basis points of the order total, plus cents.
    platform_fee_bps = models.PositiveIntegerField(
        _("platform fee (basis points)"),
        default=0,
        validators=[MaxValueValidator(MAX_PLATFORM_FEE_BPS)],
    )
    platform_fee_fixed_cents = models.PositiveIntegerField(
        _("platform fee per order (cents)"),
        default=0,
        validators=[MaxValueValidator(MAX_PLATFORM_FEE_FIXED_CENTS)],
    )

    class Meta:
        verbose_name = _("cluster money accounts")
        verbose_name_plural = _("cluster money accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(platform_fee_bps__lte=MAX_PLATFORM_FEE_BPS),
                name="clusters_money_fee_bps_at_most_half",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    platform_fee_fixed_cents__lte=MAX_PLATFORM_FEE_FIXED_CENTS
                ),
                name="clusters_money_fee_fixed_bounded",
            ),
            models.CheckConstraint(
                condition=~models.Q(stripe_mode="connect")
                | models.Q(stripe_account_id__startswith="acct_"),
                name="clusters_money_connect_has_account",
            ),
        ]

    def __str__(self) -> str:
        return f"money accounts of {self.cluster_id}"

    @property
    def has_own_keys(self) -> bool:
        return (
            self.stripe_mode == StripeMode.OWN_KEYS
            and bool(self.stripe_secret_key_encrypted)
            and bool(self.stripe_webhook_secret_encrypted)
        )
