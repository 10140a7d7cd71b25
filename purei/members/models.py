from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped
from purei.core.renditions import Picture, picture_of
from purei.core.storage import private_storage
from purei.core.uploads import stored_upload_name


def _stored_name(kind: str, filename: str) -> str:
    return stored_upload_name(f"members/{kind}", filename)


def logo_upload_to(instance: models.Model, filename: str) -> str:
    return _stored_name("logos", filename)


def photo_upload_to(instance: models.Model, filename: str) -> str:
    return _stored_name("photos", filename)


def evidence_upload_to(instance: models.Model, filename: str) -> str:
    return _stored_name("evidence", filename)


class Member(TimeStamped):
    """A member business: the supplier of its own goods (domain-nz.md §0)."""

    slug = models.SlugField(_("web address name"), max_length=64, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=160)
    trading_name = models.CharField(_("trading name"), max_length=160, blank=True)
    nzbn = models.CharField(
        _("NZBN"),
        max_length=13,
        blank=True,
        help_text=_("New Zealand Business Number: 13 digits starting with 94."),
    )
    gst_registered = models.BooleanField(_("registered for GST"), default=False)
    gst_number = models.CharField(
        _("GST number"),
        max_length=9,
        blank=True,
        help_text=_("Your IRD number: 8 or 9 digits."),
    )
    in_trade = models.BooleanField(
        _("in trade"),
        default=False,
        help_text=_(
            "You sell in trade (as a business), as the Fair Trading Act asks online "
            "sellers to make clear."
        ),
    )
    story = models.TextField(
        _("story"), blank=True, help_text=_("Formatted with Markdown.")
    )
    story_html = models.TextField(editable=False, blank=True)
    region = models.ForeignKey(
        "clusters.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("region"),
    )
    town = models.CharField(_("town"), max_length=80, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to=logo_upload_to,
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Smaller WebP and JPEG copies, narrowest first (purei.core.renditions).
    logo_renditions = models.JSONField(default=list, blank=True, editable=False)
    bank_account = models.CharField(
        _("bank account for payouts"),
        max_length=19,
        blank=True,
        help_text=_("NZ format: bank-branch-account-suffix, e.g. 12-3140-0123456-00."),
    )
    bank_account_name = models.CharField(
        _("name on the bank account"), max_length=120, blank=True
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["trading_name", "legal_name"]
        verbose_name = _("member business")
        verbose_name_plural = _("member businesses")
        constraints = [
            models.UniqueConstraint(
                fields=["nzbn"],
                condition=~models.Q(nzbn=""),
                name="members_member_nzbn_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name customers know: the trading name, else the legal name."""
        return self.trading_name or self.legal_name

    @property
    def logo_picture(self) -> Picture | None:
        """The logo with its renditions, for ``{% picture %}`` (no file access)."""
        return picture_of(
            self.logo,
            self.logo_renditions,
            width=self.logo_width,
            height=self.logo_height,
        )

    @property
    def bank_account_masked(self) -> str:
        """Only the last four digits of the account, e.g. ``••-••••-•••0123-•••``."""
        from purei.core.validators import bank_account_mask

        return bank_account_mask(self.bank_account)


class MemberPhoto(TimeStamped):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"),
        upload_to=photo_upload_to,
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

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text


class Credential(TimeStamped):
    """A licence, registration or mark a member holds, verified by a cluster admin."""

    class Kind(models.TextChoices):
        TOI_IHO = "toi_iho", _("Toi Iho licence")
        LIQUOR_LICENCE = "liquor_licence", _("Liquor licence")
        FOOD_ACT = "food_act", _("Food Act registration")
        WINE_STANDARDS = "wine_standards", _("Wine standards management plan")
        ORGANIC = "organic", _("Organic certification")
        OTHER = "other", _("Other")

    class Verification(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Not verified")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="credentials"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    name = models.CharField(
        _("name"), max_length=120, blank=True, help_text=_("For “Other”: what it is.")
    )
    issuer = models.CharField(_("issued by"), max_length=160)
    number = models.CharField(_("number"), max_length=64)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to=evidence_upload_to,
        blank=True,
        storage=private_storage,
    )
    verification = models.CharField(
        _("verification"),
        max_length=16,
        choices=Verification,
        default=Verification.PENDING,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_in = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The cluster whose admin verified it."),
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "expires_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_verified_on(self, day: datetime.date) -> bool:
        """Verified and not expired on ``day``: a lapsed licence stops on its own."""
        return self.verification == self.Verification.VERIFIED and (
            self.expires_on is None or self.expires_on >= day
        )

    @property
    def is_verified(self) -> bool:
        return self.is_verified_on(timezone.localdate())


class Membership(TimeStamped):
    """A member business in one cluster."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="memberships"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.APPLIED
    )
    applied_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    commission_rate = models.DecimalField(
        _("commission rate for this member (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Leave empty to use the cluster's rate."),
    )

    class Meta:
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "cluster"], name="members_membership_unique"
            )
        ]
        indexes = [models.Index(fields=["cluster", "status"])]

    def __str__(self) -> str:
        return f"{self.member} in {self.cluster} ({self.get_status_display()})"
