"""What insights keeps of its own: a member's wholesale prices (for the margin
kept by selling direct) and its choice to be counted in its cluster's anonymised
benchmarks. Every figure a dashboard shows is read from orders and the ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped


class WholesalePrice(TimeStamped):
    """What the member would have had for one unit of a variant had it sold it
    wholesale instead (cents, excluding GST): the yardstick of "margin kept by
    selling direct" (docs/insights.md). One per variant; the member is the
    variant's, kept here so every read is scoped by it."""

    variant = models.OneToOneField(
        "catalogue.Variant", on_delete=models.CASCADE, related_name="wholesale_price"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="wholesale_prices"
    )
    price_cents = models.PositiveIntegerField(
        _("wholesale price (cents, excluding GST)")
    )

    class Meta:
        verbose_name = _("wholesale price")
        ordering = ["member", "variant"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_cents__gt=0),
                name="insights_wholesaleprice_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}: {self.price_cents}"


class BenchmarkOptIn(TimeStamped):
    """A member's agreement to have its figures counted, anonymously, in the
    medians its cluster's members see (only shown once five members agreed).
    Opting out deletes the row."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="benchmark_opt_ins"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="benchmark_opt_ins"
    )
    opted_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("benchmarking opt-in")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "cluster"], name="insights_optin_one_per_cluster"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.cluster_id}"
