"""Governing the cluster: levies billed to members, and votes on motions
(docs/cooperation.md "Levies" and "Votes")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped
from purei.core.storage import private_storage
from purei.core.uploads import stored_upload_name

from .group_buys import Settlement


def minutes_upload_to(instance: models.Model, filename: str) -> str:
    # Never under a public media prefix: served only by the scoped download view.
    return stored_upload_name("cooperation/minutes", filename)


class Levy(TimeStamped):
    """A membership fee: annual or monthly, flat or by turnover band."""

    class Period(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        MONTHLY = "monthly", _("Monthly")

    class Basis(models.TextChoices):
        FLAT = "flat", _("The same for every member")
        TURNOVER = "turnover", _("By turnover band")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="levies"
    )
    name = models.CharField(_("name"), max_length=120)
    period = models.CharField(_("billed"), max_length=10, choices=Period)
    basis = models.CharField(_("amount"), max_length=10, choices=Basis)
    amount_cents = models.PositiveIntegerField(_("flat amount"), default=0)
    due_days = models.PositiveSmallIntegerField(_("days to pay"), default=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class LevyBand(models.Model):
    """A turnover band: members who sold at least ``min_turnover_cents`` in the
    period before pay ``amount_cents`` (the highest band reached)."""

    levy = models.ForeignKey(Levy, on_delete=models.CASCADE, related_name="bands")
    min_turnover_cents = models.PositiveBigIntegerField(_("turnover from"))
    amount_cents = models.PositiveIntegerField(_("levy"))

    class Meta:
        ordering = ["min_turnover_cents"]
        constraints = [
            models.UniqueConstraint(
                fields=["levy", "min_turnover_cents"], name="coop_levy_band_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.min_turnover_cents}+ : {self.amount_cents}"


class LevyBill(TimeStamped):
    """One member's levy for one period, booked in the ledger when billed."""

    levy = models.ForeignKey(Levy, on_delete=models.PROTECT, related_name="bills")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField()
    turnover_cents = models.BigIntegerField(null=True, blank=True)
    amount_cents = models.PositiveIntegerField()
    due_on = models.DateField()
    settle_by = models.CharField(
        max_length=10, choices=Settlement, default=Settlement.CHARGED
    )
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
        ordering = ["-period_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["levy", "member", "period_start"], name="coop_levy_bill_once"
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="coop_levy_bill_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.levy_id}:{self.member_id}:{self.period_start}"

    @property
    def settled(self) -> bool:
        return self.paid_at is not None or self.offset_at is not None


class Motion(TimeStamped):
    """A decision put to the members: one vote per approved member business."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes or no")
        CHOICE = "choice", _("A choice between options")

    class Result(models.TextChoices):
        OPEN = "", _("Voting")
        CARRIED = "carried", _("Carried")
        LOST = "lost", _("Lost")
        CHOSEN = "chosen", _("Chosen")
        TIED = "tied", _("Tied")
        NO_QUORUM = "no_quorum", _("No quorum")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="motions"
    )
    title = models.CharField(_("motion"), max_length=200)
    body = models.TextField(_("explanation"), blank=True)
    kind = models.CharField(_("kind of vote"), max_length=10, choices=Kind)
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (per cent of member businesses)"), default=50
    )
    closes_at = models.DateTimeField(_("voting closes"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Recorded at close.
    closed_at = models.DateTimeField(null=True, blank=True)
    electorate = models.PositiveIntegerField(null=True, blank=True)
    turnout = models.PositiveIntegerField(null=True, blank=True)
    result = models.CharField(max_length=10, choices=Result, blank=True, default="")
    winner = models.ForeignKey(
        "MotionOption",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    tally = models.JSONField(default=dict, blank=True)  # option id -> votes
    minutes = models.FileField(
        upload_to=minutes_upload_to, blank=True, storage=private_storage
    )
    minutes_name = models.CharField(max_length=160, blank=True)
    minutes_content_type = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-closes_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_percent__lte=100), name="coop_motion_quorum"
            )
        ]

    def __str__(self) -> str:
        return self.title


class MotionOption(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=160)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Ballot(TimeStamped):
    """A member business's vote (its owners cast it and may change it until the
    vote closes)."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+"
    )
    option = models.ForeignKey(
        MotionOption, on_delete=models.PROTECT, related_name="ballots"
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["motion_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "member"], name="coop_ballot_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.motion_id}:{self.member_id}"
