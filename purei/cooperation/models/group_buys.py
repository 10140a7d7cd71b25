"""Group buying: members buy together to reach a supplier's better price
(docs/cooperation.md "Group buying")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped


class Settlement(models.TextChoices):
    """How a member settles what it owes the cluster (a share, a levy)."""

    OFFSET = "offset", _("Offset against my next payout")
    CHARGED = "charged", _("Charged: I pay by bank transfer")


class GroupBuy(TimeStamped):
    """A lot bought together from one supplier, priced by the total quantity."""

    class Kind(models.TextChoices):
        PACKAGING = "packaging", _("Packaging (bottles, labels, cartons, bags)")
        FREIGHT = "freight", _("Freight space")
        TRADE_SHOW = "trade_show", _("A trade-show stand")
        ADVERTISING = "advertising", _("Shared advertising")
        OTHER = "other", _("Something else")

    class Arrangement(models.TextChoices):
        DELIVERY = "delivery", _("Delivered to each member")
        COLLECTION = "collection", _("Collected from one place")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for commitments")
        ALLOCATED = "allocated", _("Closed: target met, shares allocated")
        FAILED = "failed", _("Closed: target not met")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="group_buys"
    )
    kind = models.CharField(_("what it is"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    supplier = models.CharField(_("supplier"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, default="units")
    target_quantity = models.PositiveIntegerField(_("target quantity"))
    cap = models.PositiveIntegerField(
        _("most units (a capped lot)"), null=True, blank=True
    )
    deadline = models.DateTimeField(_("deadline"))
    arrangement = models.CharField(
        _("delivery or collection"), max_length=20, choices=Arrangement
    )
    arrangement_details = models.CharField(
        _("where and when"), max_length=300, blank=True
    )
    shared_cost_cents = models.PositiveIntegerField(
        _("shared cost (e.g. freight), split by quantity"), default=0
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposer_member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: proposed for the cluster by one of its admins."),
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.OPEN)
    # The sum of the commitments, changed by one conditional UPDATE per change.
    committed_quantity = models.PositiveIntegerField(default=0)
    unit_price_cents = models.PositiveIntegerField(
        _("the price fixed at close"), null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-deadline", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gte=F("target_quantity")),
                name="coop_group_buy_cap_at_least_target",
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(committed_quantity__lte=F("cap")),
                name="coop_group_buy_within_cap",
            ),
            models.CheckConstraint(
                condition=Q(target_quantity__gt=0), name="coop_group_buy_target"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GroupBuyTier(models.Model):
    """The unit price from ``min_quantity`` units in total."""

    group_buy = models.ForeignKey(
        GroupBuy, on_delete=models.CASCADE, related_name="tiers"
    )
    min_quantity = models.PositiveIntegerField(_("from a total of"))
    unit_price_cents = models.PositiveIntegerField(_("unit price"))

    class Meta:
        ordering = ["min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_buy", "min_quantity"], name="coop_tier_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.min_quantity}+ @ {self.unit_price_cents}"


class Commitment(TimeStamped):
    """A member's quantity in a group buy, and at close its share."""

    group_buy = models.ForeignKey(
        GroupBuy, on_delete=models.CASCADE, related_name="commitments"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    settle_by = models.CharField(
        _("how you pay"), max_length=10, choices=Settlement, default=Settlement.OFFSET
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The share, set at close when the target is met (cents).
    goods_cents = models.PositiveIntegerField(null=True, blank=True)
    shared_cost_cents = models.PositiveIntegerField(null=True, blank=True)
    total_cents = models.PositiveIntegerField(null=True, blank=True)
    # A charged share: paid by bank transfer (recorded by an admin), or later
    # offset against a payout at the member's request.
    paid_at = models.DateTimeField(null=True, blank=True)
    offset_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["group_buy_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_buy", "member"], name="coop_commitment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} x {self.quantity}"

    @property
    def settled(self) -> bool:
        """Nothing more to do: offset (booked to the payable) or paid."""
        return self.total_cents is not None and (
            self.settle_by == Settlement.OFFSET
            or self.paid_at is not None
            or self.offset_at is not None
        )
