"""Promotions' models (ADR 0013, ADR 0015).

A ``Promotion`` is a cluster's (or one member's) offer: a percentage or an amount
off, free delivery, or buy X get Y free; automatic, or behind a promo code (unique
per cluster whatever its case). Its scope is the whole cluster or the members,
categories and products it names; its limits are dates, a minimum spend, uses in
total and per customer, a first order only, and whether it combines with others.
**Who pays** is explicit: the cluster (booked as its promotion expense, out of its
commission) or the member whose goods it discounts.

A ``PromotionUse`` records that an order used a promotion: the order is known only
by its id (orders is the app above, ADR 0013), the customer by account and email.
Money is integer cents; a percentage is basis points (1 000 = 10 %).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped


class Promotion(TimeStamped):
    class Kind(models.TextChoices):
        PERCENT = "percent", _("A percentage off")
        FIXED = "fixed", _("An amount off")
        FREE_DELIVERY = "free_delivery", _("Free delivery")
        BUY_X_GET_Y = "buy_x_get_y", _("Buy some, get some free")

    class PaidBy(models.TextChoices):
        CLUSTER = "cluster", _("The cluster, out of its commission")
        MEMBER = "member", _("The member whose goods it discounts")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="promotions"
    )
    # A member's own promotion (paid by it, for its own goods only); None for the
    # cluster's.
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="promotions",
    )
    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("Shoppers see it, e.g. “Free delivery over $80”."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    # percent: basis points (1 000 = 10 %); fixed: cents off the goods in scope;
    # buy X get Y: the cheapest ``get_quantity`` of every ``buy + get`` items free.
    percent_bp = models.PositiveIntegerField(null=True, blank=True)
    amount_cents = models.PositiveIntegerField(null=True, blank=True)
    buy_quantity = models.PositiveSmallIntegerField(null=True, blank=True)
    get_quantity = models.PositiveSmallIntegerField(null=True, blank=True)
    # None: automatic (applies without a code). Stored in capitals. Null rather
    # than "" so that the codes, not the automatic ones, are unique per cluster.
    code = models.CharField(  # noqa: DJ001  # null: automatic (see above)
        _("promo code"), max_length=32, null=True, blank=True
    )
    members = models.ManyToManyField(
        "members.Member", blank=True, related_name="+", verbose_name=_("members")
    )
    categories = models.ManyToManyField(
        "catalogue.Category",
        blank=True,
        related_name="+",
        verbose_name=_("categories"),
    )
    products = models.ManyToManyField(
        "catalogue.Product", blank=True, related_name="+", verbose_name=_("products")
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    min_spend_cents = models.PositiveIntegerField(_("minimum spend"), default=0)
    max_uses = models.PositiveIntegerField(_("uses in total"), null=True, blank=True)
    max_uses_per_customer = models.PositiveIntegerField(
        _("uses per customer"), null=True, blank=True
    )
    first_order_only = models.BooleanField(_("first order only"), default=False)
    stackable = models.BooleanField(_("combines with other promotions"), default=False)
    paid_by = models.CharField(_("who pays"), max_length=8, choices=PaidBy)
    active = models.BooleanField(_("active"), default=True)
    # Orders that used it (taken with a conditional UPDATE at checkout; given
    # back when an unpaid order is cancelled).
    uses = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("promotion")
        constraints = [
            models.UniqueConstraint(
                Upper("code"),
                "cluster",
                condition=Q(code__isnull=False),
                name="promotions_code_unique_per_cluster",
            ),
            models.CheckConstraint(
                condition=Q(code__isnull=True) | ~Q(code=""),
                name="promotions_code_not_blank",
            ),
            models.CheckConstraint(
                condition=(Q(paid_by="cluster") & Q(member__isnull=True))
                | (Q(paid_by="member") & Q(member__isnull=False)),
                name="promotions_member_pays_its_own",
            ),
            models.CheckConstraint(
                condition=~Q(kind="percent")
                | (Q(percent_bp__gte=1) & Q(percent_bp__lte=10_000)),
                name="promotions_percent_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="fixed") | Q(amount_cents__gte=1),
                name="promotions_fixed_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(kind="buy_x_get_y")
                | (Q(buy_quantity__gte=1) & Q(get_quantity__gte=1)),
                name="promotions_buy_x_get_y_has_quantities",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="promotions_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=F("max_uses")),
                name="promotions_uses_within_limit",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_automatic(self) -> bool:
        return self.code is None


class PromotionUse(models.Model):
    """One order's use of one promotion, and what it took off."""

    promotion = models.ForeignKey(
        Promotion, on_delete=models.PROTECT, related_name="use_records"
    )
    # The order (``orders.Order``), kept as its key: orders is above promotions.
    order_id = models.PositiveBigIntegerField(db_index=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    customer_email = models.EmailField()  # lower case
    code = models.CharField(max_length=32, blank=True)  # as applied
    discount_cents = models.PositiveIntegerField()
    # The part of it the cluster pays (the rest: the members whose goods it
    # discounts).
    cluster_cents = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Given back: the order was cancelled before it was paid.
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "order_id"], name="promotions_use_once_per_order"
            ),
            models.CheckConstraint(
                condition=Q(cluster_cents__lte=F("discount_cents")),
                name="promotions_use_cluster_share_within",
            ),
        ]
        indexes = [models.Index(fields=["promotion", "customer_email"])]

    def __str__(self) -> str:
        return f"{self.promotion_id} on order {self.order_id}"
